"""The supervision agreement (contract) between a worker and a supervisor, one per type."""

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from peerjournal.models.supervision import SUPERVISION_SCHEMA, SupervisionType


class Agreement(BaseModel):
    """The supervision agreement (contract) between one worker and one supervisor."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)

    schema_: int = Field(default=SUPERVISION_SCHEMA, alias="schema")
    id: str
    worker: str
    supervisor: str
    type: SupervisionType = "professional"
    frequency: str = "every two weeks"
    minutes: int = Field(default=60, ge=1, le=24 * 60)
    goals: list[str] = Field(default_factory=list)
    worker_brings: str = ""
    confidentiality: str = ""
    confidentiality_limits: str = ""
    notes_kept: str = ""  # how notes are kept and who sees them
    review_date: dt.date
    created: AwareDatetime | None = None
    updated: AwareDatetime | None = None
