"""Parsing jrnl journals: plain text in jrnl 2/3 and jrnl 4 formats, and JSON exports."""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerjournal.errors import InputError, RecordError
from peerjournal.services import jrnl_format
from peerjournal.services.jrnl_format import (
    DEFAULT_TIME_FORMATS,
    JrnlEntry,
    parse_any,
    parse_json,
    parse_text,
)

DATA = Path(__file__).parents[1] / "data" / "jrnl"
DATE_PREFIX = re.compile(r"^\[[^\]]+\] ?")


def wall(*parts: int) -> datetime:
    """A naive wall-clock time, as a journal holds it."""
    return datetime(*parts)


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def one(text: str, **kwargs) -> JrnlEntry:
    entries = parse_text(text, **kwargs)
    assert len(entries) == 1
    return entries[0]


def assert_nothing_lost(source: str, entries: list[JrnlEntry]) -> None:
    """Every non-blank line's text is in some entry, modulo the date prefix and the star."""
    kept = [" ".join(f"{entry.title} {entry.body}".split()) for entry in entries]
    starts = {entry.line for entry in entries}
    for number, line in enumerate(source.replace("\r\n", "\n").split("\n"), 1):
        text = line.strip()
        if number in starts:
            text = DATE_PREFIX.sub("", line).strip()
            if text == "*" or text.endswith(" *"):
                text = text[:-1]
        text = " ".join(text.split())
        if text:
            assert any(text in entry for entry in kept), f"line {number} lost"


# --- the two default formats ------------------------------------------------------------------


def test_a_jrnl3_journal_with_the_old_default_format():
    entries = parse_text(read("jrnl3_default.txt"))
    assert [entry.line for entry in entries] == [1, 6, 16, 17]
    assert [entry.date for entry in entries] == [
        wall(2023, 3, 1, 9, 15),
        wall(2023, 3, 2, 14, 40),
        wall(2023, 3, 5, 18, 5),
        wall(2023, 3, 6, 8, 30),
    ]
    first, huddle, quiet, prep = entries
    # jrnl >= 2.5: a title is the whole first line once a line break follows it
    assert first.title == "Met Sam at the drop-in. We talked about the @housing forms."
    assert (
        first.body
        == "Sam said the waiting list felt endless.\n\nI listened more than I spoke. #listening"
    )
    assert first.tags == ("@housing", "#listening")
    assert not first.starred
    assert huddle.title == "Team huddle about the #winter-plan"
    assert huddle.starred
    assert huddle.body == (
        "## Actions\n"
        "- [ ] check the rota with @Alex\n"
        "- call the food bank\n"
        "[Rota](https://example.org/rota) updated by Jo\n"
        "\n"
        "[optional] bring leaflets\n"
        "\n"
        '> "Small steps still count," said Jo.'
    )
    assert huddle.tags == ("#winter-plan", "@alex")
    # one line straight before the next entry: jrnl's split_title splits the first sentence off
    assert (quiet.title, quiet.body) == ("Quiet shift.", "Nobody came in.")
    assert prep.title == "Supervision prep? Three things to raise."
    assert prep.body == "1. Boundaries with @sam\n2. #Self-care plan\n    - walk at lunch"
    assert prep.tags == ("@sam", "#self-care")


def test_a_jrnl4_journal_with_seconds_and_am_pm():
    entries = parse_text(read("jrnl4_default.txt"))
    assert [(entry.date, entry.line) for entry in entries] == [
        (wall(2024, 1, 8, 9, 0), 1),
        (wall(2024, 1, 8, 14, 30), 4),
        (wall(2024, 1, 9, 23, 45, 12), 7),
    ]
    group, robin, late = entries
    assert group.title == "First group session of the year"
    assert group.body == "Five people came to the @group. Kim brought biscuits."
    assert group.tags == ("@group",)
    assert robin.title == "Phone check-in with Robin"
    assert robin.starred
    assert robin.tags == ("#hope",)
    assert late.body == "Remember to log the #training hours."
    assert not late.starred


def test_jrnl4s_own_timeformat_spelling_is_understood():
    """jrnl.yaml from jrnl 4 says "%F %r", which Python's strptime does not know."""
    entries = parse_text(read("jrnl4_default.txt"), time_formats=("%F %r",))
    assert [entry.date for entry in entries][-1] == wall(2024, 1, 9, 23, 45, 12)


def test_a_custom_time_format():
    entries = parse_text(read("custom_format.txt"), time_formats=("%d.%m.%Y %H:%M",))
    assert [(entry.date, entry.title, entry.tags) for entry in entries] == [
        (wall(2024, 2, 4, 10, 0), "Peer café opened", ()),
        (wall(2024, 2, 5, 16, 20), "Wrote up notes for @maria", ("@maria",)),
    ]
    assert entries[0].body == "Six regulars, two new faces."


@pytest.mark.parametrize(
    ("fmt", "stamp", "expected"),
    [
        ("%F %R", "2024-02-04 10:05", wall(2024, 2, 4, 10, 5)),
        ("%F %T", "2024-02-04 10:05:09", wall(2024, 2, 4, 10, 5, 9)),
        ("%-d.%-m.%Y %H:%M", "4.2.2024 10:05", wall(2024, 2, 4, 10, 5)),
        ("%e %b %Y %I:%M %P", " 4 Feb 2024 10:05 pm", wall(2024, 2, 4, 22, 5)),
        ("%D %H:%M", "02/04/24 10:05", wall(2024, 2, 4, 10, 5)),
        ("%Y-%m-%d %%%H:%M", "2024-02-04 %10:05", wall(2024, 2, 4, 10, 5)),
    ],
)
def test_c_strftime_spellings_from_jrnl_yaml(fmt, stamp, expected):
    assert one(f"[{stamp}] Entry\n", time_formats=(fmt,)).date == expected


def test_a_single_format_may_be_given_as_a_string():
    entries = parse_text(read("custom_format.txt"), time_formats="%d.%m.%Y %H:%M")
    assert len(entries) == 2


def test_the_first_format_that_parses_wins():
    text = "[01/02/2024 10:00] Ambiguous day\n"
    assert one(text, time_formats=("%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M")).date.month == 2
    assert one(text, time_formats=("%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M")).date.month == 1


def test_journals_in_both_default_formats_mixed():
    text = "[2024-01-08 09:00] Old style\n\n[2024-01-09 02:00:00 PM] New style\n"
    assert [entry.date.hour for entry in parse_text(text)] == [9, 14]


# --- bodies, titles, stars --------------------------------------------------------------------


def test_bracketed_lines_that_are_not_dates_stay_in_the_body():
    text = (
        "[2024-03-01 10:00] Outreach morning\n"
        "[optional] bring leaflets\n"
        "[2024-03-01] a date in another format\n"
        "[2024-03-01 10:00]no space after the bracket\n"
        "[ ] unticked box\n"
        "[]\n"
    )
    entry = one(text)
    assert entry.body == (
        "[optional] bring leaflets\n"
        "[2024-03-01] a date in another format\n"
        "[2024-03-01 10:00]no space after the bracket\n"
        "[ ] unticked box\n"
        "[]"
    )


def test_a_date_line_without_its_trailing_space_still_starts_an_entry():
    entries = parse_text("[2024-03-01 10:00] One\n[2024-03-02 10:00]\nText\n")
    assert [(entry.title, entry.body) for entry in entries] == [("One", ""), ("Text", "")]


def test_body_keeps_inner_blank_lines_markdown_and_indentation():
    text = (
        "[2024-03-01 10:00] Title line\n"
        "\n"
        "    indented code\n"
        "\n"
        "\n"
        "* bullet with **bold**  \n"
        "| a | b |\n"
        "\n"
        "   \n"
        "\n"
    )
    entry = one(text)
    assert entry.body == "    indented code\n\n\n* bullet with **bold**  \n| a | b |"


@pytest.mark.parametrize(
    ("line", "title", "body"),
    [
        ("Met Sam. Talked about rent.", "Met Sam.", "Talked about rent."),
        ("Was it enough? I think so.", "Was it enough?", "I think so."),
        ("Finally! Housing came through.", "Finally!", "Housing came through."),
        ("No punctuation here", "No punctuation here", ""),
        ("Ends with a full stop.", "Ends with a full stop.", ""),
        ("Ran 5.2 miles with the walking group", "Ran 5.2 miles with the walking group", ""),
        ('She said "enough." Then left.', 'She said "enough."', "Then left."),
        ("(Late entry.) Back from the visit", "(Late entry.)", "Back from the visit"),
    ],
)
def test_a_one_line_entry_splits_off_its_first_sentence(line, title, body):
    """With no line break after it, jrnl's split_title applies its sentence splitter."""
    entries = parse_text(f"[2024-03-01 10:00] {line}\n[2024-03-02 10:00] Next")
    assert (entries[0].title, entries[0].body) == (title, body)
    assert (entries[1].title, entries[1].body) == ("Next", "")


@pytest.mark.parametrize(
    "line",
    ["Met Sam. Talked about rent.", "Was it enough? I think so.", "No punctuation here"],
)
def test_a_first_line_followed_by_a_line_break_is_the_whole_title(line):
    entry = one(f"[2024-03-01 10:00] {line}\nMore.\n")
    assert (entry.title, entry.body) == (line, "More.")
    entry = one(f"[2024-03-01 10:00] {line}\n")
    assert (entry.title, entry.body) == (line, "")


def test_an_empty_title_line_gives_way_to_the_first_text_line():
    """Like split_title's lstrip: jrnl shows the first non-blank line as the title."""
    entry = one("[2024-03-01 10:00] \n\nFirst real line\n\nSecond paragraph\n")
    assert (entry.title, entry.body) == ("First real line", "Second paragraph")
    entry = one("[2024-03-01 10:00] *\nStarred with no title\n")
    assert (entry.title, entry.body, entry.starred) == ("Starred with no title", "", True)
    entry = one("[2024-03-01 10:00] \n")
    assert (entry.title, entry.body) == ("", "")


@pytest.mark.parametrize(
    ("line", "title", "starred"),
    [
        ("Good day *", "Good day", True),
        ("Good day  *  ", "Good day", True),
        ("Good day", "Good day", False),
        ("Felt *heard*", "Felt *heard*", True),  # jrnl calls it starred; the emphasis stays
        ("Felt *heard* *", "Felt *heard*", True),
        ("5 * 3 people came", "5 * 3 people came", False),
    ],
)
def test_the_star_marker(line, title, starred):
    entry = one(f"[2024-03-01 10:00] {line}\nBody.\n")
    assert (entry.title, entry.starred, entry.body) == (title, starred, "Body.")


def test_a_one_line_starred_entry_keeps_its_whole_line_as_title():
    """jrnl adds a line break after a starred first line, so split_title keeps the line whole."""
    entries = parse_text("[2024-03-01 10:00] Met Sam. Good talk. *\n[2024-03-02 10:00] Next")
    assert (entries[0].title, entries[0].body, entries[0].starred) == (
        "Met Sam. Good talk.",
        "",
        True,
    )


# --- tags -------------------------------------------------------------------------------------


def test_tags_as_jrnls_regex_finds_them():
    text = (
        "[2024-03-01 10:00] Session with @Group about #Hope\n"
        "Mail sam@example.org, not a tag. #hope again, #HOPE again.\n"
        "# Heading is not a tag\n"
        "## Neither is a level-two heading\n"
        "Ends with punctuation: @kim. And (#brackets) are not tags.\n"
        "#peer-support/#weekly and #self+care and @jo's notes\n"
    )
    assert one(text).tags == (
        "@group",
        "#hope",
        "@kim",
        "#peer-support/#weekly",
        "#self+care",
        "@jo",
    )


def test_tag_symbols_can_be_narrowed_or_turned_off():
    text = "[2024-03-01 10:00] With @sam about #rent\n"
    assert one(text, tag_symbols="@").tags == ("@sam",)
    assert one(text, tag_symbols="").tags == ()
    assert one("[2024-03-01 10:00] Cost $rent and ^up\n", tag_symbols="$^").tags == (
        "$rent",
        "^up",
    )


def test_tags_may_be_any_letters():
    assert one("[2024-03-01 10:00] Café with @Zoë and #ÉQUIPE\n").tags == ("@zoë", "#équipe")


# --- encodings, line ends ---------------------------------------------------------------------


def test_crlf_and_a_bom_read_like_the_plain_file():
    text = read("jrnl3_default.txt")
    expected = parse_text(text)
    assert parse_text(text.replace("\n", "\r\n")) == expected
    assert parse_text("\ufeff" + text) == expected
    assert parse_text("\ufeff" + text.replace("\n", "\r\n")) == expected
    raw = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    assert parse_text(raw.decode("utf-8")) == expected
    assert all("\r" not in entry.body for entry in parse_text(text.replace("\n", "\r\n")))
    assert parse_text(text.replace("\n", "\r")) == expected  # classic Mac line ends


# --- errors -----------------------------------------------------------------------------------


def test_text_before_the_first_entry_is_an_error_naming_its_line():
    text = "\n\nNotes I kept before\n[2024-03-01 10:00] First entry\n"
    with pytest.raises(RecordError) as caught:
        parse_text(text)
    assert caught.value.line == 3
    assert "before the first dated entry" in caught.value.message
    assert "Notes" not in str(caught.value)


def test_a_first_entry_in_another_format_is_reported_with_the_formats_tried():
    text = "[01.03.2024 10:00] First\n[2024-03-02 10:00] Second\n"
    with pytest.raises(RecordError) as caught:
        parse_text(text)
    assert caught.value.line == 1
    assert "%Y-%m-%d %H:%M" in caught.value.message


def test_blank_lines_before_the_first_entry_are_fine():
    assert one("\n   \n\n[2024-03-01 10:00] First\n").line == 4


def test_no_entry_in_the_formats_tried_is_an_input_error_suggesting_timeformat():
    with pytest.raises(InputError) as caught:
        parse_text(read("custom_format.txt"))
    message = caught.value.message
    for fmt in DEFAULT_TIME_FORMATS:
        assert fmt in message
    assert "--timeformat" in message
    assert "line 1" in message
    assert "café" not in message


def test_text_without_any_bracket_is_an_input_error():
    with pytest.raises(InputError, match="no jrnl entries found"):
        parse_text("Just some notes.\nNo dates here.\n")


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n\t\n", "\ufeff"])
def test_blank_text_has_no_entries(text):
    assert parse_text(text) == []


def test_an_empty_time_format_is_an_input_error():
    with pytest.raises(InputError):
        parse_text("[2024-03-01 10:00] x\n", time_formats=())
    with pytest.raises(InputError):
        parse_text("[2024-03-01 10:00] x\n", time_formats=("",))


# --- nothing lost -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "formats"),
    [
        ("jrnl3_default.txt", DEFAULT_TIME_FORMATS),
        ("jrnl4_default.txt", DEFAULT_TIME_FORMATS),
        ("custom_format.txt", ("%d.%m.%Y %H:%M",)),
    ],
)
def test_every_line_of_a_journal_ends_up_in_an_entry(name, formats):
    source = read(name)
    assert_nothing_lost(source, parse_text(source, time_formats=formats))


def test_every_line_survives_awkward_input():
    source = (
        "[2024-03-01 10:00] A. B? C!\n"
        "[2024-03-01 11:00] *\n"
        "[x] y\n"
        "[2024-03-01 12:00] \n"
        "\n"
        "  lead\n"
        "[2024-03-01 13:00] Felt *heard*\n"
        "[2024-03-01 14:00] Last. No newline"
    )
    assert_nothing_lost(source, parse_text(source))


# --- JSON exports -----------------------------------------------------------------------------


def test_a_json_export():
    entries = parse_json(read("export.json"))
    assert entries == [
        JrnlEntry(
            date=wall(2024, 1, 8, 9, 0),
            title="First group session of the year",
            body="Five people came to the @group. Kim brought biscuits.",
            tags=("@group",),
            starred=False,
            line=0,
        ),
        JrnlEntry(
            date=wall(2024, 1, 8, 14, 30),
            title="Phone check-in with Robin",
            body=(
                "Robin is settling into the new flat. #hope\n\n"
                "Next call on Friday, after the @group."
            ),
            tags=("#hope", "@group"),  # the export's own list, in the order the text has them
            starred=True,
            line=0,
        ),
    ]


def test_a_json_export_and_the_journal_it_came_from_agree():
    text_entries = parse_text(read("jrnl4_default.txt"))
    exported = {
        "tags": {},
        "entries": [
            {
                "title": entry.title,
                "body": entry.body,
                "date": entry.date.strftime("%Y-%m-%d"),
                "time": entry.date.strftime("%H:%M"),
                "tags": sorted(entry.tags),
                "starred": entry.starred,
            }
            for entry in text_entries
        ],
    }
    json_entries = parse_json(json.dumps(exported, indent=2))
    for from_text, from_json in zip(text_entries, json_entries, strict=True):
        assert from_json.title == from_text.title
        assert from_json.body == from_text.body
        assert from_json.tags == from_text.tags
        assert from_json.starred == from_text.starred
        assert from_json.date == from_text.date.replace(second=0)  # the export keeps minutes


def test_missing_json_keys_get_defaults():
    data = {"entries": [{"date": "2024-02-01"}, {"date": "2024-02-02", "body": "See #rota"}]}
    first, second = parse_json(json.dumps(data))
    assert first == JrnlEntry(wall(2024, 2, 1, 9, 0), "", "", (), False, 0)
    assert second.tags == ("#rota",)
    data = {"entries": [{"date": "2024-02-01", "time": "07:05:30", "title": None, "tags": None}]}
    assert parse_json(json.dumps(data))[0].date == wall(2024, 2, 1, 7, 5, 30)


def test_malformed_json_names_the_line():
    text = read("export.json").replace('"time": "14:30",', '"time": "14:30"')
    after_the_missing_comma = text.split("\n").index('      "tags": [', 20) + 1
    with pytest.raises(RecordError) as caught:
        parse_json(text)
    assert caught.value.line == after_the_missing_comma
    assert "not valid JSON" in caught.value.message


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"entries": [{"title": "No date"}]}, "entries[0].date"),
        ({"entries": [{"date": "01/02/2024"}]}, "entries[0].date"),
        ({"entries": [{"date": "2024-02-01", "time": "late"}]}, "entries[0].date"),
        ({"entries": [{"date": "2024-02-01", "time": 9}]}, "entries[0].time"),
        ({"entries": [{"date": "2024-02-01", "title": 3}]}, "entries[0].title"),
        ({"entries": [{"date": "2024-02-01", "tags": "#a"}]}, "entries[0].tags"),
        ({"entries": [{"date": "2024-02-01", "starred": "yes"}]}, "entries[0]"),
        ({"entries": [{"date": "2024-02-01"}, "text"]}, "entries[1]"),
    ],
)
def test_bad_json_values_name_the_field(data, field):
    with pytest.raises(RecordError) as caught:
        parse_json(json.dumps(data))
    assert caught.value.field == field


@pytest.mark.parametrize("text", ["[]", '{"tags": {}}', '{"entries": {}}', "3"])
def test_json_that_is_not_a_jrnl_export(text):
    with pytest.raises(RecordError, match="not a jrnl JSON export"):
        parse_json(text)


def test_parse_any_tells_json_from_text():
    assert parse_any(read("export.json")) == parse_json(read("export.json"))
    assert parse_any("\ufeff\r\n" + read("export.json")) == parse_json(read("export.json"))
    assert parse_any(read("jrnl4_default.txt")) == parse_text(read("jrnl4_default.txt"))
    custom = parse_any(read("custom_format.txt"), time_formats=("%d.%m.%Y %H:%M",))
    assert len(custom) == 2


def test_parse_any_reports_a_damaged_export_as_json():
    with pytest.raises(RecordError) as caught:
        parse_any('{\n  "entries": [\n    {"date": "2024-01-01",}\n  ]\n}')
    assert caught.value.line == 3


def test_parse_any_derives_missing_json_tags_with_the_given_symbols():
    text = json.dumps({"entries": [{"date": "2024-02-01", "body": "@sam and #rota"}]})
    assert parse_any(text, tag_symbols="@")[0].tags == ("@sam",)


# --- speed and the strptime shortcut --------------------------------------------------------------


@pytest.mark.parametrize("fmt", DEFAULT_TIME_FORMATS)
def test_fifty_thousand_entries_all_parse(fmt):
    start = wall(2020, 1, 1, 9, 0)
    chunks = []
    for n in range(50_000):
        stamp = start.replace(minute=n % 60, hour=n // 60 % 24).strftime(fmt)
        chunks.append(
            f"[{stamp}] Entry {n} with @group about #topic{n % 50}\n"
            "Met Sam at the drop-in and talked through the week, the rota and the forms.\n"
            "[optional] bring leaflets\n\n"
        )
    text = "".join(chunks)
    assert len(text) > 5_000_000
    entries = parse_text(text)  # speed is measured in bench/, never asserted here
    assert len(entries) == 50_000
    assert entries[-1].body == (
        "Met Sam at the drop-in and talked through the week, the rota and the forms.\n"
        "[optional] bring leaflets"
    )


PREFILTER_FORMATS = (
    *DEFAULT_TIME_FORMATS,
    "%d.%m.%Y %H:%M",
    "%Y%m%d%H%M",
    "%d/%m/%y %I:%M %p",
    "%j %f %%",
    "%A %d %B %Y",
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789\u0663 \t:-./%APMapmy", max_size=30))
def test_the_strptime_shortcut_never_changes_a_result(blob):
    _, formats = jrnl_format._formats(PREFILTER_FORMATS)
    unfiltered = tuple((fmt, None) for fmt, _ in formats)
    line = f"[{blob}] Entry"
    assert jrnl_format._entry_start(line, formats) == jrnl_format._entry_start(line, unfiltered)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=wall(1900, 1, 1), max_value=wall(9999, 12, 31)))
def test_every_date_jrnl_writes_reads_back(moment):
    moment = moment.replace(microsecond=0)
    for fmt, expected in (
        (DEFAULT_TIME_FORMATS[0], moment.replace(second=0)),
        (DEFAULT_TIME_FORMATS[1], moment),
    ):
        stamp = moment.strftime(fmt)
        unpadded = stamp.replace(" 0", " ", 1)  # a hand-written "9:05" for "09:05"
        entries = parse_text(f"[{stamp}] Entry\n[{unpadded}] Again\n")
        assert [entry.date for entry in entries] == [expected, expected]


def test_a_long_bracketed_line_stays_in_the_body():
    line = "[" + "1" * 20_000 + "] not a date"
    entry = one(f"[2024-03-01 10:00] First\n{line}\n", time_formats=("%Y%m%d%H%M", "%F %H:%M"))
    assert entry.body == line
