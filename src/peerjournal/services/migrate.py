"""Bring records written in an older format up to the current one, without risking any.

A migration is a function from one schema version's data to the next. Running migrations:
1. snapshots every record it is about to change into ``.snapshots/`` first;
2. migrates each record in memory, validates the result against today's model and checks
   that it renders and reads back to the same record, before anything is written;
3. writes each record atomically, so a kill at any moment leaves every record either old and
   whole or new and whole, and running the command again simply finishes the job (records
   already at the current schema are skipped; the same snapshot is reused).
Records from a newer peerjournal are never touched.
"""

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerjournal.clock import Clock
from peerjournal.errors import RecordError
from peerjournal.models.agreement import AGREEMENT_SCHEMA, Agreement
from peerjournal.models.assessment import ASSESSMENT_SCHEMA, Assessment
from peerjournal.models.entry import ENTRY_SCHEMA, DiaryEntry, EntryMeta, Section
from peerjournal.models.supervision import LEGACY_TYPES, SUPERVISION_SCHEMA, SessionMeta
from peerjournal.store import agreements as agreement_files
from peerjournal.store import assessments as assessment_files
from peerjournal.store import entries as entry_files
from peerjournal.store import frontmatter, yamlio
from peerjournal.store import supervision as supervision_files
from peerjournal.store.atomic import write_atomic
from peerjournal.store.jsonio import json_object
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.people import is_person_id, name_id, normal
from peerjournal.store.records import RecordFolder
from peerjournal.store.vault import read_private

# (data, body) -> (data, body): one schema step for one kind of record
Migration = Callable[[dict[str, Any], str], tuple[dict[str, Any], str]]
Migrations = Mapping[str, Mapping[int, Migration]]  # kind -> {from_schema: migration}

_PEOPLE_FIELDS = {
    "session": ("worker", "workers", "supervisor"),
    "agreement": ("worker", "supervisor"),
}
_PEOPLE_FIELDS |= {"assessment": ("subject", "assessor")}


def person_id_for(value: str, known: Mapping[str, str]) -> str:
    """The id a name becomes: a known person's (by any name they had), else its hash id."""
    if is_person_id(value):
        return value
    return known.get(normal(value)) or name_id(value)


def people_step(fields: tuple[str, ...], known: Mapping[str, str]) -> Migration:
    """Schema 1 -> 2: the people a record names become person ids (pure: data in, data out)."""

    def step(data: dict[str, Any], body: str) -> tuple[dict[str, Any], str]:
        for name in fields:
            value = data.get(name)
            if isinstance(value, str) and value.strip():
                data[name] = person_id_for(value, known)
            elif isinstance(value, list):  # a group session's workers
                data[name] = [
                    person_id_for(v, known) if isinstance(v, str) and v.strip() else v
                    for v in value
                ]
        return data, body

    return step


def session_step(data: dict[str, Any], body: str) -> tuple[dict[str, Any], str]:
    """Session schema 2 -> 3: one worker becomes a list; the old types group and peer are forms."""
    if "worker" in data and "workers" not in data:
        data["workers"] = [data.pop("worker")]
    kind = data.get("type")
    if isinstance(kind, str) and kind in LEGACY_TYPES and "form" not in data:
        data["type"], data["form"] = LEGACY_TYPES[kind]
    data.setdefault("form", "individual" if len(data.get("workers") or []) <= 1 else "group")
    return data, body


def agreement_step(data: dict[str, Any], body: str) -> tuple[dict[str, Any], str]:
    """Agreement schema 2 -> 3: one per type, with the fields of a full supervision contract."""
    from peerjournal.services.agreements import upgrade_agreement

    return dict(upgrade_agreement(data)), body


def people_migrations(known: Mapping[str, str]) -> Migrations:
    """Every kind's steps, with names known to the home's people turned into their ids."""
    steps: dict[str, dict[int, Migration]] = {
        kind: {1: people_step(fields, known)} for kind, fields in _PEOPLE_FIELDS.items()
    }
    steps["session"][2] = session_step
    steps["agreement"][2] = agreement_step
    return {"entry": {}, **steps}


MIGRATIONS: Migrations = people_migrations({})
_STATE = ".migrating.json"


@dataclass(frozen=True)
class MigrationReport:
    """What a run did."""

    migrated: tuple[Path, ...]
    newer: tuple[Path, ...]  # left alone: written by a newer peerjournal
    snapshot: Path | None
    people: tuple[str, ...] = ()  # people created for names the records held


@dataclass(frozen=True)
class _Kind:
    name: str
    folder: Callable[[DataHome], Path]
    pattern: str
    current: int
    markdown: bool


_KINDS = (
    _Kind("entry", lambda h: h.journal_dir, "*/*/*.md", ENTRY_SCHEMA, markdown=True),
    _Kind("session", lambda h: h.sessions_dir, "*/*.md", SUPERVISION_SCHEMA, markdown=True),
    _Kind("agreement", lambda h: h.agreements_dir, "*.md", AGREEMENT_SCHEMA, markdown=True),
    _Kind("assessment", lambda h: h.assessments_dir, "*/*.json", ASSESSMENT_SCHEMA, markdown=False),
)


def migrate(
    home: DataHome,
    *,
    migrations: Migrations = MIGRATIONS,
    dry_run: bool = False,
    clock: Clock,
) -> MigrationReport:
    """Migrate every record older than today's schema; see the module docstring for the rules.

    Names in records become person ids; a person record is created for each id met, so a
    migrated home shows the same names as before and a rename later reaches every record.
    """
    from peerjournal.services.people import People

    people = People(home)
    known = people.id_map()
    if migrations is MIGRATIONS:
        migrations = people_migrations(known)
    with home_lock(home.lock_file):
        pending = [(kind, path, data, body) for kind, path, data, body in _older(home)]
        newer = tuple(path for kind, path, data, _ in _all(home) if _schema(data) > kind.current)
        if dry_run or not pending:
            return MigrationReport(tuple(p for _, p, _, _ in pending), newer, None)
        snapshot = _snapshot(home, [path for _, path, _, _ in pending], clock)
        done = []
        for kind, path, data, body in pending:
            text = _migrated_text(kind, path, data, body, migrations)
            write_atomic(path, text, within=home.root)
            done.append(path)
        met: dict[str, str] = {}
        roles: dict[str, str] = {}
        for kind, _, data, _ in pending:
            for name in _PEOPLE_FIELDS.get(kind.name, ()):
                value = data.get(name)
                if isinstance(value, str) and value.strip() and not is_person_id(value):
                    person_id = person_id_for(value, known)
                    met[person_id] = value
                    if name in ("worker", "supervisor"):
                        roles.setdefault(person_id, name)
        owner = _owner(home)
        if owner is not None and owner[0] in met:
            roles[owner[0]] = owner[1]
        made = people.ensure(met, roles)
        (home.root / _STATE).unlink(missing_ok=True)
        return MigrationReport(
            tuple(done), newer, snapshot, tuple(sorted((p.name for p in made), key=str.casefold))
        )


def _migrated_text(
    kind: _Kind, path: Path, data: dict[str, Any], body: str, migrations: Migrations
) -> str:
    """Apply each step up to the current schema, then prove the result reads back the same."""
    version = _schema(data)
    while version < kind.current:
        step = migrations.get(kind.name, {}).get(version)
        if step is None:
            raise RecordError(
                f"no migration from schema {version} to {version + 1} for a {kind.name}", path=path
            )
        data, body = step(dict(data), body)
        version += 1
        data["schema"] = version
    text = _render(kind, data, body, path)
    if _render(kind, *_parse(kind, text, path), path) != text:
        raise RecordError(
            "the migrated record does not read back the same; nothing was changed", path=path
        )
    return text


def _render(kind: _Kind, data: dict[str, Any], body: str, path: Path) -> str:
    try:
        if kind.name == "entry":
            preamble, sections = frontmatter.split_sections(body)
            return entry_files.render(
                DiaryEntry(
                    meta=EntryMeta.model_validate(data),
                    preamble=preamble,
                    sections=tuple(Section(heading=h, text=t) for h, t in sections),
                )
            )
        if kind.name == "session":
            return supervision_files.render(SessionMeta.model_validate(data), body.strip("\n"))
        if kind.name == "agreement":
            return agreement_files.render_agreement(
                Agreement.model_validate(data), body.strip("\n")
            )
        return assessment_files.render(Assessment.model_validate(data))
    except ValueError as error:  # pydantic's ValidationError; its text may quote a record
        raise RecordError(
            f"the migrated record is not valid ({type(error).__name__}); nothing was changed",
            path=path,
        ) from None


def _parse(kind: _Kind, text: str, path: Path) -> tuple[dict[str, Any], str]:
    if kind.markdown:
        doc, body = frontmatter.split(text, path)
        return dict(doc.data), body
    return json_object(text, path), ""


def _owner(home: DataHome) -> tuple[str, str] | None:
    """The owner's id (as a migration gives it) and role, from settings without a person id."""
    from peerjournal.services.home import maybe_settings

    try:
        settings = maybe_settings(home)
    except RecordError:
        return None
    if settings is None or settings.person:
        return None
    return name_id(settings.name), settings.role


def _all(home: DataHome) -> Iterator[tuple[_Kind, Path, dict[str, Any], str]]:
    for kind in _KINDS:
        folder = RecordFolder(home, kind.folder(home), kind.pattern, kind.name, kind.name, 4 << 20)
        for path in folder.files():
            try:
                text = yamlio.decode(folder.read_bytes(path), path)
                data, body = _parse(kind, text, path)
            except RecordError:
                continue  # unreadable records are doctor's business, not a migration's
            yield kind, path, data, body


def _older(home: DataHome) -> Iterator[tuple[_Kind, Path, dict[str, Any], str]]:
    return ((k, p, d, b) for k, p, d, b in _all(home) if _schema(d) < k.current)


def _schema(data: dict[str, Any]) -> int:
    value = data.get("schema", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def _snapshot(home: DataHome, paths: list[Path], clock: Clock) -> Path:
    """Copy the records about to change, once; a re-run after a kill reuses the same snapshot."""
    state = home.root / _STATE
    if state.exists():
        folder = Path(json.loads(read_private(state))["snapshot"])
    else:
        folder = home.snapshots_dir / f"migration-{clock():%Y%m%d-%H%M%S}"
        write_atomic(state, json.dumps({"snapshot": str(folder)}) + "\n", within=home.root)
    for path in paths:
        target = folder / path.relative_to(home.root)
        if not target.exists():  # a copy taken before a kill is the original: keep it
            write_atomic(target, read_private(path), within=home.root)  # whole or absent
    return folder
