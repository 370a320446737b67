"""The index's fast front-matter reader agrees with full YAML, or declines and leaves it to YAML."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerjournal.models.entry import DiaryEntry, EntryMeta
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.entries import render
from peerjournal.store.fastmeta import read_front_matter

FIELDS = ("id", "date", "title", "tags", "competencies", "for_supervision", "discussed_in")
TRAPS = ["NO", "yes", "true", "1.10", "12", "~", "null", "- x", "a: b", "#x", "'q'", '"d"',
         "x #y", " lead", "trail ", "[1]", "{a}", "*star", "&amp", "!tag", "%p", "@at", "`b`",
         "é", "🙂", "\u0085", "\u2028", "‮rtl"]  # fmt: skip
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20) | st.sampled_from(
    TRAPS
)


def full_yaml(front: str) -> dict:
    return yamlio.load_text(front).data


@settings(max_examples=300, deadline=None)
@given(
    title=text.map(lambda t: " ".join(t.split())),
    tags=st.lists(
        st.from_regex(r"[a-z0-9][a-z0-9\-é]{0,8}", fullmatch=True) | st.sampled_from(TRAPS[:6]),
        max_size=3,
    ),
    flag=st.booleans(),
    discussed=st.lists(st.sampled_from(["20261101-0900-abcd", "NO"]), max_size=2),
)
def test_fast_reader_agrees_with_yaml_on_what_peerjournal_writes(title, tags, flag, discussed):
    zone = timezone(timedelta(hours=13))
    usable = [t for t in tags if t.strip() and not set(t) & {",", "#", "@", " "}]
    meta = EntryMeta(
        id="20261124-1430-3fa9",
        date=datetime(2026, 11, 24, 14, 30, tzinfo=zone),
        title=title,
        tags=usable,
        competencies=["samhsa-core/III.3"],
        for_supervision=flag,
    )
    if discussed:
        meta.discussed_in = discussed
    written = render(DiaryEntry(meta=meta, preamble="Body."))
    front = written.split("---\n")[1]
    fast = read_front_matter(front.rstrip("\n").split("\n"))
    slow = full_yaml(front)
    if fast is not None:  # declining is always allowed; agreeing is required
        assert {k: fast.get(k) for k in FIELDS} == {k: slow.get(k) for k in FIELDS}


@pytest.mark.parametrize(
    "front",
    [
        'title: "double quoted"',  # needs YAML's escapes
        "title: |\n  block",
        "tags: [a, b]",
        "title: two\n  lines",
        "id: 12",  # a number where text is expected
        "title: x\ntitle: y",  # duplicate keys: YAML must report them
        "  indented: x",
        "title: a: b",
        "tags:\n  - nested",
    ],
)
def test_fast_reader_declines_what_it_does_not_know(front):
    assert read_front_matter(front.split("\n")) is None


def test_the_index_reads_hand_edited_entries_through_yaml(tmp_path):
    path = tmp_path / "e.md"
    path.write_text(
        '---\nid: "20261124-1430-3fa9"\ndate: "2026-11-24T14:30:00+13:00"\n'
        'title: "Quoted"\n---\nBody.\n'
    )
    doc, _ = frontmatter.split(path.read_text())
    assert doc.data["title"] == "Quoted"
    from peerjournal.store.index_rows import read_entry as _read_entry

    row, body = _read_entry(path)
    assert (row["id"], row["title"], body) == ("20261124-1430-3fa9", "Quoted", "Body.\n")
