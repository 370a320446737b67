"""Entries survive save and load unchanged, for any title, body, tags and unicode."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from peerjournal.models.entry import DiaryEntry, EntryMeta, Section, normal_tags
from peerjournal.store.entries import EntryStore, render
from peerjournal.store.layout import DataHome

# Text people write: any unicode except surrogates, with Markdown and the traps of RELIABILITY.md
TRAPS = [
    "---",
    "NO",
    "2024-01-02",
    "1.10",
    "0755",
    "~",
    "null",
    "1:20",
    "\u0085",
    "\u2028",
    "# not a heading",
    "**bold**",
    "- list",
    "> quote",
    "`code`",
    "\t",
    "é",
    "🙂",
    "‮",
]
chars = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"
) | st.sampled_from(["\n", "\t"])
piece = st.text(chars, max_size=30) | st.sampled_from(TRAPS)
line = st.lists(piece, max_size=4).map("".join).filter(lambda s: not s.startswith("## "))
block = st.lists(line, max_size=6).map("\n".join).map(lambda s: s.strip("\n").rstrip())
one_line = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\r\n\x85"),
    max_size=40,
).map(str.strip)
tag = st.from_regex(r"[a-z0-9][a-z0-9\-é]{0,10}", fullmatch=True)
heading = st.sampled_from(["What happened", "What I did", "Why it mattered", "My own"])
zone = st.sampled_from([UTC, timezone(timedelta(hours=13)), timezone(timedelta(hours=-5))])


@st.composite
def entries(draw):
    when = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)))
    when = when.replace(microsecond=0, tzinfo=draw(zone))
    meta = EntryMeta(
        id=f"{when:%Y%m%d-%H%M}-abcd",
        date=when,
        title=draw(one_line),
        setting=draw(one_line),
        tags=draw(st.lists(tag, max_size=4, unique=True)),
        competencies=draw(
            st.lists(st.sampled_from(["samhsa-core/I.1", "tepou-values/equity"]), unique=True)
        ),
        self_disclosure=draw(st.sampled_from([None, True, False])),
        for_supervision=draw(st.booleans()),
    )
    sections = draw(st.lists(st.tuples(heading, block), max_size=4))
    return DiaryEntry(
        meta=meta,
        preamble=draw(block),
        sections=tuple(Section(heading=h, text=t) for h, t in sections),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entry=entries())
def test_save_then_load_gives_the_same_entry_and_the_same_bytes(tmp_path, entry):
    store = EntryStore(DataHome(tmp_path / "home"))
    path = store.create(entry)
    loaded = store.read(path).entry
    assert loaded == entry
    assert render(loaded) == path.read_text(encoding="utf-8")


typed_tag = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["Two Words", "  padded  ", "ÉTÉ", "a,b", "#x", "x" * 61, "line\nbreak", ""]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tags=st.lists(typed_tag, max_size=4))
def test_tags_are_saved_as_the_model_reads_them_or_refused(tmp_path, tags):
    when = datetime(2026, 11, 24, 14, 30, tzinfo=timezone(timedelta(hours=13)))
    try:
        expected = normal_tags(tags)
    except ValueError:
        with pytest.raises(ValidationError):
            EntryMeta(id="20261124-1430-abcd", date=when, tags=tags)
        return
    meta = EntryMeta(id="20261124-1430-abcd", date=when, tags=tags)
    assert meta.tags == expected == normal_tags(expected)  # normalising twice changes nothing
    store = EntryStore(DataHome(tmp_path / "home"))
    path = store.create(DiaryEntry(meta=meta, preamble="Body."))
    assert store.read(path).entry.meta.tags == expected
    path.unlink()
