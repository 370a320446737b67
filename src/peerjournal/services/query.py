"""The one query layer over the diary: filters answered by the index, never by walking folders.

Kept light on purpose (no pydantic models, no YAML until a changed file must be read, the
frameworks only when a filter names one), because `diary list`, `diary tags` and the home
screen should answer before a person notices.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from peerjournal.errors import InputError, NotFoundError, PeerJournalError, RecordError
from peerjournal.store.ids import ambiguous, check_id
from peerjournal.store.index import (
    Index,
    IndexDamaged,
    IndexedEntry,
    Progress,
    Query,
    RefreshStats,
    damage,
)
from peerjournal.store.layout import DataHome

if TYPE_CHECKING:
    from peerjournal.clock import Clock
    from peerjournal.services.framework_outline import Outline
    from peerjournal.services.frameworks import Catalog


__all__ = ["DiaryQuery", "Filters", "IndexedEntry"]

T = TypeVar("T")


# what taking a write into the index may meet; the write itself has already succeeded
def after_write_failures() -> tuple[type[Exception], ...]:
    """What a failed index update after a saved write can raise (the write itself stands)."""
    return (PeerJournalError, OSError, *damage())


class Filters(NamedTuple):
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
    planned: bool | None = None  # planned (True), unplanned (False), either (None)
    composite: bool | None = None  # composites only (True), none (False), either (None)


class DiaryQuery:
    """Answers diary questions from the index, refreshing it once per command."""

    def __init__(
        self,
        home: DataHome,
        catalog: "Catalog | Callable[[], Catalog]",
        *,
        index: Index,
        progress: Progress | None = None,
        clock: "Clock | None" = None,
        fresh: bool = False,
        outline: "Callable[[], Outline] | None" = None,
    ) -> None:
        self.home = home
        self._catalog = catalog
        self._outline = outline
        self.index = index
        self.progress = progress
        self.clock = clock
        self.fresh = fresh  # --fresh: compare every file's stamp, not only the folders'
        self.broken: list[RecordError] = []
        self._fresh = False
        self._stats = RefreshStats(0, 0, 0, rebuilt=False)  # what the last refresh did

    @property
    def catalog(self) -> "Catalog":
        """The frameworks, loaded only when a question needs them (they cost a YAML parse)."""
        if callable(self._catalog):
            self._catalog = self._catalog()
        return self._catalog

    def refresh(self) -> None:
        """Bring the index up to date once; unreadable files become warnings."""
        self._read(lambda: None)

    def _refresh(self) -> None:
        if not self._fresh:
            now = None if self.clock is None else self.clock()
            self._stats = self.index.refresh(self.progress, full=self.fresh, now=now)
            self._note_broken()

    def after_write(self) -> None:
        """Take the home's own write into the index now, so the next command has nothing to read.

        The file is saved already: a failure here is never the write's, and the next command's
        look finds the change anyway (the folder's stamp moved), so it is left to that.
        """
        self._fresh = False
        try:
            self._read(lambda: None)
        except after_write_failures():
            self._fresh = False

    def full_check_due(self) -> bool:
        """True when this command used the index and its last full look is a while ago."""
        return self.clock is not None and self.index.full_check_due(self.clock())

    def full_check(self) -> None:
        """Compare every file with the index (the look that sees edits made inside files)."""
        self._fresh = False
        self.fresh = True
        self._refresh()

    def _checked(self, ask: "Callable[[], list[IndexedEntry]]") -> list[IndexedEntry]:
        """Rows to show, each checked against its file first: what is printed is never stale."""
        for _ in range(3):
            found = ask()
            if not self.index.verify([entry.file for entry in found]):
                return found
            self._note_broken()
        return ask()

    def _read(self, ask: "Callable[[], T]") -> T:
        """Refresh, then ask the index; a failure of the cache is met by rebuilding it.

        The index is only a cache, so a command never fails or answers wrongly because of it:
        a damaged index is rebuilt from the files and asked again, and one that cannot be
        rebuilt on disk is built in memory for this command (see ``notices``).
        """
        for attempt in range(3):
            try:
                self._refresh()
                return ask()
            except damage() as error:
                if attempt == 2:
                    raise
                self._fresh = False
                self.index.recover(error)
        raise AssertionError("unreachable")  # pragma: no cover

    def rebuild(self) -> RefreshStats:
        """Throw the index away and read every entry file again."""
        self.index.delete()
        self._fresh = False
        self._read(lambda: None)
        return self._stats

    def summaries(self, filters: Filters | None = None) -> list[IndexedEntry]:
        """Matching entries, oldest first; the limit keeps the newest."""
        query = self._query(filters or Filters())
        return self._read(lambda: self._checked(lambda: self.index.entries(query)))

    def count(self, filters: Filters | None = None) -> int:
        query = self._query(filters or Filters())
        return self._read(lambda: self.index.count(query))

    def find(self, prefix: str) -> Path:
        """The file of the entry whose id starts with ``prefix``."""
        wanted = check_id(prefix, "diary entry")
        matches = self._read(lambda: self._find(wanted))
        if not matches:
            broken = [p for p in self.broken if p.path and Path(p.path).stem.startswith(wanted)]
            if broken:  # the file is there but does not parse: say why
                raise broken[0]
            linked = self._linked(wanted)
            if linked is not None:  # the file is there but is a link, which is never followed
                raise RecordError("is a symbolic link; not followed", path=linked)
            raise NotFoundError(f"no diary entry with id {wanted!r}")
        if len(matches) > 1:
            raise ambiguous(wanted, [entry_id for entry_id, _ in matches], "diary entries")
        return matches[0][1]

    def _linked(self, wanted: str) -> Path | None:
        """An entry file of that id that is a symbolic link (only asked when none was found)."""
        import glob

        journal = self.home.journal_dir
        if journal.is_symlink():
            return None
        for path in sorted(journal.glob(f"[0-9]*/[0-9]*/{glob.escape(wanted)}*.md")):
            if path.is_symlink():
                return path
        return None

    def _find(self, wanted: str) -> list[tuple[str, Path]]:
        """Matches whose files are there: a row naming a missing file is a wrong index."""
        matches = self.index.find(wanted)
        if self.index.verify([path for _, path in matches]):  # changed inside: read it again
            self._note_broken()
            matches = self.index.find(wanted)
        if any(not path.is_file() for _, path in matches):
            raise IndexDamaged(f"the index names a missing file for {wanted!r}")
        return matches

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of entries that carry it, most used first."""
        return self._read(self.index.tag_counts)

    def ref_counts(self) -> dict[str, int]:
        """Linked-entry counts per lower-case item reference."""
        return self._read(self.index.ref_counts)

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
            planned=filters.planned,
            composite=filters.composite,
            limit=None if filters.limit is None else max(filters.limit, 0),
        )

    def _competency_refs(self, spec: str) -> tuple[tuple[str, ...] | None, str | None]:
        """An item, a domain or a whole framework, as index terms (lower-case references)."""
        if self._outline is not None:  # the cached outline: no YAML, no pydantic
            return self._outline().competency_refs(spec)
        return self.catalog.outline().competency_refs(spec)


def _tags(typed: tuple[str, ...]) -> tuple[str, ...]:
    """Tags as typed, read by the rule entries are stored by ('Two Words' is 'two-words')."""
    if not typed:
        return ()
    from peerjournal.models.entry_rules import normal_tag  # its patterns: only for a tag filter

    try:
        return tuple(normal_tag(tag) for tag in typed)
    except ValueError as error:
        raise InputError(str(error)) from None
