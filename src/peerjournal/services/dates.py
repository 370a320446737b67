"""Dates as people type them on the command line: '2026-11-24', 'yesterday 3pm', 'last friday'.

A person writing up a shift thinks in words and local wall-clock time, not in ISO 8601. The parser
is pure (the caller passes `now`, read from the clock) so every relative word is testable, and it
uses the standard library only. Results are aware datetimes in the zone the caller hands in (the
composition root's; the machine's own when it is None) with the offset that zone has on that date
(summer time included), unless the person typed an offset.

Wall times that a summer-time change skips (02:30 on the spring-forward night) move forward by the
length of the gap; wall times that happen twice take the first of the two.

The forms above, ISO dates (and ISO year-month) and numeric dates in the home's day/month order
are read here, fast and without dependencies. Phrases the hand parser does not know ('next
friday', 'in 2 weeks', 'dec 15', '15 December 2026') go to dateparser, imported only then, and
only when they carry one of its cue words, so a typo is refused rather than guessed at.

A bare weekday is ambiguous: ``direction`` says which way the field faces. Past-facing fields
(entry and session dates, filters) take the last one; future-facing fields (due dates, next
session, review date) take the next one. Today counts in both directions.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Literal

from peerjournal.clock import Zone, localise
from peerjournal.errors import InputError

DEFAULT_TIME = time(9, 0)
"""The time given to a day typed without one (jrnl's default hour)."""

# Years outside these are typos; the limits also keep every day's bounds representable.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999

Direction = Literal["past", "future"]
"""Which way a field faces: an entry date looks back, a due date looks ahead."""

DateOrder = Literal["mdy", "dmy"]
"""How a numeric date such as 12/01/2026 is read (the ``dates.order`` setting)."""

HINT = "try 2026-11-24, 'yesterday 3pm', 'last friday' or '2 days ago'"
FUTURE_HINT = "try 2026-12-15, 'tomorrow', 'next friday', 'in 2 weeks' or 'dec 15'"
_HINTS: dict[str, str] = {"past": HINT, "future": FUTURE_HINT}
_ORDER_WORDS: dict[str, str] = {"mdy": "month/day/year", "dmy": "day/month/year"}

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


class _lazy:  # noqa: N801 - stands in for re.compile
    """A pattern compiled when first used: compiling all of them cost ~2 ms at every start."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._pattern().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern().search(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._pattern().sub(replacement, text)


_DAY_THEN_TIME = _lazy(rf"(?:{_DAY})(?:(?:\ at)?\ (?:{_TIME})(?:{_OFFSET})?)?", _FLAGS)
_TIME_THEN_DAY = _lazy(rf"(?:at\ )?(?:{_TIME})(?:\ (?:on\ )?(?:{_DAY}))?", _FLAGS)
_SHORT_AGO = _lazy(r"(?P<count>\d+|an?)\ ?(?P<unit>minutes?|mins?|hours?|hrs?|h)\ ago", _FLAGS)
_ISO_T = _lazy(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", re.ASCII)
_YEAR_MONTH = _lazy(r"(?P<year>\d{4})-(?P<month>\d{1,2})", re.ASCII)
_NUMERIC = _lazy(
    r"(?P<first>\d{1,2})(?P<sep>[/.])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"(?:(?:\ at)?\ (?P<rest>.+))?",
    _FLAGS,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Only phrases with one of these cues reach the library: it guesses at almost anything ('3' is
# 24 March to it), and a typo should be refused, not read as some other day.
_LIBRARY_CUE = _lazy(
    rf"\b(?:next|this|coming|in|from\ now|later|months?|years?|{_MONTHS})\b", _FLAGS
)
# 'dec 32' is not a day, and the library would read it as December 2032: two-digit years and
# signed counts ('in -2 days') are refused before it sees them.
_NOT_FOR_LIBRARY = _lazy(
    rf"\b(?:{_MONTHS})\ (?:3[2-9]|[4-9]\d)\b(?!,?\ \d)|-\d|\b(?:3[2-9]|[4-9]\d)\ (?:{_MONTHS})\b",
    _FLAGS,
)
_RELATIVE_SPAN = _lazy(r"\b(?:in|from\ now|later|ago)\b", _FLAGS)
_TIME_CUE = _lazy(rf"\b(?:{_TIME})(?:\b|$)", _FLAGS)


def parse_moment(
    text: str,
    now: datetime,
    zone: Zone = None,
    *,
    direction: Direction = "past",
    order: DateOrder = "mdy",
) -> datetime:
    """A point in time typed by a person, as an aware datetime in ``zone`` (None: the local one)."""
    key = _normalise(text)
    if key in _PERIOD_WORDS or _YEAR_MONTH.fullmatch(key):
        raise _not_understood(text, direction)
    result = _parse(text, key, now, zone, direction, order)
    return result if result.tzinfo is not None else localise(result, zone)


def parse_day(
    text: str,
    now: datetime,
    zone: Zone = None,
    *,
    direction: Direction = "past",
    order: DateOrder = "mdy",
) -> date:
    """A calendar day typed by a person (for --since/--until/--on, due and review dates).

    A month ('this month', '2026-11') stands for its first day, as a period starts there.
    """
    key = " ".join(text.lower().split())
    if len(key) == 10 and key[4] == key[7] == "-" and key.replace("-", "").isdigit():
        try:  # an ISO day, the common case, reads without any pattern
            day = date.fromisoformat(key)
        except ValueError:
            pass
        else:
            if EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                return day
    key = _normalise(text)
    if key in _PERIOD_WORDS:
        return _period_start(key, now.astimezone(zone).date())
    if match := _YEAR_MONTH.fullmatch(key):
        try:
            first = date(int(match["year"]), int(match["month"]), 1)
        except ValueError as error:
            raise _not_understood(text, direction) from error
        if not EARLIEST_YEAR <= first.year <= LATEST_YEAR:
            raise _not_understood(text, direction)
        return first
    return _parse(text, key, now, zone, direction, order).date()


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


def _parse(
    text: str, key: str, now: datetime, zone: Zone, direction: Direction, order: DateOrder
) -> datetime:
    """An aware datetime when the instant is known, else a naive local wall-clock datetime."""
    local_now = now.astimezone(zone)
    wall_now = local_now.replace(tzinfo=None)
    try:
        if match := _NUMERIC.fullmatch(key):
            result = _numeric(text, match, local_now, wall_now, zone, direction, order)
        else:
            result = _parse_key(key, local_now, wall_now, zone, direction)
            if result is None and _LIBRARY_CUE.search(key) and not _NOT_FOR_LIBRARY.search(key):
                result = _parse_phrase(key, wall_now, direction, order)
    except (ValueError, OverflowError) as error:  # no such day, hour or offset; out of range
        raise _not_understood(text, direction) from error
    if result is None or not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise _not_understood(text, direction)
    return result


def _numeric(
    text: str,
    match: re.Match[str],
    local_now: datetime,
    wall_now: datetime,
    zone: Zone,
    direction: Direction,
    order: DateOrder,
) -> datetime | None:
    """12/15/2026 or 15.12.2026 read in the home's order; an impossible one names that order."""
    first, second = int(match["first"]), int(match["second"])
    month, dom = (first, second) if order == "mdy" else (second, first)
    try:
        day = date(int(match["year"]), month, dom)
    except ValueError:
        raise _wrong_order(text, order, direction) from None
    if match["rest"] is None:
        return datetime.combine(day, DEFAULT_TIME)
    # the time part is read like the one after an ISO date, so '12/15/2026 3pm' works too
    return _parse_key(f"{day.isoformat()} {match['rest']}", local_now, wall_now, zone, direction)


def _parse_phrase(
    key: str, wall_now: datetime, direction: Direction, order: DateOrder
) -> datetime | None:
    """A phrase the hand parser does not know, read by dateparser against the same wall clock.

    Imported here, not at the top: it costs about 150 ms the first time, and only phrases such
    as 'next friday' or 'dec 15' need it.
    """
    import dateparser
    from dateparser.timezone_parser import pop_tz_offset_from_string

    if pop_tz_offset_from_string(key)[1] is not None:
        return None  # a zone named in words ('3pm est') is not a form peerjournal offers
    settings = {
        "RELATIVE_BASE": wall_now,
        "PREFER_DATES_FROM": direction,
        "DATE_ORDER": order.upper(),
        "TIMEZONE": "UTC",  # wall-clock arithmetic on our naive base; never the machine zone
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["relative-time", "absolute-time"],
    }
    try:
        found = dateparser.parse(key, languages=["en"], settings=settings)
    except Exception as error:  # whatever the library trips on is a date it cannot read
        raise ValueError(key) from error
    if found is None:
        return None
    if not _RELATIVE_SPAN.search(key) and not _TIME_CUE.search(key):
        return datetime.combine(found.date(), DEFAULT_TIME)  # a day without a time, as elsewhere
    return found


def _parse_key(
    key: str, local_now: datetime, wall_now: datetime, zone: Zone, direction: Direction = "past"
) -> datetime | None:
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
        day = _day(groups, today, direction)
        return datetime.combine(day, at or DEFAULT_TIME, _offset(groups["offset"]))
    if groups["days"] is not None:  # 'N days ago' keeps now's clock time unless one is typed
        wall = wall_now - _day_span(groups["days"], groups["day_unit"])
        return datetime.combine(wall.date(), at) if at else wall
    if groups["year"] is None and groups["word"] is None and groups["weekday"] is None:
        return datetime.combine(today, at) if at else None  # a time alone
    if groups["word"] == "today" and at is None:
        return local_now
    return datetime.combine(_day(groups, today, direction), at or DEFAULT_TIME)


def _day(groups: dict[str, str | None], today: date, direction: Direction) -> date:
    """The day named by a matched day part (ISO date, word or weekday)."""
    if groups["year"] is not None:
        return date(int(groups["year"]), _int(groups["month"]), _int(groups["dom"]))
    if groups["word"] is not None:
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[groups["word"]]
        return today + timedelta(days=shift)
    weekday = _WEEKDAYS[groups["weekday"] or ""]
    if direction == "future" and not groups["last"]:
        return today + timedelta(days=(weekday - today.weekday()) % 7)  # 'friday' due: the next
    days_back = (today.weekday() - weekday) % 7
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


def _not_understood(text: str, direction: Direction = "past") -> InputError:
    """The error for a date the parser cannot read; it quotes the date (never diary text)."""
    hint = _HINTS[direction]
    shown = text.strip()
    if not shown:
        return InputError(f"a date is needed; {hint}")
    if len(shown) > 60 or not shown.isprintable():
        return InputError(f"that is not a date peerjournal understands; {hint}")
    return InputError(f"'{shown}' is not a date peerjournal understands; {hint}")


def _wrong_order(text: str, order: DateOrder, direction: Direction) -> InputError:
    """A numeric date impossible in the home's order: say which order, and how to change it."""
    return InputError(
        f"'{text.strip()}' is not a date peerjournal understands: numeric dates are read "
        f"{_ORDER_WORDS[order]} (dates.order: {order} in settings.yaml); {_HINTS[direction]}"
    )
