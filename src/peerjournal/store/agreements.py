"""Supervision agreements on disk, one Markdown file each under ``supervision/agreements/``.

On disk an agreement names its people (worker, supervisor, line manager, whoever acknowledged
it) by person id; in memory by their current display names, so a rename reaches every record.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peerjournal.errors import StorageError
from peerjournal.models.agreement import AGREEMENT_SCHEMA, Agreement
from peerjournal.store import frontmatter
from peerjournal.store.people import NamesPeople, PeopleStore, is_person_id
from peerjournal.store.records import RecordFolder, RecordStore, fingerprint
from peerjournal.store.supervision import MAX_BYTES, SUFFIX

_OPTIONAL = ("line_manager", "mode", "start_date", "created", "updated")


@dataclass(frozen=True)
class StoredAgreement:
    """An agreement, its free notes, its file and a fingerprint of what was read."""

    agreement: Agreement
    notes: str
    path: Path
    fingerprint: str


@dataclass
class AgreementStore(NamesPeople, RecordStore[StoredAgreement]):
    """Supervision agreements, one file each; unreadable files and links go to ``broken``."""

    people: PeopleStore | None = None

    @property
    def folder(self) -> RecordFolder:
        return RecordFolder(
            self.home, self.home.agreements_dir, f"*{SUFFIX}", "supervision agreement",
            "supervision agreements", MAX_BYTES,
        )  # fmt: skip

    def read(self, path: Path) -> StoredAgreement:
        raw = self.folder.read_bytes(path)
        agreement, body = frontmatter.parse_record(raw, path, Agreement)
        named = _people_as(agreement, self.people_store().name_of)
        return StoredAgreement(named, body.strip("\n"), path, fingerprint(raw))

    def create(self, agreement: Agreement, notes: str) -> Path:
        for _ in range(20):
            path = self.home.agreements_dir / f"{agreement.id}{SUFFIX}"
            if self.folder.create(path, self._text(agreement, notes)):
                return path
            agreement.id = f"agreement-{secrets.token_hex(3)}"
        raise StorageError("could not find a free file name for the agreement", path=path)

    def update(self, stored: StoredAgreement, agreement: Agreement, notes: str) -> Path:
        frontmatter.refuse_newer(stored.agreement.schema_, AGREEMENT_SCHEMA, stored.path)
        self.folder.rewrite(stored.path, stored.fingerprint, self._text(agreement, notes))
        return stored.path

    def _text(self, agreement: Agreement, notes: str) -> str:
        return render_agreement(with_ids(agreement, self.people_store()), notes)


def _people_as(agreement: Agreement, turn: Callable[[str], str]) -> Agreement:
    """The agreement with every person it names turned by ``turn`` (to ids, or to names)."""
    update: dict[str, object] = {
        name: turn(getattr(agreement, name)) for name in ("worker", "supervisor", "line_manager")
    }
    update["acknowledged"] = [
        ack.model_copy(update={"by": turn(ack.by)}) for ack in agreement.acknowledged
    ]
    return agreement.model_copy(update=update)


def with_ids(agreement: Agreement, people: PeopleStore) -> Agreement:
    """The agreement as stored: people by id where the name is a known person's.

    Written in schema 3's layout; the number says 3 only when worker and supervisor are ids, so
    an unmigrated home's file still tells ``migrate`` that its names need ids.
    """
    stored = _people_as(agreement, people.id_of)
    if all(is_person_id(value) for value in (stored.worker, stored.supervisor) if value):
        return stored.model_copy(update={"schema_": AGREEMENT_SCHEMA})
    return stored


def render_agreement(agreement: Agreement, notes: str) -> str:
    """The file text of an agreement; optional fields left empty are left out."""
    unset = {name for name in _OPTIONAL if not getattr(agreement, name, None)}
    fields = agreement.model_dump(by_alias=True, mode="json", exclude=unset)
    return frontmatter.join(fields, notes)
