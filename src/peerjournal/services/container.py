"""The one place services are built, each handed the home, the clock, the zone and the cache.

A command asks its ``Services`` for what it needs; every service of one invocation shares the
same index connection and the same frameworks, loaded at most once and only when a question
needs them. Tests build a ``Services`` with a fixed clock, a zone and a temporary cache, so
nothing reads the real clock or the user's cache folder behind their back.
"""

import contextlib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from peerjournal.clock import Clock, Zone
from peerjournal.errors import PeerJournalError, StorageError
from peerjournal.store.layout import DataHome

__all__ = ["DataHome", "Services", "home_is_loose"]

if TYPE_CHECKING:
    from peerjournal.errors import RecordError
    from peerjournal.models.settings import Settings
    from peerjournal.services.assessments import Assessments
    from peerjournal.services.credentials import Credentials
    from peerjournal.services.diary import Diary
    from peerjournal.services.drafts import Drafts
    from peerjournal.services.framework_outline import Outline
    from peerjournal.services.frameworks import Catalog
    from peerjournal.services.keys import Keys
    from peerjournal.services.people import People
    from peerjournal.services.query import DiaryQuery
    from peerjournal.services.receiving import Receiving
    from peerjournal.services.reports import Reports
    from peerjournal.services.sharing import Sharing
    from peerjournal.services.signoff import Signoffs
    from peerjournal.services.supervision import Supervision
    from peerjournal.store.assessments import AssessmentStore
    from peerjournal.store.buffers import EditorBuffers
    from peerjournal.store.facts_cache import FactsCache
    from peerjournal.store.index import Index, Progress


def home_is_loose(home: DataHome) -> bool:
    """True when group or others can open the home folder (a copy or an unzip can do that)."""
    from peerjournal.store.atomic import is_loose

    return is_loose(home.root)


class Services:
    """Every service of one data home, built lazily and once per invocation."""

    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock,
        zone: Zone,
        cache_root: Path,
        progress: "Progress | None" = None,
        fresh: bool = False,
        memory_folder: "Callable[[], Path | None]" = lambda: None,
    ) -> None:
        self.home = home
        self.clock = clock
        self.zone = zone
        self.cache_root = cache_root
        self.progress = progress
        self.fresh = fresh  # --fresh: every read compares every file, not only folder stamps
        self.memory_folder = memory_folder  # where an encrypted home's editor buffers go

    @cached_property
    def catalog(self) -> "Catalog":
        """The bundled frameworks and the home's own (a YAML parse of each file, so lazy)."""
        from peerjournal.services.frameworks import load_catalog

        return load_catalog(self.home)

    @cached_property
    def outline(self) -> "Outline":
        """The frameworks' ids, domains and items, from a small cache unless a file changed.

        Reads that only need the items (evidence, --competency, the home screen) ask this, so
        they load no YAML or pydantic; a catalog this invocation already loaded is used as is.
        """
        from peerjournal.services.framework_outline import load_outline

        if "catalog" in self.__dict__:
            return self.catalog.outline()
        return load_outline(self.home, self.cache_root, self.catalog_later())

    def catalog_later(self) -> "Callable[[], Catalog]":
        """The catalog as a thunk, for services that may never need it."""
        return lambda: self.catalog

    @cached_property
    def index(self) -> "Index":
        from peerjournal.store.index import Index, index_path
        from peerjournal.store.vault import LOCKED, is_encrypted, vault_of

        if not is_encrypted(self.home.root):
            return Index(self.home, index_path(self.home, self.cache_root))
        vault = vault_of(self.home.root)
        if vault is None:  # never a plaintext index of an encrypted home
            raise StorageError(LOCKED)
        path = index_path(self.home, self.cache_root, vault.current)
        return Index(self.home, path, vault.index_key())

    @cached_property
    def query(self) -> "DiaryQuery":
        from peerjournal.services.query import DiaryQuery

        return DiaryQuery(
            self.home,
            self.catalog_later(),
            index=self.index,
            progress=self.progress,
            clock=self.clock,
            fresh=self.fresh,
            outline=lambda: self.outline,
        )

    @cached_property
    def diary(self) -> "Diary":
        from peerjournal.services.diary import Diary

        return Diary(self.home, self.query, clock=self.clock)

    @cached_property
    def assessment_store(self) -> "AssessmentStore":
        from peerjournal.store.assessments import AssessmentStore

        return AssessmentStore(self.home, people=self.people.store)

    @cached_property
    def people(self) -> "People":
        """The home's person records: who a typed name means, and their current names."""
        from peerjournal.services.people import People

        return People(self.home)

    @cached_property
    def keys(self) -> "Keys":
        """The home's own key (or the SSH key of the ``keys.ssh_key`` setting) and trusted keys."""
        return self.keys_using(None)

    def keys_using(self, ssh_key: Path | None) -> "Keys":
        """Keys signing with ``ssh_key`` (``--ssh-key``), else as the settings say."""
        from peerjournal.services.home import maybe_settings
        from peerjournal.services.keys import Keys

        if ssh_key is None:
            settings = maybe_settings(self.home)
            chosen = settings.keys.ssh_key.strip() if settings is not None else ""
            ssh_key = Path(chosen) if chosen else None
        return Keys(self.home, clock=self.clock, people=self.people, settings_ssh_key=ssh_key)

    @cached_property
    def assessments(self) -> "Assessments":
        from peerjournal.services.assessments import Assessments

        return Assessments(
            self.home, self.catalog, self.diary, clock=self.clock, store=self.assessment_store
        )

    @cached_property
    def supervision(self) -> "Supervision":
        from peerjournal.services.supervision import Supervision

        return Supervision(
            self.home, clock=self.clock, people=self.people, outline=lambda: self.outline
        )

    @cached_property
    def sharing(self) -> "Sharing":
        """What goes to another person, as a signed bundle sealed to their key."""
        from peerjournal.services.sharing import Sharing
        from peerjournal.store.entries import EntryStore

        return Sharing(
            self.home, clock=self.clock, keys=self.keys, supervision=self.supervision,
            entries=EntryStore(self.home), assessments=self.assessment_store,
            query=self.query,
        )  # fmt: skip

    @cached_property
    def receiving(self) -> "Receiving":
        """Bundles from other people, checked against their pinned keys, kept under team/."""
        from peerjournal.services.receiving import Receiving

        return Receiving(self.home, clock=self.clock, keys=self.keys)

    def team_view(self, settings: "Settings") -> list[dict[str, object]]:
        from peerjournal.services.receiving import team_rows

        done = [
            s.assessment for s in self.assessments.listing() if s.assessment.status == "complete"
        ]
        return team_rows(self.receiving, self.supervision, settings, done)

    @cached_property
    def signoffs(self) -> "Signoffs":
        """Sign-offs of supervision: written here, or received from a supervisor."""
        from peerjournal.services.signoff import Signoffs

        return Signoffs(
            self.home, clock=self.clock, keys=self.keys, supervision=self.supervision,
            credentials=lambda: self.credentials,
        )  # fmt: skip

    @cached_property
    def credentials(self) -> "Credentials":
        """Credentials' supervision rules: bundled files and the home's credentials/."""
        from peerjournal.services.credentials import Credentials

        return Credentials(self.home, outline=lambda: self.outline)

    @cached_property
    def drafts(self) -> "Drafts":
        """Guided flows in progress, saved after every answer."""
        from peerjournal.services.drafts import Drafts

        return Drafts(self.home, clock=self.clock)

    @cached_property
    def editor_buffers(self) -> "EditorBuffers":
        """The private folder the editor's temporary file lives in."""
        from peerjournal.store.buffers import EditorBuffers
        from peerjournal.store.vault import is_encrypted

        if is_encrypted(self.home.root):
            memory = self.memory_folder()
            if memory is not None:  # the plaintext never touches the disk
                return EditorBuffers(memory)
        return EditorBuffers(self.home.private_tmp_dir)

    @cached_property
    def facts_cache(self) -> "FactsCache":
        """The home screen's facts, kept beside the index until one of their files changes."""
        from peerjournal.store.facts_cache import FactsCache, facts_path

        return FactsCache(self.home, facts_path(self.home, self.cache_root))

    def skipped(self) -> "list[RecordError]":
        """Every file this invocation's reads skipped, once each, in the order they were met.

        The one answer to "what could not be read": the root prints it after every command,
        whatever its output form, and reports carry it in their text, so no command can forget.
        """
        built = self.__dict__  # only what this invocation used; asking builds nothing
        found: list[RecordError] = []
        if "catalog" in built:
            found += built["catalog"].problems
        if "query" in built:
            found += built["query"].broken
        if "diary" in built:
            found += built["diary"].store.broken  # an import walks the files themselves
        if "assessment_store" in built:
            found += built["assessment_store"].broken
        if "supervision" in built:
            found += built["supervision"].broken
        if "people" in built:
            found += built["people"].broken
        if "drafts" in built:
            found += built["drafts"].broken
        return list({str(problem): problem for problem in found}.values())

    def full_check_due(self) -> bool:
        """True when this command read the diary and the index's last full look is old.

        The full look sees edits made inside files, which folder stamps cannot; the command
        line runs it after the output is flushed (in a detached child where it can).
        """
        query = self.__dict__.get("query")
        try:
            return query is not None and query.full_check_due()
        except PeerJournalError:
            return False

    def full_check(self, *, forked: bool = False) -> None:
        """Compare every entry file with the index now; any failure is left for next time.

        ``forked``: this is a child process, whose inherited index connection is the
        parent's and must not be used, so the index is opened again.
        """
        from peerjournal.store.index import damage

        query = self.__dict__.get("query")
        if query is None:
            return
        if forked:
            query.index.abandon()
        with contextlib.suppress(PeerJournalError, *damage(), OSError):
            query.full_check()

    def notices(self) -> list[tuple[str, str]]:
        """What this invocation has to say about the diary index (rebuilt, or in memory)."""
        built = self.__dict__
        return built["index"].notices() if "index" in built else []

    def reports(self, settings: "Settings") -> "Reports":
        from peerjournal.services.reports import Reports

        return Reports(
            self.home,
            settings,
            diary=self.diary,
            assessments=self.assessments,
            supervision=self.supervision,
            clock=self.clock,
            skipped=self.skipped,
        )
