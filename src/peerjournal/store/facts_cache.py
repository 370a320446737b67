"""A rebuildable cache of the home screen's facts, keyed by a stamp of every file they come from.

The home screen's facts (settings, sessions, actions, agreements, assessments) take a YAML and
pydantic read of many files; the facts themselves are a few hundred bytes. This module keeps
them as JSON next to the diary index, with the stamp (path, size, mtime, inode, ctime, from one
``lstat`` each, no file contents) of every file the services read for them. A stamp that differs
in any way, a missing, damaged or foreign file, or a cache folder that cannot be read or written
means "not cached": the caller asks the services as usual. So the cache can be deleted at any
time and is never the reason for a wrong answer or an error.

Only the standard library and the private-write helpers are imported here: a warm home screen
must not pay for pydantic or YAML.
"""

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from peerjournal import __version__
from peerjournal.errors import PeerJournalError
from peerjournal.store.atomic import ensure_private_dir, write_atomic
from peerjournal.store.digest import blake2b_hex
from peerjournal.store.index import index_path
from peerjournal.store.layout import DataHome
from peerjournal.store.vault import read_private

# Bump when a fact's meaning or shape changes, so old files are read again.
# 2: the self-assessment ratings by competency, for resurfacing on the home screen.
FACTS_VERSION = 3  # 3: a caseload row says when the worker last shared a bundle
FILE_NAME = "home-facts.json"
# The person records (store.people.PeopleStore.folder): sessions and assessments name people by
# id on disk and by their current name in memory, so a rename changes the facts.
PEOPLE_DIR = "people"
MAX_DEPTH = 4  # supervision/sessions/YYYY/file is the deepest the stores look
MAX_BYTES = 1024 * 1024  # a cache file bigger than this is not one of ours

Stamp = list[object]  # [path, kind, size, mtime_ns, inode, ctime_ns], JSON-shaped


def facts_path(home: DataHome, cache_root: Path) -> Path:
    """The facts file of a home: in the home's own cache folder, beside its diary index."""
    return index_path(home, cache_root).parent / FILE_NAME


def watched(home: DataHome) -> tuple[Path, ...]:
    """Every file or folder the home screen's facts are read from (folders with all inside)."""
    return (
        home.settings_file,
        home.root / PEOPLE_DIR,
        home.supervision_dir,  # sessions and agreements
        home.assessments_dir,  # complete assessments and drafts in progress
        home.drafts_dir,
        home.root / "team",  # sessions shared with this home count on its home screen
    )


def signature(home: DataHome) -> list[Stamp]:
    """The stamp of every watched path, in a fixed order: equal stamps, unchanged files.

    Links are stamped themselves and, when they lead somewhere, by their target too, so a
    changed target is noticed even though the stores refuse most links; folders reached
    through a link are walked like real ones (a home may be assembled from links).
    """
    stamps: list[Stamp] = []
    for path in watched(home):
        stamps.extend(_stamps(path, 0))
    return stamps


def _stamps(path: Path, depth: int) -> Iterator[Stamp]:
    try:
        info = path.lstat()
    except OSError as error:
        yield [str(path), "missing", error.errno or 0, 0, 0, 0]
        return
    yield _stamp(path, "link" if stat.S_ISLNK(info.st_mode) else "entry", info)
    target = info
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.stat()
        except OSError:
            return  # a dangling link: its own stamp says all there is
        yield _stamp(path, "target", target)
    if not stat.S_ISDIR(target.st_mode) or depth >= MAX_DEPTH:
        return
    try:
        with os.scandir(path) as listing:
            names = sorted(entry.name for entry in listing)
    except OSError as error:
        yield [str(path), "unlisted", error.errno or 0, 0, 0, 0]
        return
    for name in names:
        yield from _stamps(path / name, depth + 1)


def _stamp(path: Path, kind: str, info: os.stat_result) -> Stamp:
    return [str(path), kind, info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


class FactsCache:
    """The home screen's facts of one home, stored as JSON under a stamp of their files."""

    def __init__(self, home: DataHome, path: Path) -> None:
        self.home = home
        self.path = path

    def signature(self) -> list[Stamp]:
        return signature(self.home)

    def load(self, stamps: list[Stamp]) -> dict[str, Any] | None:
        """The facts stored under exactly these stamps, or None for any reason at all."""
        try:
            info = self.path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                return None  # a link, a folder or something huge in its place is not ours
            stored = json.loads(read_private(self.path))
            if not isinstance(stored, dict):
                return None
            facts = stored.get("facts")
            digest = _digest(facts)
        except (OSError, ValueError, RecursionError):  # RecursionError: nested too deep
            return None
        expected = {
            "version": FACTS_VERSION,
            "peerjournal": __version__,
            "home": str(self.home.root.absolute()),
            "signature": stamps,
            "digest": digest,
        }
        if any(stored.get(key) != value for key, value in expected.items()):
            return None
        return facts if isinstance(facts, dict) else None

    def save(self, stamps: list[Stamp], facts: dict[str, Any]) -> bool:
        """Store facts read under ``stamps``; False when the cache cannot be written (no error)."""
        payload = {
            "version": FACTS_VERSION,
            "peerjournal": __version__,
            "home": str(self.home.root.absolute()),
            "signature": stamps,
            "digest": _digest(facts),
            "facts": facts,
        }
        try:
            ensure_private_dir(self.path.parent)
            write_atomic(self.path, json.dumps(payload, sort_keys=True) + "\n")
        except (OSError, PeerJournalError):
            return False
        return True


def _digest(facts: object) -> str:
    """A hash of the facts as stored, so a file damaged in place is not read as facts."""
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"))
    return blake2b_hex(text.encode("utf-8"), 16)
