"""The only place that reads the wall clock, so services can be given a fixed one in tests."""

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Return the current time with the local zone attached (records never hold naive times)."""
    return datetime.now().astimezone()
