"""Dates as people type them on the command line: '2026-11-24', 'yesterday 3pm', 'last friday'.

A person writing up a shift thinks in words and local wall-clock time, not in ISO 8601. The parser
is pure (the caller passes `now`, read from the clock) so every relative word is testable, and it
uses the standard library only. Results are aware datetimes in the zone the caller hands in (the
composition root's; the machine's own when it is None) with the offset that zone has on that date
(summer time included), unless the person typed an offset.

Wall times that a summer-time change skips (02:30 on the spring-forward night) move forward by the
length of the gap; wall times that happen twice take the first of the two.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from peerjournal.clock import Zone, localise
from peerjournal.errors import InputError

DEFAULT_TIME = time(9, 0)
"""The time given to a day typed without one (jrnl's default hour)."""

# Years outside these are typos; the limits also keep every day's bounds representable.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999

HINT = "try 2026-11-24, 'yesterday 3pm', 'last friday' or '2 days ago'"

_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}

# Words that name a moment on their own: (days back from today, wall time).
_MOMENT_WORDS = {
    "this morning": (0, time(9, 0)),
    "this afternoon": (0, time(15, 0)),
    "this evening": (0, time(19, 0)),
    "tonight": (0, time(19, 0)),
    "last night": (1, time(21, 0)),
}

_PERIOD_WORDS = frozenset({"this week", "last week", "this month", "last month"})

# Input is lower-cased and its whitespace collapsed to single spaces before matching, so the
# patterns spell a space as "\ " (verbose mode) and never need IGNORECASE.
_DAY = r"""
    (?P<word>today|yesterday|tomorrow)
  | (?P<last>last\ )?(?P<weekday>{weekdays})
  | (?P<year>\d{{4}})(?P<sep>[-/])(?P<month>\d{{1,2}})(?P=sep)(?P<dom>\d{{1,2}})
  | (?P<days>\d+|an?)\ ?(?P<day_unit>days?|d|weeks?|wks?|w)\ ago
""".format(weekdays="|".join(sorted(_WEEKDAYS, key=len, reverse=True)))

_TIME = r"""
    (?P<noon>noon|midday)
  | (?P<midnight>midnight)
  | (?P<h12>\d{1,2})(?::(?P<m12>\d{2}))?\ ?(?P<ampm>[ap])\.?m\.?
  | (?P<h24>\d{1,2}):(?P<m24>\d{2})(?::(?P<s24>\d{2}))?
"""

_OFFSET = r"\ ?(?P<offset>z|[+-]\d{2}(?::?\d{2})?)"

_FLAGS = re.VERBOSE | re.ASCII
_DAY_THEN_TIME = re.compile(rf"(?:{_DAY})(?:(?:\ at)?\ (?:{_TIME})(?:{_OFFSET})?)?", _FLAGS)
_TIME_THEN_DAY = re.compile(rf"(?:at\ )?(?:{_TIME})(?:\ (?:on\ )?(?:{_DAY}))?", _FLAGS)
_SHORT_AGO = re.compile(r"(?P<count>\d+|an?)\ ?(?P<unit>minutes?|mins?|hours?|hrs?|h)\ ago", _FLAGS)
_ISO_T = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", re.ASCII)


def parse_moment(text: str, now: datetime, zone: Zone = None) -> datetime:
    """A point in time typed by a person, as an aware datetime in ``zone`` (None: the local one)."""
    key = _normalise(text)
    if key in _PERIOD_WORDS:
        raise _not_understood(text)
    result = _parse(text, key, now, zone)
    return result if result.tzinfo is not None else localise(result, zone)


def parse_day(text: str, now: datetime, zone: Zone = None) -> date:
    """A calendar day typed by a person (for --since/--until/--on)."""
    key = _normalise(text)
    if key in _PERIOD_WORDS:
        return _period_start(key, now.astimezone(zone).date())
    return _parse(text, key, now, zone).date()


def record_day(moment: datetime) -> date:
    """The day a dated record belongs to: its date in its own offset, the day its writer saw.

    One rule for every "which day" question (ids, folders, day filters, report buckets,
    sessions), so 00:30 in Auckland stays on its own day on a laptop set to UTC. Only "today"
    comes from the clock, in the zone the clock gives.
    """
    return moment.date()


def in_period(day: date, since: date | None, until: date | None) -> bool:
    """Whether a day lies in an inclusive range; None on either side leaves it open."""
    return (since is None or day >= since) and (until is None or day <= until)


def _normalise(text: str) -> str:
    """Lower case, single spaces, and ISO's 'T' between date and time turned into a space."""
    return _ISO_T.sub(r"\1 ", " ".join(text.lower().split()))


def _parse(text: str, key: str, now: datetime, zone: Zone) -> datetime:
    """An aware datetime when the instant is known, else a naive local wall-clock datetime."""
    local_now = now.astimezone(zone)
    wall_now = local_now.replace(tzinfo=None)
    try:
        result = _parse_key(key, local_now, wall_now, zone)
    except (ValueError, OverflowError) as error:  # no such day, hour or offset; out of range
        raise _not_understood(text) from error
    if result is None or not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise _not_understood(text)
    return result


def _parse_key(key: str, local_now: datetime, wall_now: datetime, zone: Zone) -> datetime | None:
    """Try each form in turn; None when nothing matches."""
    today = wall_now.date()
    if key == "now":
        return local_now
    if key in _MOMENT_WORDS:
        days_back, named = _MOMENT_WORDS[key]
        return datetime.combine(today - timedelta(days=days_back), named)
    if match := _SHORT_AGO.fullmatch(key):
        count = _count(match["count"])
        unit = "minutes" if match["unit"].startswith("m") else "hours"
        # hours are real hours: count back from UTC, then read the wall clock in the zone
        return (local_now.astimezone(UTC) - timedelta(**{unit: count})).astimezone(zone)
    match = _DAY_THEN_TIME.fullmatch(key) or _TIME_THEN_DAY.fullmatch(key)
    if match is None:
        return None
    groups = match.groupdict()
    at = _time_of_day(groups)
    if groups.get("offset"):
        if groups["year"] is None or groups["h24"] is None:
            return None  # an offset only makes sense after an ISO date and a 24-hour time
        return datetime.combine(_day(groups, today), at or DEFAULT_TIME, _offset(groups["offset"]))
    if groups["days"] is not None:  # 'N days ago' keeps now's clock time unless one is typed
        wall = wall_now - _day_span(groups["days"], groups["day_unit"])
        return datetime.combine(wall.date(), at) if at else wall
    if groups["year"] is None and groups["word"] is None and groups["weekday"] is None:
        return datetime.combine(today, at) if at else None  # a time alone
    if groups["word"] == "today" and at is None:
        return local_now
    return datetime.combine(_day(groups, today), at or DEFAULT_TIME)


def _day(groups: dict[str, str | None], today: date) -> date:
    """The day named by a matched day part (ISO date, word or weekday)."""
    if groups["year"] is not None:
        return date(int(groups["year"]), _int(groups["month"]), _int(groups["dom"]))
    if groups["word"] is not None:
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[groups["word"]]
        return today + timedelta(days=shift)
    days_back = (today.weekday() - _WEEKDAYS[groups["weekday"] or ""]) % 7
    if groups["last"] and days_back == 0:
        days_back = 7  # 'last friday' on a Friday is a week ago; a bare 'friday' is today
    return today - timedelta(days=days_back)


def _time_of_day(groups: dict[str, str | None]) -> time | None:
    """The time named by a matched time part, or None if there was none."""
    if groups["noon"]:
        return time(12, 0)
    if groups["midnight"]:
        return time(0, 0)
    if groups["h24"] is not None:
        return time(int(groups["h24"]), _int(groups["m24"]), int(groups["s24"] or 0))
    if groups["h12"] is not None:
        hour = int(groups["h12"])
        if not 1 <= hour <= 12:
            raise ValueError("hour on a 12-hour clock")
        hour = hour % 12 + (12 if groups["ampm"] == "p" else 0)
        return time(hour, int(groups["m12"] or 0))
    return None


def _day_span(count: str | None, unit: str | None) -> timedelta:
    """N days or weeks as a timedelta."""
    days = _count(count) * (7 if (unit or "").startswith("w") else 1)
    return timedelta(days=days)


def _count(text: str | None) -> int:
    """A typed count: digits, or 'a'/'an' for one."""
    return 1 if text in ("a", "an") else _int(text)


def _int(text: str | None) -> int:
    """A group the pattern guarantees to be present and made of ASCII digits."""
    return int(text or "")


def _offset(text: str) -> timezone:
    """'z', '+13', '+1300' or '+13:00' as a fixed offset."""
    if text == "z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if minutes >= 60:
        raise ValueError("minutes in an offset")
    span = timedelta(hours=hours, minutes=minutes)  # timezone() refuses 24 hours or more
    return timezone(-span if text[0] == "-" else span)


def _period_start(key: str, today: date) -> date:
    """The first day of this or last week (Monday) or month."""
    if key.endswith("week"):
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7) if key.startswith("last") else monday
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1) if key.startswith("last") else first


def _not_understood(text: str) -> InputError:
    """The error for a date the parser cannot read; it quotes the date (never diary text)."""
    shown = text.strip()
    if not shown:
        return InputError(f"a date is needed; {HINT}")
    if len(shown) > 60 or not shown.isprintable():
        return InputError(f"that is not a date peerjournal understands; {HINT}")
    return InputError(f"'{shown}' is not a date peerjournal understands; {HINT}")
