"""A small rebuildable file that keeps the frameworks' outline between invocations.

Loading the catalog parses every framework file as YAML and builds its pydantic model; that
costs more than `diary evidence` itself at 50,000 entries. The outline the catalog yields
(ids, domains, items) is kept here, in the per-home cache folder next to the diary index, under
a signature of every file the catalog reads (path, mode, size, mtime, inode, ctime) and of
peerjournal's version. Any edit, addition or removal changes the signature, so the file is
never trusted for a catalog it was not written from.

This module only stores and checks bytes: what goes in is decided by the service layer
(``services.framework_outline``), which writes what a catalog loaded by the usual rules says.
A missing, damaged, unreadable, stale or unwritable file is never an error, only a miss.
"""

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from peerjournal import __version__
from peerjournal.errors import PeerJournalError, RecordError
from peerjournal.store.atomic import write_atomic
from peerjournal.store.digest import sha256_hex
from peerjournal.store.vault import unseal

if TYPE_CHECKING:
    from peerjournal.store.layout import DataHome

CACHE_NAME = "frameworks.json"
CACHE_FORMAT = 1  # bump when the stored outline changes shape
_KIND = "peerjournal framework outline"
_MAX_BYTES = 16 * 1024 * 1024  # an outline is kilobytes; anything this big is not ours
# git's "racy" rule, as the diary index follows it: a file changed less than this before the
# cache was written could change again within the file system's timestamp granularity (FAT,
# ext3 and HFS+ keep 1-2 s) and keep its stamp, so such a cache is not trusted
RACY_NS = 2_000_000_000


class Signature(NamedTuple):
    """What the catalog's files looked like: a digest of their stamps, and the newest change."""

    digest: str
    newest_ns: int


def cache_file(home: "DataHome", cache_root: Path) -> Path:
    """The outline's file: in the home's own cache folder, beside its diary index."""
    from peerjournal.store.index import index_path

    return index_path(home, cache_root).with_name(CACHE_NAME)


def signature(paths: Sequence[Path]) -> Signature:
    """The signature of these files as they are now; a missing file is part of it too."""
    stamps = [(str(path), _stamp(path)) for path in paths]
    text = json.dumps([_KIND, CACHE_FORMAT, __version__, stamps])
    newest = max((_newest(stamp) for _, stamp in stamps if stamp), default=0)
    return Signature(sha256_hex(text.encode("utf-8")), newest)


def read(path: Path, expected: Signature) -> Any | None:  # noqa: ANN401 - JSON the caller checks
    """The stored outline when it was written for ``expected``, else None (a miss)."""
    try:
        with path.open("rb") as file:
            written = os.fstat(file.fileno()).st_mtime_ns
            data = file.read(_MAX_BYTES + 1)
        data = unseal(path, data)
    except (OSError, RecordError):
        return None
    if len(data) > _MAX_BYTES or expected.newest_ns >= written - RACY_NS:
        return None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        return None
    if not isinstance(document, dict):
        return None
    if document.get("cache") != _KIND or document.get("signature") != expected.digest:
        return None
    return document.get("outline")


def write(path: Path, expected: Signature, outline: object) -> bool:
    """Store an outline for ``expected``, atomically and privately; False when it cannot be."""
    document = {"cache": _KIND, "signature": expected.digest, "outline": outline}
    try:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        write_atomic(path, text + "\n")
    except (OSError, PeerJournalError, ValueError):  # a read-only cache is slower, not wrong
        return False
    return True


def _stamp(path: Path) -> tuple[int, ...] | None:
    """Mode, size, mtime, inode and ctime; a link adds its target's, so either may change."""
    try:
        found = path.lstat()
    except OSError:
        return None
    stamp: tuple[int, ...] = (
        found.st_mode,
        found.st_size,
        found.st_mtime_ns,
        found.st_ino,
        found.st_ctime_ns,
    )
    if stat.S_ISLNK(found.st_mode):
        try:
            target = path.stat()
        except OSError:
            return (*stamp, -1)
        stamp += (target.st_size, target.st_mtime_ns, target.st_ino, target.st_ctime_ns)
    return stamp


def _newest(stamp: tuple[int, ...]) -> int:
    """The latest mtime or ctime in a stamp (the link's own, and its target's when it has one)."""
    times = [stamp[2], stamp[4]]
    if len(stamp) == 9:
        times += [stamp[6], stamp[8]]
    return max(times)
