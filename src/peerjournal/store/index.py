"""A rebuildable SQLite index of the diary, so list, filter, search and counts stay fast.

Files stay the truth. The index lives in the user cache folder, one per data home, and is
refreshed from file sizes and modification times: only files that changed are read again. It can
be deleted at any time; a missing, corrupt or outdated index is rebuilt, and so is one that
belongs to another home or does not agree with the files it covers (see ``disagreement``). An
index that cannot be written is built in memory for the command instead (``unwritable``).
Entries are read by the same rules as `diary show` (``models.entry``): a fast path takes the
files peerjournal writes itself, proven to read them as the model does, and hands any other
file to the model, so a cold
build of tens of thousands of files still takes seconds and every command agrees on every file.
The cache folder is handed in by the composition root, never looked up here.
"""

import contextlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from peerjournal.errors import StorageError
from peerjournal.store.atomic import PRIVATE_FILE, ensure_private_dir
from peerjournal.store.digest import sha256_hex
from peerjournal.store.index_rows import Batch, Stamp, forget, known_files, listed
from peerjournal.store.index_scan import (
    MONTH_LEVEL,
    RACY_NS,
    Look,
    compare_month,
    look,
    parent,
    stale_files,
)
from peerjournal.store.layout import DataHome

INDEX_VERSION = 11  # 11: planned and composite
# How old the last full look (every file's stamp) may be before one runs after a command
FULL_CHECK_EVERY = timedelta(minutes=5)
Progress = Callable[[int, int], None]
# What reading a damaged index can raise: SQLite's own errors, and rows it hands back that no
# longer parse (bad JSON, a bad date, a missing column)
# SQLCipher's errors (an encrypted home's index) are not sqlite3's: they join once it is loaded.
_DB_ERRORS: list[type[Exception]] = [sqlite3.Error]


def db_errors() -> tuple[type[Exception], ...]:
    """What the index's database module raises: sqlite3's, and SQLCipher's once loaded."""
    return tuple(_DB_ERRORS)


def damage() -> tuple[type[Exception], ...]:
    """What reading a damaged index can raise (evaluated when an error is matched)."""
    return (*_DB_ERRORS, ValueError, TypeError, KeyError, IndexError)


_ABANDONED: list[sqlite3.Connection] = []  # see Index.abandon

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders (
    path TEXT PRIMARY KEY, level INTEGER NOT NULL, stamp TEXT NOT NULL, files INTEGER NOT NULL
);
CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, error TEXT, line INTEGER
);
CREATE INDEX files_broken ON files (path) WHERE error IS NOT NULL;
CREATE INDEX files_count ON files (line);
CREATE TABLE entries (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, ts REAL NOT NULL, date TEXT NOT NULL,
    day TEXT NOT NULL, title TEXT NOT NULL, tags TEXT NOT NULL, competencies TEXT NOT NULL,
    for_supervision INTEGER NOT NULL, discussed INTEGER NOT NULL,
    planned INTEGER, composite INTEGER NOT NULL
);
CREATE INDEX entries_ts ON entries (ts, id);
CREATE INDEX entries_day ON entries (day);
CREATE INDEX entries_path ON entries (path);
CREATE INDEX entries_waiting ON entries (ts) WHERE for_supervision = 1 AND discussed = 0;
CREATE INDEX entries_count ON entries (discussed);
CREATE TABLE entry_tags (id TEXT NOT NULL, tag TEXT NOT NULL);
CREATE INDEX entry_tags_tag ON entry_tags (tag, id);
CREATE INDEX entry_tags_id ON entry_tags (id);
CREATE TABLE entry_refs (id TEXT NOT NULL, ref TEXT NOT NULL);
CREATE INDEX entry_refs_ref ON entry_refs (ref, id);
CREATE INDEX entry_refs_id ON entry_refs (id);
-- counts per tag and per reference, kept as rows come and go, so `diary tags` and the evidence
-- map read a few dozen rows instead of grouping every link (checked by each full look)
CREATE TABLE tag_totals (tag TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE ref_totals (ref TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE entry_text USING fts5 (title, body);
"""


class IndexDamaged(sqlite3.DatabaseError):
    """The index opens and reads but is wrong: it disagrees with the files or its home."""


class IndexedEntry(NamedTuple):
    """What lists, filters and counts need of an entry, without reading its file."""

    id: str
    file: str  # the entry file's absolute path, as the index stores it
    date: datetime
    title: str
    tags: tuple[str, ...]
    competencies: tuple[str, ...]
    for_supervision: bool
    discussed: bool
    planned: bool | None = None  # planned, unplanned, or not said
    composite: bool = False  # merges or alters cases to protect identity

    @property
    def path(self) -> Path:
        """The entry's file (made when asked: a 500-row search need not build 500 Paths)."""
        return Path(self.file)


class RefreshStats(NamedTuple):
    """What one refresh did."""

    files: int
    read: int
    removed: int
    rebuilt: bool


class Query(NamedTuple):
    """An entry query in index terms; every part must match.

    Days are compared with the ``day`` column, the entry's date in its own offset, so an entry
    belongs to the day its writer saw whatever zone the query runs in.
    """

    since: date | None = None  # inclusive
    until: date | None = None  # inclusive
    all_tags: tuple[str, ...] = ()
    any_tags: tuple[str, ...] = ()
    refs: tuple[str, ...] | None = None  # lower-case refs; any must match
    ref_prefix: str | None = None  # lower-case 'framework/'
    words: tuple[str, ...] = ()
    for_supervision: bool | None = None
    waiting: bool = False  # marked for supervision and not yet discussed
    planned: bool | None = None
    composite: bool | None = None
    limit: int | None = None  # the newest N


def index_path(home: DataHome, cache_root: Path, key_id: str | None = None) -> Path:
    """The index file for a home: one folder per home, named by a hash of its path.

    An encrypted home's index is named by the data key it is keyed from, so a rekey starts a
    new one rather than mistaking the old for damage.
    """
    return cache_folder(home, cache_root) / (
        "index.sqlite" if key_id is None else f"index-{key_id}.sqlcipher"
    )


def cache_folder(home: DataHome, cache_root: Path) -> Path:
    """The folder of a home's caches: the index and the small caches beside it."""
    return cache_root / "homes" / sha256_hex(str(home.root.absolute()).encode("utf-8"))[:16]


class Index:
    """The diary index of one data home."""

    def __init__(self, home: DataHome, path: Path, key: bytes | None = None) -> None:
        self.home = home
        self.path = path
        self.key = key  # an encrypted home's raw SQLCipher key; None for a plain home
        self._db: sqlite3.Connection | None = None
        self.unwritable: str | None = None  # why the index is in memory for this command
        self.healed: str | None = None  # what was wrong with the index this command rebuilt
        # folder stamps older than this (ns) are trusted: see index_scan's racy rule
        self._trusted_before = 0

    # --- opening and refreshing ----------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        """Open the index, creating or rebuilding it when it is missing, outdated or corrupt.

        When the file cannot be written (a read-only cache, a folder in the way), the index is
        built in memory for this one command: slower, still right, and ``unwritable`` says why.
        """
        if self._db is not None:
            return self._db
        try:
            ensure_private_dir(self.path.parent)
            try:
                db = self._open()
            except db_errors() as error:
                if self.path.is_file() and "readonly" not in str(error):
                    self.healed = self.healed or f"damaged ({error})"
                self.delete()
                db = self._open()
        except (OSError, StorageError, *_DB_ERRORS) as error:  # type: ignore[misc]
            db = self._in_memory(error)
        self._db = db
        return db

    def _open(self) -> sqlite3.Connection:
        written = _mtime_ns(self.path)
        fresh = written == 0
        self._trusted_before = written - RACY_NS
        db = self._connect(self.path)
        with contextlib.suppress(OSError):
            self.path.chmod(PRIVATE_FILE)
        try:
            # a cache needs no durability, and waiting for the disk cost more than saving the
            # entry itself. A crash of the process loses nothing (the system has the pages);
            # a power cut may lose the last commits, which the next look finds again since
            # the folders' stamps moved on, or tear the file, which is damage and rebuilt.
            # One file, no write-ahead log: a copied or damaged index file is judged alone.
            db.execute("PRAGMA synchronous = OFF")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if fresh or version != INDEX_VERSION:
                _create(db, self.owner())
            elif _meta(db, "home") != self.owner():
                self.healed = self.healed or "made for another home"
                _create(db, self.owner())
            if _tables_missing(db):
                raise sqlite3.DatabaseError("tables are missing")
        except db_errors():
            db.close()
            raise
        return db

    def _connect(self, target: Path | str, *, uri: bool = False) -> sqlite3.Connection:
        """A connection to the index file: SQLite, or SQLCipher with the raw key when encrypted.

        The raw key skips SQLCipher's own passphrase derivation (210 ms a open against 0.2 ms),
        which the key's derivation from the data key makes unneeded.
        """
        if self.key is None:
            return sqlite3.connect(target, timeout=10, isolation_level=None, uri=uri)
        from sqlcipher3 import dbapi2 as cipher  # type: ignore[import-untyped]

        if cipher.Error not in _DB_ERRORS:
            _DB_ERRORS.append(cipher.Error)
        db: sqlite3.Connection = cipher.connect(  # same DB-API as sqlite3
            target, timeout=10, isolation_level=None, uri=uri
        )
        db.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error, not a log line
        db.execute(f"PRAGMA key = \"x'{self.key.hex()}'\"")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a wrong key fails here
        return db

    def owner(self) -> str:
        """Which home the index belongs to: its absolute path and its folder's identity.

        A copy of another home's index, or the index of a home that was replaced by another
        one at the same path, has a different owner and is rebuilt rather than believed.
        """
        root = self.home.root.absolute()
        try:
            stat = root.stat()
        except OSError:
            return str(root)
        return f"{root}\n{stat.st_dev}:{stat.st_ino}"

    def _in_memory(self, error: BaseException) -> sqlite3.Connection:
        """An index for this command only, when the one on disk cannot be opened or written."""
        self.close()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        self.unwritable = reason or type(error).__name__
        db = sqlite3.connect(":memory:", isolation_level=None)
        _create(db, self.owner())
        self._trusted_before = 1 << 62  # built in this command: its stamps are its own
        return db

    def abandon(self) -> None:
        """Let go of the connection without closing it: after a fork it is the parent's.

        SQLite forbids using a connection across ``fork``; closing it in the child could
        disturb the parent's locks, so it is kept alive, unused, until the child exits.
        """
        if self._db is not None:
            _ABANDONED.append(self._db)
            self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def delete(self) -> None:
        """Remove the index files; the next use rebuilds them.

        What cannot be removed (a read-only cache, a folder in the way) is left for ``connect``,
        which then builds the index in memory and says why.
        """
        self.close()
        self.unwritable = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def notices(self) -> list[tuple[str, str]]:
        """What the command should say about the cache, as (kind, message): at most one line."""
        if self.unwritable is not None:
            return [("warning", f"the diary index at {self.path} cannot be written "
                     f"({self.unwritable}); {MEND}")]  # fmt: skip
        if self.healed is not None:
            return [("notice", "the diary index was damaged and has been rebuilt from the files")]
        return []

    def recover(self, error: BaseException) -> None:
        """Meet a failure to read the index: rebuild it on disk once, then in memory."""
        if self.unwritable is not None:
            raise error  # already in memory: the failure is not the cache's
        if self.healed is None and not _unwritable(error):
            self.healed = str(error) or type(error).__name__
            self.delete()
            return
        self._db = self._in_memory(error)

    def refresh(
        self,
        progress: Progress | None = None,
        *,
        full: bool = False,
        now: datetime | None = None,
    ) -> RefreshStats:
        """Bring the index up to date with the files: read new and changed ones, drop gone ones.

        A quick refresh trusts folder stamps (see ``index_scan``); ``full`` compares every
        file's stamp, and records ``now`` as the time of the last full look.
        """
        db = self.connect()
        found = look(db, self._journal(), full=full, trusted_before=self._trusted_before)
        rebuilt = False
        if not found.empty:
            self._agree(db)  # what is stored must add up before a change is laid on it
            rebuilt = self._write(db, found, progress)
        if full:
            self._agree_totals(db)
        if (full or rebuilt) and now is not None and self.unwritable is None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('checked', ?)", (now.isoformat(),))
        files = self._agree(db)
        return RefreshStats(files, found.read, len(found.gone), rebuilt=rebuilt)

    def _write(self, db: sqlite3.Connection, found: Look, progress: Progress | None) -> bool:
        """Apply one look in one transaction; true when the index was empty before (a build).

        Every changed file is forgotten before it is added, so two commands that saw the same
        change can both apply it: the second one's rows replace the first's.
        """
        db.execute("BEGIN IMMEDIATE")
        try:
            rebuilt = bool(db.execute("SELECT count(*) FROM files").fetchone()[0] == 0)
            for path in found.gone:
                forget(db, path)
            batch = Batch(db)
            total = len(found.changed) + found.unread_files
            done = 0

            def apply(changes: list[tuple[str, Stamp]]) -> None:
                nonlocal done
                for path, stamp in changes:
                    if not rebuilt:
                        forget(db, path)
                    batch.add(path, stamp)
                    done += 1
                    if done % 500 == 0:
                        batch.flush()
                        if progress is not None:
                            progress(done, total)

            apply(found.changed)
            for month, stamp_text in found.unread.items():  # one month's stamps at a time
                one = Look()
                count = compare_month(db, month, one)
                for path in one.gone:
                    forget(db, path)
                found.folders[month] = (MONTH_LEVEL, stamp_text, count)
                apply(one.changed)
            batch.flush()
            for path in batch.vanished:  # look into its folder again next time, count it less
                folder = parent(path)
                level, _, count = found.folders.get(folder, (MONTH_LEVEL, "", 1))
                found.folders[folder] = (level, "", count - 1)
            db.executemany(
                "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)",
                [(path, *row) for path, row in found.folders.items()],
            )
            db.executemany("DELETE FROM folders WHERE path = ?", [(p,) for p in found.dropped])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if progress is not None and done:
            progress(done, done)
        found.read = done
        return rebuilt

    def verify(self, paths: Sequence[str | Path]) -> bool:
        """Check the rows about to be shown against their files; re-read any that changed.

        An edit made inside a file (which a folder stamp cannot see) is caught here for every
        row a command prints. True when something was re-read, so the caller asks again.
        """
        db = self.connect()
        stale = stale_files(db, [str(path) for path in paths])
        if not stale:
            return False
        db.execute("BEGIN IMMEDIATE")
        try:
            batch = Batch(db)
            for path, stamp in stale:
                forget(db, path)
                if stamp is not None:
                    batch.add(path, stamp)
            batch.flush()
            folders = {parent(path) for path, _ in stale}
            db.executemany(  # the month's file count is found again by the next quick look
                "UPDATE folders SET stamp = '' WHERE path = ?", [(f,) for f in folders]
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._agree(db)
        return True

    def full_check_due(self, now: datetime) -> bool:
        """True when the last full look is older than ``FULL_CHECK_EVERY`` (or in the future)."""
        if self._db is None or self.unwritable is not None:
            return False
        try:
            checked = _meta(self._db, "checked")
            last = datetime.fromisoformat(checked) if checked else None
        except damage():
            return False
        if last is None or last.tzinfo is None:
            return True
        return not timedelta(0) <= now - last < FULL_CHECK_EVERY

    def _agree_totals(self, db: sqlite3.Connection) -> None:
        """The kept tag and reference counts against the links themselves (full looks only)."""
        problem = totals_disagreement(db)
        if problem is not None:
            raise IndexDamaged(f"the index does not agree with itself: {problem}")

    def _agree(self, db: sqlite3.Connection) -> int:
        """The number of entry files, once the rows are shown to add up (else IndexDamaged)."""
        problem, files = disagreement(db)
        if problem is not None:
            raise IndexDamaged(f"the index does not agree with the files: {problem}")
        return files

    def _journal(self) -> str:
        return str(self.home.journal_dir.absolute())  # rows store absolute paths

    # --- queries -------------------------------------------------------------------------

    def entries(self, query: Query) -> list[IndexedEntry]:
        """Entries matching the query, oldest first (the limit keeps the newest)."""
        where, params = _where(query)
        sql = f"SELECT * FROM entries e {where} ORDER BY ts DESC, id DESC"  # noqa: S608 - fixed clauses, values bound
        if query.limit is not None:
            sql += " LIMIT ?"
            params.append(query.limit)
        rows = self.connect().execute(sql, params).fetchall()
        return [_entry(row) for row in reversed(rows)]

    def count(self, query: Query) -> int:
        where, params = _where(query)
        return int(
            self.connect().execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]  # noqa: S608 - placeholders only; values are bound
        )

    def find(self, prefix: str) -> list[tuple[str, Path]]:
        """Entries whose id starts with ``prefix`` as (id, path); an exact match wins alone."""
        rows = (
            self.connect()
            .execute(
                "SELECT id, path FROM entries WHERE id >= ? AND id < ? ORDER BY id",
                (prefix, prefix + "\U0010ffff"),
            )
            .fetchall()
        )
        exact = [(i, Path(p)) for i, p in rows if i == prefix]
        return exact or [(i, Path(p)) for i, p in rows]

    def tag_counts(self) -> list[tuple[str, int]]:
        rows = self.connect().execute(
            "SELECT tag, n FROM tag_totals WHERE n > 0 ORDER BY n DESC, tag"
        )
        return [(tag, int(n)) for tag, n in rows]

    def ref_counts(self) -> dict[str, int]:
        """Linked-entry counts per lower-case item reference."""
        rows = self.connect().execute("SELECT ref, n FROM ref_totals WHERE n > 0")
        return {ref: int(n) for ref, n in rows}

    def broken(self) -> list[tuple[Path, int | None, str]]:
        """Entry files the index could not read: path, line and reason."""
        rows = self.connect().execute(
            "SELECT path, line, error FROM files WHERE error IS NOT NULL ORDER BY path"
        )
        return [(Path(path), line, error) for path, line, error in rows]

    def check(self) -> list[str]:
        """Problems with the index itself, for `doctor` (an empty list when it is healthy).

        A sound index is then brought up to date with every file (a full look): being behind
        the files is not a problem of a cache, only a reason to read them.
        """
        reason = self.blocked()
        if reason is not None:
            return [f"the index cannot be written ({reason}); {MEND}"]
        if not self.path.exists():
            return ["the index does not exist yet; it is built on first use"]
        try:
            db = self._connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
        except db_errors() as error:
            return [f"the index cannot be opened ({error}); {MEND}"]
        try:
            problems = self._problems(db)
        except damage() as error:
            problems = [f"the index is damaged ({error}); it will be rebuilt"]
        finally:
            db.close()
        if problems:
            return problems
        try:  # a sound index is brought up to date with every file (it is only a cache)
            self.refresh(full=True)
        except damage() as error:
            return [f"the index is damaged ({error}); it will be rebuilt"]
        if self.unwritable is not None:
            return [f"the index cannot be written ({self.unwritable}); {MEND}"]
        return []

    def blocked(self) -> str | None:
        """Why the index file could not be created or written, if so; touches nothing."""
        if self.path.is_dir():
            return "a folder is in the way"
        folder = self.path.parent
        while not folder.exists() and folder.parent != folder:
            folder = folder.parent
        if not folder.is_dir():
            return f"{folder} is not a folder"
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            return "read-only"
        return None

    def _problems(self, db: sqlite3.Connection) -> list[str]:
        """What is wrong with an index file that opens: damage, another home, disagreement."""
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            return [f"the index is damaged ({result}); it will be rebuilt"]
        if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            return ["the index is from another version of peerjournal; it will be rebuilt"]
        if _tables_missing(db):
            return ["the index is damaged (tables are missing); it will be rebuilt"]
        if _meta(db, "home") != self.owner():
            return ["the index was made for another home; it will be rebuilt"]
        months = db.execute("SELECT path, files FROM folders WHERE level = ?", (MONTH_LEVEL,))
        for folder, count in months.fetchall():  # folder by folder, for doctor only
            if len(known_files(db, folder)) != count:
                return [f"the index does not agree with the files in {folder}; it will be rebuilt"]
        problem, _ = disagreement(db)
        if problem is not None:
            return [f"the index does not agree with the files: {problem}"]
        problem = totals_disagreement(db)
        return [] if problem is None else [f"the index does not agree with itself: {problem}"]


MEND = (
    "commands read the files instead, which is slower; make the cache folder writable (or move "
    "what is in the way of the index file), then run 'peerjournal doctor --fix'"
)


def disagreement(db: sqlite3.Connection) -> tuple[str | None, int]:
    """How the index's rows fail to add up to the entry files its month folders hold, if so.

    A deleted row, or rows written for another set of files, shows up here at the cost of three
    counts (about 2 ms at 50,000 entries), so a wrong index is rebuilt instead of believed.
    """
    total, files, failed, entries = db.execute(
        "SELECT (SELECT coalesce(sum(files), 0) FROM folders WHERE level = ?), "
        "(SELECT count(*) FROM files), (SELECT count(*) FROM files WHERE error IS NOT NULL), "
        "(SELECT count(*) FROM entries)",
        (MONTH_LEVEL,),
    ).fetchone()
    if files != total:
        return f"it lists {files} entry files where the folders hold {total}", files
    if entries != files - failed:
        return f"it holds {entries} entries for {files - failed} readable files", files
    return None, files


def totals_disagreement(db: sqlite3.Connection) -> str | None:
    """Which kept count differs from counting the links again, if one does (a full scan)."""
    for table, column, links in (("tag_totals", "tag", "entry_tags"),
                                 ("ref_totals", "ref", "entry_refs")):  # fmt: skip
        kept = dict(db.execute(f"SELECT {column}, n FROM {table} WHERE n > 0").fetchall())  # noqa: S608 - fixed names
        counted = dict(
            db.execute(f"SELECT {column}, count(*) FROM {links} GROUP BY {column}").fetchall()  # noqa: S608 - fixed names
        )
        if kept != counted:
            return f"the {column} counts differ from the entries' {column}s"
    return None


def _mtime_ns(path: Path) -> int:
    """A file's modification time, 0 when it is not there."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _unwritable(error: BaseException) -> bool:
    """True for failures that mean the index cannot be written, where a rebuild cannot help."""
    if isinstance(error, OSError | StorageError):
        return True
    words = str(error).lower()
    return any(w in words for w in ("readonly", "read-only", "unable to open", "disk is full"))


def _tables_missing(db: sqlite3.Connection) -> bool:
    """True when a table of _SCHEMA is gone (dropped, or its page damaged), checked on open."""
    tables = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        "('meta', 'folders', 'files', 'entries', 'entry_tags', 'entry_refs', 'tag_totals', "
        "'ref_totals', 'entry_text')"
    ).fetchone()[0]
    return bool(tables != 9)  # the nine tables of _SCHEMA


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _create(db: sqlite3.Connection, owner: str) -> None:
    tables = [
        row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")
    ]
    for table in tables:
        if not table.startswith("entry_text_"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('home', ?)", (owner,))
    db.execute(f"PRAGMA user_version = {INDEX_VERSION}")


def _where(query: Query) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.since is not None:  # ISO dates sort as text, so a string compare is a date compare
        clauses.append("e.day >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("e.day <= ?")
        params.append(query.until.isoformat())
    for tag in query.all_tags:
        clauses.append("EXISTS (SELECT 1 FROM entry_tags t WHERE t.id = e.id AND t.tag = ?)")
        params.append(tag)
    if query.any_tags:
        marks = ", ".join("?" * len(query.any_tags))
        clauses.append(
            f"EXISTS (SELECT 1 FROM entry_tags t WHERE t.id = e.id AND t.tag IN ({marks}))"  # noqa: S608 - placeholders only; values are bound
        )
        params.extend(query.any_tags)
    if query.refs is not None:
        marks = ", ".join("?" * len(query.refs)) or "NULL"
        clauses.append(
            f"EXISTS (SELECT 1 FROM entry_refs r WHERE r.id = e.id AND r.ref IN ({marks}))"  # noqa: S608 - placeholders only; values are bound
        )
        params.extend(query.refs)
    if query.ref_prefix is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM entry_refs r WHERE r.id = e.id AND r.ref LIKE ? ESCAPE '\\')"
        )
        params.append(_like_prefix(query.ref_prefix))
    if query.words:
        clauses.append("e.rowid IN (SELECT rowid FROM entry_text WHERE entry_text MATCH ?)")
        params.append(" AND ".join(_fts_term(word) for word in query.words))
    if query.for_supervision is not None:
        clauses.append("e.for_supervision = ?")
        params.append(int(query.for_supervision))
    if query.waiting:
        clauses.append("e.for_supervision = 1 AND e.discussed = 0")
    if query.planned is not None:
        clauses.append("e.planned = ?")
        params.append(int(query.planned))
    if query.composite is not None:
        clauses.append("e.composite = ?")
        params.append(int(query.composite))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _fts_term(word: str) -> str:
    """A word as an FTS5 prefix query, quoted so no word can be read as query syntax."""
    return '"' + word.replace('"', '""') + '"*'


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _entry(row: Sequence[Any]) -> IndexedEntry:
    return IndexedEntry(
        id=row[0], file=row[1], date=datetime.fromisoformat(row[3]), title=row[5],
        tags=listed(row[6]), competencies=listed(row[7]),
        for_supervision=bool(row[8]), discussed=bool(row[9]),
        planned=None if row[10] is None else bool(row[10]), composite=bool(row[11]),
    )  # fmt: skip
