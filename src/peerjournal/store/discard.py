"""The files in ``.trash/`` and ``.recovery/``, and their removal for good.

The only place that destroys a person's words, so it refuses anything outside the folder it
was asked about and never follows a link out of it.
"""

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peerjournal.errors import StorageError
from peerjournal.store.atomic import fsync_dir


@dataclass(frozen=True)
class HeldFile:
    """One file waiting in a holding folder: where, how big, and when it last changed."""

    path: Path
    size: int
    changed: datetime  # UTC


def held_files(folder: Path) -> list[HeldFile]:
    """Regular files under ``folder`` (links are skipped, not followed), sorted by path."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not (Path(root) / d).is_symlink())
        for name in sorted(files):
            path = Path(root) / name
            try:
                info = path.lstat()
            except OSError:
                continue  # gone meanwhile
            if path.is_symlink() or not path.is_file():
                continue
            found.append(
                HeldFile(path, info.st_size, datetime.fromtimestamp(info.st_mtime, tz=UTC))
            )
    return sorted(found, key=lambda held: held.path)


def remove_for_good(folder: Path, paths: list[Path]) -> None:
    """Delete files inside ``folder``, then any folders they leave empty; no way back."""
    root = folder.resolve()
    for path in paths:
        if not path.resolve().is_relative_to(root) or path.resolve() == root:
            raise StorageError("refusing to delete a file outside its folder", path=path)
    touched: set[Path] = set()
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(f"could not delete ({error.strerror})", path=path) from None
        touched.add(path.parent)
    for parent in sorted(touched, key=lambda p: len(p.parts), reverse=True):
        current = parent
        while current.resolve() != root and current.resolve().is_relative_to(root):
            try:
                current.rmdir()
            except OSError:
                break  # not empty: other files are still waiting there
            current = current.parent
        if current.exists():
            fsync_dir(current)
