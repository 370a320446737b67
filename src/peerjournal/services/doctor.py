"""Check a data home for what everyday commands only skip, and mend the part that is safe.

Reading skips a broken file with a warning that scrolls away; an interrupted write leaves a temp
file behind; a copy, an unzip or a sync tool can leave notes about people readable by others.
Doctor lists all of it in one place. Mending is limited to what cannot lose a word: permissions,
temp files no writer can still own, and empty editor buffers. Records, recovery files and
anything else are only reported, because only the user can tell what they are worth.
"""

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from peerjournal.clock import Clock
from peerjournal.errors import NotFoundError, RecordError, RecordProblemsError
from peerjournal.services.frameworks import load_catalog
from peerjournal.services.home import load_settings
from peerjournal.store.agreements import AgreementStore
from peerjournal.store.assessments import AssessmentStore
from peerjournal.store.atomic import PRIVATE_DIR, PRIVATE_FILE, is_temp_file
from peerjournal.store.entries import EntryStore
from peerjournal.store.index import MEND, Index, damage
from peerjournal.store.jsonio import json_object
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.people import PeopleStore
from peerjournal.store.records import NOT_FOLLOWED
from peerjournal.store.supervision import SessionStore
from peerjournal.store.vault import read_private

if TYPE_CHECKING:
    from peerjournal.services.encryption import Encryption

STALE_AFTER = 60.0  # seconds; a younger temp file or editor buffer may belong to a live command
LOOSE_BITS = stat.S_IRWXG | stat.S_IRWXO

# The order findings are listed in: what blocks reading first, information last.
KINDS = (
    "home",
    "record",
    "index",
    "temp-file",
    "editor-buffer",
    "permissions",
    "symlink",
    "encryption",
    "recovery",
)


@dataclass(frozen=True)
class Finding:
    """One thing doctor noticed: a path, what is wrong with it, and whether --fix may mend it."""

    kind: str
    path: Path
    message: str
    line: int | None = None
    fixable: bool = False


class _RecordStore(Protocol):
    """What the record stores share: iterate, and keep the files that did not read."""

    broken: list[RecordError]

    def iter(self) -> Iterator[object]: ...


def examine(
    home: DataHome, index: Index, *, clock: Clock, sealed: "Encryption | None" = None
) -> list[Finding]:
    """Everything worth the user's attention in ``home``, in KINDS order. Changes nothing.

    ``sealed``: an encrypted home's encryption, whose own checks are added (files stored in
    the clear, sealed with an unknown key, or not authenticating; an unfinished conversion).
    """
    if not home.root.exists():
        return [Finding("home", home.root, "no data home here yet; run 'peerjournal init'")]
    if not home.root.is_dir():
        return [Finding("home", home.root, "is not a folder")]
    now = clock().timestamp()
    files = _file_findings(home, now)
    links = {finding.path for finding in files if finding.kind == "symlink"}
    records = [  # a linked record is skipped, never opened; the link finding names it once
        f for f in _record_findings(home) if not (f.message == NOT_FOLLOWED and f.path in links)
    ]
    findings = [*records, *_index_findings(index), *files]
    if sealed is not None:
        findings += encryption_findings(sealed, {f.path for f in records})
    return sorted(findings, key=lambda f: (KINDS.index(f.kind), str(f.path), f.line or 0))


def encryption_findings(sealed: "Encryption", known: set[Path]) -> list[Finding]:
    """An encrypted home's problems, leaving out files the record checks already named."""
    from peerjournal.store.vault import vault_of

    return [
        Finding("encryption", Path(problem.path or sealed.key_path), problem.message)
        for problem in sealed.problems(vault_of(sealed.home.root))
        if Path(problem.path or sealed.key_path) not in known
    ]


def mend(home: DataHome, index: Index, findings: Sequence[Finding], *, clock: Clock) -> list[str]:
    """Fix the fixable findings, holding the home lock; one line per change (or failure).

    Every finding is checked again on disk first, so a stale or hand-made list can only ever
    lead to the same safe changes: private permissions, removing old temp files and old empty
    editor buffers. Nothing outside the home and nothing reached through a link is touched.
    """
    fixable = [finding for finding in findings if finding.fixable and finding.kind in _MENDERS]
    changes: list[str] = []
    if any(finding.kind == "index" and finding.fixable for finding in findings):
        changes.append(_rebuild_index(index))
    if not fixable:
        return changes
    with home_lock(home.lock_file):  # no write can be half done while temp files are removed
        now = clock().timestamp()
        for finding in fixable:
            if not _inside(home, finding.path):
                continue
            try:
                change = _MENDERS[finding.kind](home, finding.path, now)
            except FileNotFoundError:
                continue  # gone meanwhile: nothing left to mend
            except OSError as error:
                change = f"could not fix {display_path(home, finding.path)} ({error.strerror})"
            if change:
                changes.append(change)
    return changes


# --- records -----------------------------------------------------------------------------


def _record_findings(home: DataHome) -> list[Finding]:
    """Every record, settings and framework file that does not read or does not validate."""
    findings: list[Finding] = []
    problems: list[RecordError] = []
    try:
        load_settings(home)
    except NotFoundError:
        findings.append(
            Finding("record", home.settings_file, "missing; run 'peerjournal init' to write it")
        )
    except RecordError as error:
        problems.append(error)
    stores: tuple[_RecordStore, ...] = (
        EntryStore(home),
        AssessmentStore(home),
        SessionStore(home),
        AgreementStore(home),
    )
    for store in stores:
        for _ in store.iter():
            pass  # reading is the check; the store keeps what failed in .broken
        problems.extend(store.broken)
    people = PeopleStore(home)
    people.all()  # a person file that does not read is listed like any record
    problems.extend(people.broken)
    problems.extend(load_catalog(home).problems)
    problems.extend(_sharing_problems(home))
    return findings + _findings_from(home, problems)


def _sharing_problems(home: DataHome) -> list[RecordError]:
    """The trusted keys and what others shared: a file that does not read is listed like any.

    Read without the 'share' extra: these are plain JSON and Markdown files.
    """
    from peerjournal.store.keys import KeyStore
    from peerjournal.store.received import ReceivedRecords

    problems: list[RecordError] = []
    keys = KeyStore(home)
    if keys.trusted_file.exists():
        try:
            keys.trusted()
        except RecordError as error:
            problems.append(error)
    people = PeopleStore(home)
    received = ReceivedRecords(home, people, lambda: "")
    for ledger in (folder / "received.json" for _, folder, _ in received.senders()):
        if ledger.exists():
            try:
                json_object(read_private(ledger).decode("utf-8"), ledger)
            except RecordError as error:
                problems.append(error)
            except (OSError, UnicodeDecodeError):
                problems.append(RecordError("the received ledger cannot be read", path=ledger))
    received.assessments()
    received.sessions()
    received.entries()
    return problems + received.broken


def _findings_from(home: DataHome, problems: Sequence[RecordError]) -> list[Finding]:
    """One finding per problem; the messages name fields and lines, never the text."""
    findings: list[Finding] = []
    for error in problems:
        for single in error.problems if isinstance(error, RecordProblemsError) else [error]:
            where = Path(single.path) if single.path else home.root
            message = f"{single.field}: {single.message}" if single.field else single.message
            findings.append(Finding("record", where, message, line=single.line))
    return findings


def _index_findings(index: Index) -> list[Finding]:
    """Problems with the rebuildable SQLite index of the diary: damage, or files it has not seen."""
    if not index.path.exists() and index.blocked() is None:
        return []  # built on first use; nothing wrong
    try:
        problems = index.check()
    finally:
        index.close()
    return [Finding("index", index.path, message, fixable=True) for message in problems]


# --- files: temp files, leftovers, permissions, links ---------------------------------------


def _file_findings(home: DataHome, now: float) -> list[Finding]:
    """Walk the whole home without following links, looking at each path once."""
    findings: list[Finding] = []
    root = home.root.absolute()
    pending = [root]
    findings.extend(_path_findings(home, root, root.stat(), now))
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                children = sorted(Path(item.path) for item in listing)
        except OSError as error:
            findings.append(
                Finding("permissions", folder, f"cannot list this folder ({error.strerror})")
            )
            continue
        for path in children:
            try:
                info = path.lstat()
            except OSError:
                continue  # removed while we looked
            findings.extend(_path_findings(home, path, info, now))
            if stat.S_ISDIR(info.st_mode):
                pending.append(path)
    return findings


def _path_findings(home: DataHome, path: Path, info: os.stat_result, now: float) -> list[Finding]:
    if stat.S_ISLNK(info.st_mode):
        return _link_findings(home, path)
    findings: list[Finding] = []
    is_dir = stat.S_ISDIR(info.st_mode)
    is_file = stat.S_ISREG(info.st_mode)
    mode = stat.S_IMODE(info.st_mode)
    if mode & LOOSE_BITS and (is_dir or is_file):
        wanted = PRIVATE_DIR if is_dir else PRIVATE_FILE
        what = "folder" if is_dir else "file"
        findings.append(
            Finding(
                "permissions",
                path,
                f"{what} is open to group or others (mode {mode:04o}; expected {wanted:04o})",
                fixable=True,
            )
        )
    if not is_file:
        return findings
    age = now - info.st_mtime
    if is_temp_file(path):
        findings.append(_temp_finding(path, age))
    elif _within(path, home.recovery_dir):
        findings.append(Finding("recovery", path, _recovery_reason(path)))
    elif _within(path, home.private_tmp_dir):
        findings.append(_buffer_finding(path, info.st_size, age))
    return findings


def _temp_finding(path: Path, age: float) -> Finding:
    if age >= STALE_AFTER:
        return Finding("temp-file", path, f"left by an interrupted write {_ago(age)}", fixable=True)
    return Finding(
        "temp-file", path, f"written {_ago(age)}; a save may still be in progress, so it stays"
    )


def _buffer_finding(path: Path, size: int, age: float) -> Finding:
    if size == 0:
        return Finding(
            "editor-buffer",
            path,
            f"empty editor buffer, last changed {_ago(age)}",
            fixable=age >= STALE_AFTER,
        )
    return Finding(
        "editor-buffer",
        path,
        f"editor buffer with text ({size} bytes), last changed {_ago(age)}; if no editor is "
        "open on it, copy what you need and delete it",
    )


def _recovery_reason(path: Path) -> str:
    if ".conflict-" in path.name:
        return "conflict copy: your version of a record that another command changed meanwhile"
    if path.name.startswith("unsaved-"):
        return "unsaved text, kept when a save did not go through"
    return "kept for you"


def _link_findings(home: DataHome, path: Path) -> list[Finding]:
    """A link that leads out of the home: no command reads or writes through it, doctor included."""
    try:
        target = path.readlink()
        resolved = (path.parent / target).resolve()
    except (OSError, RuntimeError):
        return [Finding("symlink", path, "symbolic link that cannot be resolved (a loop?)")]
    if _within(resolved, home.root.resolve()):
        return []  # a record file or folder among these is named by the record checks
    return [
        Finding(
            "symlink",
            path,
            f"symbolic link to {target}, outside the data home; not followed (no command reads "
            "or writes through it), left as it is",
        )
    ]


# --- mending -------------------------------------------------------------------------------


def _mend_permissions(
    home: DataHome,
    path: Path,
    now: float,  # noqa: ARG001 - every mender takes the same arguments
) -> str | None:
    root = path.absolute() == home.root.absolute()
    info = path.stat() if root else path.lstat()  # a home reached by a link is still the home
    if stat.S_ISDIR(info.st_mode):
        wanted = PRIVATE_DIR
    elif stat.S_ISREG(info.st_mode):
        wanted = PRIVATE_FILE
    else:
        return None  # a link or a device: never chmod through it
    mode = stat.S_IMODE(info.st_mode)
    if not mode & LOOSE_BITS:
        return None
    path.chmod(wanted)
    return f"made {display_path(home, path)} private ({mode:04o} -> {wanted:04o})"


def _mend_temp_file(home: DataHome, path: Path, now: float) -> str | None:
    info = path.lstat()
    age = now - info.st_mtime
    if not (is_temp_file(path) and stat.S_ISREG(info.st_mode) and age >= STALE_AFTER):
        return None
    path.unlink()
    return (
        f"removed temp file {display_path(home, path)} (left by an interrupted write {_ago(age)})"
    )


def _mend_editor_buffer(home: DataHome, path: Path, now: float) -> str | None:
    info = path.lstat()
    age = now - info.st_mtime
    if not (
        _within(path, home.private_tmp_dir)
        and stat.S_ISREG(info.st_mode)
        and info.st_size == 0
        and age >= STALE_AFTER
    ):
        return None
    path.unlink()
    return f"removed empty editor buffer {display_path(home, path)}"


def _rebuild_index(index: Index) -> str:
    """The index is a cache: throw it away and read the files again (never a crash of its own)."""
    try:
        index.delete()
        stats = index.refresh()
    except damage() as error:
        return f"could not rebuild the diary index ({error}); run 'peerjournal reindex'"
    finally:
        index.close()
    if index.unwritable is not None:
        return f"could not rebuild the diary index at {index.path} ({index.unwritable}); {MEND}"
    return f"rebuilt the diary index ({stats.read} entries)"


_MENDERS: dict[str, Callable[[DataHome, Path, float], str | None]] = {
    "permissions": _mend_permissions,
    "temp-file": _mend_temp_file,
    "editor-buffer": _mend_editor_buffer,
}


# --- helpers -------------------------------------------------------------------------------


def _inside(home: DataHome, path: Path) -> bool:
    """Whether ``path`` is in the home and reached without passing through a link."""
    root = home.root.absolute()
    try:
        relative = path.absolute().relative_to(root)
    except ValueError:
        return False
    if ".." in relative.parts:
        return False
    current = root
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink():
            return False
    return True


def _within(path: Path, folder: Path) -> bool:
    return path.absolute().is_relative_to(folder.absolute())


def display_path(home: DataHome, path: Path) -> str:
    """A path relative to the home when it is inside, so lines stay short."""
    try:
        relative = path.absolute().relative_to(home.root.absolute())
    except ValueError:
        return str(path)
    return str(relative) if relative.parts else str(home.root)


def _ago(seconds: float) -> str:
    """A rough age, as people say it."""
    if seconds < 1:
        return "just now"
    for unit, size, limit in (
        ("second", 1, 90),
        ("minute", 60, 90 * 60),
        ("hour", 3600, 36 * 3600),
    ):
        if seconds < limit:
            count = round(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    days = round(seconds / 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"
