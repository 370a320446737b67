"""Supervision records: the agreement between a worker and a supervisor, and session notes.

Session types follow Te Pou's supervision guidance (line management, professional, cultural,
group, peer). Action items live in the session that created them and carry into every later
agenda until they are done or dropped.
"""

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SUPERVISION_SCHEMA = 2  # 2: worker and supervisor are person ids (1 held names)
SupervisionType = Literal["line-management", "professional", "cultural", "group", "peer"]
SUPERVISION_TYPES: tuple[SupervisionType, ...] = (
    "line-management",
    "professional",
    "cultural",
    "group",
    "peer",
)
# Te Pou keeps what supervision is for (its type) apart from how it is held (its form)
SupervisionForm = Literal["individual", "group", "peer", "co-reflection"]
SUPERVISION_FORMS: tuple[SupervisionForm, ...] = ("individual", "group", "peer", "co-reflection")
Mode = Literal["in-person", "phone", "video"]
MODES: tuple[Mode, ...] = ("in-person", "phone", "video")
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
    worker: str
    type: SupervisionType = "professional"
    minutes: int = Field(ge=0, le=24 * 60)
    agenda: list[str] = Field(default_factory=list)
    entries: list[str] = Field(default_factory=list)  # diary entries discussed
    actions: list[ActionItem] = Field(default_factory=list)
    next_session: dt.date | None = None
    created: AwareDatetime | None = None
    updated: AwareDatetime | None = None
