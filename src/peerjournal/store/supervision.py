"""Supervision records on disk, each one Markdown file with YAML front matter.

Sessions live under ``supervision/sessions/YYYY/`` and agreements under
``supervision/agreements/``.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peerjournal.errors import RecordError, StorageError
from peerjournal.models.supervision import SUPERVISION_SCHEMA, SessionMeta
from peerjournal.store import frontmatter
from peerjournal.store.people import NamesPeople, PeopleStore, is_person_id
from peerjournal.store.records import RecordFolder, RecordStore, fingerprint

SUFFIX = ".md"
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class StoredSession:
    """A session's front matter, its notes, its file and a fingerprint of what was read."""

    meta: SessionMeta
    notes: str
    path: Path
    fingerprint: str
    seen_by: str | None = None  # read for one worker of a group session: never written back
    group_size: int = 1  # how many workers took part, when some are hidden from this view
    received_from: str | None = None  # shared by this person: theirs, never rewritten here


@dataclass
class SessionStore(NamesPeople, RecordStore[StoredSession]):
    """Read, write and trash supervision sessions; unreadable files are collected.

    On disk a session names its worker and supervisor by person id; in memory by their
    current display names, so every reader and renderer shows today's name.
    """

    people: PeopleStore | None = None

    @property
    def folder(self) -> RecordFolder:
        return RecordFolder(
            self.home, self.home.sessions_dir, f"*/*{SUFFIX}", "supervision session",
            "supervision sessions", MAX_BYTES,
        )  # fmt: skip

    def read(self, path: Path) -> StoredSession:
        raw = self.folder.read_bytes(path)
        meta, body = frontmatter.parse_record(raw, path, SessionMeta)
        named = _session_named(meta, self.people_store())
        return StoredSession(named, body.strip("\n"), path, fingerprint(raw))

    def find(self, prefix: str) -> StoredSession:
        return self.read(self.folder.find(prefix))

    def new_id(self, when: datetime) -> str:
        return f"{when:%Y%m%d-%H%M}-{secrets.token_hex(2)}"

    def create(self, meta: SessionMeta, notes: str) -> StoredSession:
        for _ in range(20):
            path = self.home.sessions_dir / f"{meta.date:%Y}" / f"{meta.id}{SUFFIX}"
            text = render(_session_with_ids(meta, self.people_store()), notes)
            if self.folder.create(path, text):
                return StoredSession(meta, notes, path, fingerprint(text.encode()))
            meta.id = self.new_id(meta.date)
        raise StorageError("could not find a free file name for the session", path=path)

    def update(self, stored: StoredSession, meta: SessionMeta, notes: str) -> StoredSession:
        refuse_received(stored)
        frontmatter.refuse_newer(stored.meta.schema_, SUPERVISION_SCHEMA, stored.path)
        text = render(_session_with_ids(meta, self.people_store()), notes)
        new = self.folder.rewrite(stored.path, stored.fingerprint, text)
        return StoredSession(meta, notes, stored.path, new)

    def trash(self, stored: StoredSession) -> Path:
        refuse_received(stored)
        return self.folder.trash(stored.path)


def refuse_received(stored: StoredSession) -> None:
    """A shared session belongs to the supervisor who recorded it: never changed here."""
    if stored.received_from is not None:
        raise RecordError(
            f"session {stored.meta.id} was shared by {stored.received_from}; it is theirs and "
            "read-only here",
            path=stored.path,
        )


def _session_named(meta: SessionMeta, people: PeopleStore) -> SessionMeta:
    """A session as shown: its workers and supervisor by their current display names."""
    workers = [people.name_of(worker) for worker in meta.workers]
    supervisor = people.name_of(meta.supervisor)
    if (workers, supervisor) == (meta.workers, meta.supervisor):
        return meta
    return meta.model_copy(update={"workers": workers, "supervisor": supervisor})


def _session_with_ids(meta: SessionMeta, people: PeopleStore) -> SessionMeta:
    """A session as stored: people by id where the name is a known person's.

    Written in schema 3's layout; the number says 3 only when every name is an id, else 1, so
    an unmigrated home's file still tells ``migrate`` that its names need ids (each step
    after that leaves today's layout as it is).
    """
    workers = [people.id_of(worker) for worker in meta.workers]
    supervisor = people.id_of(meta.supervisor)
    update: dict[str, object] = {"workers": workers, "supervisor": supervisor}
    ids = all(is_person_id(value) for value in (*workers, supervisor) if value)
    update["schema_"] = SUPERVISION_SCHEMA if ids else 1  # 1: its names still need ids
    return meta.model_copy(update=update)


def render(record: SessionMeta, notes: str) -> str:
    """The file text of a session."""
    optional = {"next_session", "created", "updated"}
    unset = {name for name in optional if getattr(record, name, None) is None}
    fields = record.model_dump(by_alias=True, mode="json", exclude=unset)
    return frontmatter.join(fields, notes)
