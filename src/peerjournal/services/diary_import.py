"""Bring other journals into the diary, so people can move here without losing anything.

Each imported entry records where it came from (``imported_from``: the format and a hash of its
date, title and body), which makes a second run of the same import add nothing. Every entry is
built and checked before the first is saved, so an entry that cannot be imported stops the
import with nothing saved, instead of leaving half a journal that a rerun stops at again. Tags
are mapped to stored tags by ``import_tag``; an encrypted journal is named as such.

An import cannot stop to ask about each entry, so the privacy rule becomes a report: every
entry with possible identifying details is named by its new id with where and what was found,
and in strict mode those entries are held back (not saved) and named by their place in the
journal instead, to be fixed there or imported again without strict mode.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from peerjournal.clock import Zone, localise
from peerjournal.errors import InputError, RecordError
from peerjournal.models.entry import DiaryEntry, EntryMeta, Section
from peerjournal.models.entry_rules import MAX_TAG, normal_tag
from peerjournal.services import jrnl_format
from peerjournal.services.diary import Diary, entry_fields
from peerjournal.services.privacy_review import FieldFinding, PrivacyCheck
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.lock import home_lock

MAX_IMPORT_BYTES = 200 * 1024 * 1024
_ENCRYPTED_PEEK = 64 * 1024  # enough bytes to tell an encrypted journal from a damaged text file
_HASH_DIGITS = 8  # the suffix that keeps two long tags with the same start apart
# jrnl's tag characters that a stored tag cannot hold, and what they become
_TAG_SPELLINGS = (("#", "sharp"), ("@", "at"), (",", "-"))
_FERNET = re.compile(r"gAAAAA[A-Za-z0-9_=-]{20,}")


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
        if _binary_encrypted(path):
            raise _encrypted(path) from None
        raise RecordError(error.message, path=path, line=error.line) from None
    if _FERNET.fullmatch(text.strip()):  # jrnl 2+ writes one Fernet token, base64
        raise _encrypted(path)
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
        skipped = 0
        ready: list[tuple[DiaryEntry, tuple[FieldFinding, ...]]] = []
        held: list[HeldBack] = []
        for number, item in enumerate(parsed, start=1):  # build all first: nothing half done
            key = _key(item)
            if key in already:
                skipped += 1
                continue
            entry = _built(diary, item, key, zone, path, number)
            found = tuple(check.findings(entry_fields(entry)))
            if found and check.strict:
                held.append(HeldBack(number, item.line, found))
                continue
            already.add(key)
            ready.append((entry, found))
        flagged: list[tuple[str, tuple[FieldFinding, ...]]] = []
        for entry, found in ready:
            diary.store.create(entry)
            if found:
                flagged.append((entry.id, found))
    diary.query.after_write()
    return ImportReport(len(ready), skipped, tuple(flagged), tuple(held))


def import_tag(tag: str) -> str:
    """A tag jrnl accepts, spelled as a stored tag; '' when nothing of it is left.

    jrnl allows '#', '@', '/', '+', '*' and any length inside a tag; a stored tag has no ',',
    '#' or '@' and at most MAX_TAG characters. '#' becomes 'sharp' (``@C#`` is ``csharp``), '@'
    becomes 'at', ',' becomes '-'; a longer tag keeps its start and a short hash of the whole,
    so two long tags that start alike stay two tags, and every import maps it the same way.
    """
    word = "-".join(tag.lstrip(jrnl_format.DEFAULT_TAG_SYMBOLS).lower().split())
    for char, spelling in _TAG_SPELLINGS:
        word = word.replace(char, spelling)
    word = word.strip("-")
    if len(word) > MAX_TAG:
        digest = hashlib.sha256(word.encode()).hexdigest()[:_HASH_DIGITS]
        word = f"{word[: MAX_TAG - _HASH_DIGITS - 1].rstrip('-')}-{digest}"
    return normal_tag(word)


def _built(
    diary: Diary, item: jrnl_format.JrnlEntry, key: str, zone: Zone, path: Path, number: int
) -> DiaryEntry:
    """The entry, or a RecordError naming its place (never its text) before anything is saved."""
    try:
        return _entry(diary, item, key, zone)
    except (ValidationError, ValueError) as error:
        fields = _fields(error)
        where = f"entry {number}" + (f" ({fields})" if fields else "")
        raise RecordError(
            f"{where} cannot be imported; nothing was imported, fix it in the journal and "
            "import again",
            path=path,
            line=item.line or None,
        ) from None


def _fields(error: Exception) -> str:
    if isinstance(error, ValidationError):
        names = {".".join(str(part) for part in e["loc"]) for e in error.errors()}
        return ", ".join(sorted(names))
    return ""


def _binary_encrypted(path: Path) -> bool:
    """Whether a file that is not text looks like jrnl 1's AES journal (IV + whole blocks).

    jrnl 1.x wrote its encrypted journal as raw bytes: a 16-byte IV, then AES-CBC blocks.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(_ENCRYPTED_PEEK)
    except OSError:
        return False
    if size < 32 or size % 16:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in head


def _encrypted(path: Path) -> InputError:
    return InputError(
        "looks like an encrypted jrnl journal, which only jrnl can open; export it from jrnl "
        "first with 'jrnl --export json > journal.json' (jrnl asks for the password), then "
        "import journal.json",
        path=path,
    )


def _key(item: jrnl_format.JrnlEntry) -> str:
    digest = hashlib.sha256(
        f"{item.date.isoformat()}\x00{item.title}\x00{item.body}".encode()
    ).hexdigest()
    return f"jrnl:{digest[:24]}"


def _entry(diary: Diary, item: jrnl_format.JrnlEntry, key: str, zone: Zone) -> DiaryEntry:
    when = localise(item.date, zone) if item.date.tzinfo is None else item.date
    tags = [import_tag(tag) for tag in item.tags]
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
