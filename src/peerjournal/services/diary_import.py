"""Bring other journals into the diary, so people can move here without losing anything.

Each imported entry records where it came from (``imported_from``: the format and a hash of its
date, title and body), which makes a second run of the same import add nothing.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from peerjournal.errors import InputError, RecordError
from peerjournal.models.entry import DiaryEntry, EntryMeta, Section
from peerjournal.services import jrnl_format
from peerjournal.services.diary import Diary
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.lock import home_lock

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ImportReport:
    """How many entries came in, and how many were already there."""

    imported: int
    skipped: int


def import_jrnl(diary: Diary, path: Path, time_formats: Sequence[str] | None) -> ImportReport:
    """Import a jrnl journal (plain text or JSON export) into the diary."""
    try:
        text = yamlio.read_text(path, max_bytes=MAX_IMPORT_BYTES)
    except RecordError as error:
        raise RecordError(error.message, path=path, line=error.line) from None
    formats = tuple(time_formats) if time_formats else jrnl_format.DEFAULT_TIME_FORMATS
    try:
        parsed = jrnl_format.parse_any(text, time_formats=formats)
    except InputError as error:
        raise InputError(error.message, path=path) from None
    except RecordError as error:
        raise RecordError(error.message, path=path, line=error.line, field=error.field) from None
    with home_lock(diary.home.lock_file):
        already = {
            str(source)
            for stored in diary.store.iter()
            if (source := (stored.entry.meta.model_extra or {}).get("imported_from"))
        }
        imported = skipped = 0
        for item in parsed:
            key = _key(item)
            if key in already:
                skipped += 1
                continue
            diary.store.create(_entry(diary, item, key))
            already.add(key)
            imported += 1
    return ImportReport(imported, skipped)


def _key(item: jrnl_format.JrnlEntry) -> str:
    digest = hashlib.sha256(
        f"{item.date.isoformat()}\x00{item.title}\x00{item.body}".encode()
    ).hexdigest()
    return f"jrnl:{digest[:24]}"


def _entry(diary: Diary, item: jrnl_format.JrnlEntry, key: str) -> DiaryEntry:
    when = item.date.astimezone() if item.date.tzinfo is None else item.date
    tags = [tag.lstrip("@#") for tag in item.tags]
    if item.starred:
        tags.append("starred")
    meta = EntryMeta(
        id=diary.store.new_id(when),
        date=when,
        title=" ".join(item.title.split()),
        tags=list(dict.fromkeys(tag for tag in tags if tag)),
        created=diary.clock(),
    )
    meta.imported_from = key  # type: ignore[attr-defined]  # an extra field, kept with the entry
    if item.starred:
        meta.starred = True  # type: ignore[attr-defined]
    preamble, sections = frontmatter.split_sections(frontmatter.normalise_newlines(item.body))
    return DiaryEntry(
        meta=meta,
        preamble=preamble,
        sections=tuple(Section(heading=heading, text=text) for heading, text in sections),
    )
