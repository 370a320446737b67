"""Sign-offs: a supervisor attests a worker's supervision in a period, as two files anyone checks.

``signoff.json`` is canonical JSON (sorted keys, UTF-8, two-space indent, a final newline) with
a plain-words statement, the attested totals, every held session's id and the SHA-256 of its
file as stored, both people's key fingerprints, the period, and ``previous``: the SHA-256 of
the supervisor's last sign-off for the same worker, so a reordering or a removed sign-off
shows. ``signoff.json.sig`` is an SSHSIG over exactly those bytes (namespace
``peerjournal-signoff@v1``), so stock ``ssh-keygen -Y verify`` checks it. SSHSIG has no
trusted timestamp: the chain shows order, not time.

A signed period is never edited: a correction is a new sign-off whose ``supersedes`` names the
earlier ones it overlaps; their files stay as they were. A supervisor's sign-offs live under
``signoffs/<id>/``; a worker's, received in a bundle, under ``team/<person-id>/signoffs/<id>/``.
"""

import json
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError, RecordError, StorageError
from peerjournal.services.dates import record_day
from peerjournal.services.session_draft import shared_bytes
from peerjournal.store.atomic import create_exclusive, ensure_private_dir, move_private
from peerjournal.store.digest import sha256_hex
from peerjournal.store.ids import ambiguous, check_id
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.vault import read_private
from peerjournal.units import duration

if TYPE_CHECKING:
    from peerjournal.models.settings import Settings
    from peerjournal.services.credentials import Credentials
    from peerjournal.services.keys import Keys
    from peerjournal.services.supervision import Supervision

__all__ = [
    "FORMAT",
    "SIGNATURE_NAME",
    "SIGNOFF_NAME",
    "VERSION",
    "Check",
    "Proposal",
    "Signoffs",
    "StoredSignoff",
    "signoff_bytes",
]

FORMAT = "peerjournal-signoff"
VERSION = 1
SIGNOFF_NAME = "signoff.json"
SIGNATURE_NAME = "signoff.json.sig"
OWN_DIR = "signoffs"
TEAM_DIR = "team"  # what receiving keeps from other people: team/<person-id>/<path>
MAX_BYTES = 1024 * 1024  # a sign-off of a thousand sessions is far smaller
CheckStatus = Literal["ok", "fail", "note"]


def signoff_bytes(document: dict[str, Any]) -> bytes:
    """The canonical form of a sign-off: exactly what is signed and stored."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class StoredSignoff:
    """One sign-off folder: its id (the folder's name), where it came from, and its files."""

    id: str
    folder: Path
    origin: str  # '' for this home's own; else the person id it was received from
    raw: bytes | None  # signoff.json as stored; None when missing or unreadable
    document: dict[str, Any] | None  # None when signoff.json is not a sign-off

    @property
    def digest(self) -> str | None:
        return sha256_hex(self.raw) if self.raw is not None else None

    @property
    def json_path(self) -> Path:
        return self.folder / SIGNOFF_NAME

    @property
    def sig_path(self) -> Path:
        return self.folder / SIGNATURE_NAME

    def field(self, *keys: str) -> Any:  # noqa: ANN401 - JSON values
        """A value of the document by its keys (``field("worker", "name")``), or None."""
        value: Any = self.document
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def overlaps(self, since: date, until: date) -> bool:
        first, last = self.field("period", "since"), self.field("period", "until")
        if not (isinstance(first, str) and isinstance(last, str)):
            return False
        try:
            return date.fromisoformat(first) <= until and since <= date.fromisoformat(last)
        except ValueError:
            return False


@dataclass(frozen=True)
class Proposal:
    """A sign-off ready to be confirmed: the very document that will be signed."""

    document: dict[str, Any]
    left_out: int  # cancelled or missed sessions in the period: not attested
    other_supervisor: int  # sessions held with another supervisor: theirs to attest
    supersedes: tuple[StoredSignoff, ...]
    target_title: str  # what the target is, for people: '' without one
    counted_minutes: int | None  # of the total, what counts toward the credential's rule

    @property
    def id(self) -> str:
        return str(self.document["id"])


@dataclass(frozen=True)
class Check:
    """One line of `signoffs verify`: ok, a failure, or a note that changes nothing."""

    status: CheckStatus
    text: str


@dataclass
class _Totals:
    minutes: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_form: Counter[str] = field(default_factory=Counter)


class Signoffs:
    """Write, find, check and print sign-offs of supervision."""

    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock,
        keys: "Keys",
        supervision: "Supervision",
        credentials: "Callable[[], Credentials]",
    ) -> None:
        self.home = home
        self.clock = clock
        self.keys = keys
        self.supervision = supervision
        self._credentials = credentials

    @property
    def own_dir(self) -> Path:
        return self.home.root / OWN_DIR

    # --- writing --------------------------------------------------------------------------

    def propose(
        self,
        worker: str,
        settings: "Settings",
        *,
        since: date,
        until: date,
        credential: str | None = None,
    ) -> Proposal:
        """What a sign-off of ``worker``'s supervision from ``since`` to ``until`` attests.

        Only sessions that took place count; a period with none is refused.
        """
        if settings.role != "supervisor":
            raise InputError("only a supervisor signs off supervision; this home is a worker's")
        if worker.casefold() == settings.name.casefold():
            raise InputError("a supervisor cannot sign off their own supervision")
        if since > until:
            raise InputError(f"--since ({since}) is after --until ({until})")
        today = self.clock().date()
        if until > today:
            raise InputError(f"--until ({until}) is after today; sign off a period that has ended")
        in_period = [
            stored
            for stored in self.supervision.sessions(worker)
            if since <= record_day(stored.meta.date) <= until
            # a session someone shared with this home is theirs to attest, not this home's
            and stored.received_from is None
        ]
        supervisor = settings.name
        held = [stored for stored in in_period if stored.meta.held]
        left_out = len(in_period) - len(held)
        # "I supervised": a session someone else supervised is theirs to sign off
        others = [s for s in held if not _supervised_by(s.meta.supervisor, supervisor)]
        held = [s for s in held if s not in others]
        if not held:
            parts = [f"{left_out} cancelled or missed"] if left_out else []
            parts += [f"{len(others)} with another supervisor"] if others else []
            noted = f" ({', '.join(parts)})" if parts else ""
            raise InputError(
                f"{worker} had no supervision sessions held between {since} and {until}"
                f"{noted}; there is nothing to sign off"
            )
        totals = _Totals()
        sessions = []
        for stored in held:
            meta = stored.meta
            totals.minutes += meta.minutes
            totals.by_type[meta.type] += meta.minutes
            totals.by_form[meta.form] += meta.minutes
            sessions.append(
                {
                    "id": meta.id,
                    "date": record_day(meta.date).isoformat(),
                    "type": meta.type,
                    "form": meta.form,
                    "minutes": meta.minutes,
                    "sha256": sha256_hex(shared_bytes(stored)),
                }
            )
        target, title, counted = self._target(worker, settings, credential, held, until)
        mine = self._for_worker(worker)
        head = _chain_head(mine)
        replaced = tuple(s for s in _in_force(mine) if s.overlaps(since, until))
        now = self.clock()
        signoff_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        statement = (
            f"I, {supervisor}, supervised {worker} for the sessions below between {since} and "
            f"{until}; they took place as listed and come to {duration(totals.minutes)} "
            f"({totals.minutes} minutes) of supervision in {len(held)} "
            f"session{'s' if len(held) != 1 else ''}."
        )
        if replaced:
            statement += (
                f" This sign-off replaces sign-off {', '.join(s.id for s in replaced)}, "
                "which no longer stands."
            )
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "id": signoff_id,
            "statement": statement,
            "date": now.date().isoformat(),
            "signed_at": now.isoformat(timespec="seconds"),
            "period": {"since": since.isoformat(), "until": until.isoformat()},
            "supervisor": {
                "name": supervisor,
                "fingerprint": self.keys.fingerprint(),
                # for allowed_signers; trust comes from comparing the fingerprint in person
                "key": " ".join(self.keys.own_public().split()[:2]),
            },
            "worker": {"name": worker, "fingerprint": self._worker_fingerprint(worker)},
            "credential": credential.strip().lower() if credential else None,
            "target": target,
            "totals": {
                "minutes": totals.minutes,
                "sessions": len(held),
                "by_type": dict(sorted(totals.by_type.items())),
                "by_form": dict(sorted(totals.by_form.items())),
            },
            "sessions": sessions,
            "not_attested": {"cancelled_or_missed": left_out, "another_supervisor": len(others)},
            "previous": head.digest if head else None,
            "supersedes": [{"id": s.id, "sha256": s.digest} for s in replaced],
        }
        return Proposal(document, left_out, len(others), replaced, title, counted)

    def write(self, proposal: Proposal) -> StoredSignoff:
        """Sign and keep a proposal, whole or not at all, read-only after writing.

        If another sign-off for the worker was written since the proposal was made, nothing is
        written: its chain would be wrong.
        """
        from peerjournal.services.sshsig import NAMESPACE_SIGNOFF

        data = signoff_bytes(proposal.document)
        signature = self.keys.sign(NAMESPACE_SIGNOFF, data)
        worker = str(proposal.document["worker"]["name"])
        target = self.own_dir / proposal.id
        with home_lock(self.home.lock_file):
            head = _chain_head(self._for_worker(worker))
            if (head.digest if head else None) != proposal.document["previous"]:
                raise InputError(
                    f"another sign-off for {worker} was written meanwhile; run the command again"
                )
            if target.exists():
                raise StorageError("a sign-off with that id is already there", path=target)
            staging = self.own_dir / f".new-{proposal.id}"
            ensure_private_dir(staging, within=self.home.root)
            for name, content in ((SIGNOFF_NAME, data), (SIGNATURE_NAME, signature)):
                if not create_exclusive(staging / name, content, within=self.home.root):
                    raise StorageError("a half-written sign-off is in the way", path=staging)
                (staging / name).chmod(0o400)
            move_private(staging, target, within=self.home.root)
        return _read(proposal.id, target, "")

    def _target(
        self,
        worker: str,
        settings: "Settings",
        credential: str | None,
        held: Sequence[Any],
        until: date,
    ) -> tuple[dict[str, Any] | None, str, int | None]:
        """The hours the total is set against: a credential's first hours rule, or the setting."""
        if credential is None:
            hours = settings.reminders.hours_target
            if hours is None:
                return None, "", None
            return {"hours": hours, "from": "reminders.hours_target"}, "the worker's target", None
        credentials = self._credentials()
        found = credentials.get(credential)
        rule = next((r for r in found.rules if r.kind == "hours" and r.hours), None)
        if rule is None:
            raise InputError(f"credential {found.id!r} has no hours rule to sign off against")
        progress = credentials.progress(found, worker, [s.meta for s in held], until)
        counted = next(p.minutes for p in progress.rules if p.rule.id == rule.id)
        target = {
            "hours": rule.hours,
            "from": f"credential {found.id}, rule {rule.id}",
            "counted_minutes": counted,
        }
        return target, f"{found.title}: {rule.title}", counted

    def _worker_fingerprint(self, worker: str) -> str | None:
        from peerjournal.services.sshsig import fingerprint

        try:
            return fingerprint(self.keys.current_key(worker))
        except NotFoundError:
            return None

    def _for_worker(self, worker: str) -> list[StoredSignoff]:
        """This home's own sign-offs for a worker (a renamed worker's too), oldest first."""
        return _of_worker(self.own(), self.supervision, worker)

    # --- reading --------------------------------------------------------------------------

    def own(self) -> list[StoredSignoff]:
        """The sign-offs this home wrote, oldest first."""
        return _folder_signoffs(self.own_dir, "")

    def received(self) -> list[StoredSignoff]:
        """Sign-offs received in bundles, kept under team/<person-id>/signoffs/, oldest first."""
        team = self.home.root / TEAM_DIR
        if not team.is_dir():
            return []
        found = []
        for person in sorted(team.iterdir()):
            if person.is_dir() and not person.is_symlink():
                found += _folder_signoffs(person / OWN_DIR, person.name)
        return sorted(found, key=_order)

    def all(self) -> list[StoredSignoff]:
        return [*self.own(), *self.received()]

    def find(self, prefix: str) -> StoredSignoff:
        """A sign-off by its id or a unique start of one."""
        wanted = check_id(prefix, "sign-off").casefold()
        matches = [s for s in self.all() if s.id.casefold().startswith(wanted)]
        exact = [s for s in matches if s.id.casefold() == wanted]
        if exact:
            matches = exact
        if not matches:
            raise NotFoundError(f"no sign-off with id {prefix.strip()!r}")
        ids = sorted({s.id for s in matches})
        if len(ids) > 1:
            raise ambiguous(prefix.strip(), ids, "sign-offs")
        return matches[0]  # kept twice (written here and received): this home's own first

    def superseded_by(self, signoff: StoredSignoff) -> list[str]:
        """The ids of sign-offs, in the same place, that name this one as superseded."""
        same = [s for s in self.all() if s.origin == signoff.origin]
        return [
            s.id
            for s in same
            if any(
                isinstance(item, dict) and item.get("sha256") == signoff.digest
                for item in (s.field("supersedes") or [])
            )
        ]

    def name_of(self, person_id: str) -> str:
        return self.supervision.people.store.name_of(person_id)

    # --- checking -------------------------------------------------------------------------

    def verify(self, signoff: StoredSignoff) -> list[Check]:
        """Every check of a sign-off, one line each; any 'fail' means it must not be relied on."""
        from peerjournal.services import sshsig

        checks: list[Check] = []
        if signoff.raw is None:
            return [Check("fail", f"{SIGNOFF_NAME} is missing or cannot be read")]
        try:
            armored = _read_limited(signoff.sig_path).decode("ascii")
        except (OSError, UnicodeDecodeError):
            return [Check("fail", f"{SIGNATURE_NAME} is missing or cannot be read")]
        try:
            signer_key = sshsig.signer_of(armored)
            signed_by = sshsig.fingerprint(signer_key)
            own = self.keys.fingerprint()
            if signed_by == own:
                sshsig.verify(
                    self.keys.own_public(), sshsig.NAMESPACE_SIGNOFF, signoff.raw, armored
                )
                checks.append(Check("ok", f"signature: good, by this home's own key {own}"))
                signer_id = ""
            else:
                signer = self.keys.check(sshsig.NAMESPACE_SIGNOFF, signoff.raw, armored)
                old = "" if signer.current else " (a key they have since replaced)"
                checks.append(
                    Check("ok", f"signature: good, by {signer.name}'s trusted key {signed_by}{old}")
                )
                signer_id = signer.person_id
        except (sshsig.SignatureError, InputError) as failed:
            return [*checks, Check("fail", f"signature: {failed.message}")]
        if signoff.origin and signer_id != signoff.origin:
            checks.append(
                Check("fail", f"it came from {self.name_of(signoff.origin)}, who did not sign it")
            )
        document = signoff.document
        if document is None:
            return [*checks, Check("fail", f"{SIGNOFF_NAME} is not a peerjournal sign-off")]
        checks.append(Check("ok", f"format: {FORMAT} version {VERSION}, canonical JSON"))
        checks += self._document_checks(signoff, signed_by)
        return checks

    def _document_checks(self, signoff: StoredSignoff, signed_by: str) -> list[Check]:
        checks: list[Check] = []
        supervisor = signoff.field("supervisor", "name")
        if (
            signoff.field("supervisor", "fingerprint") == signed_by
            and _fingerprint_of(signoff.field("supervisor", "key")) == signed_by
        ):
            checks.append(Check("ok", f"signed by the supervisor it names: {supervisor}"))
        else:
            checks.append(Check("fail", f"it names {supervisor} as supervisor, with another key"))
        if signoff.field("id") != signoff.id:
            checks.append(Check("fail", f"its id is not its folder's name ({signoff.id})"))
        sessions = signoff.field("sessions") or []
        listed = [s.get("minutes") for s in sessions if isinstance(s, dict)]
        minutes = [m for m in listed if type(m) is int]
        total = signoff.field("totals", "minutes")
        if len(minutes) == len(sessions) and sum(minutes) == total:
            checks.append(
                Check("ok", f"totals: {len(minutes)} sessions add up to {duration(total)}")
            )
        else:
            checks.append(Check("fail", "the sessions listed do not add up to the total"))
        worker_print = signoff.field("worker", "fingerprint")
        if signoff.origin and worker_print is not None:
            if worker_print == self.keys.fingerprint():
                checks.append(Check("ok", "made out to you: the worker's key is this home's"))
            else:
                checks.append(Check("note", "the worker's key it names is not this home's"))
        checks.append(self._chain_check(signoff))
        if not signoff.origin:
            checks += self._session_notes(signoff)
        else:
            checks += self._received_sessions(signoff)
        later = self.superseded_by(signoff)
        if later:
            checks.append(Check("note", f"superseded by sign-off {', '.join(later)}"))
        return checks

    def _chain_check(self, signoff: StoredSignoff) -> Check:
        previous = signoff.field("previous")
        if previous is None:
            return Check("ok", "chain: the first sign-off for this worker")
        same = [s for s in self.all() if s.origin == signoff.origin]
        before = next((s for s in same if s.digest == previous), None)
        if before is None:
            return Check("note", f"chain: the sign-off before it ({previous[:12]}...) is not here")
        return Check("ok", f"chain: follows sign-off {before.id} (its SHA-256 matches)")

    def _received_sessions(self, signoff: StoredSignoff) -> list[Check]:
        """In the worker's home: each session received from the supervisor, against its digest."""
        folder = self.home.root / "team" / signoff.origin / "sessions"
        missing, differ = [], []
        for item in signoff.field("sessions") or []:
            path = folder / f"{item.get('id')}.md"
            try:
                data = _read_limited(path)
            except OSError:
                missing.append(str(item.get("id")))
                continue
            if sha256_hex(data) != item.get("sha256"):
                differ.append(str(item.get("id")))
        checks = []
        if differ:
            checks.append(
                Check("note", f"sessions received since changed: {', '.join(differ)} (a newer "
                      "copy came after signing; the sign-off attests the one it names)")
            )  # fmt: skip
        if missing:
            checks.append(Check("note", f"sessions not received here: {', '.join(missing)}"))
        if not checks:
            checks.append(Check("ok", "sessions: each one received matches what was signed"))
        return checks

    def _session_notes(self, signoff: StoredSignoff) -> list[Check]:
        """In the supervisor's home: session files changed or gone since they were signed."""
        worker = str((signoff.field("worker") or {}).get("name", ""))
        by_id = {s.meta.id: s for s in self.supervision.sessions(worker) if worker}
        changed = []
        for item in signoff.field("sessions") or []:
            stored = by_id.get(str(item.get("id")))
            if stored is None or sha256_hex(shared_bytes(stored)) != item.get("sha256"):
                changed.append(str(item.get("id")))
        if not changed:
            return [Check("ok", "sessions: every session file is as it was signed")]
        return [
            Check(
                "note",
                f"sessions changed or gone since signing: {', '.join(changed)} (the sign-off "
                "attests what they were; sign off again to correct it)",
            )
        ]

    # --- the page -------------------------------------------------------------------------

    def page(self, signoff: StoredSignoff) -> str:
        """A printable, self-contained HTML page of a sign-off: no notes, nothing fetched."""
        import jinja2

        from peerjournal.services.report_render import environment

        if signoff.document is None or signoff.raw is None:
            raise RecordError("is not a peerjournal sign-off", path=signoff.json_path)
        try:
            return (
                environment(self.home)
                .get_template("signoff.html.j2")
                .render(
                    doc=signoff.document,
                    digest=signoff.digest,
                    superseded_by=self.superseded_by(signoff),
                    namespace="peerjournal-signoff@v1",
                )
            )
        except jinja2.TemplateError as error:
            raise RecordError(f"template error: {error}", path="signoff.html.j2") from None

    def write_page(self, signoff: StoredSignoff, path: Path) -> Path:
        from peerjournal.store.atomic import write_atomic

        if path.is_dir():
            raise InputError(f"{path} is a folder; give a file name ending .html")
        failed = [check for check in self.verify(signoff) if check.status == "fail"]
        if failed:
            raise InputError(
                f"sign-off {signoff.id} does not verify ({failed[0].text}); no page was written"
            )
        write_atomic(path, self.page(signoff))
        return path

    def export(self, signoff: StoredSignoff, folder: Path) -> list[Path]:
        """The two files of a sign-off, byte for byte, in ``folder`` (for a certification body).

        An encrypted home keeps them sealed; these copies are in the clear, as a board needs.
        """
        from peerjournal.store.atomic import create_exclusive

        failed = [check for check in self.verify(signoff) if check.status == "fail"]
        if failed:
            raise InputError(
                f"sign-off {signoff.id} does not verify ({failed[0].text}); nothing was written"
            )
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder} is not a folder")
        written = []
        for name in (SIGNOFF_NAME, SIGNATURE_NAME):
            try:
                data = _read_limited(signoff.folder / name)
            except OSError as error:
                raise RecordError(f"cannot read ({error})", path=signoff.folder / name) from None
            target = folder / name
            if not create_exclusive(target, data):
                raise InputError(f"{target} is already there; choose an empty folder")
            written.append(target)
        return written


def _fingerprint_of(key: object) -> str | None:
    from peerjournal.services.sshsig import SignatureError, fingerprint

    if not isinstance(key, str):
        return None
    try:
        return fingerprint(key)
    except (SignatureError, InputError, ValueError):
        return None


def _of_worker(
    signoffs: Sequence[StoredSignoff], supervision: "Supervision", worker: str
) -> list[StoredSignoff]:
    """The sign-offs naming ``worker`` (by a name they have or had)."""
    people = supervision.people.store
    wanted = people.id_of(people.name_of(worker))
    return [
        s
        for s in signoffs
        if isinstance(name := s.field("worker", "name"), str)
        and people.id_of(people.name_of(name)) == wanted
    ]


def _supervised_by(recorded: str, supervisor: str) -> bool:
    """Whether a session's supervisor is this one (a record naming nobody is this home's)."""
    return not recorded.strip() or recorded.casefold() == supervisor.casefold()


def _read_limited(path: Path) -> bytes:
    if path.is_symlink() or not path.is_file():
        raise OSError(f"not a file: {path}")
    if path.stat().st_size > MAX_BYTES:
        raise OSError(f"too large: {path}")
    return read_private(path)


def _read(signoff_id: str, folder: Path, origin: str) -> StoredSignoff:
    try:
        raw: bytes | None = _read_limited(folder / SIGNOFF_NAME)
    except OSError:
        raw = None
    document = None
    if raw is not None:
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            parsed = None
        if (
            isinstance(parsed, dict)
            and parsed.get("format") == FORMAT
            and parsed.get("version") == VERSION
            and signoff_bytes(parsed) == raw
        ):
            document = parsed
    return StoredSignoff(signoff_id, folder, origin, raw, document)


def _folder_signoffs(folder: Path, origin: str) -> list[StoredSignoff]:
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = [
        _read(child.name, child, origin)
        for child in folder.iterdir()
        if child.is_dir() and not child.is_symlink() and not child.name.startswith(".")
    ]
    return sorted(found, key=_order)


def _order(signoff: StoredSignoff) -> tuple[str, str]:
    signed = signoff.field("signed_at")
    return (signed if isinstance(signed, str) else "", signoff.id)


def _chain_head(signoffs: Sequence[StoredSignoff]) -> StoredSignoff | None:
    """The last sign-off of a chain: the latest that no other names as its previous."""
    named = {s.field("previous") for s in signoffs}
    heads = [s for s in signoffs if s.raw is not None and s.digest not in named]
    return max(heads, key=_order) if heads else None


def _in_force(signoffs: Sequence[StoredSignoff]) -> list[StoredSignoff]:
    """The sign-offs no later one supersedes."""
    replaced = {
        item.get("sha256")
        for s in signoffs
        for item in (s.field("supersedes") or [])
        if isinstance(item, dict)
    }
    return [s for s in signoffs if s.document is not None and s.digest not in replaced]


def shareable(
    home: DataHome, supervision: "Supervision", worker: str
) -> list[tuple[str, bytes, str]]:
    """A worker's sign-offs as a bundle carries them: (path, bytes, label), both files each.

    The bytes are the files as signed: nothing may change them on the way (no pseudonyms), or
    the signature no longer holds. The receiving home keeps them as
    ``team/<supervisor-id>/signoffs/<id>/signoff.json`` and ``signoff.json.sig``.
    """
    found = []
    for signoff in _of_worker(_folder_signoffs(home.root / OWN_DIR, ""), supervision, worker):
        if signoff.raw is None:
            continue
        try:
            signature = _read_limited(signoff.sig_path)
        except OSError:
            continue  # never send a sign-off without its signature
        period = f"{signoff.field('period', 'since')} to {signoff.field('period', 'until')}"
        label = f"sign-off {signoff.id} ({period})"
        found.append((f"{OWN_DIR}/{signoff.id}/{SIGNOFF_NAME}", signoff.raw, label))
        found.append((f"{OWN_DIR}/{signoff.id}/{SIGNATURE_NAME}", signature, f"{label}, signed"))
    return found
