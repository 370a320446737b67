"""One writer at a time per data home.

Atomic renames alone still lose updates when two processes read, change and rewrite the same
file. An ``flock`` on ``<home>/.lock`` serialises writers; the kernel drops it when a process
dies, so a killed command never leaves a lock that blocks the next one.
"""

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peerjournal.errors import StorageError
from peerjournal.store.atomic import PRIVATE_FILE, ensure_private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; writes stay atomic, not serialised
    fcntl = None  # type: ignore[assignment]

DEFAULT_TIMEOUT = 5.0
_POLL = 0.05

# Locks this process already holds, so a service that calls another service does not
# deadlock on its own lock (flock is per open file, not per process).
_held: dict[Path, int] = {}


@contextmanager
def home_lock(lock_file: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the data home's write lock, waiting at most ``timeout`` seconds for it."""
    key = lock_file.absolute()
    if key in _held or fcntl is None:
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _release_count(key)
        return
    ensure_private_dir(lock_file.parent)
    fd = _open(lock_file)
    try:
        _acquire(fd, lock_file, timeout)
        _note_holder(fd)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _note_holder(fd: int) -> None:
    """Write our pid for a waiting command to name; the lock is held even if this fails.

    A full or failing disk must not turn into an unexplained crash here: the save that follows
    reports the disk's problem properly, and keeps what the user typed.
    """
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError:
        return


def _release_count(key: Path) -> None:
    _held[key] -= 1
    if _held[key] == 0:
        del _held[key]


def _open(lock_file: Path) -> int:
    try:
        return os.open(
            lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE
        )
    except OSError as error:
        raise StorageError(
            f"cannot open the lock file ({error.strerror}); is the data home read-only?",
            path=lock_file,
        ) from error


def _acquire(fd: int, lock_file: Path, timeout: float) -> None:
    assert fcntl is not None  # noqa: S101 - narrowed for the type checker; checked by the caller
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StorageError(f"cannot lock ({error.strerror})", path=lock_file) from error
            if time.monotonic() >= deadline:
                raise StorageError(
                    f"another peerjournal command{_holder(lock_file)} is writing; "
                    f"gave up after {timeout:g} s waiting for the lock",
                    path=lock_file,
                ) from None
            time.sleep(_POLL)
        else:
            return


def _holder(lock_file: Path) -> str:
    try:
        pid = lock_file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
