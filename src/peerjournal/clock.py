"""The only place that reads the wall clock, so services can be given a fixed one in tests.

A zone of ``None`` means the machine's own zone, with its daylight-saving rules (what
``datetime.astimezone()`` applies); tests hand in a ``ZoneInfo`` instead, so no test depends on
the zone of the machine it runs on.
"""

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

Clock = Callable[[], datetime]
Zone = tzinfo | None


def local_now() -> datetime:
    """Return the current time with the local zone attached (records never hold naive times)."""
    return datetime.now().astimezone()


def clock_in(zone: Zone) -> Clock:
    """The real clock, read in ``zone`` (the machine's zone when None)."""
    if zone is None:
        return local_now
    return lambda: datetime.now(zone)


def in_zone(moment: datetime, zone: Zone) -> datetime:
    """An aware moment as wall-clock time in ``zone``."""
    return moment.astimezone(zone)


def localise(wall: datetime, zone: Zone) -> datetime:
    """Attach ``zone``'s offset for that date to a naive wall time; a skipped time moves forward."""
    if zone is None:
        aware = wall.astimezone()
        if aware.replace(tzinfo=None) != wall:  # in a spring-forward gap; fold=1 lands after it
            aware = wall.replace(fold=1).astimezone()
        return aware
    aware = wall.replace(tzinfo=zone)  # fold=0: a repeated wall time takes the first of the two
    moved = aware.astimezone(UTC).astimezone(zone)
    return moved if moved.replace(tzinfo=None) != wall else aware  # a skipped time moves forward
