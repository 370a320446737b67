"""The index's fast front-matter reader agrees with full YAML, or declines and leaves it to YAML."""

import json
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerjournal.errors import RecordError
from peerjournal.models.entry import DiaryEntry, EntryMeta
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.entries import render
from peerjournal.store.fastmeta import read_front_matter

TRAPS = ["NO", "yes", "true", "True", "1.10", "12", "-0", "+3", "0.5e+3", ".5", "1.", "007", "~",
         "null", "NULL", "- x", "a: b", "#x", "'q'", '"d"', "x #y", " lead", "trail ", "[1]",
         "{a}", "*star", "&amp", "!tag", "%p", "@at", "`b`", "-x", "?x", ":x", "a:", "é", "🙂",
         "\u0085", "\u2028", "\ufeff", "\t", "\xa0", "\u3000", "‮rtl", "it's", "''", "'''", "'a''b'",
         "[]", "|", ">", "'open"]  # fmt: skip
# mostly ordinary text with YAML's special characters mixed in, sometimes anything at all
ordinary = st.characters(categories=("L", "N", "P", "S", "Zs")) | st.sampled_from(" -:#'\"\\")
text = (
    st.text(ordinary, max_size=12)
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
    | st.sampled_from(TRAPS)
)
words = st.from_regex(r"[a-zé][a-z0-9 ,.:#'-]{0,10}[a-z0-9]", fullmatch=True)
scalar = (
    words
    | text
    | (words | text).map(lambda t: "'" + t.replace("'", "''") + "'")
    | (words | text).map(lambda t: json.dumps(t, ensure_ascii=False))
)
key = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True) | st.sampled_from(
    ["id", "date", "tags", "Tags", "true", "Null", "a-b", "é"]
)
sep = st.sampled_from([": ", ": ", ": ", ":", ":  "])
key_line = st.tuples(key, sep, scalar | st.just("") | st.just("[]")).map("".join)
item_line = st.tuples(st.sampled_from(["- ", "- ", "- ", "-", "  - ", "- - "]), scalar).map("".join)
listed = st.tuples(key, st.lists(item_line, min_size=1, max_size=3)).map(
    lambda pair: "\n".join([f"{pair[0]}:", *pair[1]])
)
odd_line = st.sampled_from(
    ["", "  ", "# note", "  # note", "#", "...", "--- ", "key:value", "  k: v", "- stray"]
)
line = st.one_of(key_line, listed, odd_line, text)


def typed(value: object) -> object:
    """A value with its types spelled out: True == 1 and 0.0 == -0.0 would hide a difference."""
    if isinstance(value, dict):
        return {repr(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, value)


def full_yaml(front: str) -> object:
    """What the safe loader reads, or the refusal (which the fast reader must leave to it)."""
    try:
        return yamlio.load_text(front + "\n").data
    except RecordError:
        return RecordError


@settings(max_examples=1500, deadline=None)
@given(lines=st.lists(key_line | key_line | listed | line, max_size=5))
def test_fast_reader_agrees_with_full_yaml_or_declines(lines):
    front = "\n".join(lines)
    fast = read_front_matter(front)
    if fast is not None:  # declining is always allowed; agreeing is required
        assert typed(fast) == typed(full_yaml(front))


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"
        ),
        max_size=40,
    ).map(lambda t: " ".join(t.split())),
    tags=st.lists(st.from_regex(r"[a-z0-9][a-z0-9\-é]{0,8}", fullmatch=True), max_size=3),
    flag=st.booleans(),
    discussed=st.lists(st.sampled_from(["20261101-0900-abcd", "NO"]), max_size=2),
    planned=st.sampled_from([None, True, False]),
    who=st.lists(
        st.sampled_from(["resident", "family member", "whānau", "support coordinator", "peer"]),
        max_size=3,
        unique=True,
    ),
    composite=st.booleans(),
)
def test_fast_reader_takes_what_peerjournal_writes(
    title, tags, flag, discussed, planned, who, composite
):
    zone = timezone(timedelta(hours=13))
    meta = EntryMeta(
        id="20261124-1430-3fa9",
        date=datetime(2026, 11, 24, 14, 30, tzinfo=zone),
        title=title,
        tags=tags,
        competencies=["samhsa-core/III.3"],
        for_supervision=flag,
        planned=planned,
        who=who,
        composite=composite,
        created=datetime(2026, 11, 24, 15, 0, 5, 123456, tzinfo=zone),
    )
    if discussed:
        meta.discussed_in = discussed
    written = render(DiaryEntry(meta=meta, preamble="Body."))
    front = written.split("---\n")[1].rstrip("\n")
    fast = read_front_matter(front)
    if fast is None:  # it may only decline a scalar YAML folded onto a second line (width 100)
        assert any(line.startswith("  ") for line in front.splitlines())
        return
    assert typed(fast) == typed(full_yaml(front))
    assert fast.get("planned") == planned
    assert fast.get("who", []) == who
    assert fast.get("composite", False) is composite


def test_an_entry_written_before_the_new_fields_has_none_of_them():
    meta = EntryMeta(id="20261124-1430-3fa9", date=datetime(2026, 11, 24, 14, 30, tzinfo=UTC))
    front = render(DiaryEntry(meta=meta, preamble="Body.")).split("---\n")[1]
    assert not {"planned", "who", "composite"} & set(read_front_matter(front.rstrip("\n")))


@pytest.mark.parametrize(
    "front",
    [
        'title: "two\\\n  lines"',  # double quotes over two lines
        'title: "\\ud83d\\ude42"',  # JSON's surrogate pairs: YAML refuses them
        "title: |\n  block",
        "tags: [a, b]",
        "title: two\n  lines",
        "title: x\ntitle: y",  # duplicate keys: YAML must report them
        "  indented: x",
        "title: a: b",
        "tags:\n  - nested",
        "true: x",  # a key YAML reads as a boolean
        "title: a\tb",  # a tab: YAML's rules for it are not copied here
        "title: a\u2028b",  # a line break to YAML
        "# only a comment",  # YAML reads null: not a mapping
        "title: x\n- stray item",
    ],
)
def test_fast_reader_declines_what_it_does_not_know(front):
    assert read_front_matter(front) is None


def test_empty_values_read_as_null_or_a_list_as_in_yaml():
    front = "title:\ntags:\n- a\n\n# between\n- b\nsetting: ''\ncompetencies: []"
    assert read_front_matter(front) == yamlio.load_text(front).data
    assert read_front_matter(front) == {
        "title": None, "tags": ["a", "b"], "setting": "", "competencies": [],
    }  # fmt: skip


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
