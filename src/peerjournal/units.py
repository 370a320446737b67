"""Amounts as people read them: hours and minutes, whole counts, plural nouns."""


def duration(minutes: int) -> str:
    """Supervision time as '12h 30m', '45m' or '2h'; never '12.50 hours'."""
    hours, rest = divmod(max(minutes, 0), 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest:02d}m" if rest else f"{hours}h"


def hours_of(minutes: int, target_hours: float | None) -> str:
    """Time recorded, and the target it counts toward when there is one: '12h 30m of 25h'."""
    if target_hours is None:
        return duration(minutes)
    return f"{duration(minutes)} of {duration(round(target_hours * 60))}"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'1 entry', '2 entries': a whole number with its noun."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
