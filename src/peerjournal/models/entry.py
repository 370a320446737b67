"""A diary entry: front matter fields plus a body in the diary template's sections.

The template follows the reflective-practice questions used for significant interactions in the
peer-work diary study (Wyder et al., 2020); the exact section names are peerjournal's own.
Unknown front-matter keys and unknown sections survive every rewrite (``extra="allow"`` and
ordered sections), so a newer peerjournal or a hand edit never loses data.
"""

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

ENTRY_SCHEMA = 1

# (key, heading, the question asked in guided mode)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("what_happened", "What happened", "What happened? (the situation, in a few sentences)"),
    ("what_i_did", "What I did", "What did you do or say?"),
    ("why_it_mattered", "Why it mattered", "Why did this interaction feel significant?"),
    ("what_i_drew_on", "What I drew on", "What did you draw on: lived experience, skills, values?"),
    (
        "what_came_of_it",
        "What came of it",
        "What came of it, for the person, for you, for the team?",
    ),
    ("what_i_take_from_it", "What I take from it", "What do you take from it for next time?"),
)
HEADINGS = {key: heading for key, heading, _ in SECTIONS}

# The five themes of the diary study, offered as tags.
THEMES: tuple[tuple[str, str], ...] = (
    ("everyday-activities", "connecting through everyday activities"),
    ("persistence", "persistence and dealing with frustration"),
    ("self-disclosure", "sharing lived experience"),
    ("different-perspective", "a different perspective from clinical staff"),
    ("flexible-role", "flexible, responsive, adaptable work"),
)

Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[^\s,#@]{1,60}$")
]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^\n\r]*$")]


class EntryMeta(BaseModel):
    """The front matter of an entry; unknown keys are kept and written back."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)

    schema_: int = Field(default=ENTRY_SCHEMA, alias="schema")
    id: str
    date: AwareDatetime
    title: OneLine = ""
    setting: OneLine = ""
    tags: list[Tag] = Field(default_factory=list)
    competencies: list[str] = Field(default_factory=list)
    self_disclosure: bool | None = None
    for_supervision: bool = False
    created: AwareDatetime | None = None
    updated: AwareDatetime | None = None


class Section(BaseModel):
    """A body section: a ``## heading`` and its Markdown text."""

    model_config = ConfigDict(frozen=True)

    heading: str
    text: str


class DiaryEntry(BaseModel):
    """One entry: front matter, free text before the first heading, then ordered sections."""

    meta: EntryMeta
    preamble: str = ""
    sections: tuple[Section, ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def date(self) -> datetime:
        return self.meta.date

    def section(self, key: str) -> str:
        """The text of a template section, or '' when it is not there."""
        heading = HEADINGS[key]
        return next((s.text for s in self.sections if s.heading == heading), "")

    def body_text(self) -> str:
        """All the words of the body, for search and the privacy check."""
        return "\n\n".join([self.preamble, *(f"{s.heading}\n{s.text}" for s in self.sections)])
