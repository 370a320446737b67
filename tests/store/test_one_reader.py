"""One reader: for every entry file, the index's row is what the model reads, or the same refusal.

The index (``store.index_rows``) skips YAML and pydantic for the files peerjournal writes. Over
generated files and hand-edit-like mutations of them, it must never take a file the model
refuses, never refuse one the model takes, and read the same id, date, day, title, tags,
competencies, supervision flag, discussed state, planned and composite flags (and the same body,
for search); ``who`` is not in the row, but the index refuses it exactly when the model does.
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerjournal.errors import RecordError
from peerjournal.models.entry import DiaryEntry, EntryMeta, Section
from peerjournal.store import entries, frontmatter, index_rows
from peerjournal.store.entries import EntryStore, render
from peerjournal.store.index_rows import fast_entry, model_entry, read_entry
from peerjournal.store.layout import DataHome

ZONES = [UTC, timezone(timedelta(hours=13)), timezone(timedelta(hours=-9, minutes=-30))]
ordinary = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"))
one_line = st.text(ordinary, max_size=24).map(lambda text: " ".join(text.split()))
tag = st.from_regex(r"[a-z0-9][a-z0-9\-é]{0,10}", fullmatch=True) | st.sampled_from(
    ["Two Words", "ÉTÉ", "x" * 60, "self-disclosure", "2024", "Group"]
)
ref = st.sampled_from(["samhsa-core/I.1", "tepou-values/equity", "Samhsa-Core/I.1"])
body = st.lists(
    st.text(ordinary, max_size=20) | st.sampled_from(["---", "...", "## What I did", "key: v"]),
    max_size=4,
).map("\n".join)


@st.composite
def written_entries(draw: st.DrawFn) -> DiaryEntry:
    """An entry as peerjournal builds and writes it, with the optional fields it may carry."""
    when = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
    when = when.replace(tzinfo=draw(st.sampled_from(ZONES)))
    meta = EntryMeta(
        id=f"{when:%Y%m%d-%H%M}-{draw(st.from_regex(r'[0-9a-f]{4}', fullmatch=True))}",
        date=when,
        title=draw(one_line),
        setting=draw(one_line),
        tags=draw(st.lists(tag, max_size=3)),
        competencies=draw(st.lists(ref, max_size=2)),
        self_disclosure=draw(st.sampled_from([None, True, False])),
        for_supervision=draw(st.booleans()),
        planned=draw(st.sampled_from([None, True, False])),
        who=draw(st.lists(st.sampled_from(["resident", "family member", "whānau"]), max_size=2)),
        composite=draw(st.booleans()),
        created=draw(st.none() | st.just(when + timedelta(minutes=5, microseconds=120000))),
    )
    sessions = draw(st.lists(st.sampled_from(["S20261201-0900-ab12", "NO", "12"]), max_size=2))
    if sessions or draw(st.booleans()):
        meta.discussed_in = sessions
    if draw(st.booleans()):
        meta.imported_from = "jrnl:0f3a9c"  # an extra field, as an import writes it
    return DiaryEntry(
        meta=meta, preamble=draw(body), sections=(Section(heading="What I did", text="x"),)
    )


KEYS = ["schema", "schema_", "id", "date", "title", "setting", "tags", "competencies",
        "self_disclosure", "for_supervision", "created", "updated", "discussed_in", "mood",
        "true", "planned", "who", "composite"]  # fmt: skip
# What a hand edit may leave: YAML's types, quoting and layouts, and the model's edge cases.
VALUES = [
    "", "~", "null", "[]", "{}", "1", "0", "2", "-1", "1.0", "1.10", "yes", "No", "'yes'", "ON",
    "off", "true", "False", "'true'", "y", "maybe", "''", "' '", "'two words'", "two words",
    "Two Words", "[two words]", "[Two  Words, two-words]", "[a, b]", "[a, a]", "[' ', a]",
    "'#group'", "'a,b'", "[2024]", "[1.5]", "[true]", "['x', 'y']", '"x"', '"two\\nlines"',
    '"\\U0001F642 smile"', "|\n  block\n  lines", ">\n  folded\n  text", "\n- one\n- two",
    "\n- Two Words\n- two-words", "\n- 12", "\n  - nested", "\n-", "2026-11-24", "'2026-11-24'",
    "2026-11-24T14:30:00", "'2026-11-24T14:30:00+13:00'", "2026-11-24T14:30:00+13:00",
    "2026-11-24 14:30:00+13:00", "'2026-11-24T14:30:00Z'", "2026-11-24T14:30+13:00",
    "20261124T143000+1300", "'2026-13-01T00:00:00+13:00'", "2026-11-24T14:30:00.5+13:00",
    "'2026-11-24T14:30:00+24:00'", "1700000000", "' padded '", "'a  b'", "a #c", "a: b", "*x",
    "&x y", "!!str 12", "!!binary aGk=", "'x'''", "é", "ÉTÉ", "\u00a0x", "x\u3000", "'\u2028'",
    '"a\\u2028b"', "'" + "a" * 61 + "'", "a" * 60, "'.'", "'..'", "'a/b'", "' id '", "@x", "%x",
    "- x", "? x", ":x", "-x", "'\u202e'", "[[[[]]]]", "'\t'", '"\\x85"', "{a: 1}",
]  # fmt: skip
FLAGS = ["1", "0", "2", "yes", "No", "'on'", "OFF", "true", "FALSE", "", "~", "maybe", "1.0", "[]"]
DATES = [
    "'2026-11-24T14:30:00+13:00'",
    "2026-11-24T14:30:00Z",
    "'2026-11-24T14:30:00.120000Z'",
    "2026-11-24T14:30:00",
    "2026-11-24",
    "'2026-02-30T10:00:00+13:00'",
    "''",
    "",
    "12",
]
BY_KEY = {  # values that are often one character away from what peerjournal writes
    "schema": ["1", "2", "'1'", "true", "1.0", "-3", "x"],
    "schema_": ["1", "x", "true"],
    "id": ["abc", "'abc'", "12", "'12'", "' x1 '", "a/b", "'.'", "A.b_c-1", '"x\\ty"', "", "~"],
    "date": DATES, "created": DATES, "updated": DATES,
    "title": ["", "Fine", "'Fine '", "12", "true", '"a\\nb"', "'  '"],
    "setting": ["", "Fine", "'Fine '", "12", "~"],
    "tags": ["[]", "\n- Group", "\n- group\n- group", "\n- two words", "\n- 'x,y'", "\n- a\n- A",
             "[Group]", "\n- " + "x" * 61, "\n- " + "x" * 60, "\n- 12", "", "group", "\n- ''"],
    "competencies": ["[]", "\n- a/b\n- a/b", "\n- ' a/b'", "\n- ''", "\n- 12", "", "a/b"],
    "self_disclosure": FLAGS, "for_supervision": FLAGS, "planned": FLAGS, "composite": FLAGS,
    "who": ["[]", "\n- resident\n- resident", "\n- ' resident'", "\n- ''", "\n- 12", "",
            "resident", "\n- family member", "[Resident]"],
    "discussed_in": ["", "[]", "S1", "\n- S1", "\n- 12", "1", "true", "{}", "\n- ''"],
}  # fmt: skip
scalar = (
    st.sampled_from(VALUES) | one_line | one_line.map(lambda t: "'" + t.replace("'", "''") + "'")
)
ODD_LINES = ["", "  ", "# note", "  # note", "...", "--- ", "- stray", "  indented: x", "k:v",
             "\t", "title: x", "id: other-id", "date: '2026-01-01T00:00:00Z'"]  # fmt: skip


def closing(lines: list[str]) -> int:
    """Where the front matter ends (the end of the file if nothing closes it)."""
    return next((i for i in range(1, len(lines)) if lines[i] == "---"), len(lines))


def set_field(lines: list[str], key: str, value: str, spot: int) -> list[str]:
    """The lines with ``key`` set to ``value`` as a person would type it, in place or at spot."""
    lines, end = list(lines), closing(lines)
    first = next((i for i in range(1, end) if lines[i].startswith(f"{key}:")), None)
    if first is not None:
        stop = first + 1
        while stop < end and lines[stop].startswith(("- ", " ")):
            stop += 1
        del lines[first:stop]
        spot = first
    typed_in = f"{key}:{value}" if value.startswith("\n") or not value else f"{key}: {value}"
    lines[spot:spot] = typed_in.split("\n")
    return lines


@st.composite
def mutated(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """One hand-edit-like change to a file's lines."""
    lines = list(lines)
    end = closing(lines)
    spot = draw(st.integers(1, max(1, end - 1)))
    kind = draw(st.sampled_from(["set", "set", "set", "drop", "copy", "odd", "item", "fence"]))
    if kind == "set":
        key = draw(st.sampled_from(KEYS))
        lines = set_field(lines, key, draw(st.sampled_from(BY_KEY.get(key, VALUES)) | scalar), spot)
    elif kind == "drop" and spot < end:
        del lines[spot]
    elif kind == "copy" and spot < end:
        lines.insert(spot, lines[spot])
    elif kind == "odd":
        lines.insert(spot, draw(st.sampled_from(ODD_LINES)))
    elif kind == "item":
        items = [i for i in range(1, end) if lines[i].startswith("- ")]
        if items:
            lines[draw(st.sampled_from(items))] = "- " + draw(scalar)
    elif kind == "fence" and end < len(lines):
        lines[end] = draw(st.sampled_from(["...", "--- ", "----", ""]))
    return lines


@st.composite
def entry_files(draw: st.DrawFn) -> bytes:
    """A file as peerjournal writes it, then none or a few hand edits, sometimes odd bytes."""
    lines = render(draw(written_entries())).split("\n")
    for _ in range(draw(st.integers(0, 3))):
        lines = draw(mutated(lines))
    raw = "\n".join(lines).encode("utf-8")
    odd = draw(st.sampled_from(["none"] * 12 + ["bom", "crlf", "nul", "latin1", "cut"]))
    if odd == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif odd == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    elif odd == "nul":
        raw = raw.replace(b"title", b"ti\x00tle", 1)
    elif odd == "latin1":
        raw = raw.replace(b"title", b"titl\xe9", 1)
    elif odd == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


def typed(values: dict) -> list[tuple[str, str, object]]:
    """The values with their types: True == 1 would hide a flag read as a number."""
    return sorted((key, type(value).__name__, value) for key, value in values.items())


def refusal(error: RecordError) -> tuple[str, str]:
    """A refusal as the user sees it: every problem with its line and field."""
    return type(error).__name__, str(error)


def index_reading(path):
    """What the index stores for a file: its row's values and the body it searches."""
    try:
        row, text = read_entry(path)
    except RecordError as error:
        return refusal(error)
    return typed(row), frontmatter.split_sections(text)


def model_reading(path):
    """What `diary show` reads, with the index's values taken from the model's fields."""
    try:
        stored = EntryStore(DataHome(path.parent)).read(path)
    except RecordError as error:
        return refusal(error)
    meta, entry = stored.entry.meta, stored.entry
    values = {
        "id": meta.id,
        "ts": meta.date.timestamp(),
        "date": meta.date.isoformat(),
        "day": meta.date.date().isoformat(),
        "title": meta.title,
        "tags": meta.tags,
        "competencies": meta.competencies,
        "for_supervision": meta.for_supervision,
        "discussed": bool((meta.model_extra or {}).get("discussed_in")),
        "planned": meta.planned,
        "composite": meta.composite,
    }
    return typed(values), (entry.preamble, [(s.heading, s.text) for s in entry.sections])


@settings(
    max_examples=700, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=entry_files())
def test_the_index_reads_every_file_as_the_model_does(tmp_path, raw):
    path = tmp_path / "20261124-1430-3fa9.md"
    path.write_bytes(raw)
    assert index_reading(path) == model_reading(path)


@pytest.mark.parametrize(
    ("key", "value"), [(key, value) for key, values in BY_KEY.items() for value in values]
)
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entry=written_entries(), spot=st.integers(1, 12))
def test_one_field_edited_by_hand_reads_the_same_in_the_index(tmp_path, key, value, entry, spot):
    lines = render(entry).split("\n")
    edited = set_field(lines, key, value, min(spot, closing(lines)))
    path = tmp_path / "20261124-1430-3fa9.md"
    path.write_text("\n".join(edited), encoding="utf-8")
    assert index_reading(path) == model_reading(path)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entry=written_entries())
def test_what_peerjournal_writes_is_read_without_yaml_or_pydantic(tmp_path, entry):
    raw = render(entry).encode("utf-8")
    fast = fast_entry(raw)
    assert fast is not None
    assert fast == model_entry(raw, tmp_path / "e.md")


def read_both(tmp_path, front: str):
    path = tmp_path / "20261124-1430-3fa9.md"
    path.write_text(
        f"---\nid: 20261124-1430-3fa9\ndate: '2026-11-24T14:30:00+13:00'\n{front}\n---\n"
    )
    return index_reading(path), model_reading(path)


def test_a_tag_with_a_space_is_read_as_the_hyphenated_tag_by_both(tmp_path):
    index, shown = read_both(tmp_path, "tags: [two words, Group]")
    assert index == shown
    assert ("tags", "list", ["two-words", "group"]) in index[0]


def test_supervision_flags_as_people_write_them_mean_the_same_to_both(tmp_path):
    for written, meant in [("1", True), ("yes", True), ("'On'", True), ("0", False), ("no", False),
                           ("", False), ("true", True)]:  # fmt: skip
        index, shown = read_both(tmp_path, f"for_supervision: {written}")
        assert index == shown
        assert ("for_supervision", "bool", meant) in index[0], written


def test_a_flag_that_is_not_yes_or_no_is_refused_by_both_with_the_same_message(tmp_path):
    index, shown = read_both(tmp_path, "title: Fine\nfor_supervision: maybe")
    assert index == shown
    assert index[1].endswith(":5: for_supervision: must be true or false")
    assert "maybe" not in index[1]  # never the value: it could be diary text


def test_a_date_without_a_zone_is_refused_by_both(tmp_path):
    path = tmp_path / "e.md"
    path.write_text("---\nid: x1\ndate: 2026-11-24T14:30\n---\n")
    assert index_reading(path) == model_reading(path)
    assert "date: has no time zone" in index_reading(path)[1]


def test_a_file_too_big_for_the_store_is_too_big_for_the_index(tmp_path):
    assert index_rows.FAST_MAX_BYTES <= entries.MAX_BYTES
    path = tmp_path / "e.md"
    path.write_text(
        "---\nid: x1\ndate: '2026-11-24T14:30:00Z'\n---\n" + "x" * (entries.MAX_BYTES + 1)
    )
    assert index_reading(path) == model_reading(path)
    assert "the limit is 2 MiB" in index_reading(path)[1]


def test_schema_under_the_fields_own_name_is_judged_by_the_model(tmp_path):
    for written in ("schema_: x", "schema_: 2"):
        path = tmp_path / "e.md"
        path.write_text(f"---\nid: x1\ndate: '2026-11-24T14:30:00Z'\n{written}\n---\n")
        assert index_reading(path) == model_reading(path)
