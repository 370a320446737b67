"""The one query layer over the diary: filters answered by the index, never by walking folders.

Kept light on purpose (no pydantic models, no YAML until a changed file must be read, the
frameworks only when a filter names one), because `diary list`, `diary tags` and the home
screen should answer before a person notices.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from peerjournal.errors import InputError, NotFoundError, RecordError
from peerjournal.models.entry_rules import normal_tag
from peerjournal.store.index import Index, IndexedEntry, Progress, Query, RefreshStats
from peerjournal.store.layout import DataHome
from peerjournal.store.records import ambiguous, check_id

if TYPE_CHECKING:
    from peerjournal.services.frameworks import Catalog


__all__ = ["DiaryQuery", "Filters", "IndexedEntry"]


@dataclass(frozen=True)
class Filters:
    """Which entries `diary list`, `export` and reports want; every filter must match."""

    since: date | None = None  # inclusive, compared with each entry's own day (record_day)
    until: date | None = None  # inclusive
    tags: tuple[str, ...] = ()
    any_tags: tuple[str, ...] = ()
    competency: str | None = None
    text: str | None = None
    for_supervision: bool | None = None
    waiting: bool = False  # marked for supervision and not yet discussed
    limit: int | None = None


class DiaryQuery:
    """Answers diary questions from the index, refreshing it once per command."""

    def __init__(
        self,
        home: DataHome,
        catalog: "Catalog | Callable[[], Catalog]",
        *,
        index: Index,
        progress: Progress | None = None,
    ) -> None:
        self.home = home
        self._catalog = catalog
        self.index = index
        self.progress = progress
        self.broken: list[RecordError] = []
        self._fresh = False

    @property
    def catalog(self) -> "Catalog":
        """The frameworks, loaded only when a question needs them (they cost a YAML parse)."""
        if callable(self._catalog):
            self._catalog = self._catalog()
        return self._catalog

    def refresh(self) -> None:
        """Bring the index up to date once; unreadable files become warnings."""
        if not self._fresh:
            self.index.refresh(self.progress)
            self._note_broken()

    def rebuild(self) -> RefreshStats:
        """Throw the index away and read every entry file again."""
        self.index.delete()
        stats = self.index.refresh(self.progress)
        self._note_broken()
        return stats

    def summaries(self, filters: Filters | None = None) -> list[IndexedEntry]:
        """Matching entries, oldest first; the limit keeps the newest."""
        self.refresh()
        return self.index.entries(self._query(filters or Filters()))

    def count(self, filters: Filters | None = None) -> int:
        self.refresh()
        return self.index.count(self._query(filters or Filters()))

    def find(self, prefix: str) -> Path:
        """The file of the entry whose id starts with ``prefix``."""
        wanted = check_id(prefix, "diary entry")
        self.refresh()
        matches = self.index.find(wanted)
        if not matches:
            broken = [p for p in self.broken if p.path and Path(p.path).stem.startswith(wanted)]
            if broken:  # the file is there but does not parse: say why
                raise broken[0]
            raise NotFoundError(f"no diary entry with id {wanted!r}")
        if len(matches) > 1:
            raise ambiguous(wanted, [entry_id for entry_id, _ in matches], "diary entries")
        return matches[0][1]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of entries that carry it, most used first."""
        self.refresh()
        return self.index.tag_counts()

    def ref_counts(self) -> dict[str, int]:
        """Linked-entry counts per lower-case item reference."""
        self.refresh()
        return self.index.ref_counts()

    def _note_broken(self) -> None:
        self.broken = [
            RecordError(reason, path=path, line=line) for path, line, reason in self.index.broken()
        ]
        self._fresh = True

    def _query(self, filters: Filters) -> Query:
        refs, prefix = (None, None)
        if filters.competency:
            refs, prefix = self._competency_refs(filters.competency)
        return Query(
            since=filters.since,  # the entry's own day, never the local zone's: see Query
            until=filters.until,
            all_tags=_tags(filters.tags),
            any_tags=_tags(filters.any_tags),
            refs=refs,
            ref_prefix=prefix,
            words=tuple((filters.text or "").split()),
            for_supervision=filters.for_supervision,
            waiting=filters.waiting,
            limit=None if filters.limit is None else max(filters.limit, 0),
        )

    def _competency_refs(self, spec: str) -> tuple[tuple[str, ...] | None, str | None]:
        """An item, a domain or a whole framework, as index terms (lower-case references)."""
        framework_id, _, rest = spec.strip().partition("/")
        framework = self.catalog.get(framework_id).framework
        if not rest:
            return None, f"{framework.id}/".casefold()
        found = framework.find_item(rest)
        if found is not None:
            return (f"{framework.id}/{found[1].id}".casefold(),), None
        domain = framework.find_domain(rest)
        if domain is None:
            raise NotFoundError(f"framework {framework.id!r} has no item or domain {rest!r}")
        return tuple(f"{framework.id}/{item.id}".casefold() for item in domain.items), None


def _tags(typed: tuple[str, ...]) -> tuple[str, ...]:
    """Tags as typed, read by the rule entries are stored by ('Two Words' is 'two-words')."""
    try:
        return tuple(normal_tag(tag) for tag in typed)
    except ValueError as error:
        raise InputError(str(error)) from None
