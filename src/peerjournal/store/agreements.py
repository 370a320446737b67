"""Supervision agreements on disk, one Markdown file each under ``supervision/agreements/``."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from peerjournal.errors import RecordError, StorageError
from peerjournal.models.agreement import Agreement
from peerjournal.models.supervision import SUPERVISION_SCHEMA
from peerjournal.store import frontmatter
from peerjournal.store.layout import DataHome
from peerjournal.store.people import PeopleStore
from peerjournal.store.records import RecordFolder, fingerprint
from peerjournal.store.supervision import MAX_BYTES, SUFFIX, _named, _with_ids, render


@dataclass(frozen=True)
class StoredAgreement:
    """An agreement, its free notes, its file and a fingerprint of what was read."""

    agreement: Agreement
    notes: str
    path: Path
    fingerprint: str


@dataclass
class AgreementStore:
    """Supervision agreements, one file each."""

    home: DataHome
    broken: list[RecordError] = field(default_factory=list)
    people: PeopleStore | None = None

    def _people(self) -> PeopleStore:
        if self.people is None:
            self.people = PeopleStore(self.home)
        return self.people

    @property
    def folder(self) -> RecordFolder:
        return RecordFolder(
            self.home, self.home.agreements_dir, f"*{SUFFIX}", "supervision agreement",
            "supervision agreements", MAX_BYTES,
        )  # fmt: skip

    def iter(self) -> Iterator[StoredAgreement]:
        self.broken.clear()
        for path in self.folder.files():
            try:
                raw = self.folder.read_bytes(path)
                agreement, body = frontmatter.parse_record(raw, path, Agreement)
            except RecordError as problem:
                self.broken.append(problem)
                continue
            named = _named(agreement, self._people())
            yield StoredAgreement(named, body.strip("\n"), path, fingerprint(raw))

    def create(self, agreement: Agreement, notes: str) -> Path:
        for _ in range(20):
            path = self.home.agreements_dir / f"{agreement.id}{SUFFIX}"
            if self.folder.create(path, render(_with_ids(agreement, self._people()), notes)):
                return path
            agreement.id = f"agreement-{secrets.token_hex(3)}"
        raise StorageError("could not find a free file name for the agreement", path=path)

    def update(self, stored: StoredAgreement, agreement: Agreement, notes: str) -> Path:
        frontmatter.refuse_newer(stored.agreement.schema_, SUPERVISION_SCHEMA, stored.path)
        text = render(_with_ids(agreement, self._people()), notes)
        self.folder.rewrite(stored.path, stored.fingerprint, text)
        return stored.path
