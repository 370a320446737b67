"""Bring other journals into the diary, so people can move here without losing anything.

Each imported entry records where it came from (``imported_from``: the format and a hash of its
date, title and body), which makes a second run of the same import add nothing.

An import cannot stop to ask about each entry, so the privacy rule becomes a report: every
entry with possible identifying details is named by its new id with where and what was found,
and in strict mode those entries are held back (not saved) and named by their place in the
journal instead, to be fixed there or imported again without strict mode.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peerjournal.clock import Zone, localise
from peerjournal.errors import InputError, RecordError
from peerjournal.models.entry import DiaryEntry, EntryMeta, Section
from peerjournal.services import jrnl_format
from peerjournal.services.diary import Diary, entry_fields
from peerjournal.services.privacy_review import FieldFinding, PrivacyCheck
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.lock import home_lock

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class HeldBack:
    """An entry strict mode did not save: its place in the journal and what was found."""

    number: int  # 1-based position among the journal's entries
    line: int  # the "[date]" line in a plain-text journal; 0 for a JSON export
    findings: tuple[FieldFinding, ...]


@dataclass(frozen=True)
class ImportReport:
    """How many entries came in, how many were already there, and what the privacy check saw."""

    imported: int
    skipped: int
    flagged: tuple[tuple[str, tuple[FieldFinding, ...]], ...] = ()  # saved: (new id, findings)
    held_back: tuple[HeldBack, ...] = field(default=())


def import_jrnl(
    diary: Diary,
    path: Path,
    time_formats: Sequence[str] | None,
    *,
    zone: Zone,
    check: PrivacyCheck,
) -> ImportReport:
    """Import a jrnl journal (plain text or JSON export); its wall times are read in ``zone``.

    Every new entry goes through the privacy ``check``: reported when saved, held back when
    the check is strict. A held-back entry is not remembered, so a later run can import it.
    """
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
        flagged: list[tuple[str, tuple[FieldFinding, ...]]] = []
        held: list[HeldBack] = []
        for number, item in enumerate(parsed, start=1):
            key = _key(item)
            if key in already:
                skipped += 1
                continue
            entry = _entry(diary, item, key, zone)
            found = tuple(check.findings(entry_fields(entry)))
            if found and check.strict:
                held.append(HeldBack(number, item.line, found))
                continue
            diary.store.create(entry)
            if found:
                flagged.append((entry.id, found))
            already.add(key)
            imported += 1
    return ImportReport(imported, skipped, tuple(flagged), tuple(held))


def _key(item: jrnl_format.JrnlEntry) -> str:
    digest = hashlib.sha256(
        f"{item.date.isoformat()}\x00{item.title}\x00{item.body}".encode()
    ).hexdigest()
    return f"jrnl:{digest[:24]}"


def _entry(diary: Diary, item: jrnl_format.JrnlEntry, key: str, zone: Zone) -> DiaryEntry:
    when = localise(item.date, zone) if item.date.tzinfo is None else item.date
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
