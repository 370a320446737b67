"""An assessment against one framework: a draft that is saved after every answer, then complete.

Each assessment records the framework's id, version and content digest, and the text of each
answered item, so it stays readable and comparable after the framework file changes.
"""

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

ASSESSMENT_SCHEMA = 2  # 2: subject and assessor are person ids (1 held names)
# Who rates, seen from the person assessed: themselves, their supervisor, or (supervisee) a
# worker they supervise, rating them or the supervision. Adding a role needed no migration.
Role = Literal["self", "supervisor", "supervisee"]
Status = Literal["draft", "complete"]
ROLES: tuple[Role, ...] = ("self", "supervisor", "supervisee")


class FrameworkStamp(BaseModel):
    """Which framework, in which version, this assessment was made against."""

    model_config = ConfigDict(extra="allow")

    id: str
    version: str
    digest: str
    scale: str
    title: str = ""


class Response(BaseModel):
    """The answer to one item: a rating, not applicable, no opportunity yet, or skipped.

    "No opportunity yet" means the work is part of the role but has not come up: never scored,
    like not applicable, but shown as a learning opportunity rather than a deficit. It is new;
    a file written before it reads as ``no_opportunity: false``.
    """

    model_config = ConfigDict(extra="allow")

    rating: int | None = None
    not_applicable: bool = False
    no_opportunity: bool = False
    skipped: bool = False
    note: str = ""
    evidence: list[str] = Field(default_factory=list)  # diary entry ids
    domain: str = ""  # the item's domain id when answered, for comparisons across versions
    text: str = ""  # the item's text when answered

    @property
    def scored(self) -> bool:
        """Whether this answer counts toward means (a rating, not N/A or no opportunity)."""
        return self.rating is not None and not (self.not_applicable or self.no_opportunity)


class Goal(BaseModel):
    """A development goal set at the end of an assessment, linked to an item."""

    model_config = ConfigDict(extra="allow")

    item: str  # item id in this assessment's framework
    text: str


class Revision(BaseModel):
    """The goals and notes as they were before an edit of a finished assessment, and when."""

    model_config = ConfigDict(extra="allow")

    changed: AwareDatetime  # when they were replaced
    goals: list[Goal] = Field(default_factory=list)
    notes: str = ""


class Assessment(BaseModel):
    """One assessment record (JSON); unknown keys are kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_: int = Field(default=ASSESSMENT_SCHEMA, alias="schema")
    id: str
    framework: FrameworkStamp
    role: Role
    subject: str  # the person assessed
    assessor: str  # the person rating
    status: Status = "draft"
    started: AwareDatetime
    finished: AwareDatetime | None = None
    domain_filter: str | None = None  # set when only one domain was assessed
    responses: dict[str, Response] = Field(default_factory=dict)  # keyed by item id, in order
    position: int = 0  # index of the next item to ask, so a resumed draft picks up there
    goals: list[Goal] = Field(default_factory=list)
    notes: str = ""
    # `assess edit` changes goals and notes later, never the ratings; what they were before
    # each edit is kept here, oldest first, so the record shows its own history.
    updated: AwareDatetime | None = None
    revisions: list[Revision] = Field(default_factory=list)
