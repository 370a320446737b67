"""Competency frameworks, practice guidelines and checklists, as organisations write them in YAML.

Strict on purpose (``extra="forbid"``): a typo such as ``itmes:`` in a hand-written file must be
an error, not a framework that silently has no items.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from peerjournal.models.common import Code, FrameworkId, Text

FRAMEWORK_SCHEMA = 1
Kind = Literal["competencies", "guidelines", "checklist"]
Audience = Literal["peer-worker", "supervisor"]
Wording = Literal["paraphrased", "synthesis", "original"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    """One point of a rating scale."""

    value: StrictInt
    label: Text
    description: str = ""


class Scale(_Strict):
    """An ordered rating scale; 'not applicable' is always offered and never scored."""

    id: FrameworkId
    title: Text
    description: str = ""
    not_applicable: Text = "Not applicable"
    levels: tuple[Level, ...] = Field(min_length=2)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    def label(self, value: int) -> str:
        """The label of a value, for summaries and reports."""
        return next((lvl.label for lvl in self.levels if lvl.value == value), str(value))


class ScaleLibrary(_Strict):
    """A scales.yaml file: scales defined once and referenced by id from frameworks."""

    schema_: Literal[1] = Field(alias="schema")
    scales: tuple[Scale, ...]


class Source(_Strict):
    """Where the content comes from, and how faithfully it is worded."""

    publisher: Text
    short: str = ""  # a short name for tables, e.g. "SAMHSA"
    title: str = ""
    year: StrictInt | None = None
    url: str = ""
    wording: Wording
    note: str = ""


class Item(_Strict):
    """One competency, guideline or checklist point."""

    id: Code
    title: str = ""
    text: Text
    indicators: tuple[Text, ...] = ()
    prompts: tuple[Text, ...] = ()
    # crosswalk: other frameworks' domains or items this item answers to ("framework/code")
    maps_to: tuple[Text, ...] = ()


class Domain(_Strict):
    """A group of items (a SAMHSA category, an IC&RC domain, a checklist section)."""

    id: Code
    title: Text
    description: str = ""
    maps_to: tuple[Text, ...] = ()  # as on items, for the whole domain
    items: tuple[Item, ...] = Field(min_length=1)


class Framework(_Strict):
    """A whole framework file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal[1] = Field(alias="schema")
    id: FrameworkId
    title: Text
    version: Text
    kind: Kind
    audience: Audience = "peer-worker"
    description: str = ""
    source: Source
    scale: FrameworkId
    scales: tuple[Scale, ...] = ()
    domains: tuple[Domain, ...] = Field(min_length=1)

    def items(self) -> list[tuple[Domain, Item]]:
        """Every item with its domain, in framework order."""
        return [(domain, item) for domain in self.domains for item in domain.items]

    def item_count(self) -> int:
        return sum(len(domain.items) for domain in self.domains)

    def find_item(self, item_id: str) -> tuple[Domain, Item] | None:
        """The item with this id (case-insensitive, as people type ids), or None."""
        wanted = item_id.casefold()
        return next(
            ((d, i) for d, i in self.items() if i.id.casefold() == wanted),
            None,
        )

    def find_domain(self, domain_id: str) -> Domain | None:
        wanted = domain_id.casefold()
        return next((d for d in self.domains if d.id.casefold() == wanted), None)
