"""The diary's rules: build, check, save, find, filter, change and delete entries.

Saving is split in two steps, ``prepare`` then ``save``, so the command line can show the
privacy findings of a prepared entry and let the person edit, keep or cancel in between.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError, RecordError
from peerjournal.models.common import ItemRef
from peerjournal.models.entry import (
    ENTRY_SCHEMA,
    HEADINGS,
    SECTIONS,
    TAG_RULE,
    DiaryEntry,
    EntryMeta,
    Section,
    normal_tags,
)
from peerjournal.models.entry_rules import role_label
from peerjournal.models.settings import Settings
from peerjournal.services.framework_outline import EvidenceMap, evidence
from peerjournal.services.privacy_review import FieldFinding, PrivacyCheck
from peerjournal.services.query import DiaryQuery, Filters
from peerjournal.store import frontmatter
from peerjournal.store.atomic import write_atomic
from peerjournal.store.entries import EntryStore, StoredEntry, render
from peerjournal.store.index import Index, IndexedEntry, RefreshStats
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.recovery import keep_unsaved
from peerjournal.store.validate import parse_model

if TYPE_CHECKING:
    from peerjournal.services.frameworks import Catalog

__all__ = [
    "Diary",
    "Draft",
    "FieldFinding",
    "Filters",
    "IndexedEntry",
    "entry_fields",
    "parse_ref_list",
]


@dataclass
class Draft:
    """What a person wrote, before it is checked and becomes an entry."""

    when: datetime
    title: str = ""
    setting: str = ""
    text: str = ""  # free text (quick and piped modes)
    sections: dict[str, str] = field(default_factory=dict)  # template key -> text
    tags: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    self_disclosure: bool | None = None
    for_supervision: bool = False
    planned: bool | None = None  # planned, unplanned, or not said
    who: list[str] = field(default_factory=list)  # role labels, never names
    composite: bool = False  # merges or alters cases to protect identity


WHO_FIELD = "who"  # the privacy check's name for the roles, as findings name it


class Diary:
    """The diary of one data home."""

    def __init__(self, home: DataHome, query: DiaryQuery, *, clock: Clock) -> None:
        self.home = home
        self.clock = clock
        self.store = EntryStore(home)
        self.query = query

    @property
    def catalog(self) -> "Catalog":
        return self.query.catalog

    @property
    def index(self) -> Index:
        return self.query.index

    # --- building and saving -------------------------------------------------------------

    def prepare(self, draft: Draft) -> DiaryEntry:
        """Turn a draft into an entry, refusing unknown competencies and empty entries."""
        sections = tuple(
            Section(heading=HEADINGS[key], text=_clean(draft.sections.get(key, "")))
            for key, _, _ in SECTIONS
            if _clean(draft.sections.get(key, ""))
        )
        text = _clean(draft.text)
        title = " ".join(frontmatter.storable(draft.title).split())
        if not (title or text or sections):
            raise InputError("the entry is empty; nothing was saved")
        now = self.clock()
        meta = EntryMeta(
            id=self.store.new_id(draft.when),
            date=draft.when,
            title=title or _title_from(text, sections),
            setting=" ".join(frontmatter.storable(draft.setting).split()),
            tags=_tags(draft.tags),
            competencies=self.check_refs(draft.competencies),
            self_disclosure=draft.self_disclosure,
            for_supervision=draft.for_supervision,
            planned=draft.planned,
            who=check_roles(draft.who),
            composite=draft.composite,
            created=now,
        )
        return DiaryEntry(meta=meta, preamble=text, sections=sections)

    def check_refs(self, refs: Iterable[str]) -> list[str]:
        """Resolve competency references to their canonical spelling; unknown ones are errors."""
        return _unique(str(self.catalog.resolve(ref).ref) for ref in refs)

    def check_role(self, text: str, settings: Settings | None) -> str:
        """One role as typed, checked where it is typed: the role rule, then the privacy check.

        Raises InputError naming the problem (never the words), so a prompt can ask again.
        """
        [label] = check_roles([text])
        found = PrivacyCheck.of(settings).findings([(WHO_FIELD, label)])
        if found:
            raise InputError(
                f"{found[0].finding.label} is in that answer; use a role such as resident, "
                "family member or staff member"
            )
        return label

    def findings(self, entry: DiaryEntry, settings: Settings | None) -> list[FieldFinding]:
        """Identifying details in the entry's title, setting and text."""
        return PrivacyCheck.of(settings).findings(entry_fields(entry))

    def save(self, entry: DiaryEntry) -> Path:
        """Write a new entry under the home lock."""
        with home_lock(self.home.lock_file):
            path = self.store.create(entry)
        self.query.after_write()
        return path

    def entry_text(self, entry: DiaryEntry) -> str:
        """An entry as its file reads: to open in the editor again, or to keep unsaved."""
        return render(entry)

    def keep_unsaved(self, text: str) -> Path:
        """Put text that could not be saved into a private recovery file, so nothing is lost."""
        return keep_unsaved(self.home, "entry", text, self.clock())

    # --- reading -------------------------------------------------------------------------

    def get(self, prefix: str) -> StoredEntry:
        """The entry whose id starts with ``prefix``, found through the index."""
        return self.store.read(self.query.find(prefix))

    def rebuild_index(self) -> RefreshStats:
        return self.query.rebuild()

    def summaries(self, filters: Filters | None = None) -> list[IndexedEntry]:
        return self.query.summaries(filters)

    def entries(self, filters: Filters | None = None) -> list[StoredEntry]:
        """Matching entries read in full (for export, reports and lint), oldest first."""
        found = []
        for summary in self.summaries(filters):
            try:
                found.append(self.store.read(summary.path))
            except RecordError as problem:
                self.query.broken.append(problem)
        return found

    @property
    def broken(self) -> list[RecordError]:
        """Files skipped by the last read, for one warning each."""
        return self.query.broken

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of entries that carry it, most used first."""
        return self.query.tag_counts()

    def evidence(self, framework_id: str | None) -> EvidenceMap:
        """Per framework: (item ref, item text, linked entry count) for every item, in order.

        The same rule as the light path (``framework_outline.evidence`` over the cached
        outline, which `diary evidence` uses), here over the catalog this diary already has.
        """
        counts = self.query.ref_counts()
        return evidence(self.catalog.outline(), counts, framework_id)

    def export_json(self, filters: Filters | None = None) -> str:
        """All matching entries as one JSON document (front matter fields plus the body)."""
        entries = [
            {
                **stored.entry.meta.stored(as_file=False),
                "body": frontmatter.join_sections(
                    stored.entry.preamble, [(s.heading, s.text) for s in stored.entry.sections]
                ),
            }
            for stored in self.entries(filters)
        ]
        document = {"peerjournal": "diary export", "schema": 1, "entries": entries}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def write_export(self, path: Path, document: str) -> None:
        """Write an export the user asked for; private (0600) like everything else."""
        write_atomic(path, document)

    def lint(self, settings: Settings | None) -> list[tuple[StoredEntry, list[FieldFinding]]]:
        """Every entry with identifying details, oldest first."""
        results = []
        for stored in self.entries():
            found = self.findings(stored.entry, settings)
            if found:
                results.append((stored, found))
        return results

    # --- changing ------------------------------------------------------------------------

    def update(self, stored: StoredEntry, entry: DiaryEntry) -> Path:
        """Rewrite an entry, keeping its id and any fields the tool does not know."""
        entry.meta.id = stored.entry.id
        entry.meta.updated = self.clock()
        with home_lock(self.home.lock_file):
            path = self.store.update(stored, entry)
        self.query.after_write()
        return path

    def check_writable(self, stored: StoredEntry) -> None:
        """Refuse early to change an entry written by a newer peerjournal."""
        frontmatter.refuse_newer(stored.entry.meta.schema_, ENTRY_SCHEMA, stored.path)

    def retag(
        self,
        stored: StoredEntry,
        *,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        add_refs: Sequence[str] = (),
        remove_refs: Sequence[str] = (),
        for_supervision: bool | None = None,
        title: str | None = None,
        planned: bool | None = None,
        composite: bool | None = None,
    ) -> DiaryEntry:
        """A copy of the entry with tags, competencies, its flags or its title changed."""
        entry = stored.entry.model_copy(deep=True)
        meta = entry.meta
        if title is not None:
            meta.title = " ".join(frontmatter.storable(title).split())
            if not meta.title:
                raise InputError("--title needs some words")
        drop = set(_tags(remove_tags))
        missing = drop - set(meta.tags)
        if missing:
            raise NotFoundError(f"the entry has no tag {sorted(missing)[0]!r}")
        meta.tags = _tags([tag for tag in meta.tags if tag not in drop] + list(add_tags))
        remove = {str(self.catalog.resolve(ref).ref).casefold() for ref in remove_refs}
        kept = [ref for ref in meta.competencies if ref.casefold() not in remove]
        meta.competencies = _unique(kept + self.check_refs(add_refs))
        if for_supervision is not None:
            meta.for_supervision = for_supervision
        if planned is not None:
            meta.planned = planned
        if composite is not None:
            meta.composite = composite
        return entry

    def delete(self, stored: StoredEntry) -> Path:
        """Move an entry to the trash; `restore` brings it back unchanged."""
        with home_lock(self.home.lock_file):
            path = self.store.trash(stored)
        self.query.after_write()
        return path

    def restore(self, prefix: str) -> Path:
        with home_lock(self.home.lock_file):
            trashed = self.store.trashed(prefix.strip())
            path = self.store.restore(trashed)
        self.query.after_write()
        return path

    # --- editor text ---------------------------------------------------------------------

    def text_of(self, entry: DiaryEntry) -> str:
        """An entry as its file holds it: front matter, then the body's sections."""
        return render(entry)

    def editor_text(self, entry: DiaryEntry | None, when: datetime) -> str:
        """The text an editor opens: the entry's file, or an empty template for a new one."""
        if entry is None:
            meta = EntryMeta(id="new", date=when)
            entry = DiaryEntry(
                meta=meta, sections=tuple(Section(heading=h, text="") for _, h, _ in SECTIONS)
            )
        else:
            present = {section.heading for section in entry.sections}
            missing = tuple(Section(heading=h, text="") for _, h, _ in SECTIONS if h not in present)
            entry = entry.model_copy(update={"sections": entry.sections + missing})
        return "---\n" + _EDITOR_HELP + render(entry).removeprefix("---\n")

    def from_editor(self, text: str, original: DiaryEntry | None) -> DiaryEntry:
        """Parse what came back from the editor; raises RecordError with a line on problems."""
        doc, body = frontmatter.split(text)
        meta = parse_model(doc, EntryMeta, what="front matter")
        preamble, pairs = frontmatter.split_sections(body)
        sections = tuple(Section(heading=h, text=t) for h, t in pairs if t)
        if not (meta.title or preamble or sections):
            raise InputError("the entry is empty; nothing was saved")
        meta.competencies = self.check_refs(meta.competencies)
        meta.tags = _tags(meta.tags)
        if original is None or meta.who != original.meta.who:  # typed here: checked here
            meta.who = check_roles(meta.who)
        if original is None:
            meta.id = self.store.new_id(meta.date)
            meta.created = self.clock()
            meta.title = meta.title or _title_from(preamble, sections)
        return DiaryEntry(meta=meta, preamble=preamble, sections=sections)

    # --- internals -----------------------------------------------------------------------


def entry_fields(entry: DiaryEntry) -> list[tuple[str, str]]:
    """The text a person wrote in an entry, by field, for the privacy check.

    Tags are labels chosen from a vocabulary (a tag "2024-01-02" names a day, not a person),
    so they are not checked, as a competency reference is not.
    """
    fields = [
        ("title", entry.meta.title),
        ("setting", entry.meta.setting),
        (WHO_FIELD, ", ".join(entry.meta.who)),
        ("text", entry.preamble),
    ]
    return fields + [(section.heading, section.text) for section in entry.sections]


def with_fields(entry: DiaryEntry, changes: Mapping[str, str]) -> DiaryEntry:
    """A copy of the entry with fields (named as entry_fields names them) typed again."""
    entry = entry.model_copy(deep=True)
    if "title" in changes:
        entry.meta.title = " ".join(frontmatter.storable(changes["title"]).split())
    if "setting" in changes:
        entry.meta.setting = " ".join(frontmatter.storable(changes["setting"]).split())
    if WHO_FIELD in changes:
        entry.meta.who = check_roles(parse_roles([changes[WHO_FIELD]]))
    preamble = _clean(changes["text"]) if "text" in changes else entry.preamble
    sections = tuple(
        Section(heading=s.heading, text=_clean(changes[s.heading])) if s.heading in changes else s
        for s in entry.sections
    )
    return entry.model_copy(update={"preamble": preamble, "sections": sections})


def parse_ref_list(values: Iterable[str]) -> list[str]:
    """Split comma-separated option values and check each is shaped like a reference."""
    refs = [part.strip() for value in values for part in value.split(",") if part.strip()]
    for ref in refs:
        ItemRef.parse(ref)
    return refs


def parse_roles(values: Iterable[str]) -> list[str]:
    """Roles given as options or typed again: each value may hold several, split by commas."""
    return [part for value in values for part in value.split(",") if part.strip()]


def check_roles(values: Iterable[str]) -> list[str]:
    """Role labels as stored (``role_label``), without repeats; a name-like one is refused."""
    try:
        return _unique(role_label(frontmatter.storable(value)) for value in values)
    except ValueError as error:
        raise InputError(f"who was involved: {error}") from None


def _clean(text: str) -> str:
    """Text as it will be stored: LF line ends, no NUL or undecodable bytes, no outer blanks."""
    return frontmatter.storable(frontmatter.normalise_newlines(text)).strip("\n").rstrip()


def _unique(values: Iterable[str]) -> list[str]:
    """Values in first-seen order without repeats or blanks."""
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def _tags(values: Iterable[str]) -> list[str]:
    """Tags as the model reads them (``normal_tags``), so what is saved reads back unchanged."""
    try:
        return normal_tags(frontmatter.storable(value) for value in values)
    except ValueError:
        raise InputError(TAG_RULE) from None


def _title_from(text: str, sections: tuple[Section, ...]) -> str:
    """A title from the first words written, when none was given."""
    source = text or next((s.text for s in sections if s.text), "")
    words = source.split()
    title = " ".join(words[:8])
    return title + ("…" if len(words) > 8 else "")


_EDITOR_HELP = """\
# Write under each ## heading below; empty sections are left out. Save and close to finish.
# tags: [group, self-disclosure]   competencies: [samhsa-core/III.3]   (see: frameworks show)
# planned: false (or true)   who: [resident, family member] (roles only, never names)
# composite: true when the entry merges or alters cases to protect identity
# Lines starting with # in this block are comments and are not kept.
"""
