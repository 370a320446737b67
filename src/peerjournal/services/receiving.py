"""Checking a bundle someone sent, and keeping what it holds apart from this home's own records.

Every check runs before anything is written: the bundle must open with this home's key, its
signature must be by the sender's pinned key, it must be addressed to this home's key, and every
member must be safe and match the manifest. What is received goes under
``team/<person-id>/`` (files read-only, 0400), never among this home's own records, so it cannot
be mistaken for or edited as the receiver's own. The chain of bundle ids shows a gap or a
reordering; a bundle received twice adds nothing.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerjournal.clock import Clock
from peerjournal.errors import InputError
from peerjournal.store.atomic import write_atomic
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.vault import read_private

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from peerjournal.models.assessment import Assessment
    from peerjournal.models.settings import Settings
    from peerjournal.services.bundle_format import OpenedBundle
    from peerjournal.services.keys import Keys
    from peerjournal.services.supervision import Supervision

TEAM_DIR = "team"
# what a bundle may hold: records by kind and id, and sign-offs as their two signed files
_KEPT = re.compile(
    r"(entries|sessions)/[0-9A-Za-z-]{1,80}\.md|assessments/[0-9A-Za-z._-]{1,120}\.json"
    r"|signoffs/[0-9A-Za-z-]{1,80}/signoff\.json(\.sig)?"
)
MAX_SEALED = 512 * 1024 * 1024


@dataclass(frozen=True)
class Checked:
    """A bundle whose every check held: who sent it, to whom, and what it holds."""

    opened: "OpenedBundle"
    sender_name: str  # as this home pinned them
    sender_id: str
    key_current: bool  # False: signed with a key the sender has since replaced

    @property
    def manifest(self) -> dict[str, Any]:
        return self.opened.manifest

    @property
    def bundle_id(self) -> str:
        return str(self.manifest["bundle_id"])


@dataclass(frozen=True)
class Received:
    """What ``receive`` did: the records it kept and what the chain of bundles says."""

    checked: Checked
    added: tuple[str, ...]  # member paths written (new or changed)
    already: bool  # the same bundle was received before: nothing added
    chain_note: str  # '' when the bundle follows the last one received


class Receiving:
    """Verify bundles against pinned keys and keep what they hold under team/."""

    def __init__(self, home: DataHome, *, clock: Clock, keys: "Keys") -> None:
        self.home = home
        self.clock = clock
        self.keys = keys

    def check(self, path: Path, *, ask_passphrase: "Callable[[], str] | None" = None) -> Checked:
        """Open and check a bundle; any failed check is one line and nothing else happens."""
        from peerjournal.services import bundle_format as fmt
        from peerjournal.services.sshsig import NAMESPACE_SHARE, verify

        try:
            size = path.stat().st_size
        except OSError as error:
            raise InputError(f"cannot read the bundle ({error.strerror})", path=path) from None
        if size > MAX_SEALED:
            raise InputError("the bundle is larger than any peerjournal writes", path=path)
        sealed = path.read_bytes()
        opened = fmt.read_zip(fmt.unseal(sealed, self.keys.identity_pem(ask_passphrase)))
        manifest = opened.manifest
        mine = self.keys.fingerprint()
        recipient = str(manifest.get("recipient", {}).get("fingerprint", ""))
        if recipient != mine:
            raise InputError("this bundle is addressed to another key, not to yours", path=path)
        sender = str(manifest.get("sender", {}).get("fingerprint", ""))
        pinned = self.keys.who(sender)
        if pinned is None:
            named = manifest.get("sender", {}).get("name", "someone")
            raise InputError(
                f"the sender's key ({sender}) is not trusted here; compare fingerprints with "
                f"{named} in person, then run: peerjournal keys trust NAME KEY",
                path=path,
            )
        name, person_id, key_line, current = pinned
        fmt.check_signature(opened, lambda data, sig: verify(key_line, NAMESPACE_SHARE, data, sig))
        for member in opened.files:
            if not _KEPT.fullmatch(member):
                raise InputError(
                    f"the bundle holds {json.dumps(member)}, which is no kind of record "
                    "peerjournal shares; nothing was imported",
                    path=path,
                )
        return Checked(opened, name, person_id, current)

    def folder(self, person_id: str) -> Path:
        return self.home.root / TEAM_DIR / person_id

    def receive(self, checked: Checked) -> Received:
        """Keep a checked bundle's records under team/<person-id>/, under the home lock."""
        folder = self.folder(checked.sender_id)
        with home_lock(self.home.lock_file):
            ledger = _read_ledger(folder / "received.json")
            ids = [str(b["id"]) for b in ledger["bundles"]]
            if checked.bundle_id in ids:
                return Received(checked, (), True, "")
            previous = checked.manifest.get("previous")
            note = ""
            if ids and previous != ids[-1]:
                if previous in ids:
                    note = (
                        f"bundle {checked.bundle_id} follows {previous}, not the last one "
                        f"received ({ids[-1]}): it was written before that one"
                    )
                else:
                    note = (
                        f"bundle {checked.bundle_id} follows {previous or 'none'}, which was "
                        "never received here: one or more bundles are missing"
                    )
            elif not ids and previous:
                note = f"bundle {checked.bundle_id} follows {previous}, which was never received"
            added = []
            for member, data in sorted(checked.opened.files.items()):
                target = folder / member
                if target.is_file() and read_private(target) == data:
                    continue
                if target.exists():
                    target.chmod(0o600)  # replaced by a newer copy of the same record
                write_atomic(target, data, within=self.home.root)
                target.chmod(0o400)
                added.append(member)
            ledger["bundles"].append(
                {
                    "sender_name": checked.manifest.get("sender", {}).get("name"),
                    "recipient_name": checked.manifest.get("recipient", {}).get("name"),
                    "id": checked.bundle_id,
                    "previous": previous,
                    "created": checked.manifest.get("created"),
                    "received": self.clock().isoformat(),
                    "files": sorted(checked.opened.files),
                }
            )
            text = json.dumps(ledger, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            write_atomic(folder / "received.json", text, within=self.home.root)
        return Received(checked, tuple(added), False, note)

    def team(self) -> list[tuple[str, dict[str, Any]]]:
        """Per person something was received from: (person id, their ledger), by id."""
        root = self.home.root / TEAM_DIR
        if not root.is_dir():
            return []
        return [
            (folder.name, _read_ledger(folder / "received.json"))
            for folder in sorted(root.iterdir())
            if folder.is_dir() and not folder.is_symlink()
        ]


def _gap_count(assessments: "Sequence[Assessment]", name: str) -> int:
    """Items 2+ points apart in the person's latest self and supervisor pair: to talk about."""
    from peerjournal.errors import PeerJournalError
    from peerjournal.services.assessment_stats import gaps, latest_pair

    try:
        own, theirs = latest_pair(assessments, name)
        return len(gaps(own, theirs))
    except PeerJournalError:
        return 0  # no pair yet


def _read_ledger(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"bundles": []}
    from peerjournal.store.jsonio import json_object

    data = json_object(read_private(path).decode("utf-8"), path)
    data.setdefault("bundles", [])
    return data


def team_rows(
    receiving: Receiving,
    supervision: "Supervision",
    settings: "Settings",
    assessments: "Sequence[Assessment]" = (),
) -> list[dict[str, Any]]:
    """One row per person: what came from them, and (a supervisor's) own record of them.

    The caseload is built from both: everyone something was received from, and every worker
    the supervisor's own sessions and agreements name.
    """
    from collections import Counter

    from peerjournal.units import hours_of

    people = supervision.people.store
    received = {people.name_of(person_id): ledger for person_id, ledger in receiving.team()}
    names = set(received)
    if settings.role == "supervisor":
        names |= set(supervision.workers())
    today = supervision.clock().date()
    rows = []
    for name in sorted(names, key=str.casefold):
        ledger = received.get(name, {"bundles": []})
        bundles = ledger["bundles"]
        kinds: Counter[str] = Counter()
        seen: set[str] = set()
        for bundle in bundles:
            for member in bundle.get("files", []):
                if member not in seen:
                    seen.add(member)
                    kinds[str(member).split("/", 1)[0]] += 1
        last = bundles[-1] if bundles else {}
        row: dict[str, Any] = {
            "person": name,
            "last_bundle": last.get("id"),
            "received": str(last.get("received", ""))[:10] or None,
            "entries": kinds["entries"],
            "assessments": kinds["assessments"],
            "sessions": kinds["sessions"],
            "last_session": None,
            "open_actions": 0,
            "overdue_actions": 0,
            "hours": "-",
            "gaps": _gap_count(assessments, name),
        }
        if name in supervision.workers():
            session = supervision.last_session(name)
            views = supervision.actions(name, only="open")
            row["last_session"] = f"{session.meta.date:%Y-%m-%d}" if session else None
            row["open_actions"] = len(views)
            row["overdue_actions"] = sum(
                1 for v in views if v.action.due is not None and v.action.due < today
            )
            target = settings.reminders.hours_target
            row["hours"] = hours_of(supervision.hours(worker=name).minutes, target)
        rows.append(row)
    return rows
