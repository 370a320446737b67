"""Records another person shared, as kept under ``team/<person-id>/``: read, never written.

A received record names people as its sender's home named them. Read here, the sender's own
name becomes the pinned person's name in this home and the recipient's becomes this home's
owner's, so a worker's self-assessment sits beside the supervisor's rating of "the same" person
and the supervisor's sessions show the worker as themself.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from peerjournal.errors import RecordError
from peerjournal.models.assessment import Assessment
from peerjournal.models.entry import EntryMeta
from peerjournal.models.supervision import SessionMeta
from peerjournal.store import frontmatter, yamlio
from peerjournal.store.assessments import StoredAssessment
from peerjournal.store.jsonio import json_object
from peerjournal.store.layout import DataHome
from peerjournal.store.people import PeopleStore
from peerjournal.store.records import fingerprint
from peerjournal.store.supervision import StoredSession
from peerjournal.store.validate import describe
from peerjournal.store.vault import read_private

TEAM_DIR = "team"
MAX_BYTES = 4 * 1024 * 1024


class ReceivedRecords:
    """Every record kept from received bundles, by the person it came from."""

    def __init__(self, home: DataHome, people: PeopleStore, owner: Callable[[], str]) -> None:
        self.home = home
        self.people = people
        self.owner = owner  # this home's owner's name, asked only when a record is read
        self.broken: list[RecordError] = []

    def senders(self) -> Iterator[tuple[str, Path, dict[str, str]]]:
        """(person id, folder, how their bundles named sender and recipient) per sender."""
        root = self.home.root / TEAM_DIR
        if not root.is_dir() or root.is_symlink():
            return
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.is_symlink():
                yield folder.name, folder, _names(folder / "received.json")

    def last_received(self) -> dict[str, date]:
        """Per sender (lower-cased name here), the day their latest bundle was received."""
        found: dict[str, date] = {}
        for person_id, folder, _ in self.senders():
            try:
                ledger: Any = json_object(
                    read_private(folder / "received.json").decode("utf-8"), folder
                )
                stamp = str(ledger["bundles"][-1]["received"])
                found[self.people.name_of(person_id).casefold()] = date.fromisoformat(stamp[:10])
            except (OSError, RecordError, KeyError, IndexError, TypeError, ValueError):
                continue  # nothing received yet, or a ledger not ours: nothing to show
        return found

    def _rename(self, person_id: str, names: dict[str, str]) -> Callable[[str], str]:
        sender = self.people.name_of(person_id)

        def renamed(value: str) -> str:
            role = names.get(value.casefold())
            if role == "sender":
                return sender
            if role == "recipient":
                return self.owner()
            return value

        return renamed

    def _files(self, folder: Path, kind: str, suffix: str) -> list[Path]:
        place = folder / kind
        if not place.is_dir() or place.is_symlink():
            return []
        return sorted(
            p for p in place.iterdir() if p.suffix == suffix and p.is_file() and not p.is_symlink()
        )

    def assessments(self) -> list[StoredAssessment]:
        """Received assessments the sender made themself, each marked with who it came from."""
        found = []
        for person_id, folder, names in self.senders():
            rename = self._rename(person_id, names)
            for path in self._files(folder, "assessments", ".json"):
                try:
                    raw = _read(path)
                    data = json_object(yamlio.decode(raw, path), path)
                    assessment = Assessment.model_validate(data)
                except RecordError as problem:
                    self.broken.append(problem)
                    continue
                except ValidationError as error:
                    first = error.errors(include_url=False)[0]
                    self.broken.append(RecordError(describe(first), path=path))
                    continue
                named = assessment.model_copy(
                    update={
                        "subject": rename(assessment.subject),
                        "assessor": rename(assessment.assessor),
                    }
                )
                if named.assessor != self.people.name_of(person_id):
                    continue  # only the sender's own ratings: nobody rates in another's name
                stored = StoredAssessment(named, path, fingerprint(raw))
                found.append(replace(stored, received_from=self.people.name_of(person_id)))
        return found

    def entries(self) -> list[tuple[str, EntryMeta]]:
        """(sender's name, entry front matter) of every diary entry shared with this home."""
        from peerjournal.store.entries import parse

        found = []
        for person_id, folder, _ in self.senders():
            sender = self.people.name_of(person_id)
            for path in self._files(folder, "entries", ".md"):
                try:
                    meta, _body = parse(_read(path), path)
                except RecordError as problem:
                    self.broken.append(problem)
                    continue
                found.append((sender, meta))
        return sorted(found, key=lambda pair: pair[1].date)

    def sessions(self) -> list[StoredSession]:
        """Sessions the sender supervised (as they concern this home's owner), marked so."""
        found = []
        for person_id, folder, names in self.senders():
            rename = self._rename(person_id, names)
            for path in self._files(folder, "sessions", ".md"):
                try:
                    raw = _read(path)
                    meta, body = frontmatter.parse_record(raw, path, SessionMeta)
                except RecordError as problem:
                    self.broken.append(problem)
                    continue
                named = meta.model_copy(
                    update={
                        "workers": [rename(worker) for worker in meta.workers],
                        "supervisor": rename(meta.supervisor),
                    }
                )
                if named.supervisor != self.people.name_of(person_id):
                    continue  # a worker's own notes of a session are kept, not counted twice
                found.append(
                    StoredSession(
                        named, body.strip("\n"), path, fingerprint(raw),
                        received_from=self.people.name_of(person_id),
                    )
                )  # fmt: skip
        return found


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:
        raise RecordError("the received record is too large to read", path=path)
    return read_private(path)


def _names(ledger: Path) -> dict[str, str]:
    """How this sender's bundles named the sender and the recipient (lower-cased names)."""
    if not ledger.is_file():
        return {}
    try:
        data: Any = json_object(read_private(ledger).decode("utf-8"), ledger)
    except (RecordError, OSError, json.JSONDecodeError):
        return {}
    names: dict[str, str] = {}
    for bundle in data.get("bundles", []):
        for role in ("sender", "recipient"):
            value = bundle.get(f"{role}_name")
            if isinstance(value, str) and value.strip():
                names[value.casefold()] = role
    return names
