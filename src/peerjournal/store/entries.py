"""Diary entries on disk: one Markdown file per entry under ``journal/YYYY/MM/``.

The file name is the entry id and nothing else: no title slug, so a file listing or an error
message never shows words from a diary.
"""

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from peerjournal.errors import InputError, NotFoundError, RecordError, StorageError
from peerjournal.models.entry import ENTRY_SCHEMA, DiaryEntry, EntryMeta, Section
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.atomic import create_exclusive, is_temp_file, move_private, write_atomic
from peerjournal.store.layout import DataHome
from peerjournal.store.validate import parse_model

SUFFIX = ".md"


@dataclass(frozen=True)
class StoredEntry:
    """An entry with where it lives and a fingerprint of the bytes it was read from."""

    entry: DiaryEntry
    path: Path
    fingerprint: str


@dataclass
class EntryStore:
    """Read, write, trash and restore entries; unreadable files are collected, not raised."""

    home: DataHome
    broken: list[RecordError] = field(default_factory=list)

    def files(self) -> list[Path]:
        """Every entry file, oldest first by name (names start with the date)."""
        root = self.home.journal_dir
        if not root.is_dir():
            return []
        found = [
            path
            for path in root.glob(f"*/*/*{SUFFIX}")
            if not path.name.startswith(".") and not is_temp_file(path)
        ]
        return sorted(found, key=lambda p: p.name)

    def iter(self) -> Iterator[StoredEntry]:
        """Yield every readable entry; unreadable ones go to ``self.broken``."""
        self.broken.clear()
        for path in self.files():
            try:
                yield self.read(path)
            except RecordError as problem:
                self.broken.append(problem)

    def read(self, path: Path) -> StoredEntry:
        """Parse one entry file."""
        raw = _read_bytes(path)
        text = yamlio.decode(raw, path)
        doc, body = frontmatter.split(text, path)
        meta = parse_model(doc, EntryMeta, what="front matter")
        if meta.schema_ > ENTRY_SCHEMA:
            raise RecordError(
                f"written by a newer peerjournal (schema {meta.schema_}); upgrade to change it",
                path=path,
            )
        preamble, sections = frontmatter.split_sections(body)
        entry = DiaryEntry(
            meta=meta,
            preamble=preamble,
            sections=tuple(Section(heading=h, text=t) for h, t in sections),
        )
        return StoredEntry(entry, path, _fingerprint(raw))

    def find(self, prefix: str) -> StoredEntry:
        """The entry whose id starts with ``prefix``; an ambiguous prefix lists the candidates."""
        wanted = prefix.strip()
        if not wanted or "/" in wanted or "\\" in wanted or "\x00" in wanted:
            raise InputError(f"{prefix!r} is not an entry id")
        matches = [path for path in self.files() if path.stem.startswith(wanted)]
        exact = [path for path in matches if path.stem == wanted]
        if exact:
            matches = exact
        if not matches:
            raise NotFoundError(f"no diary entry with id {wanted!r}")
        if len(matches) > 1:
            shown = ", ".join(path.stem for path in matches[:5])
            more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
            raise InputError(f"{wanted!r} matches {len(matches)} entries: {shown}{more}")
        return self.read(matches[0])

    def new_id(self, when: datetime) -> str:
        """A fresh id: the local date and time, then a short random part."""
        return f"{when:%Y%m%d-%H%M}-{secrets.token_hex(2)}"

    def path_for(self, entry_id: str, when: datetime) -> Path:
        return self.home.journal_dir / f"{when:%Y}" / f"{when:%m}" / f"{entry_id}{SUFFIX}"

    def create(self, entry: DiaryEntry) -> Path:
        """Write a new entry; never overwrites (a taken id gets a new random part)."""
        for _ in range(20):
            path = self.path_for(entry.meta.id, entry.meta.date)
            if create_exclusive(path, render(entry)):
                return path
            entry.meta.id = self.new_id(entry.meta.date)
        raise StorageError("could not find a free file name for the entry", path=path)

    def update(self, stored: StoredEntry, entry: DiaryEntry) -> Path:
        """Rewrite an entry in place; if someone changed the file since it was read, keep both.

        The other writer's version stays in place and this one goes to a conflict copy in
        ``.recovery/``, so neither edit is lost. Call with the home lock held.
        """
        current = _fingerprint(_read_bytes(stored.path))
        if current != stored.fingerprint:
            copy = self.home.recovery_dir / f"{stored.path.stem}.conflict-{secrets.token_hex(3)}.md"
            write_atomic(copy, render(entry))
            raise StorageError(
                f"was changed by another command while you edited it; your version is kept "
                f"in {copy}",
                path=stored.path,
            )
        write_atomic(stored.path, render(entry))
        return stored.path

    def trash(self, stored: StoredEntry) -> Path:
        """Move an entry to ``.trash/``, keeping its place relative to the home."""
        target = self.home.trash_dir / stored.path.relative_to(self.home.root)
        move_private(stored.path, target)
        return target

    def trashed(self, prefix: str) -> Path:
        """The trashed entry file whose id starts with ``prefix``."""
        root = self.home.trash_dir / "journal"
        matches = sorted(root.glob(f"*/*/{prefix}*{SUFFIX}")) if root.is_dir() and prefix else []
        if not matches:
            raise NotFoundError(f"no deleted diary entry with id {prefix!r}")
        if len(matches) > 1:
            raise InputError(
                f"{prefix!r} matches {len(matches)} deleted entries; give more of the id"
            )
        return matches[0]

    def restore(self, trashed: Path) -> Path:
        """Move a trashed entry back to where it was."""
        target = self.home.root / trashed.relative_to(self.home.trash_dir)
        move_private(trashed, target)
        return target


def render(entry: DiaryEntry) -> str:
    """The file text of an entry."""
    optional = {"self_disclosure", "created", "updated"}
    unset = {name for name in optional if getattr(entry.meta, name) is None}
    fields = entry.meta.model_dump(by_alias=True, mode="json", exclude=unset)
    body = frontmatter.join_sections(
        entry.preamble, [(section.heading, section.text) for section in entry.sections]
    )
    return frontmatter.join(fields, body)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > frontmatter.MAX_RECORD_BYTES:
            raise RecordError(
                f"file is {size // 1024} KiB; entries are limited to 2 MiB", path=path
            )
        return path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None


def _fingerprint(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()
