"""A diary entry: front matter fields plus a body in the diary template's sections.

The template is inspired by the peer-work diary study of Wyder et al. (2020), which asked peer
workers to record interactions they judged significant to their role. The paper does not publish
its template's questions, so the six sections and their prompts are peerjournal's own design.
Unknown front-matter keys and unknown sections survive every rewrite (``extra="allow"`` and
ordered sections), so a newer peerjournal or a hand edit never loses data.

``EntryMeta`` is the one rule for what an entry's front matter is and what its fields mean:
`diary show`, the index behind `diary list` and `diary tags`, reports and supervision prep all
read through it (the index's fast reader only takes files it can prove the model reads the same
way). Reading is lenient where the meaning is clear and strict where a guess could be wrong:

- ``id``: printable text on one line without a slash or a backslash; outer spaces dropped.
- ``date``, ``created``, ``updated``: ISO 8601 text with a time and a UTC offset, read with
  ``datetime.fromisoformat``; a date without a zone is refused, never guessed.
- ``title``, ``setting``: text; empty (null) means ''; line breaks inside become spaces.
- ``tags``: a list of text (null means none); each tag is written as on save: lower case, spaces
  inside become hyphens, blanks and repeats dropped; ',', '#', '@' or over 60 characters refuse.
- ``competencies``: a list of text (null means none), each on one line; blanks, repeats dropped.
- ``for_supervision``, ``self_disclosure``: true/false, yes/no, on/off or 1/0 in any case;
  empty means false (not marked) and unknown respectively; anything else is refused.
- ``discussed_in``: the supervision sessions that covered the entry, a list of text or empty.
- ``planned``: whether the interaction was planned (most in the study were not); a flag as
  above, empty meaning not said. Written only when said.
- ``who``: who was involved, by role label only (``ROLES``, or a few lower-case words), a list
  of one-line text like ``competencies``; labels are checked where they are typed
  (``role_label``), and read back as written. Written only when there is one.
- ``composite``: the entry merges or alters cases to protect identity, as the study did; a flag,
  empty meaning no. Written only when true.

Numbers and booleans where text is expected are refused with a hint to quote them: YAML reads
``1.10`` as 1.1, so turning the number back into text could silently change what was written.
"""

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from peerjournal.models.entry_rules import (
    DISCUSSED_KEY,
    MAX_TAG,
    ROLES,
    TAG_RULE,
    normal_tag,
    normal_tags,
    one_line,
    unique,
    yes_no,
)

__all__ = [
    "DISCUSSED_KEY",
    "ENTRY_SCHEMA",
    "HEADINGS",
    "MAX_TAG",
    "ROLES",
    "SECTIONS",
    "TAG_RULE",
    "THEMES",
    "DiaryEntry",
    "EntryMeta",
    "Section",
    "normal_tag",
    "normal_tags",
    "one_line",
    "unique",
    "yes_no",
]

ENTRY_SCHEMA = 1

# (key, heading, the question asked in guided mode)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("what_happened", "What happened", "What happened? (the situation, in a few sentences)"),
    ("what_i_did", "What I did", "What did you do or say?"),
    (
        "why_it_mattered",
        "Why it mattered",
        "Why was it significant for your role as a peer worker?",
    ),
    ("what_i_drew_on", "What I drew on", "What did you draw on: lived experience, skills, values?"),
    (
        "what_came_of_it",
        "What came of it",
        "What came of it, for the person, for you, for the team?",
    ),
    ("what_i_take_from_it", "What I take from it", "What do you take from it for next time?"),
)
HEADINGS = {key: heading for key, heading, _ in SECTIONS}

# The five themes the diary study (Wyder et al., 2020) reported, offered as tags. Persistence
# and dealing with frustration is an outcome it reported for residents, not a quality of the
# peer worker; the others describe the peer work itself.
THEMES: tuple[tuple[str, str], ...] = (
    ("everyday-activities", "connecting through everyday activities"),
    ("persistence", "residents' persistence and dealing with frustration"),
    ("self-disclosure", "sharing lived experience"),
    ("different-perspective", "a different perspective from clinical staff"),
    ("flexible-role", "flexible, responsive, adaptable work"),
)

_OPTIONAL = ("self_disclosure", "created", "updated")  # written only when set
_NEWER: dict[str, object] = {"planned": None, "who": [], "composite": False}  # when not said
_DATE_HINT = "must be a date and time with a UTC offset, like 2026-11-24T14:30:00+13:00"


def _entry_id(text: str) -> str:
    entry_id = text.strip()
    if not entry_id:
        raise ValueError("must not be empty")
    if not entry_id.isprintable() or "/" in entry_id or "\\" in entry_id or entry_id in {".", ".."}:
        raise ValueError("must be printable text on one line, without '/' or '\\'")
    return entry_id


def _moment(value: object) -> object:
    """ISO text with a zone; datetimes built in code pass on to pydantic's own zone check."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(_DATE_HINT)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(_DATE_HINT) from None
    if moment.tzinfo is None:
        raise ValueError("has no time zone; add the UTC offset, like +13:00 or Z")
    return moment


def _optional_moment(value: object) -> object:
    return None if value is None else _moment(value)


def _flag(value: object) -> bool:
    return False if value is None else yes_no(value)


def _maybe_flag(value: object) -> bool | None:
    return None if value is None else yes_no(value)


def _blank_if_null(value: object) -> object:
    return "" if value is None else value


def _empty_if_null(value: object) -> object:
    return [] if value is None else value


EntryId = Annotated[str, Strict(), AfterValidator(_entry_id)]
Moment = Annotated[AwareDatetime, BeforeValidator(_moment)]
OptionalMoment = Annotated[AwareDatetime | None, BeforeValidator(_optional_moment)]
OneLine = Annotated[str, BeforeValidator(_blank_if_null), Strict(), AfterValidator(one_line)]
Tag = Annotated[str, Strict(), AfterValidator(normal_tag)]
Ref = Annotated[str, Strict(), AfterValidator(one_line)]
Tags = Annotated[list[Tag], BeforeValidator(_empty_if_null), AfterValidator(unique)]
Refs = Annotated[list[Ref], BeforeValidator(_empty_if_null), AfterValidator(unique)]


class EntryMeta(BaseModel):
    """The front matter of an entry; unknown keys are kept and written back."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)

    schema_: Annotated[int, Strict()] = Field(default=ENTRY_SCHEMA, alias="schema")
    id: EntryId
    date: Moment
    title: OneLine = ""
    setting: OneLine = ""
    tags: Tags = Field(default_factory=list)
    competencies: Refs = Field(default_factory=list)
    self_disclosure: Annotated[bool | None, BeforeValidator(_maybe_flag)] = None
    for_supervision: Annotated[bool, BeforeValidator(_flag)] = False
    planned: Annotated[bool | None, BeforeValidator(_maybe_flag)] = None
    who: Refs = Field(default_factory=list)
    composite: Annotated[bool, BeforeValidator(_flag)] = False
    created: OptionalMoment = None
    updated: OptionalMoment = None

    @model_validator(mode="after")
    def _discussed_in_is_a_list(self) -> "EntryMeta":
        """``discussed_in`` stays an extra field (supervision appends to it), checked here."""
        sessions = (self.model_extra or {}).get(DISCUSSED_KEY)
        if sessions is None:
            return self
        if not isinstance(sessions, list):
            raise _error((DISCUSSED_KEY,), "list_type", "must be a list", sessions)
        for number, session in enumerate(sessions):
            if not isinstance(session, str):
                raise _error((DISCUSSED_KEY, number), "string_type", "must be text", session)
        return self

    def stored(self, *, as_file: bool = True) -> dict[str, Any]:
        """The fields as JSON values: for a file (``as_file``) optional ones only when set.

        ``planned``, ``who`` and ``composite`` are left out unless set in either form, so an
        entry written before they existed is written, listed and exported as it was.
        """
        unset = {name for name, empty in _NEWER.items() if getattr(self, name) == empty}
        if as_file:
            unset |= {name for name in _OPTIONAL if getattr(self, name) is None}
        return self.model_dump(by_alias=True, mode="json", exclude=unset)

    @property
    def discussed(self) -> bool:
        """Whether a supervision session has covered the entry (it lists one)."""
        return bool((self.model_extra or {}).get(DISCUSSED_KEY))


def _error(loc: tuple[str | int, ...], kind: str, message: str, value: Any) -> ValidationError:  # noqa: ANN401 - any YAML value
    """A validation error at a field of an extra key, as pydantic makes them for declared ones."""
    detail = InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)
    return ValidationError.from_exception_data(EntryMeta.__name__, [detail])


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
