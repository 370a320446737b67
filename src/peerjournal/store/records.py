"""What every kind of record file shares: listing, finding by id prefix, guarded rewrites, trash.

Each record kind (diary entries, assessments, supervision records) keeps one file per record in
its own folder; this module holds the rules they have in common, so they are written once.
"""

import fnmatch
import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from peerjournal.errors import NotFoundError, RecordError, StorageError
from peerjournal.store.atomic import create_exclusive, move_private, write_atomic
from peerjournal.store.ids import ambiguous, check_id
from peerjournal.store.layout import DataHome
from peerjournal.store.vault import read_private

T = TypeVar("T")
NOT_FOLLOWED = "is a symbolic link; not followed (move the file it points to here to use it)"


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
        """Every record file, sorted by name (names start with the date); links are left out."""
        return self._scan()[0]

    def _scan(self) -> tuple[list[Path], list[Path]]:
        """Record files and links, from one listing per folder: no extra stat per file."""
        if self.root.is_symlink():
            return [], [self.root]
        if not self.root.is_dir():
            return [], []
        found: list[Path] = []
        linked: list[Path] = []
        _walk(self.root, self.pattern.split("/"), found, linked)
        return sorted(found, key=lambda p: p.name), sorted(linked)

    def read_all(self, read: Callable[[Path], T], broken: list[RecordError]) -> Iterator[T]:
        """Read every record; one unreadable file goes to ``broken`` and never stops the rest.

        A link among the records is named in ``broken`` too: it is skipped, not followed.
        """
        broken.clear()
        files, links = self._scan()
        broken.extend(not_followed(link) for link in links)
        for path in files:
            try:
                yield read(path)
            except RecordError as problem:
                broken.append(problem)

    def find(self, prefix: str) -> Path:
        """The file whose id (file stem) starts with ``prefix``; ambiguity lists candidates."""
        wanted = check_id(prefix, self.kind)
        files, links = self._scan()
        matches = [path for path in files if path.stem.startswith(wanted)]
        matches = [path for path in matches if path.stem == wanted] or matches
        if not matches:
            for link in links:  # say why the record is not there rather than "no such id"
                if link.stem.startswith(wanted):
                    raise not_followed(link)
            raise NotFoundError(f"no {self.kind} with id {wanted!r}")
        if len(matches) > 1:
            raise ambiguous(wanted, [path.stem for path in matches], self.plural)
        return matches[0]

    def read_bytes(self, path: Path) -> bytes:
        """A record's bytes, refusing files too big to be one and any reached through a link."""
        link = linked_part(path, self.root)
        if link is not None or self.root.is_symlink():
            raise not_followed(link or self.root)
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                limit = self.max_bytes // (1024 * 1024)
                raise RecordError(
                    f"file is {size // 1024} KiB; the limit is {limit} MiB", path=path
                )
            return read_private(path)
        except OSError as error:
            raise RecordError(f"cannot read ({error.strerror})", path=path) from None

    def create(self, path: Path, text: str) -> bool:
        """Write a new record file; False if the name is taken (never overwrites)."""
        return create_exclusive(path, text, within=self.home.root)

    def rewrite(self, path: Path, read_fingerprint: str, text: str) -> str:
        """Replace a record read earlier; if it changed since, keep both and raise.

        The other writer's version stays in place and this one goes to a conflict copy in
        ``.recovery/``. Call with the home lock held. Returns the new fingerprint.
        """
        if fingerprint(self.read_bytes(path)) != read_fingerprint:
            copy = (
                self.home.recovery_dir / f"{path.stem}.conflict-{secrets.token_hex(3)}{path.suffix}"
            )
            write_atomic(copy, text, within=self.home.root)
            raise StorageError(
                f"was changed by another command meanwhile; your version is kept in {copy}",
                path=path,
            )
        write_atomic(path, text, within=self.home.root)
        return fingerprint(text.encode("utf-8"))

    def trash(self, path: Path) -> Path:
        """Move a record into ``.trash/``, keeping its place relative to the home."""
        target = self.home.trash_dir / path.relative_to(self.home.root)
        move_private(path, target, within=self.home.root)
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
        move_private(trashed, target, within=self.home.root)
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


def _walk(folder: Path, parts: list[str], found: list[Path], linked: list[Path]) -> None:
    """Match ``parts`` (a glob pattern split on '/') below ``folder`` without following links.

    Like ``Path.glob``: hidden names never match, an unreadable folder holds nothing.
    """
    try:
        with os.scandir(folder) as listing:
            items = list(listing)
    except OSError:
        return
    last = len(parts) == 1
    for item in items:
        if item.name.startswith(".") or not fnmatch.fnmatchcase(item.name, parts[0]):
            continue
        if item.is_symlink():
            linked.append(Path(item.path))
        elif last:
            found.append(Path(item.path))
        elif item.is_dir(follow_symlinks=False):
            _walk(Path(item.path), parts[1:], found, linked)


def linked_part(path: Path, root: Path) -> Path | None:
    """The first symbolic link on the way from ``root`` (not included) to ``path``, if any."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return None
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def not_followed(link: Path) -> RecordError:
    """The one message for a link among the records: skipped, never opened."""
    return RecordError(NOT_FOLLOWED, path=link)
