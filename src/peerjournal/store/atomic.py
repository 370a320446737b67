"""Private, atomic, durable writes: the one way peerjournal puts bytes on disk.

Never truncate in place (jrnl lost whole journals that way): write a temp file in the same
folder, flush and fsync it, rename it over the target, then fsync the folder so the rename
itself survives a power cut. Files are 0600 and folders 0700 whatever the umask.
"""

import errno
import os
import time
from pathlib import Path

from peerjournal.errors import InputError, StorageError
from peerjournal.store.vault import seal_for_write

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
TEMP_SUFFIX = ".tmp"
_REPLACE_RETRIES = 5  # a virus scanner or indexer may hold the target for a moment
_WRITABLE_HINT = (
    "; make it writable, or choose a writable data home with --home or PEERJOURNAL_HOME"
)


def refuse_links(folder: Path, within: Path) -> None:
    """Refuse a folder inside ``within`` that is, or is reached through, a symbolic link.

    A link inside the data home (``journal``, ``.trash``, ``.recovery``) would send private
    notes wherever it points; peerjournal never made it, so it never writes through it. The
    home itself may be a link: the user chose it.
    """
    root = within.absolute()
    try:
        relative = folder.absolute().relative_to(root)
    except ValueError:
        raise StorageError(
            "is outside the data home; refusing to write there", path=folder
        ) from None
    current = root
    for part in relative.parts:
        current = current / part
        if part == ".." or current.is_symlink():
            raise StorageError(
                "is a symbolic link, and peerjournal does not write through links it did not "
                "make; nothing was written: replace it with a real folder",
                path=current,
            )


def ensure_private_dir(path: Path, *, within: Path | None = None) -> None:
    """Create ``path`` and any missing parents as 0700 folders (mkdir's mode obeys the umask).

    With ``within`` (the data home), a link on the way from it to ``path`` is refused first.
    """
    if within is not None:
        refuse_links(path, within)
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        except OSError as error:
            raise StorageError(
                _reason("could not create folder", error) + _WRITABLE_HINT, path=folder
            ) from error
        make_private(folder)


def make_private(folder: Path) -> None:
    """Make a folder 0700; a disk that refuses (read-only, not ours) is one clear error."""
    try:
        folder.chmod(PRIVATE_DIR)
    except OSError as error:
        raise StorageError(
            _reason("could not make this folder private", error) + _WRITABLE_HINT, path=folder
        ) from error


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    within: Path | None = None,
    as_given: bool = False,
    mode: int = PRIVATE_FILE,
) -> None:
    """Replace ``path`` with ``content`` so that a crash leaves the old or the new file, whole.

    ``within`` is the data home the file belongs in: no folder link on the way is written through.
    In an encrypted home the content is sealed, unless ``as_given`` (``encrypt``/``decrypt``,
    which decide the form of every file themselves). ``mode`` is set before the rename, so a
    read-only record stays read-only whenever the command stops.
    """
    data = _encode(content, path)
    if not as_given:
        data = seal_for_write(path, data, within)
    if path.is_symlink():
        raise StorageError("is a symbolic link; refusing to replace it with a file", path=path)
    ensure_private_dir(path.parent, within=within)
    tmp = _write_temp(path, data, mode)
    try:
        _replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            _reason("could not save", error) + "; the previous version is untouched", path=path
        ) from error
    _sync_after_rename(path)


def create_exclusive(path: Path, content: str | bytes, *, within: Path | None = None) -> bool:
    """Write a new file only if ``path`` does not exist yet; False when it already does.

    Used for new records, so two writers that chose the same name never overwrite each other.
    ``within`` is the data home, as for ``write_atomic``.
    """
    data = seal_for_write(path, _encode(content, path), within)
    ensure_private_dir(path.parent, within=within)
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)  # atomic, and fails if the name is taken
    except FileExistsError:
        return False
    except OSError as error:
        raise StorageError(_reason("could not save", error), path=path) from error
    finally:
        tmp.unlink(missing_ok=True)
    _sync_after_rename(path)
    return True


def move_private(source: Path, target: Path, *, within: Path | None = None) -> None:
    """Move a record (to the trash and back) without ever having two half copies.

    With ``within`` (the data home), neither side may be reached through a folder link.
    """
    if within is not None:
        refuse_links(source.parent, within)
    ensure_private_dir(target.parent, within=within)
    if target.exists():
        raise StorageError("a file with that name is already there", path=target)
    try:
        source.replace(target)
        fsync_dir(target.parent)
        fsync_dir(source.parent)
    except OSError as error:
        raise StorageError(_reason("could not move", error), path=source) from error


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_after_rename(path: Path) -> None:
    """Make a finished rename durable; if the disk refuses, say so truthfully.

    The new file is already in place at this point, so the message must not claim the previous
    version is untouched (a caller that believed it might save the same text twice).
    """
    try:
        fsync_dir(path.parent)
    except OSError as error:
        raise StorageError(
            _reason("saved, but the disk did not confirm it", error)
            + "; the new version is in place but may not survive a power cut",
            path=path,
        ) from error


def is_loose(path: Path) -> bool:
    """Whether group or others may read or enter ``path`` (False when it does not exist)."""
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False


def is_temp_file(path: Path) -> bool:
    """Whether ``path`` is a leftover of an interrupted write, which readers must skip."""
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def _encode(content: str | bytes, path: Path) -> bytes:
    """Encode before any file is opened, so text that cannot be encoded never truncates a file."""
    if isinstance(content, bytes):
        return content
    try:
        return content.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"text has a character that cannot be stored (position {error.start})", path=path
        ) from None


def _write_temp(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}{TEMP_SUFFIX}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, PRIVATE_FILE)
        if mode != PRIVATE_FILE:
            os.fchmod(fd, mode)  # written through this descriptor, whatever the mode says
    except OSError as error:
        raise StorageError(_reason("could not save", error), path=path) from error
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            _reason("could not save", error) + "; the previous version is untouched", path=path
        ) from error
    return tmp


def _replace(tmp: Path, path: Path) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            tmp.replace(path)
        except PermissionError:
            if attempt == _REPLACE_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
        else:
            return


def _reason(what: str, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return f"{what}: the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what}: permission denied or read-only file system"
    return f"{what} ({error.strerror or type(error).__name__})"
