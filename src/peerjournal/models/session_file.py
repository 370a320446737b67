"""The scripted form of a supervision session (`supervision new --from FILE.yaml`).

Strict, like frameworks: a typo in a hand-written file is an error with its line, not a field
that is silently ignored.
"""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from peerjournal.models.supervision import LEGACY_TYPES, Occasion, SupervisionForm, SupervisionType


class ActionLine(BaseModel):
    """A new action item agreed in the session."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due: dt.date | str | None = None  # a YAML date, or date words read as a due date


class SessionFile(BaseModel):
    """Everything `supervision new` would otherwise ask."""

    model_config = ConfigDict(extra="forbid")

    date: str | None = None  # date words, as on the command line
    worker: str | None = None
    workers: list[str] = Field(default_factory=list)  # a group session's workers
    supervisor: str | None = None
    type: SupervisionType | None = None
    form: SupervisionForm | None = None
    occasion: Occasion = "scheduled"
    domains: list[str] = Field(default_factory=list)  # "framework/domain-or-item" covered
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    topics: dict[str, str] = Field(default_factory=dict)
    wellbeing: str = ""
    decisions: str = ""
    notes: str = ""
    actions: list[ActionLine] = Field(default_factory=list)
    next_session: str | None = None
    entries: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _old_types(cls, data: object) -> object:
        """A script written before types and forms were apart: 'type: group' is a form now."""
        if isinstance(data, dict) and data.get("type") in LEGACY_TYPES and "form" not in data:
            kind, form = LEGACY_TYPES[str(data["type"])]
            data = {**data, "type": kind, "form": form}
        return data
