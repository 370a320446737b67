"""What changed in the journal since the index last looked: folder stamps first, files if needed.

The journal is ``journal/YYYY/MM/*.md``. Adding, removing or renaming a file changes its
folder's mtime (and its ctime, which cannot be set back), so a folder whose stamp is as recorded
still holds the files recorded and is not listed at all. A quick look stats the journal, its
year folders and its month folders (about 70 stats for 50,000 entries) instead of every file.

A folder stamp cannot see an edit made inside a file that keeps its name (an editor writing
into the file in place). The rows a command shows are checked against their files
(``Index.verify``), and a full look, which stats every file, runs every few minutes and on
``reindex``, ``doctor`` and ``--fresh``.

A folder stamp recorded less than ``RACY_NS`` before the index was last written is not trusted
(git's "racy" rule): a second change inside the file system's timestamp granularity would leave
the folder's mtime as it was, so such a folder is looked into again until a later write.
"""

import os
import sqlite3
import stat

from peerjournal.store.index_rows import Stamp, folder_files, known_files, subfolders

RACY_NS = 2_000_000_000  # 2 s: the coarsest common mtime granularity (FAT, ext3 and HFS+: 1-2 s)
MONTH_LEVEL = 2  # journal (0) / year (1) / month (2): entry files live in month folders


class Look:
    """What one look found: files to read, files gone, and folder rows to write or drop.

    A plain class, not a dataclass: defining one costs half a millisecond at every start.
    """

    __slots__ = ("changed", "dropped", "folders", "gone", "read", "unread", "unread_files")

    def __init__(self) -> None:
        self.changed: list[tuple[str, Stamp]] = []
        self.gone: list[str] = []
        self.folders: dict[str, tuple[int, str, int]] = {}  # level, stamp, files
        self.dropped: list[str] = []
        # month folders the index has no row for (all of them, on a first build): listed and
        # read one by one when the look is applied, so a build never holds 50,000 stamps
        self.unread: dict[str, str] = {}  # folder: its stamp
        self.unread_files = 0  # about how many files they hold (for a progress bar)
        self.read = 0  # how many files applying the look read

    @property
    def empty(self) -> bool:
        return not (self.changed or self.gone or self.folders or self.dropped or self.unread)


def parent(path: str) -> str:
    """The folder a stored absolute path is in (string work: this runs for every row)."""
    return path.rpartition(os.sep)[0] or os.sep


def folder_stamp(path: str) -> tuple[int, str] | None:
    """A folder's mtime and its stamp text (mtime, inode, ctime); None if not a real folder.

    Links are not followed: a linked folder is not the home's own and is not indexed.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    return info.st_mtime_ns, f"{info.st_mtime_ns}:{info.st_ino}:{info.st_ctime_ns}"


def look(db: sqlite3.Connection, journal: str, *, full: bool, trusted_before: int) -> Look:
    """Compare the journal with the index's folder and file rows.

    ``full`` looks into every month folder and compares every file's stamp; otherwise a
    folder whose stamp is as recorded, and older than ``trusted_before`` (ns), is skipped.
    """
    stored: dict[str, tuple[int, str, int]] = {
        path: (level, stamp, files)
        for path, level, stamp, files in db.execute("SELECT path, level, stamp, files FROM folders")
    }
    children: dict[str, list[str]] = {}
    for path in stored:
        children.setdefault(parent(path), []).append(path)
    found = Look()
    seen: set[str] = set()

    def visit(path: str, level: int) -> None:
        seen.add(path)
        current = folder_stamp(path)
        if current is None:
            return  # gone, or a link: its rows are dropped below
        mtime, text = current
        old = stored.get(path)
        same = old is not None and old[0] == level and old[1] == text
        trusted = same and not full and mtime < trusted_before
        if level == MONTH_LEVEL:
            if old is None:
                found.unread[path] = text
                found.unread_files += _count_entries(path)
            elif not trusted:
                count = compare_month(db, path, found)
                if not same or old is None or old[2] != count:
                    found.folders[path] = (level, text, count)
            return
        if not same:
            found.folders[path] = (level, text, 0)
        for child in sorted(children.get(path, [])) if trusted else subfolders(path):
            visit(child, level + 1)

    visit(journal, 0)
    for path, (level, _, _) in stored.items():
        if path not in seen:
            found.dropped.append(path)
            if level == MONTH_LEVEL:
                found.gone += list(known_files(db, path))
    return found


def _count_entries(folder: str) -> int:
    try:
        with os.scandir(folder) as items:  # names only: no stat, unlike folder_files
            return sum(1 for i in items if i.name.endswith(".md") and i.name[0] != ".")
    except OSError:
        return 0


def compare_month(db: sqlite3.Connection, folder: str, found: Look) -> int:
    """Note the month folder's new, changed and gone files; return how many files it holds."""
    files = folder_files(folder)
    known = known_files(db, folder)
    found.changed += [(path, stamp) for path, stamp in files.items() if known.get(path) != stamp]
    found.gone += [path for path in known if path not in files]
    return len(files)


def stale_files(db: sqlite3.Connection, paths: list[str]) -> list[tuple[str, Stamp | None]]:
    """Of these indexed files, those whose file no longer matches its row (None: gone).

    A path with no row of its own is a damaged index (KeyError, which the reader meets by a
    rebuild): an entry row can only come from a file row.
    """
    recorded: dict[str, Stamp] = {}
    for start in range(0, len(paths), 500):  # well under SQLite's limit of bound values
        chunk = paths[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT path, size, mtime_ns, inode, ctime_ns FROM files WHERE path IN ({marks})",  # noqa: S608 - placeholders only; values are bound
            chunk,
        )
        recorded.update((path, (size, mt, ino, ct)) for path, size, mt, ino, ct in rows)
    stale: list[tuple[str, Stamp | None]] = []
    for path in paths:
        if path not in recorded:
            raise KeyError(f"the index shows an entry of {path}, a file it does not list")
        try:
            info = os.lstat(path)
        except OSError:
            stale.append((path, None))
            continue
        now = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
        if not stat.S_ISREG(info.st_mode):
            stale.append((path, None))
        elif recorded.get(path) != now:
            stale.append((path, now))
    return stale
