"""Entry files into index rows: scanning month folders, reading front matter, batched writes.

Kept apart from the index's queries so each module has one job: this one knows the journal's
folder layout and the files' format; ``index`` knows SQL and answers questions.
"""

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerjournal.errors import RecordError, StorageError
from peerjournal.models.entry_rules import DISCUSSED_KEY, normal_tag
from peerjournal.store.vault import read_private

if TYPE_CHECKING:
    from peerjournal.models.entry import EntryMeta

ENTRY_SUFFIX = ".md"
# What the fast path takes, kept narrow on purpose; each is a form the model reads unchanged.
# The model (``models.entry``) is not imported here: it costs pydantic, about 80 ms a command.
FAST_MAX_BYTES = 1024 * 1024  # at most the store's limit, which ``model_entry`` applies
_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
# size, mtime_ns, inode, ctime_ns from one stat: an edit whose mtime was put back (touch -r) or a
# same-size copy with the old mtime (cp -p) still has a new ctime or inode, which cannot be set
Stamp = tuple[int, int, int, int]


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
        self.vanished: list[str] = []  # files removed between the look and the read

    def add(self, path: str, stamp: Stamp) -> None:
        error, line = self._entry(path)
        if error is not None and not os.path.lexists(path):
            self.vanished.append(path)  # another program removed it just now: not a problem
            return
        self.files.append((path, *stamp, error, line))

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
                listing(row["tags"]), listing(row["competencies"]),
                int(row["for_supervision"]), int(row["discussed"]),
                None if row["planned"] is None else int(row["planned"]), int(row["composite"]),
            )
        )  # fmt: skip
        self.tags += [(entry_id, tag) for tag in dict.fromkeys(row["tags"])]
        refs = dict.fromkeys(ref.casefold() for ref in row["competencies"])
        self.refs += [(entry_id, ref) for ref in refs]
        self.text.append((rowid, row["title"], body))
        return None, None

    def flush(self) -> None:
        db = self.db
        db.executemany(
            "INSERT INTO entries (rowid, id, path, ts, date, day, title, tags, competencies, "
            "for_supervision, discussed, planned, composite) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.entries,
        )
        db.executemany("INSERT INTO entry_tags VALUES (?, ?)", self.tags)
        db.executemany("INSERT INTO entry_refs VALUES (?, ?)", self.refs)
        db.executemany(
            "INSERT INTO tag_totals VALUES (?, 1) ON CONFLICT (tag) DO UPDATE SET n = n + 1",
            [(tag,) for _, tag in self.tags],
        )
        db.executemany(
            "INSERT INTO ref_totals VALUES (?, 1) ON CONFLICT (ref) DO UPDATE SET n = n + 1",
            [(ref,) for _, ref in self.refs],
        )
        db.executemany("INSERT INTO entry_text (rowid, title, body) VALUES (?, ?, ?)", self.text)
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", self.files)
        self.entries, self.tags, self.refs, self.text, self.files = [], [], [], [], []


def listing(values: list[str]) -> str:
    """Tags or references as one column: no newline can be in either, and no JSON to import."""
    return "\n".join(values)


def listed(column: str) -> tuple[str, ...]:
    """The values ``listing`` joined."""
    return tuple(column.split("\n")) if column else ()


def folder_files(folder: str) -> dict[str, Stamp]:
    """The entry files of one month folder with their stamps (see ``Stamp``)."""
    files: dict[str, Stamp] = {}
    with os.scandir(folder) as items:
        for item in items:
            name = item.name
            if name[0] == "." or not name.endswith(ENTRY_SUFFIX):
                continue
            if not item.is_file(follow_symlinks=False):
                continue
            stat = item.stat(follow_symlinks=False)
            files[item.path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)
    return files


def known_files(db: sqlite3.Connection, folder: str) -> dict[str, Stamp]:
    """What the index knew of one folder's files."""
    prefix = folder.rstrip(os.sep) + os.sep
    rows = db.execute(
        "SELECT path, size, mtime_ns, inode, ctime_ns FROM files WHERE path >= ? AND path < ?",
        (prefix, prefix[:-1] + chr(ord(os.sep) + 1)),
    )
    return {
        path: (size, mtime, inode, ctime)
        for path, size, mtime, inode, ctime in rows
        if os.sep not in path[len(prefix) :]
    }


def entry_owner(db: sqlite3.Connection, entry_id: str) -> str | None:
    """The file that already holds an entry id in the index, if any."""
    row = db.execute("SELECT path FROM entries WHERE id = ?", (entry_id,)).fetchone()
    return None if row is None else str(row[0])


def forget(db: sqlite3.Connection, path: str) -> None:
    """Drop one file and its entry, tags, references and text from the index."""
    rows = db.execute("SELECT rowid, id FROM entries WHERE path = ?", (path,)).fetchall()
    for rowid, entry_id in rows:
        db.execute(
            "UPDATE tag_totals SET n = n - 1 "
            "WHERE tag IN (SELECT tag FROM entry_tags WHERE id = ?)",
            (entry_id,),
        )
        db.execute(
            "UPDATE ref_totals SET n = n - 1 "
            "WHERE ref IN (SELECT ref FROM entry_refs WHERE id = ?)",
            (entry_id,),
        )
        db.execute("DELETE FROM entry_tags WHERE id = ?", (entry_id,))
        db.execute("DELETE FROM entry_refs WHERE id = ?", (entry_id,))
        db.execute("DELETE FROM entry_text WHERE rowid = ?", (rowid,))
    db.execute("DELETE FROM entries WHERE path = ?", (path,))
    db.execute("DELETE FROM files WHERE path = ?", (path,))


def read_entry(path: Path) -> tuple[dict[str, Any], str]:
    """An entry file as an index row and its body, by the model's rules (``models.entry``).

    The fast reader takes the files it can prove the model reads the same way (what peerjournal
    writes); every other file, broken ones included, is read by the model itself, so the index
    accepts and refuses exactly what `diary show` does, with the same message.
    """
    try:
        raw = read_private(path)
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None
    return fast_entry(raw) or model_entry(raw, path)


def model_entry(raw: bytes, path: Path) -> tuple[dict[str, Any], str]:
    """The row and body as the model reads the file; raises its RecordError when it refuses."""
    from peerjournal.store.entries import parse  # pydantic only when the fast path declines

    meta, body = parse(raw, path)
    return row_of(meta), body


def row_of(meta: "EntryMeta") -> dict[str, Any]:
    """The index row of validated front matter."""
    return _row(
        meta.id, meta.date, meta.title, meta.tags, meta.competencies, meta.for_supervision,
        meta.discussed, meta.planned, meta.composite,
    )  # fmt: skip


def _row(
    entry_id: str,
    moment: datetime,
    title: str,
    tags: list[str],
    refs: list[str],
    for_supervision: bool,
    discussed: bool,
    planned: bool | None,
    composite: bool,
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "ts": moment.timestamp(),
        "date": moment.isoformat(),
        "day": moment.date().isoformat(),  # the day as the writer saw it, in the entry's offset
        "title": title,
        "tags": list(tags),
        "competencies": list(refs),
        "for_supervision": for_supervision,
        "discussed": discussed,
        "planned": planned,
        "composite": composite,
    }


def fast_entry(raw: bytes) -> tuple[dict[str, Any], str] | None:
    """The row and body without YAML or pydantic, or None unless the model would agree.

    Every value taken here is one the model keeps unchanged (already stripped, lower-case,
    without repeats, a real boolean, a date parsed by the model's own parser), so the row
    equals the model's; anything the model would change or refuse goes to ``model_entry``.
    """
    if len(raw) > FAST_MAX_BYTES:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.startswith("---\n") or "\r" in text or "\x00" in text:
        return None
    end = text.find("\n---\n", 3)
    if end == -1:
        return None
    from peerjournal.store.fastmeta import read_front_matter  # its patterns: only to read

    data = read_front_matter(text[4:end])
    row = None if data is None else _fast_row(data)
    return None if row is None else (row, text[end + 5 :])


def _fast_row(data: dict[str, Any]) -> dict[str, Any] | None:
    """The row of front matter whose every field is already as the model would store it."""
    if "schema_" in data or type(data.get("schema", 1)) is not int:
        return None  # (``schema_`` is the field's own name, which the model also reads)
    entry_id, moment = data.get("id"), _moment(data.get("date"))
    if type(entry_id) is not str or not _ID.fullmatch(entry_id) or moment is None:
        return None
    created, updated = data.get("created"), data.get("updated")
    if (created is not None and _moment(created) is None) or (
        updated is not None and _moment(updated) is None
    ):
        return None
    title, setting = data.get("title", ""), data.get("setting", "")
    tags, refs = data.get("tags", []), data.get("competencies", [])
    flag, shared = data.get("for_supervision", False), data.get("self_disclosure")
    sessions = data.get(DISCUSSED_KEY)
    planned, who, composite = data.get("planned"), data.get("who", []), data.get("composite", False)
    if not (
        _line(title)
        and _line(setting)
        and (refs == [] or _lines(refs))
        and (tags == [] or (_lines(tags) and all(_tag(tag) for tag in tags)))
        and type(flag) is bool
        and (shared is None or type(shared) is bool)
        and (sessions is None or _texts(sessions))
        and (planned is None or type(planned) is bool)
        and (who == [] or _lines(who))
        and type(composite) is bool
    ):
        return None
    return _row(entry_id, moment, title, tags, refs, flag, bool(sessions), planned, composite)


def _moment(value: Any) -> datetime | None:  # noqa: ANN401 - raw YAML
    """A date with a zone, parsed as the model parses it (``datetime.fromisoformat``), or None."""
    if type(value) is not str:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:  # e.g. month 13: the model words the refusal
        return None
    return moment if moment.tzinfo is not None else None


def _line(value: Any) -> bool:  # noqa: ANN401 - raw YAML
    """Text the model's ``one_line`` keeps as it is: stripped, with no line break inside."""
    if type(value) is not str or value != value.strip():
        return False
    return value.isprintable() or len(value.splitlines()) < 2  # (the first is the quick answer)


def _lines(values: Any) -> bool:  # noqa: ANN401 - raw YAML
    """A list of distinct, non-blank one-line texts, which the model keeps as it is."""
    return (
        type(values) is list
        and all(value and _line(value) for value in values)
        and len(set(values)) == len(values)
    )


def _tag(tag: str) -> bool:
    """A tag the model's own rule keeps as it is (one lower-case word, no ',#@')."""
    try:
        return normal_tag(tag) == tag
    except ValueError:
        return False


def _texts(values: Any) -> bool:  # noqa: ANN401 - raw YAML
    return type(values) is list and all(type(value) is str for value in values)


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
