"""What every kind of record file shares: listing, finding by id prefix, guarded rewrites, trash.

Each record kind (diary entries, assessments, supervision records) keeps one file per record in
its own folder; this module holds the rules they have in common, so they are written once.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from peerjournal.errors import InputError, NotFoundError, RecordError, StorageError
from peerjournal.store.atomic import create_exclusive, is_temp_file, move_private, write_atomic
from peerjournal.store.layout import DataHome

T = TypeVar("T")


def fingerprint(raw: bytes) -> str:
    """A short hash of a file's bytes, to notice that someone else changed it."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True)
class RecordFolder:
    """One kind of record: its folder, the file pattern inside it, and its name in messages."""

    home: DataHome
    root: Path
    pattern: str  # e.g. "*/*/*.md" below root
    kind: str  # e.g. "diary entry"
    plural: str  # e.g. "diary entries"
    max_bytes: int

    def files(self) -> list[Path]:
        """Every record file, sorted by name (names start with the date)."""
        if not self.root.is_dir():
            return []
        found = [
            path
            for path in self.root.glob(self.pattern)
            if not path.name.startswith(".") and not is_temp_file(path)
        ]
        return sorted(found, key=lambda p: p.name)

    def read_all(self, read: Callable[[Path], T], broken: list[RecordError]) -> Iterator[T]:
        """Read every record; one unreadable file goes to ``broken`` and never stops the rest."""
        broken.clear()
        for path in self.files():
            try:
                yield read(path)
            except RecordError as problem:
                broken.append(problem)

    def find(self, prefix: str) -> Path:
        """The file whose id (file stem) starts with ``prefix``; ambiguity lists candidates."""
        wanted = check_id(prefix, self.kind)
        matches = [path for path in self.files() if path.stem.startswith(wanted)]
        matches = [path for path in matches if path.stem == wanted] or matches
        if not matches:
            raise NotFoundError(f"no {self.kind} with id {wanted!r}")
        if len(matches) > 1:
            raise ambiguous(wanted, [path.stem for path in matches], self.plural)
        return matches[0]

    def read_bytes(self, path: Path) -> bytes:
        """A record's bytes, refusing files too big to be one."""
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                limit = self.max_bytes // (1024 * 1024)
                raise RecordError(
                    f"file is {size // 1024} KiB; the limit is {limit} MiB", path=path
                )
            return path.read_bytes()
        except OSError as error:
            raise RecordError(f"cannot read ({error.strerror})", path=path) from None

    def create(self, path: Path, text: str) -> bool:
        """Write a new record file; False if the name is taken (never overwrites)."""
        return create_exclusive(path, text)

    def rewrite(self, path: Path, read_fingerprint: str, text: str) -> str:
        """Replace a record read earlier; if it changed since, keep both and raise.

        The other writer's version stays in place and this one goes to a conflict copy in
        ``.recovery/``. Call with the home lock held. Returns the new fingerprint.
        """
        if fingerprint(self.read_bytes(path)) != read_fingerprint:
            copy = (
                self.home.recovery_dir / f"{path.stem}.conflict-{secrets.token_hex(3)}{path.suffix}"
            )
            write_atomic(copy, text)
            raise StorageError(
                f"was changed by another command meanwhile; your version is kept in {copy}",
                path=path,
            )
        write_atomic(path, text)
        return fingerprint(text.encode("utf-8"))

    def trash(self, path: Path) -> Path:
        """Move a record into ``.trash/``, keeping its place relative to the home."""
        target = self.home.trash_dir / path.relative_to(self.home.root)
        move_private(path, target)
        return target

    def trashed(self, prefix: str) -> Path:
        """The trashed record whose id starts with ``prefix``."""
        wanted = check_id(prefix, self.kind)
        root = self.home.trash_dir / self.root.relative_to(self.home.root)
        matches = sorted(root.glob(self.pattern)) if root.is_dir() else []
        matches = [path for path in matches if path.stem.startswith(wanted)]
        if not matches:
            raise NotFoundError(f"no deleted {self.kind} with id {wanted!r}")
        if len(matches) > 1:
            raise ambiguous(wanted, [path.stem for path in matches], f"deleted {self.plural}")
        return matches[0]

    def restore(self, trashed: Path) -> Path:
        """Move a trashed record back to where it was."""
        target = self.home.root / trashed.relative_to(self.home.trash_dir)
        move_private(trashed, target)
        return target


@dataclass
class RecordStore(Generic[T]):
    """What each kind of record store shares: its home, its folder, reading all, broken files."""

    home: DataHome
    broken: list[RecordError] = field(default_factory=list)

    @property
    def folder(self) -> RecordFolder:
        raise NotImplementedError  # each store names its folder, pattern and kind

    def read(self, path: Path) -> T:
        raise NotImplementedError

    def files(self) -> list[Path]:
        """Every record file, sorted by name (names start with the date)."""
        return self.folder.files()

    def iter(self) -> Iterator[T]:
        """Every readable record; unreadable ones go to ``self.broken``."""
        yield from self.folder.read_all(self.read, self.broken)


def ambiguous(wanted: str, ids: Sequence[str], plural: str) -> InputError:
    """The one message for an id prefix that fits several records: how many, and which."""
    shown = ", ".join(ids[:5])
    more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
    return InputError(f"{wanted!r} matches {len(ids)} {plural}: {shown}{more}; give more of the id")


def check_id(text: str, kind: str) -> str:
    """An id as typed, refusing anything that could be read as a path."""
    wanted = text.strip()
    if not wanted or any(bad in wanted for bad in ("/", "\\", "\x00")) or wanted in (".", ".."):
        raise InputError(f"{text!r} is not a {kind} id")
    return wanted
