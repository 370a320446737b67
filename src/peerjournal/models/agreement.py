"""The supervision agreement (contract) between a worker and a supervisor, one per type.

After Te Pou's guidance an agreement says what the supervision is for (its type) apart from how
it is held (its form, mode and place), and covers purpose and scope, roles and responsibilities,
frequency and length, confidentiality and its limits, how notes are kept, contact between
sessions, cancellations and cover, how disagreements are resolved, its start and review, and
each party's acknowledgement. A worker may hold several agreements at once, one of each type.
"""

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from peerjournal.models.supervision import LEGACY_TYPES, Mode, SupervisionForm, SupervisionType

# 2: worker and supervisor are person ids (1 held names); 3: one per worker and type, the old
# types group and peer are forms, and purpose, roles, form, mode, place, contact between
# sessions, cancellations, cover, disagreements, line manager, lived experience of peer work,
# start date and acknowledgements
AGREEMENT_SCHEMA = 3
LivedExperience = Literal["yes", "no", "unknown"]
LIVED_EXPERIENCE: tuple[LivedExperience, ...] = ("yes", "no", "unknown")


def upgraded_fields(data: dict[str, object]) -> dict[str, object]:
    """Front matter as schema 3 means it: an old type 'group' or 'peer' is a form of professional.

    Pure, and a no-op on schema 3 fields, so reading and migrating can both apply it.
    """
    kind = data.get("type")
    if not (isinstance(kind, str) and kind in LEGACY_TYPES):
        return dict(data)
    new_type, form = LEGACY_TYPES[kind]
    return {**data, "type": new_type, "form": data.get("form") or form}


class Acknowledgement(BaseModel):
    """One party's word that they agree to the agreement as it reads now."""

    model_config = ConfigDict(extra="allow")

    by: str  # the person: their id on disk, their display name in memory
    at: AwareDatetime


class Agreement(BaseModel):
    """The supervision agreement (contract) between one worker and one supervisor."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)

    schema_: int = Field(default=AGREEMENT_SCHEMA, alias="schema")
    id: str
    worker: str
    supervisor: str
    line_manager: str = ""  # the third party of a three-way agreement
    type: SupervisionType = "professional"
    form: SupervisionForm = "individual"
    purpose: str = ""  # purpose and scope
    goals: list[str] = Field(default_factory=list)
    roles: str = ""  # roles and responsibilities of each party
    frequency: str = "every two weeks"
    minutes: int = Field(default=60, ge=1, le=24 * 60)
    mode: Mode | None = None
    place: str = ""
    worker_brings: str = ""
    confidentiality: str = ""
    confidentiality_limits: str = ""
    notes_kept: str = ""  # how notes are kept and who sees them
    between_sessions: str = ""  # contact between sessions, and in an emergency
    cancellations: str = ""
    cover: str = ""  # who supervises when the supervisor is away
    disagreements: str = ""  # how disagreements are resolved
    supervisor_lived_experience: LivedExperience = "unknown"  # of peer work
    line_manager_lived_experience: LivedExperience = "unknown"  # of peer work
    start_date: dt.date | None = None
    review_date: dt.date
    acknowledged: list[Acknowledgement] = Field(default_factory=list)
    created: AwareDatetime | None = None
    updated: AwareDatetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_older(cls, data: object) -> object:
        """A file written before schema 3 reads as it meant (see ``upgraded_fields``)."""
        return upgraded_fields(data) if isinstance(data, dict) else data

    def parties(self) -> list[tuple[str, str]]:
        """(role, name) of each person who agrees: worker, supervisor, and any line manager."""
        found = [("worker", self.worker), ("supervisor", self.supervisor)]
        if self.line_manager:
            found.append(("line manager", self.line_manager))
        return [(role, name) for role, name in found if name]


# what an agreement says, as against who wrote it down when: a change to any of these is a
# change of the words, and the parties' acknowledgements no longer hold
NOT_TERMS = frozenset({"schema_", "id", "acknowledged", "created", "updated"})
