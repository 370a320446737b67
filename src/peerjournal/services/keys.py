"""Keys: the home's own Ed25519 key (or the person's SSH key), and the keys it trusts.

There is no PKI: two people compare fingerprints in person and each pins the other's public
key. A person may get a new key (a lost laptop); trusting it asks first and keeps the old one,
marked old, so bundles and sign-offs signed before still verify. A name nobody in the home
has yet becomes a person, so a worker can trust a supervisor before any session names them.

``cryptography`` (the ``share`` extra) is imported only when a key is used.
"""

import base64
import difflib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, NoReturn

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError, PeerJournalError
from peerjournal.services.people import People, tidy
from peerjournal.store.keys import KeyStore, PinnedKey, read_key_file
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.people import normal

if TYPE_CHECKING:
    from peerjournal.models.people import Person
    from peerjournal.services.sshsig import Ed25519PrivateKey

__all__ = ["Keys", "Signer", "TrustResult", "TrustedKey", "public_key_of"]

TrustStatus = Literal["added", "same", "replaced", "declined"]
_AGENT_TIMEOUT = 60.0  # seconds: an agent may ask its owner to confirm each use


class TrustedKey(NamedTuple):
    """One pinned key, as `keys list` shows it."""

    name: str
    person_id: str
    fingerprint: str
    key: str
    since: datetime
    current: bool


class Signer(NamedTuple):
    """The trusted person a key belongs to."""

    name: str
    person_id: str
    key: str
    current: bool


@dataclass(frozen=True)
class TrustResult:
    """What `keys trust` did: pinned a first key, changed nothing, replaced one, or was declined."""

    status: TrustStatus
    name: str
    person_id: str
    key: str
    fingerprint: str
    person_added: bool = False
    old_fingerprint: str | None = None


class Keys:
    """The home's own key pair (or an SSH key it is told to use) and its trusted keys."""

    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock,
        people: People,
        settings_ssh_key: Path | None = None,
    ) -> None:
        self.home = home
        self.clock = clock
        self.people = people
        self.store = KeyStore(home)
        self.ssh_key = settings_ssh_key.expanduser() if settings_ssh_key else None
        self.created = False  # True once this invocation made the home's key pair
        self._private: Ed25519PrivateKey | None = None
        self._public: str | None = None

    # --- the own key ----------------------------------------------------------------------

    @property
    def key_file(self) -> Path:
        """Where the private key is: the SSH key's path, or the home's own key file."""
        return self.ssh_key or self.store.private_file

    def own_public(self) -> str:
        """This home's public key as one OpenSSH line (``ssh-ed25519 AAAA... name``)."""
        if self._public is None:
            self._public = self._external_public() if self.ssh_key else self._home_public()
        return self._public

    def fingerprint(self) -> str:
        """The own key's fingerprint, ``SHA256:...`` as ``ssh-keygen -l`` prints it."""
        from peerjournal.services.sshsig import fingerprint

        return fingerprint(self.own_public())

    def sign(self, namespace: str, message: bytes) -> str:
        """An armored SSHSIG of ``message``; a protected SSH key signs through ssh-agent."""
        from peerjournal.services import sshsig

        private = self._loaded_private()
        if private is None:
            return self._agent_sign(namespace, message)
        return sshsig.sign(private, namespace, message)

    def identity_pem(self, ask_passphrase: Callable[[], str] | None = None) -> bytes:
        """The private key in OpenSSH PEM, unencrypted, for opening sealed bundles.

        A protected SSH key asks ``ask_passphrase`` for its passphrase; the result stays in
        memory and is never written.
        """
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        private = self._loaded_private()
        if private is None:
            private = self._unlock(ask_passphrase)
        return private.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption())

    # --- trust ----------------------------------------------------------------------------

    def trust(
        self, name: str, key_text_or_pub_path: str, *, confirm_new: Callable[[str], bool]
    ) -> TrustResult:
        """Pin ``name``'s public key (an OpenSSH line or a ``.pub`` file).

        Someone nobody in the home is called becomes a person; a near miss of a known name is
        refused with "did you mean". The same key again changes nothing; a new key for someone
        with one asks ``confirm_new`` first and keeps the old key, marked old.
        """
        from peerjournal.services.sshsig import fingerprint

        key = public_key_of(key_text_or_pub_path)
        print_ = fingerprint(key)
        if self._is_own(key):
            raise InputError("that is this home's own key; trust the other person's key")
        person, added = self._person_for(name, self._holder_of(self.store.trusted(), print_))
        current = self._pinned_now(person, print_)
        if current is None or current.fingerprint == print_:
            status: TrustStatus = "same" if current else "added"
            if current is None:
                self._pin(person, key, print_, asked=None)
            return TrustResult(status, person.name, person.id, key, print_, added)
        question = (
            f"{person.name} already has a trusted key {current.fingerprint} (since "
            f"{current.trusted_at[:10]}); trust the new key {print_} instead? The old key is "
            "kept for checking what they signed before"
        )
        # asked outside the home lock: a person thinking it over must not block other commands
        if not confirm_new(question):
            return TrustResult(
                "declined", person.name, person.id, key, print_,
                old_fingerprint=current.fingerprint,
            )  # fmt: skip
        self._pin(person, key, print_, asked=current.fingerprint)
        return TrustResult(
            "replaced", person.name, person.id, key, print_, added, current.fingerprint
        )

    def _pinned_now(self, person: "Person", print_: str) -> PinnedKey | None:
        """The person's current pinned key; a key that is someone else's is refused."""
        pinned = self.store.trusted()
        holder = self._holder_of(pinned, print_)
        if holder is not None and holder != person.id:
            raise InputError(f"that key ({print_}) is already trusted for {self._name_of(holder)}")
        return next((k for k in pinned.get(person.id, []) if k.current), None)

    def _pin(self, person: "Person", key: str, print_: str, *, asked: str | None) -> None:
        """Make ``key`` the person's current key, keeping the others as old ones.

        ``asked`` is the current key's fingerprint the person agreed to replace (None: they
        had none); if another command changed it meanwhile, nothing is written.
        """
        with home_lock(self.home.lock_file):
            current = self._pinned_now(person, print_)
            if (current.fingerprint if current else None) != asked:
                raise InputError(
                    f"{person.name}'s trusted key changed while you were asked; run the "
                    "command again"
                )
            pinned = self.store.trusted()
            keys = pinned.get(person.id, [])
            now = self.clock().isoformat(timespec="seconds")
            kept = [
                PinnedKey(k.key, k.fingerprint, k.trusted_at, current=False)
                for k in keys
                if k.fingerprint != print_
            ]
            pinned[person.id] = [*kept, PinnedKey(key, print_, now, current=True)]
            self.store.save_trusted(pinned)

    def trusted(self) -> list[TrustedKey]:
        """Every pinned key by person name, each person's current key first."""
        rows = [
            TrustedKey(
                self._name_of(pid),
                pid,
                k.fingerprint,
                k.key,
                datetime.fromisoformat(k.trusted_at),
                k.current,
            )
            for pid, keys in self.store.trusted().items()
            for k in keys
        ]
        return sorted(rows, key=lambda r: (normal(r.name), r.person_id, not r.current, r.since))

    def who(self, fingerprint: str) -> Signer | None:
        """The trusted person a fingerprint belongs to (old keys included), or None."""
        for pid, keys in self.store.trusted().items():
            for k in keys:
                if k.fingerprint == fingerprint:
                    return Signer(self._name_of(pid), pid, k.key, k.current)
        return None

    def current_key(self, person_name: str) -> str:
        """The current trusted key line of a person, found by name as other commands do."""
        person = self.people.find(person_name)
        keys = self.store.trusted().get(person.id, [])
        current = next((k.key for k in keys if k.current), None)
        if current is None:
            raise NotFoundError(
                f"no key trusted for {person.name}; run: peerjournal keys trust '{person.name}' KEY"
            )
        return current

    def forget(self, name: str) -> tuple[str, int]:
        """Remove every key pinned for a person: their name and how many keys went."""
        person = self.people.find(name)
        with home_lock(self.home.lock_file):
            pinned = self.store.trusted()
            gone = pinned.pop(person.id, [])
            if not gone:
                raise NotFoundError(f"no key trusted for {person.name}")
            self.store.save_trusted(pinned)
        return person.name, len(gone)

    def check(self, namespace: str, message: bytes, armored: str) -> Signer:
        """Who signed ``message``: a trusted person whose key the signature holds for.

        An untrusted signer, or any mismatch, is a ``SignatureError`` (one line, exit 2).
        """
        from peerjournal.services import sshsig

        signer_key = sshsig.signer_of(armored)
        print_ = sshsig.fingerprint(signer_key)
        signer = self.who(print_)
        if signer is None:
            raise sshsig.SignatureError(
                f"signed by a key nobody in this home trusts ({print_}); compare fingerprints "
                "in person, then: peerjournal keys trust NAME KEY"
            )
        sshsig.verify(signer.key, namespace, message, armored)
        return signer

    # --- inside ---------------------------------------------------------------------------

    def _home_public(self) -> str:
        private = self._home_private()
        from peerjournal.services.sshsig import public_line

        line = public_line(private, self._owner_name())
        stored = self.store.own_public()
        if stored is None or stored.split()[:2] != line.split()[:2]:
            with home_lock(self.home.lock_file):
                self.store.write_public(line)
            return line
        return stored

    def _home_private(self) -> "Ed25519PrivateKey":
        if self._private is not None:
            return self._private
        data = self.store.own_private()
        if data is None:
            data = self._create_home_key()
        self._private = _load_private(data, self.store.private_file)
        return self._private

    def _create_home_key(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        from peerjournal.services.sshsig import Ed25519PrivateKey, public_line

        owner = self._owner_name()  # a home not set up yet says how to begin, first
        with home_lock(self.home.lock_file):
            existing = self.store.own_private()  # another command may have made it meanwhile
            if existing is not None:
                return existing
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption())
            if not self.store.create_own(pem):
                return read_key_file(self.store.private_file)
            self.store.write_public(public_line(key, owner))
            self.created = True
            return pem

    def _loaded_private(self) -> "Ed25519PrivateKey | None":
        """The private key, or None for a protected SSH key (the agent signs with it)."""
        if self.ssh_key is None:
            return self._home_private()
        if self._private is not None:
            return self._private
        path = self._private_path()
        if path is None:
            return None
        data = read_key_file(path)
        if _is_protected(data, path):
            return None
        self._private = _load_private(data, path)
        return self._private

    def _unlock(self, ask_passphrase: Callable[[], str] | None) -> "Ed25519PrivateKey":
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives.serialization import load_ssh_private_key

        path = self._private_path()
        if path is None:
            raise InputError(f"{self.ssh_key} has no private key beside it; give the private key")
        if ask_passphrase is None:
            raise InputError(f"{path} is protected by a passphrase and there is no one to ask")
        passphrase = ask_passphrase()
        try:
            loaded = load_ssh_private_key(read_key_file(path), passphrase.encode("utf-8"))
        except ValueError:
            raise InputError(f"wrong passphrase for {path}") from None
        except UnsupportedAlgorithm:  # cryptography needs bcrypt's KDF for a protected key
            raise InputError(
                f"opening the protected key {path} needs the bcrypt module; run: pip install bcrypt"
            ) from None
        return _ed25519_only(loaded, path)

    def _private_path(self) -> Path | None:
        assert self.ssh_key is not None  # noqa: S101 - only asked for an SSH key
        path = self.ssh_key.with_suffix("") if self.ssh_key.suffix == ".pub" else self.ssh_key
        return path if path.exists() else None

    def _external_public(self) -> str:
        assert self.ssh_key is not None  # noqa: S101 - only asked for an SSH key
        private = self._private_path()
        if private is None and self.ssh_key.suffix != ".pub":
            raise NotFoundError(f"no SSH key {self.ssh_key}")
        pub = private.with_name(private.name + ".pub") if private else self.ssh_key
        if private is not None and not _is_protected(read_key_file(private), private):
            from peerjournal.services.sshsig import public_line

            loaded = self._loaded_private()
            assert loaded is not None  # noqa: S101 - not protected, so loaded
            comment = _comment_of(pub)
            return public_line(loaded, comment)
        if not pub.exists():
            raise InputError(
                f"{private} is protected by a passphrase and has no {pub.name} beside it; "
                f"write it with: ssh-keygen -y -f {private} > {pub}"
            )
        return public_key_of(str(pub), keep_comment=True)

    def _agent_sign(self, namespace: str, message: bytes) -> str:
        from peerjournal.services import sshsig

        public = self.own_public()
        assert self.ssh_key is not None  # noqa: S101 - only a protected SSH key gets here
        private = self._private_path()
        pub = private.with_name(private.name + ".pub") if private else self.ssh_key
        shown = private or self.ssh_key
        self._agent_holds(public, shown)
        keygen = shutil.which("ssh-keygen")
        if keygen is None:
            raise InputError("signing through ssh-agent needs OpenSSH's ssh-keygen on the PATH")
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
                [keygen, "-Y", "sign", "-f", str(pub), "-n", namespace],
                input=message,
                capture_output=True,
                timeout=_AGENT_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InputError(f"ssh-keygen could not sign through ssh-agent ({error})") from None
        armored = done.stdout.decode("ascii", "replace")
        if done.returncode != 0 or "BEGIN SSH SIGNATURE" not in armored:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = said[-1] if said else f"exit {done.returncode}"
            raise InputError(f"ssh-agent did not sign with {shown} ({reason})")
        sshsig.verify(public, namespace, message, armored)
        return armored

    def _agent_holds(self, public: str, shown: Path) -> None:
        """Refuse, with what to run, unless a running ssh-agent holds the key."""
        add = shutil.which("ssh-add")
        if add is None:
            raise InputError(f"{shown} is protected by a passphrase and ssh-add is not installed")
        try:
            listed = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
                [add, "-L"], capture_output=True, timeout=_AGENT_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InputError(f"cannot ask ssh-agent for keys ({error})") from None
        if listed.returncode == 2:
            raise InputError(
                f"{shown} is protected by a passphrase and no ssh-agent is running; start one "
                f"and run: ssh-add {shown}"
            )
        wanted = public.split()[:2]
        held = [line.split()[:2] for line in listed.stdout.decode("ascii", "replace").splitlines()]
        if wanted not in held:
            raise InputError(
                f"{shown} is protected by a passphrase and ssh-agent does not hold it; "
                f"run: ssh-add {shown}"
            )

    def _is_own(self, key: str) -> bool:
        own = self._public or (None if self.ssh_key else self.store.own_public())
        return own is not None and own.split()[:2] == key.split()[:2]

    def _person_for(self, name: str, holder: str | None) -> "tuple[Person, bool]":
        """The person ``name`` means, made if nobody has a name like it."""
        if not tidy(name):
            raise InputError("the name must not be empty")
        try:
            return self.people.find(name), False
        except NotFoundError:
            known = [n for p in self.people.everyone(archived=True)
                     for n in (p.name, *p.earlier_names)]  # fmt: skip
            folded = {normal(n): n for n in known}
            close = difflib.get_close_matches(normal(name), list(folded), n=1, cutoff=0.6)
            if close:
                raise
        if holder is not None:
            other = self._name_of(holder)
            raise InputError(f"that key is already trusted for {other}")
        return self.people.add(name, self._role_for_newcomer()), True

    def _role_for_newcomer(self) -> str:
        """A worker's newcomer is most likely their supervisor, and a supervisor's a worker."""
        from peerjournal.services.home import maybe_settings

        settings = maybe_settings(self.home)
        if settings is None:
            return ""
        return "worker" if settings.role == "supervisor" else "supervisor"

    def _owner_name(self) -> str:
        from peerjournal.services.home import load_settings

        return load_settings(self.home).name

    def _name_of(self, person_id: str) -> str:
        person = self.people.store.all().get(person_id)
        return person.name if person is not None else person_id

    @staticmethod
    def _holder_of(pinned: dict[str, list[PinnedKey]], print_: str) -> str | None:
        return next((pid for pid, ks in pinned.items() if any(k.fingerprint == print_ for k in ks)),
                    None)  # fmt: skip


def public_key_of(text_or_path: str, *, keep_comment: bool = False) -> str:
    """An ``ssh-ed25519`` public key line from pasted text or a ``.pub`` file; others refused.

    The line comes back as type and key (``ssh-ed25519 AAAA...``), with the comment only when
    asked: a key is compared by its fingerprint, never by the name someone wrote after it.
    """
    from peerjournal.services.sshsig import KEY_TYPE, key_blob

    text = text_or_path.strip()
    if not text:
        raise InputError("give a public key: an OpenSSH line (ssh-ed25519 AAAA...) or a .pub file")
    if "PRIVATE KEY" in text:
        raise InputError("that is a private key; give the public one (its .pub file)")
    if not text.startswith(("ssh-", "ecdsa-", "sk-")) and "\n" not in text:
        path = Path(text).expanduser()
        if path.is_file():
            text = read_key_file(path).decode("utf-8", "replace").strip()
            if "PRIVATE KEY" in text:
                raise InputError(
                    f"{path} is a private key, which never leaves its owner; give {path.name}.pub"
                )
        elif "/" in text or text.endswith(".pub"):
            raise NotFoundError(f"no key file {path}")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) != 1:
        raise InputError("give one public key: an OpenSSH line (ssh-ed25519 AAAA...)")
    fields = lines[0].split()
    blob = key_blob(lines[0])
    line = f"{KEY_TYPE} {base64.b64encode(blob).decode('ascii')}"
    comment = " ".join(fields[2:])
    return f"{line} {comment}" if keep_comment and comment else line


def _comment_of(pub: Path) -> str:
    try:
        fields = read_key_file(pub).decode("utf-8", "replace").split()
    except PeerJournalError:
        return ""
    return " ".join(fields[2:])


def _is_protected(data: bytes, path: Path) -> bool:
    """True for an OpenSSH private key encrypted with a passphrase."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key

    try:
        load_ssh_private_key(data, None)
    except TypeError:
        return True
    except (ValueError, UnsupportedAlgorithm):
        _not_openssh(path)
    return False


def _load_private(data: bytes, path: Path) -> "Ed25519PrivateKey":
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key

    try:
        loaded = load_ssh_private_key(data, None)
    except TypeError:
        raise InputError(f"{path} is protected by a passphrase") from None
    except (ValueError, UnsupportedAlgorithm):
        _not_openssh(path)
    return _ed25519_only(loaded, path)


def _ed25519_only(loaded: object, path: Path) -> "Ed25519PrivateKey":
    from peerjournal.services.sshsig import Ed25519PrivateKey

    if not isinstance(loaded, Ed25519PrivateKey):
        kind = type(loaded).__name__.removesuffix("PrivateKey") or "another kind of"
        raise InputError(
            f"{path} is not an ed25519 key ({kind}); only ed25519 keys can be used (make one "
            "with: ssh-keygen -t ed25519)"
        )
    return loaded


def _not_openssh(path: Path) -> NoReturn:
    raise InputError(f"{path} is not an OpenSSH private key")
