"""Supervision sessions: who met, what kind of supervision, how it was held, what was agreed.

After Te Pou's guidance a session has a *type* (what the supervision is for: line management,
professional, cultural, reflective practice) and a *form* (how it is held: individual, group,
peer, co-reflection), so cultural supervision in a group is one record. A group session names
several workers. A cancelled or missed session is kept with its reason and counts no hours.
Action items live in the session that created them and carry into every later agenda until
they are done or dropped.
"""

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

# 2: worker and supervisor are person ids (1 held names); 3: workers (a list), type and form
# apart, attendance, occasion and framework domains
SUPERVISION_SCHEMA = 3
SupervisionType = Literal["line-management", "professional", "cultural", "reflective-practice"]
SUPERVISION_TYPES: tuple[SupervisionType, ...] = (
    "line-management",
    "professional",
    "cultural",
    "reflective-practice",
)
# what schema 2 called types are forms now: (type, form) they become
LEGACY_TYPES: dict[str, tuple[str, str]] = {
    "group": ("professional", "group"),
    "peer": ("professional", "peer"),
}
# Te Pou keeps what supervision is for (its type) apart from how it is held (its form)
SupervisionForm = Literal["individual", "group", "peer", "co-reflection"]
SUPERVISION_FORMS: tuple[SupervisionForm, ...] = ("individual", "group", "peer", "co-reflection")
Mode = Literal["in-person", "phone", "video"]
MODES: tuple[Mode, ...] = ("in-person", "phone", "video")
Attendance = Literal["attended", "cancelled", "missed"]
ATTENDANCE: tuple[Attendance, ...] = ("attended", "cancelled", "missed")
# a debrief after a critical incident is unscheduled supervision of its own kind
Occasion = Literal["scheduled", "unscheduled", "critical-incident"]
OCCASIONS: tuple[Occasion, ...] = ("scheduled", "unscheduled", "critical-incident")
ActionStatus = Literal["open", "done", "dropped"]


class ActionItem(BaseModel):
    """Something agreed in a session, with who does it and by when."""

    model_config = ConfigDict(extra="allow")

    id: str
    text: str
    owner: str
    due: dt.date | None = None
    status: ActionStatus = "open"
    closed: dt.date | None = None
    why: str = ""  # the reason an action was dropped


class SessionMeta(BaseModel):
    """A session's front matter; the notes are the Markdown body."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)

    schema_: int = Field(default=SUPERVISION_SCHEMA, alias="schema")
    id: str
    date: AwareDatetime
    supervisor: str = ""
    workers: list[str] = Field(min_length=1)
    type: SupervisionType = "professional"
    form: SupervisionForm = "individual"
    occasion: Occasion = "scheduled"
    attendance: Attendance = "attended"
    why: str = ""  # why a session was cancelled or missed
    minutes: int = Field(ge=0, le=24 * 60)
    domains: list[str] = Field(default_factory=list)  # "framework/domain-or-item" it covered
    agenda: list[str] = Field(default_factory=list)
    entries: list[str] = Field(default_factory=list)  # diary entries discussed
    actions: list[ActionItem] = Field(default_factory=list)
    next_session: dt.date | None = None
    created: AwareDatetime | None = None
    updated: AwareDatetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_schema_2(cls, data: object) -> object:
        """A file written before schema 3 reads as it meant: one worker, old types as forms."""
        if not isinstance(data, dict):
            return data
        if "worker" in data and "workers" not in data:
            data = {**data, "workers": [data["worker"]]}
            del data["worker"]
        kind = data.get("type")
        if isinstance(kind, str) and kind in LEGACY_TYPES and "form" not in data:
            data = {**data, "type": LEGACY_TYPES[kind][0], "form": LEGACY_TYPES[kind][1]}
        return data

    @property
    def held(self) -> bool:
        """Whether the session took place (a cancelled or missed one counts no hours)."""
        return self.attendance == "attended"

    @property
    def counted_minutes(self) -> int:
        return self.minutes if self.held else 0

    def has_worker(self, name: str) -> bool:
        wanted = name.casefold()
        return any(worker.casefold() == wanted for worker in self.workers)
