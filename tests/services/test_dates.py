"""Typed dates: every accepted form, weekday edges, summer time, and the errors."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerjournal.errors import InputError
from peerjournal.services import dates

AUCKLAND = "Pacific/Auckland"
NEW_YORK = "America/New_York"
NZ = ZoneInfo(AUCKLAND)
# Wednesday, in New Zealand summer time (+13:00)
NOW = datetime(2026, 11, 25, 14, 30, tzinfo=NZ)


def nz(day: int, hour: int = 9, minute: int = 0, second: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=NZ)


NY = ZoneInfo(NEW_YORK)


# The zone is handed in, as the composition root does; the machine's own zone is never read.
def parse_moment(text: str, now: datetime, zone: ZoneInfo = NZ) -> datetime:
    return dates.parse_moment(text, now, zone)


def parse_day(text: str, now: datetime, zone: ZoneInfo = NZ) -> date:
    return dates.parse_day(text, now, zone)


def assert_same(result: datetime, expected: datetime) -> None:
    """The same instant and the same offset (== alone ignores the offset)."""
    assert result == expected
    assert result.utcoffset() == expected.utcoffset(), result


MOMENTS = [
    # ISO
    ("2026-11-24", nz(24)),
    ("2026/11/24", nz(24)),
    ("2026-11-24 14:30", nz(24, 14, 30)),
    ("2026-11-24T14:30", nz(24, 14, 30)),
    ("2026-11-24t14:30", nz(24, 14, 30)),
    ("2026-11-24 14:30:05", nz(24, 14, 30, 5)),
    ("2026/11/24 14:30", nz(24, 14, 30)),
    ("2026-11-20 9am", nz(20, 9)),
    ("2026-11-20 at 9:45 pm", nz(20, 21, 45)),
    ("2026-7-1", nz(1, month=7)),
    # words
    ("now", NOW),
    ("today", NOW),
    ("yesterday", nz(24)),
    ("tomorrow", nz(26)),
    ("this morning", nz(25, 9)),
    ("this afternoon", nz(25, 15)),
    ("this evening", nz(25, 19)),
    ("tonight", nz(25, 19)),
    ("last night", nz(24, 21)),
    # weekdays (today is Wednesday the 25th)
    ("wednesday", nz(25)),
    ("wed", nz(25)),
    ("tuesday", nz(24)),
    ("tue", nz(24)),
    ("monday", nz(23)),
    ("sunday", nz(22)),
    ("sat", nz(21)),
    ("friday", nz(20)),
    ("thursday", nz(19)),
    ("thu", nz(19)),
    ("last wednesday", nz(18)),
    ("last tuesday", nz(24)),
    ("last thursday", nz(19)),
    ("last fri", nz(20)),
    # relative
    ("2 days ago", nz(23, 14, 30)),
    ("1 day ago", nz(24, 14, 30)),
    ("a day ago", nz(24, 14, 30)),
    ("3d ago", nz(22, 14, 30)),
    ("3 d ago", nz(22, 14, 30)),
    ("0 days ago", NOW),
    ("a week ago", nz(18, 14, 30)),
    ("2 weeks ago", nz(11, 14, 30)),
    ("1w ago", nz(18, 14, 30)),
    ("5 minutes ago", nz(25, 14, 25)),
    ("1 minute ago", nz(25, 14, 29)),
    ("a minute ago", nz(25, 14, 29)),
    ("10 min ago", nz(25, 14, 20)),
    ("90 mins ago", nz(25, 13)),
    ("3 hours ago", nz(25, 11, 30)),
    ("an hour ago", nz(25, 13, 30)),
    ("2 hr ago", nz(25, 12, 30)),
    ("2 hrs ago", nz(25, 12, 30)),
    ("2h ago", nz(25, 12, 30)),
    ("15 hours ago", nz(24, 23, 30)),
    # a time alone
    ("15:30", nz(25, 15, 30)),
    ("9:05", nz(25, 9, 5)),
    ("00:00", nz(25, 0)),
    ("23:59:59", nz(25, 23, 59, 59)),
    ("3pm", nz(25, 15)),
    ("3:15pm", nz(25, 15, 15)),
    ("3 pm", nz(25, 15)),
    ("3 p.m.", nz(25, 15)),
    ("9am", nz(25, 9)),
    ("12am", nz(25, 0)),
    ("12pm", nz(25, 12)),
    ("12:30am", nz(25, 0, 30)),
    ("noon", nz(25, 12)),
    ("midnight", nz(25, 0)),
    ("at 3pm", nz(25, 15)),
    # a day and a time, either order
    ("yesterday 3pm", nz(24, 15)),
    ("yesterday at 3pm", nz(24, 15)),
    ("3pm yesterday", nz(24, 15)),
    ("today 10:00", nz(25, 10)),
    ("10:00 today", nz(25, 10)),
    ("last friday 10:30", nz(20, 10, 30)),
    ("10:30 last friday", nz(20, 10, 30)),
    ("3pm on friday", nz(20, 15)),
    ("monday noon", nz(23, 12)),
    ("2 days ago at 8am", nz(23, 8)),
    # case and spaces
    ("  Yesterday   AT 3PM ", nz(24, 15)),
    ("LAST FRIDAY", nz(20)),
    ("\tnow\n", NOW),
]


@pytest.mark.parametrize(("text", "expected"), MOMENTS)
def test_parse_moment(text, expected):
    assert_same(parse_moment(text, NOW), expected)


@pytest.mark.parametrize(("text", "expected"), MOMENTS)
def test_parse_day_takes_the_calendar_day_of_every_moment(text, expected):
    assert parse_day(text, NOW) == expected.date()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this week", date(2026, 11, 23)),
        ("last week", date(2026, 11, 16)),
        ("this month", date(2026, 11, 1)),
        ("last month", date(2026, 10, 1)),
        ("This Month", date(2026, 11, 1)),
    ],
)
def test_parse_day_periods(text, expected):
    assert parse_day(text, NOW) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), {"this week": 23, "last week": 16}),  # a Monday
        (date(2026, 11, 29), {"this week": 23, "last week": 16}),  # a Sunday
        (date(2026, 1, 14), {"last month": date(2025, 12, 1), "last week": date(2026, 1, 5)}),
        (date(2026, 3, 31), {"this month": 1, "last month": date(2026, 2, 1)}),
    ],
)
def test_periods_near_edges(today, expected):
    now = datetime(today.year, today.month, today.day, 12, tzinfo=NZ)
    for text, day in expected.items():
        want = day if isinstance(day, date) else today.replace(day=day)
        assert parse_day(text, now) == want, text


@pytest.mark.parametrize("text", ["this week", "last week", "this month", "last month"])
def test_periods_are_not_moments(text):
    with pytest.raises(InputError):
        parse_moment(text, NOW)


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 11, 27), "friday", date(2026, 11, 27)),  # a bare weekday today is today
        (date(2026, 11, 27), "fri", date(2026, 11, 27)),
        (date(2026, 11, 27), "last friday", date(2026, 11, 20)),  # ...but 'last' is a week ago
        (date(2026, 11, 27), "thursday", date(2026, 11, 26)),
        (date(2026, 11, 27), "saturday", date(2026, 11, 21)),
        (date(2026, 11, 23), "sunday", date(2026, 11, 22)),  # across the week boundary
        (date(2026, 11, 23), "monday", date(2026, 11, 23)),
        (date(2026, 11, 23), "last monday", date(2026, 11, 16)),
        (date(2026, 11, 22), "last sunday", date(2026, 11, 15)),
        (date(2026, 11, 22), "saturday", date(2026, 11, 21)),
        (date(2026, 12, 1), "last monday", date(2026, 11, 30)),  # across a month
        (date(2027, 1, 1), "thursday", date(2026, 12, 31)),  # across a year
    ],
)
def test_weekday_edges(today, text, expected):
    now = datetime(today.year, today.month, today.day, 8, tzinfo=NZ)
    assert parse_day(text, now) == expected
    at_nine = datetime(expected.year, expected.month, expected.day, 9, tzinfo=NZ)
    assert_same(parse_moment(text, now), at_nine)


WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.mark.parametrize("offset", range(7))
def test_every_weekday_from_every_day_of_the_week(offset):
    today = date(2026, 11, 23) + timedelta(days=offset)
    now = datetime(today.year, today.month, today.day, 12, tzinfo=NZ)
    for number, name in enumerate(WEEKDAY_NAMES):
        bare, last = parse_day(name, now), parse_day(f"last {name}", now)
        assert bare.weekday() == last.weekday() == number
        assert 0 <= (today - bare).days <= 6, name
        assert 1 <= (today - last).days <= 7, name
        assert parse_day(name[:3], now) == bare


# explicit offsets are kept as typed


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2026-11-24T14:30+13:00", timedelta(hours=13)),
        ("2026-11-24 14:30+13:00", timedelta(hours=13)),
        ("2026-11-24 14:30 +13:00", timedelta(hours=13)),
        ("2026-11-24T14:30Z", timedelta(0)),
        ("2026-11-24T14:30z", timedelta(0)),
        ("2026-11-24 14:30:05-05:30", -timedelta(hours=5, minutes=30)),
        ("2026-11-24 14:30+0530", timedelta(hours=5, minutes=30)),
        ("2026-11-24 14:30-08", -timedelta(hours=8)),
    ],
)
def test_typed_offset_is_kept(text, offset):
    result = parse_moment(text, NOW)
    assert result.utcoffset() == offset
    assert result.replace(tzinfo=None).isoformat(timespec="minutes") == "2026-11-24T14:30"
    assert parse_day(text, NOW) == date(2026, 11, 24)


# the local zone and summer time


def test_offset_follows_summer_time_on_the_date_typed():
    assert parse_moment("2026-07-01 10:00", NOW).utcoffset() == timedelta(hours=12)
    ny_now = datetime(2026, 11, 25, 14, 30, tzinfo=NY)
    july = parse_moment("2026-07-01 10:00", ny_now, NY)
    assert july.isoformat() == "2026-07-01T10:00:00-04:00"
    assert parse_moment("yesterday", ny_now, NY).utcoffset() == timedelta(hours=-5)
    assert_same(parse_moment("now", ny_now, NY), ny_now)


def test_today_is_the_local_day_whatever_zone_now_is_in():
    utc_now = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # 14:30 in Auckland
    assert parse_day("today", utc_now) == date(2026, 11, 25)
    assert_same(parse_moment("yesterday", utc_now), nz(24))
    # 20:30 the evening before in New York
    assert parse_day("today", utc_now, NY) == date(2026, 11, 24)
    assert parse_day("yesterday", utc_now, NY) == date(2026, 11, 23)
    assert parse_moment("now", utc_now, NY).utcoffset() == timedelta(hours=-5)


def test_days_ago_keeps_the_clock_time_across_a_summer_time_change():
    monday = nz(28, 10, month=9)  # New Zealand summer time began on Sunday 27 September 2026
    assert monday.utcoffset() == timedelta(hours=13)
    assert_same(parse_moment("2 days ago", monday), nz(26, 10, month=9))
    assert parse_moment("2 days ago", monday).utcoffset() == timedelta(hours=12)
    assert_same(parse_moment("48 hours ago", monday), nz(26, 9, month=9))


def test_a_skipped_wall_time_moves_forward_and_a_repeated_one_takes_the_first():
    spring = parse_moment("2026-09-27 2:30", NOW)  # clocks jumped 02:00 -> 03:00
    assert spring.isoformat() == "2026-09-27T03:30:00+13:00"
    autumn = parse_moment("2026-04-05 2:30", NOW)  # clocks went back 03:00 -> 02:00
    assert autumn.isoformat() == "2026-04-05T02:30:00+13:00"
    ny_now = datetime(2026, 11, 25, 14, 30, tzinfo=NY)
    assert parse_moment("2026-11-01 1:30", ny_now, NY).utcoffset() == timedelta(hours=-4)
    moved = parse_moment("2026-03-08 2:30am", ny_now, NY)
    assert moved.isoformat() == "2026-03-08T03:30:00-04:00"


# errors

NOT_UNDERSTOOD = r"peerjournal understands|a date is needed"
HINT = "try 2026-11-24, 'yesterday 3pm', 'last friday' or '2 days ago'"


def test_error_message_quotes_the_date_and_shows_examples():
    with pytest.raises(InputError) as caught:
        parse_moment("yesterdy", NOW)
    assert str(caught.value) == f"'yesterdy' is not a date peerjournal understands; {HINT}"
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"a date is needed; {HINT}"),
        ("   ", f"a date is needed; {HINT}"),
        ("  Next Blursday ", f"'Next Blursday' is not a date peerjournal understands; {HINT}"),
        ("x" * 200, f"that is not a date peerjournal understands; {HINT}"),
        ("\x1b[2J", f"that is not a date peerjournal understands; {HINT}"),
    ],
)
def test_other_error_messages(text, message):
    with pytest.raises(InputError) as caught:
        parse_day(text, NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "yesterdy",
        "31/02/2026",
        "24/11/2026",
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2026-11/24",
        "26-11-24",
        "1899-12-31",
        "3000-01-01",
        "next blursday",
        "last",
        "last today",
        "25:00",
        "24:00",
        "12:60",
        "12:30:60",
        "13pm",
        "0am",
        "15:30pm",
        "3",
        "3 ago",
        "ago",
        "days ago",
        "3 days",
        "3 m ago",
        "-2 days ago",
        "100000 weeks ago",
        "99999999999999999999999 days ago",
        "now 3pm",
        "tonight 3pm",
        "yesterday 3pm yesterday",
        "3pm 4pm",
        "yesterday3pm",
        "3pm+13:00",
        "yesterday 14:30z",
        "2026-11-24 3pm+13:00",
        "2026-11-24+13:00",
        "2026-11-24 14:30+24:00",
        "2026-11-24 14:30+05:60",
        "2026-11-24 14:30 pacific/auckland",
        "２０２６-11-24",  # noqa: RUF001
        "٣pm",
        "",
        "\x00",
    ],
)
def test_not_understood(text):
    with pytest.raises(InputError, match=NOT_UNDERSTOOD):
        parse_moment(text, NOW)
    with pytest.raises(InputError, match=NOT_UNDERSTOOD):
        parse_day(text, NOW)


# anything typed gives a date or an InputError, never another exception

FRAGMENTS = [
    *["now", "today", "yesterday", "tomorrow", "last", "this", "next", "night", "at", "on"],
    *["friday", "mon", "week", "month", "ago", "a", "an", "days", "d", "w", "hrs", "min"],
    *["3pm", "12am", "0am", "3:15", "pm", "noon", "midnight", "25:00", "23:59:59", "+13:00"],
    *["Z", "2026-11-24", "2026-02-29", "9999-12-31", "0001-01-01", "2026/11/24", "T", ":"],
    *["0", "1", "99999999", "-", "/", " ", "\t", "\u00a0", "İ", "٣"],
]


def check_date_or_input_error(text: str) -> None:
    try:
        moment = parse_moment(text, NOW)
        day = parse_day(text, NOW)
    except InputError:
        return
    assert moment.tzinfo is not None
    assert moment.utcoffset() is not None
    assert isinstance(day, date)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_moment_or_an_input_error(text):
    check_date_or_input_error(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=5).map(" ".join))
def test_near_miss_phrases_give_a_moment_or_an_input_error(text):
    check_date_or_input_error(text)


MACHINE_ZONE_PROBE = """
from datetime import datetime, timezone
from peerjournal.services.dates import parse_moment
now = datetime(2026, 11, 25, 19, 30, tzinfo=timezone.utc)
for text in ("2026-07-01 10:00", "2026-03-08 2:30am", "2026-11-01 1:30", "48 hours ago"):
    print(parse_moment(text, now).isoformat())
"""


def test_without_a_zone_the_machines_own_zone_and_its_summer_time_apply():
    # In a child process with its own TZ, so this process's zone is never changed.
    env = {**os.environ, "TZ": NEW_YORK}
    result = subprocess.run(
        [sys.executable, "-c", MACHINE_ZONE_PROBE], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "2026-07-01T10:00:00-04:00",
        "2026-03-08T03:30:00-04:00",
        "2026-11-01T01:30:00-04:00",
        "2026-11-23T14:30:00-05:00",
    ]


def test_midnight_that_summer_time_skips_moves_to_the_first_hour_of_the_day():
    sao_paulo = ZoneInfo("America/Sao_Paulo")  # in 2018 summer time began at midnight
    now = datetime(2018, 11, 10, 12, 0, tzinfo=sao_paulo)
    moved = parse_moment("2018-11-04 00:00", now, sao_paulo)
    assert moved.isoformat() == "2018-11-04T01:00:00-02:00"


# forms people say, read by the library behind the fast path (today is Wednesday 25 November)


def parse(text: str, *, future: bool = False, order: str = "mdy", now: datetime = NOW):
    direction = "future" if future else "past"
    return dates.parse_day(text, now, NZ, direction=direction, order=order)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("next friday", True, date(2026, 11, 27)),
        ("next friday", False, date(2026, 11, 27)),  # said outright, so either way
        ("in 2 weeks", True, date(2026, 12, 9)),
        ("2 weeks from now", True, date(2026, 12, 9)),
        ("next month", True, date(2026, 12, 25)),
        ("dec 15", True, date(2026, 12, 15)),
        ("dec 15", False, date(2025, 12, 15)),  # the last December 15th
        ("15 December 2026", False, date(2026, 12, 15)),
        ("December 15, 2026", True, date(2026, 12, 15)),
        ("3 months ago", False, date(2026, 8, 25)),
        ("2026-11", False, date(2026, 11, 1)),
        ("2026-11", True, date(2026, 11, 1)),
    ],
)
def test_phrases_people_say(text, future, expected):
    assert parse(text, future=future) == expected


def test_a_day_phrase_without_a_time_is_at_nine_and_a_typed_time_is_kept():
    assert_same(dates.parse_moment("next friday", NOW, NZ, direction="future"), nz(27))
    at_three = dates.parse_moment("next friday at 3pm", NOW, NZ, direction="future")
    assert_same(at_three, nz(27, 15))
    assert_same(dates.parse_moment("in 2 weeks", NOW, NZ), nz(9, 14, 30, month=12))


def test_a_year_month_is_a_day_filter_not_a_moment():
    with pytest.raises(InputError, match="peerjournal understands"):
        parse_moment("2026-11", NOW)
    with pytest.raises(InputError, match="peerjournal understands"):
        parse_day("2026-13", NOW)


@pytest.mark.parametrize("offset", range(7))
def test_a_bare_weekday_looks_ahead_in_a_future_facing_field(offset):
    today = date(2026, 11, 23) + timedelta(days=offset)
    now = datetime(today.year, today.month, today.day, 12, tzinfo=NZ)
    for number, name in enumerate(WEEKDAY_NAMES):
        ahead = parse(name, future=True, now=now)
        assert ahead.weekday() == number
        assert 0 <= (ahead - today).days <= 6, name  # today counts, as it does looking back
        assert parse(f"last {name}", future=True, now=now) == parse(f"last {name}", now=now)


def test_direction_decides_only_what_is_ambiguous():
    # 'friday' on Wednesday 25 November: the 20th looking back, the 27th looking ahead
    assert parse("friday") == date(2026, 11, 20)
    assert parse("friday", future=True) == date(2026, 11, 27)
    assert parse("yesterday", future=True) == date(2026, 11, 24)
    assert parse("2026-11-20", future=True) == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("12/15/2026", "mdy", date(2026, 12, 15)),
        ("15/12/2026", "dmy", date(2026, 12, 15)),
        ("12/01/2026", "mdy", date(2026, 12, 1)),
        ("12/01/2026", "dmy", date(2026, 1, 12)),
        ("1.2.2027", "dmy", date(2027, 2, 1)),
        ("12/15/2026 3pm", "mdy", date(2026, 12, 15)),
    ],
)
def test_numeric_dates_follow_the_order(text, order, expected):
    assert parse(text, order=order) == expected


def test_a_numeric_date_with_a_time_keeps_it():
    moment = dates.parse_moment("12/15/2026 at 3pm", NOW, NZ, order="mdy")
    assert_same(moment, nz(15, 15, month=12))


@pytest.mark.parametrize(
    ("text", "order", "words"),
    [
        ("15/12/2026", "mdy", "month/day/year (dates.order: mdy"),
        ("12/15/2026", "dmy", "day/month/year (dates.order: dmy"),
        ("31/02/2026", "dmy", "day/month/year (dates.order: dmy"),
    ],
)
def test_an_impossible_numeric_date_names_the_order_in_use(text, order, words):
    with pytest.raises(InputError) as caught:
        parse(text, order=order)
    message = str(caught.value)
    assert message.startswith(f"'{text}' is not a date peerjournal understands: numeric dates")
    assert words in message
    assert "\n" not in message


def test_the_hint_fits_the_field():
    with pytest.raises(InputError) as caught:
        parse("next blursday", future=True)
    assert str(caught.value) == (
        f"'next blursday' is not a date peerjournal understands; {dates.FUTURE_HINT}"
    )
    assert "next friday" in dates.FUTURE_HINT
    assert "in 2 weeks" in dates.FUTURE_HINT
    with pytest.raises(InputError) as caught:
        parse("next blursday")
    assert str(caught.value).endswith(HINT)


@pytest.mark.parametrize(
    "text",
    [
        *["dec 45", "dec 32", "45 dec", "in -2 days", "in 2 blursdays", "next", "13/13/2026", "in"],
        *["february 30", "next next friday", "next friday 3pm est", "in 2 weeks +0500"],
    ],
)
def test_library_phrases_that_are_not_dates_are_refused(text):
    for future in (False, True):
        with pytest.raises(InputError, match=NOT_UNDERSTOOD):
            parse(text, future=future)


def test_the_fast_forms_do_not_import_the_library():
    probe = (
        "import sys\n"
        "from datetime import datetime, timezone\n"
        "from peerjournal.services.dates import parse_day\n"
        "now = datetime(2026, 11, 25, 1, 30, tzinfo=timezone.utc)\n"
        "for text in ('2026-11-24', 'yesterday 3pm', 'last friday', '2 days ago', 'this month',"
        " '12/15/2026', '2026-11', 'friday'):\n"
        "    parse_day(text, now, timezone.utc)\n"
        "print('dateparser' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
