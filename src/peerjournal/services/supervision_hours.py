"""Supervision time in a period, grouped, with progress toward a target."""

from dataclasses import dataclass
from typing import Literal

Grouping = Literal["month", "type", "form", "worker"]
GROUPINGS: tuple[Grouping, ...] = ("month", "type", "form", "worker")


@dataclass(frozen=True)
class HoursRow:
    """Supervision time in one group (a month, a type or a worker)."""

    key: str
    minutes: int
    sessions: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    def percent_of(self, target_hours: float) -> float:
        return round(100 * self.hours / target_hours, 1)


@dataclass(frozen=True)
class HoursReport:
    """Totals for a period, grouped, with progress toward a target if one was given.

    A target is what each worker needs (25 hours for the IC&RC peer credential): grouped by
    worker it is checked row by row, never against everyone's hours added together.
    """

    rows: tuple[HoursRow, ...]
    minutes: int
    sessions: int
    target_hours: float | None
    by: Grouping = "month"
    not_held: int = 0  # sessions cancelled or missed in the period: recorded, no hours

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def per_worker(self) -> bool:
        """Whether the target is checked per row (one row per worker)."""
        return self.by == "worker"

    @property
    def percent_of_target(self) -> float | None:
        """Progress of the total; None when there is no target or it is checked per worker."""
        if not self.target_hours or self.per_worker:
            return None
        return round(100 * self.hours / self.target_hours, 1)

    def reached(self) -> list[HoursRow]:
        """The workers (rows) whose hours reach the target."""
        if not self.target_hours:
            return []
        return [row for row in self.rows if row.hours >= self.target_hours]
