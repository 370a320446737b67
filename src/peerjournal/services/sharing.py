"""What one person shares with another, as a signed bundle sealed to the recipient's key.

A worker shares the diary entries they marked for supervision and their completed
self-assessments with their goals; a supervisor shares the sessions (as they concern that worker)
with their actions, and their completed ratings of the worker. By default a record goes once,
and again only when it has changed since (the ledger keeps what was sent, by digest). Records
travel with people's names, not this home's person ids, so the other home can read them.
"""

import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerjournal.clock import Clock
from peerjournal.errors import InputError
from peerjournal.services.dates import in_period, record_day
from peerjournal.store.atomic import write_atomic
from peerjournal.store.digest import sha256_hex
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.vault import read_private

if TYPE_CHECKING:
    from peerjournal.models.settings import Settings
    from peerjournal.services.keys import Keys
    from peerjournal.services.query import DiaryQuery
    from peerjournal.services.supervision import Supervision
    from peerjournal.store.assessments import AssessmentStore
    from peerjournal.store.entries import EntryStore, StoredEntry

BUNDLE_SUFFIX = ".pjbundle"
KINDS = ("entries", "assessments", "sessions", "signoffs")


@dataclass(frozen=True)
class Outgoing:
    """One record about to go: its path in the bundle, its bytes, and how it is named to people."""

    path: str  # e.g. "entries/20261124-1430-3fa9.md"
    data: bytes
    label: str  # "diary entry 20261124-1430-3fa9 (2026-11-24)": ids and dates, no typed text
    fields: tuple[tuple[str, str], ...] = ()  # the text a person typed, for the privacy check

    @property
    def kind(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def digest(self) -> str:
        return sha256_hex(self.data)


@dataclass
class Selection:
    """Everything a bundle for one person would hold, before it is written."""

    recipient: str  # the person's name
    sender: str  # this home's owner
    since: date | None
    until: date | None
    records: list[Outgoing] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Records per kind; a sign-off counts once, not once more for its .sig file."""
        return {
            kind: sum(1 for r in self.records if r.kind == kind and not r.path.endswith(".sig"))
            for kind in KINDS
        }

    def texts(self) -> list[tuple[str, str]]:
        """(where, text) of what people typed in every record, for the privacy check."""
        return [
            (f"{record.label}, {name}", text)
            for record in self.records
            for name, text in record.fields
            if text
        ]


class Ledger:
    """What this home has sent to one person: their bundles in order, and each record's digest."""

    def __init__(self, home: DataHome, person_id: str) -> None:
        self.path = home.root / "shared" / f"{person_id}.json"
        self.home_root = home.root
        self.data: dict[str, Any] = {"bundles": [], "sent": {}}
        if self.path.is_file():
            from peerjournal.store.jsonio import json_object

            self.data = json_object(read_private(self.path).decode("utf-8"), self.path)
            self.data.setdefault("bundles", [])
            self.data.setdefault("sent", {})

    @property
    def last_bundle(self) -> str | None:
        bundles = self.data["bundles"]
        return str(bundles[-1]["id"]) if bundles else None

    def unchanged(self, record: Outgoing) -> bool:
        return bool(self.data["sent"].get(record.path) == record.digest)

    def record(self, bundle_id: str, created: str, records: Sequence[Outgoing]) -> None:
        self.data["bundles"].append(
            {"id": bundle_id, "created": created, "files": [r.path for r in records]}
        )
        for item in records:
            self.data["sent"][item.path] = item.digest
        text = json.dumps(self.data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_atomic(self.path, text, within=self.home_root)


class Sharing:
    """Choose what goes to a person, and write it as a signed, sealed bundle."""

    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock,
        keys: "Keys",
        supervision: "Supervision",
        entries: "EntryStore",
        assessments: "AssessmentStore",
        query: "DiaryQuery | None" = None,
    ) -> None:
        self.home = home
        self.clock = clock
        self.keys = keys
        self.supervision = supervision
        self.entries = entries
        self.assessments = assessments
        self.query = query  # the index finds the marked entries without reading every file

    def select(
        self,
        recipient: str,
        settings: "Settings",
        *,
        since: date | None = None,
        until: date | None = None,
        kinds: Sequence[str] | None = None,
        again: bool = False,
    ) -> Selection:
        """What a bundle to ``recipient`` holds: new or changed records in the period.

        Without ``kinds`` it is what the role shares: a worker's marked entries and completed
        assessments; a supervisor's sessions, ratings and sign-offs about that worker.

        ``again`` takes every record in the period, sent before or not (to replace a lost bundle).
        """
        chosen_kinds = bool(kinds)  # --only: exactly these; else what the role shares
        kinds = kinds or KINDS
        unknown = [kind for kind in kinds if kind not in KINDS]
        if unknown:
            raise InputError(f"--only takes {', '.join(KINDS)}; not {', '.join(unknown)}")
        person_id = self.supervision.people.store.id_of(recipient)
        ledger = Ledger(self.home, person_id)
        chosen = Selection(recipient, settings.name, since, until)
        found: list[Outgoing] = []
        if "entries" in kinds and settings.role == "peer-worker":
            found += self._entries(since, until)
        if "assessments" in kinds:
            found += self._assessments(settings, recipient, since, until)
        # a supervisor's sessions go to the worker; a worker's own notes of their sessions
        # go only when asked for (--only sessions)
        if "sessions" in kinds and (settings.role == "supervisor" or chosen_kinds):
            worker = recipient if settings.role == "supervisor" else settings.name
            found += self._sessions(worker, since, until)
        if "signoffs" in kinds and settings.role == "supervisor":
            found += self._signoffs(recipient)
        chosen.records = [r for r in found if again or not ledger.unchanged(r)]
        return chosen

    def _entries(self, since: date | None, until: date | None) -> list[Outgoing]:
        """The diary entries marked for supervision: the worker chose these to be seen."""
        from peerjournal.services.diary import entry_fields
        from peerjournal.store.entries import render

        found = []
        if self.query is not None:
            from peerjournal.services.query import Filters

            wanted = Filters(since=since, until=until, for_supervision=True)
            chosen: Iterable[StoredEntry] = [
                self.entries.read(row.path) for row in self.query.summaries(wanted)
            ]
        else:
            chosen = self.entries.iter()
        for stored in chosen:
            meta = stored.entry.meta
            day = record_day(meta.date)
            if meta.for_supervision and in_period(day, since, until):
                found.append(
                    Outgoing(
                        f"entries/{meta.id}.md",
                        render(stored.entry).encode("utf-8"),
                        f"diary entry {meta.id} ({day})",
                        tuple(entry_fields(stored.entry)),
                    )
                )
        return found

    def _assessments(
        self, settings: "Settings", recipient: str, since: date | None, until: date | None
    ) -> list[Outgoing]:
        """Completed assessments: a worker's own ratings, or a supervisor's of that worker."""
        from peerjournal.services.assessments import written_fields
        from peerjournal.store.assessments import render

        mine = settings.name.casefold()
        found = []
        for stored in self.assessments.iter():
            assessment = stored.assessment
            if assessment.status != "complete" or assessment.assessor.casefold() != mine:
                continue
            if settings.role == "supervisor":
                if assessment.subject.casefold() != recipient.casefold():
                    continue
            elif assessment.role not in ("self", "supervisee"):
                continue
            day = record_day(assessment.finished or assessment.started)
            if in_period(day, since, until):
                found.append(
                    Outgoing(
                        f"assessments/{assessment.id}.json",
                        render(assessment).encode("utf-8"),
                        f"assessment {assessment.id} ({day})",
                        tuple(written_fields(assessment, assessment.goals)),
                    )
                )
        return found

    def _sessions(self, worker: str, since: date | None, until: date | None) -> list[Outgoing]:
        """The worker's sessions as they concern them (others in a group left out)."""
        from peerjournal.services.session_draft import session_fields, shared_bytes

        found = []
        for stored in self.supervision.sessions(worker):
            meta = stored.meta
            day = record_day(meta.date)
            if in_period(day, since, until):
                found.append(
                    Outgoing(
                        f"sessions/{meta.id}.md",
                        shared_bytes(stored),
                        f"supervision session {meta.id} ({day})",
                        tuple(session_fields(meta, stored.notes)),
                    )
                )
        return found

    def _signoffs(self, worker: str) -> list[Outgoing]:
        """The worker's sign-offs, both files as signed: every one, whatever the period."""
        from peerjournal.services.signoff import shareable

        return [Outgoing(*item) for item in shareable(self.home, self.supervision, worker)]

    def write(
        self,
        selection: Selection,
        out: Path,
        *,
        transform: Callable[[str], str] | None = None,
    ) -> tuple[str, Path]:
        """Sign, seal and write the bundle; the ledger then knows what was sent.

        ``transform`` (pseudonymisation) is applied to every record's text first. The bundle is
        written whole or not at all, and the ledger only after the bundle is on disk.
        """
        from peerjournal.services import bundle_format as fmt
        from peerjournal.services.sshsig import NAMESPACE_SHARE, fingerprint

        if not selection.records:
            raise InputError(f"nothing new to share with {selection.recipient}")
        if out.exists() and out.is_dir():
            raise InputError(f"--out {out} is a folder; give a file name")
        recipient_key = self.keys.current_key(selection.recipient)
        person_id = self.supervision.people.store.id_of(selection.recipient)
        ledger = Ledger(self.home, person_id)
        now = self.clock()
        bundle_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        records = [
            Outgoing(r.path, transform(r.data.decode("utf-8")).encode("utf-8"), r.label, r.fields)
            if transform and r.kind != "signoffs"  # a pseudonym would break the signature
            else r
            for r in selection.records
        ]
        files = {record.path: record.data for record in records}
        manifest = fmt.build_manifest(
            bundle_id=bundle_id,
            previous=ledger.last_bundle,
            sender={"name": selection.sender, "fingerprint": self.keys.fingerprint()},
            recipient={"name": selection.recipient, "fingerprint": fingerprint(recipient_key)},
            created=now.isoformat(),
            period={
                "since": selection.since.isoformat() if selection.since else None,
                "until": selection.until.isoformat() if selection.until else None,
            },
            summary=selection.counts(),
            files=files,
        )
        signature = self.keys.sign(NAMESPACE_SHARE, fmt.manifest_bytes(manifest))
        sealed = fmt.seal(fmt.write_zip(files, manifest, signature), recipient_key)
        with home_lock(self.home.lock_file):
            write_atomic(out, sealed)
            ledger.record(bundle_id, now.isoformat(), records)
        return bundle_id, out
