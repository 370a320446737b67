"""Diary entries on disk: one Markdown file per entry under ``journal/YYYY/MM/``.

The file name is the entry id and nothing else: no title slug, so a file listing or an error
message never shows words from a diary.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peerjournal.errors import RecordError, StorageError
from peerjournal.models.entry import ENTRY_SCHEMA, DiaryEntry, EntryMeta, Section
from peerjournal.store import frontmatter
from peerjournal.store.records import RecordFolder, RecordStore, fingerprint

SUFFIX = ".md"
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class StoredEntry:
    """An entry with where it lives and a fingerprint of the bytes it was read from."""

    entry: DiaryEntry
    path: Path
    fingerprint: str


@dataclass
class EntryStore(RecordStore[StoredEntry]):
    """Read, write, trash and restore entries; unreadable files are collected, not raised."""

    @property
    def folder(self) -> RecordFolder:
        return RecordFolder(
            self.home,
            self.home.journal_dir,
            f"*/*/*{SUFFIX}",
            "diary entry",
            "diary entries",
            MAX_BYTES,
        )

    def read(self, path: Path) -> StoredEntry:
        """Parse one entry file."""
        raw = self.folder.read_bytes(path)
        meta, body = parse(raw, path)
        preamble, sections = frontmatter.split_sections(body)
        entry = DiaryEntry(
            meta=meta,
            preamble=preamble,
            sections=tuple(Section(heading=h, text=t) for h, t in sections),
        )
        return StoredEntry(entry, path, fingerprint(raw))

    def find(self, prefix: str) -> StoredEntry:
        """The entry whose id starts with ``prefix``; an ambiguous prefix lists the candidates."""
        return self.read(self.folder.find(prefix))

    def new_id(self, when: datetime) -> str:
        """A fresh id: the entry's own date and time (in its offset), then a short random part."""
        return f"{when:%Y%m%d-%H%M}-{secrets.token_hex(2)}"

    def path_for(self, entry_id: str, when: datetime) -> Path:
        return self.home.journal_dir / f"{when:%Y}" / f"{when:%m}" / f"{entry_id}{SUFFIX}"

    def create(self, entry: DiaryEntry) -> Path:
        """Write a new entry; never overwrites (a taken id gets a new random part)."""
        for _ in range(20):
            path = self.path_for(entry.meta.id, entry.meta.date)
            if self.folder.create(path, render(entry)):
                return path
            entry.meta.id = self.new_id(entry.meta.date)
        raise StorageError("could not find a free file name for the entry", path=path)

    def update(self, stored: StoredEntry, entry: DiaryEntry) -> Path:
        """Rewrite an entry in place; a concurrent change keeps both versions (see RecordFolder)."""
        frontmatter.refuse_newer(stored.entry.meta.schema_, ENTRY_SCHEMA, stored.path)
        self.folder.rewrite(stored.path, stored.fingerprint, render(entry))
        return stored.path

    def trash(self, stored: StoredEntry) -> Path:
        return self.folder.trash(stored.path)

    def trashed(self, prefix: str) -> Path:
        return self.folder.trashed(prefix)

    def restore(self, trashed: Path) -> Path:
        return self.folder.restore(trashed)


def parse(raw: bytes, path: Path) -> tuple[EntryMeta, str]:
    """The validated front matter and the body of an entry file's bytes.

    The one reading of an entry: `diary show`, edits and the index (for every file its fast
    reader does not take) all come here, so they accept the same files and see the same values.
    """
    if len(raw) > MAX_BYTES:  # the index reads without the folder's size check: the same limit
        raise RecordError(
            f"file is {len(raw) // 1024} KiB; the limit is {MAX_BYTES // (1024 * 1024)} MiB",
            path=path,
        )
    return frontmatter.parse_record(raw, path, EntryMeta)


def render(entry: DiaryEntry) -> str:
    """The file text of an entry."""
    fields = entry.meta.stored()
    body = frontmatter.join_sections(
        entry.preamble, [(section.heading, section.text) for section in entry.sections]
    )
    return frontmatter.join(fields, body)
