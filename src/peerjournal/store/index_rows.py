"""Entry files into index rows: scanning month folders, reading front matter, batched writes.

Kept apart from the index's queries so each module has one job: this one knows the journal's
folder layout and the files' format; ``index`` knows SQL and answers questions.
"""

import json
import os
import sqlite3
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

from peerjournal.errors import RecordError, StorageError
from peerjournal.store.fastmeta import read_front_matter

ENTRY_SUFFIX = ".md"


class Batch:
    """Rows for many entry files, written with a few executemany calls instead of many."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.next_rowid = (db.execute("SELECT max(rowid) FROM entries").fetchone()[0] or 0) + 1
        self.empty = self.next_rowid == 1  # a fresh build: no id can clash with an older row
        self.ids: dict[str, str] = {}  # ids added in this batch, to catch two files with one id
        self.files: list[tuple[Any, ...]] = []
        self.entries: list[tuple[Any, ...]] = []
        self.tags: list[tuple[str, str]] = []
        self.refs: list[tuple[str, str]] = []
        self.text: list[tuple[int, str, str]] = []

    def add(self, path: str, stamp: tuple[int, int]) -> None:
        error, line = self._entry(path)
        self.files.append((path, stamp[0], stamp[1], error, line))

    def _entry(self, path: str) -> tuple[str | None, int | None]:
        try:
            row, body = read_entry(Path(path))
        except RecordError as problem:
            message = f"{problem.field}: {problem.message}" if problem.field else problem.message
            return message, problem.line
        entry_id = row["id"]
        owner = self.ids.get(entry_id) or (None if self.empty else entry_owner(self.db, entry_id))
        if owner is not None:  # two files claim one id: keep the first, report the second
            return f"id {entry_id!r} is already used by {owner}", None
        self.ids[entry_id] = path
        rowid, self.next_rowid = self.next_rowid, self.next_rowid + 1
        self.entries.append(
            (
                rowid, entry_id, path, row["ts"], row["date"], row["day"], row["title"],
                json.dumps(row["tags"]), json.dumps(row["competencies"]),
                int(row["for_supervision"]), int(row["discussed"]),
            )
        )  # fmt: skip
        self.tags += [(entry_id, tag) for tag in row["tags"]]
        self.refs += [(entry_id, ref.casefold()) for ref in row["competencies"]]
        self.text.append((rowid, row["title"], body))
        return None, None

    def flush(self) -> None:
        db = self.db
        db.executemany(
            "INSERT INTO entries (rowid, id, path, ts, date, day, title, tags, competencies, "
            "for_supervision, discussed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.entries,
        )
        db.executemany("INSERT INTO entry_tags VALUES (?, ?)", self.tags)
        db.executemany("INSERT INTO entry_refs VALUES (?, ?)", self.refs)
        db.executemany("INSERT INTO entry_text (rowid, title, body) VALUES (?, ?, ?)", self.text)
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", self.files)
        self.entries, self.tags, self.refs, self.text, self.files = [], [], [], [], []


def folder_files(folder: str) -> dict[str, tuple[int, int]]:
    """The entry files of one month folder with their sizes and mtimes."""
    files: dict[str, tuple[int, int]] = {}
    with os.scandir(folder) as items:
        for item in items:
            name = item.name
            if name[0] == "." or not name.endswith(ENTRY_SUFFIX):
                continue
            if not item.is_file(follow_symlinks=False):
                continue
            stat = item.stat(follow_symlinks=False)
            files[item.path] = (stat.st_size, stat.st_mtime_ns)
    return files


def folder_signature(files: dict[str, tuple[int, int]]) -> str:
    """A fingerprint of a folder's files: any added, removed, resized or touched file changes it."""
    total = 0
    for path, (size, mtime) in files.items():
        total += zlib.crc32(path.encode("utf-8", "surrogateescape")) * 1_000_003 ^ size ^ mtime
    return f"{len(files)}:{total & 0xFFFFFFFFFFFFFFFF:x}"


def known_files(db: sqlite3.Connection, folder: str) -> dict[str, tuple[int, int]]:
    """What the index knew of one folder's files."""
    prefix = folder.rstrip(os.sep) + os.sep
    rows = db.execute(
        "SELECT path, size, mtime_ns FROM files WHERE path >= ? AND path < ?",
        (prefix, prefix[:-1] + chr(ord(os.sep) + 1)),
    )
    return {path: (size, mtime) for path, size, mtime in rows if os.sep not in path[len(prefix) :]}


def entry_owner(db: sqlite3.Connection, entry_id: str) -> str | None:
    """The file that already holds an entry id in the index, if any."""
    row = db.execute("SELECT path FROM entries WHERE id = ?", (entry_id,)).fetchone()
    return None if row is None else str(row[0])


def forget(db: sqlite3.Connection, path: str) -> None:
    """Drop one file and its entry, tags, references and text from the index."""
    rows = db.execute("SELECT rowid, id FROM entries WHERE path = ?", (path,)).fetchall()
    for rowid, entry_id in rows:
        db.execute("DELETE FROM entry_tags WHERE id = ?", (entry_id,))
        db.execute("DELETE FROM entry_refs WHERE id = ?", (entry_id,))
        db.execute("DELETE FROM entry_text WHERE rowid = ?", (rowid,))
    db.execute("DELETE FROM entries WHERE path = ?", (path,))
    db.execute("DELETE FROM files WHERE path = ?", (path,))


def read_entry(path: Path) -> tuple[dict[str, Any], str]:
    """The front-matter fields the index needs, checked just enough to be trusted."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None
    data, body = front_matter(raw, path)
    entry_id, when = data.get("id"), data.get("date")
    if not isinstance(entry_id, str) or not isinstance(when, str):
        raise RecordError("front matter needs an id and a date", path=path)
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        raise RecordError("date is not an ISO date and time", path=path, field="date") from None
    if moment.tzinfo is None:
        raise RecordError("date has no time zone", path=path, field="date")
    tags, refs = data.get("tags") or [], data.get("competencies") or []
    if not (_strings(tags) and _strings(refs)):
        raise RecordError("tags and competencies must be lists of text", path=path)
    return {
        "id": entry_id,
        "ts": moment.timestamp(),
        "date": moment.isoformat(),
        "day": moment.date().isoformat(),
        "title": str(data.get("title") or ""),
        "tags": [str(t).lower() for t in tags],
        "competencies": list(refs),
        "for_supervision": data.get("for_supervision") is True,
        "discussed": bool(data.get("discussed_in")),
    }, body


def front_matter(raw: bytes, path: Path) -> tuple[dict[str, Any], str]:
    """Front matter and body: the fast reader for our own format, full YAML for anything else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.startswith("---\n") and "\r" not in text and "\x00" not in text:
        end = text.find("\n---\n", 3)
        if end != -1:
            data = read_front_matter(text[4:end].split("\n"))
            if data is not None:
                return data, text[end + 5 :]
    from peerjournal.store import frontmatter, yamlio  # YAML only when the fast path declines

    doc, body = frontmatter.split(yamlio.decode(raw, path), path)
    return doc.data, body


def _strings(value: Any) -> bool:  # noqa: ANN401 - raw YAML
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def subfolders(folder: str | Path) -> list[str]:
    """The folders inside ``folder`` (not links, not hidden), sorted; none if it is missing."""
    try:
        with os.scandir(folder) as items:
            return sorted(
                i.path
                for i in items
                if i.is_dir(follow_symlinks=False) and not i.name.startswith(".")
            )
    except FileNotFoundError:
        return []
    except OSError as error:
        raise StorageError(f"cannot list ({error.strerror})", path=folder) from error
