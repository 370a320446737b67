"""Encrypting a home, and going back: every file sealed or opened in place, resumably.

Each step writes one file atomically and the key file records the state, so a crash, a kill or
Ctrl-C at any moment leaves every record readable (in its old form or its new) and running the
same command again finishes the work. The home lock is held throughout, so no other command
writes meanwhile. ``store.vault`` decides which files are sealed; this module only converts.
"""

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from peerjournal.clock import Clock
from peerjournal.errors import InputError, RecordError
from peerjournal.store.atomic import fsync_dir, is_temp_file, write_atomic
from peerjournal.store.index import cache_folder
from peerjournal.store.keyfile import KdfParams, KeyFile, load_key_file, new_key_file
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.sealed import is_sealed, key_id_of
from peerjournal.store.vault import KEY_FILE, LOCKED, Vault, forget_all, register, stays_plain

Progress = Callable[[int, int], None]
EXTRA_MISSING = (
    "this data home is encrypted, and opening it needs the encryption extra: "
    "pip install 'peerjournal[encryption]'"
)
EXTRA_TO_ENCRYPT = (
    "encrypting a data home needs the encryption extra: pip install 'peerjournal[encryption]'"
)

__all__ = [
    "EXTRA_MISSING",
    "EXTRA_TO_ENCRYPT",
    "LOCKED",
    "Encryption",
    "Finished",
    "KdfParams",
    "Vault",
    "agent_folder",
    "check_minutes",
    "check_passphrase",
    "require_extra",
]


def agent_folder(environ: Mapping[str, str], cache_root: Path) -> Path:
    """Where the agent's socket lives: $XDG_RUNTIME_DIR/peerjournal, else the cache's run/."""
    from peerjournal.store.agent import runtime_root

    return runtime_root(environ, cache_root)


def check_minutes(minutes: float) -> float:
    """How long an unlock lasts: more than 0 and at most a day."""
    from peerjournal.store.agent import check_minutes as check

    return check(minutes)


def require_extra(message: str = EXTRA_MISSING) -> None:
    """Fail in one line when `cryptography` or `sqlcipher3` is missing (a plain install).

    Found, not imported: a command imports each only when it seals, opens or queries.
    """
    import importlib.util

    for module in ("cryptography", "sqlcipher3"):
        try:
            found = (
                sys.modules[module] if module in sys.modules else importlib.util.find_spec(module)
            )
        except (ImportError, ValueError):
            found = None
        if found is None:
            raise InputError(message)


@dataclass(frozen=True)
class Finished:
    """What a conversion did, for the closing line."""

    converted: int
    total: int


class Encryption:
    """The encryption of one home: its key file, unlocking, and converting every file."""

    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock,
        cache_root: Path,
        runtime_root: Callable[[], Path],
        kdf: KdfParams | None = None,
    ) -> None:
        self.home = home
        self.clock = clock
        self.cache_root = cache_root
        self.runtime_root = runtime_root  # the agent's folder, from the composition root
        self.kdf = kdf or KdfParams()

    @property
    def key_path(self) -> Path:
        return self.home.root / KEY_FILE

    def is_encrypted(self) -> bool:
        return self.key_path.exists()

    def key_file(self) -> KeyFile:
        require_extra()
        return load_key_file(self.key_path)

    def read_passphrase_file(self, path: Path) -> str:
        """A passphrase (or recovery key) given in a file: its first line."""
        from peerjournal.store.keyfile import read_passphrase_file

        return read_passphrase_file(path)

    # --- unlocking ------------------------------------------------------------------------

    def vault_from_passphrase(self, passphrase: str) -> Vault:
        """The unlocked keys; a wrong passphrase is one InputError (Argon2id runs once)."""
        key_file = self.key_file()
        return self._vault(key_file, key_file.master_from_passphrase(passphrase))

    def vault_from_keys(self, keys: dict[str, bytes], current: str) -> Vault | None:
        """A vault from keys the agent or keyring kept, if they still open this home."""
        key_file = self.key_file()
        if key_file.current != current or not set(key_file.key_ids) <= set(keys):
            return None  # rekeyed since: ask again
        return Vault(key_file.home_id, {k: keys[k] for k in key_file.key_ids}, current)

    def vault_from_master(self, master: bytes) -> Vault:
        return self._vault(self.key_file(), master)

    def open(self, vault: Vault) -> None:
        """Make ``vault`` the one every read and write of this home (and its cache) uses."""
        register(vault, self.home.root, cache_folder(self.home, self.cache_root))

    def _vault(self, key_file: KeyFile, master: bytes) -> Vault:
        return Vault(key_file.home_id, key_file.data_keys(master), key_file.current)

    # --- encrypt --------------------------------------------------------------------------

    def begin(self, passphrase: str) -> tuple[Vault, str]:
        """Write the key file of a home about to be encrypted; the recovery key, shown once.

        Nothing is sealed yet: the key file alone makes every later write sealed.
        """
        require_extra(EXTRA_TO_ENCRYPT)
        if self.is_encrypted():
            raise InputError("this data home is already encrypted")
        check_passphrase(passphrase)
        with home_lock(self.home.lock_file):
            key_file, master = new_key_file(self.key_path, self.clock().isoformat())
            key_file = key_file.with_passphrase(master, passphrase, self.kdf)
            key_file, recovery = key_file.with_recovery(master)
            key_file = KeyFile(key_file.path, {**key_file.raw, "recovery_shown": False})
            self._save(key_file)
        return self._vault(key_file, master), recovery

    def recovery_seen(self) -> None:
        """Note that the person has the recovery key, so a resumed encrypt keeps it."""
        key_file = self.key_file()
        self._save(KeyFile(key_file.path, {**key_file.raw, "recovery_shown": True}))

    def resume_recovery(self, master: bytes) -> str | None:
        """A new recovery key when an interrupted encrypt never got to show the first one."""
        key_file = self.key_file()
        if key_file.raw.get("recovery_shown", True):
            return None
        key_file, recovery = key_file.with_recovery(master)
        self._save(key_file)
        return recovery

    def seal_all(self, vault: Vault, progress: Progress | None = None) -> Finished:
        """Seal every file of the home not sealed with the current key, then drop plain caches."""
        self.open(vault)
        with home_lock(self.home.lock_file):
            key_file = self.key_file()
            if key_file.state == "decrypting":
                raise InputError(
                    "a decrypt of this home was interrupted; run `peerjournal decrypt` to finish"
                )
            files = list(self.files())
            converted = 0
            for done, path in enumerate(files, 1):
                if self._seal_one(vault, path):
                    converted += 1
                if progress is not None:
                    progress(done, len(files))
            self._drop_caches()
            self._remove_home_buffers()
            self._save(self.key_file().keeping_only_current().with_state("encrypted"))
        return Finished(converted, len(files))

    def _seal_one(self, vault: Vault, path: Path) -> bool:
        raw = _read(path)
        if is_sealed(raw) and is_temp_file(path):
            return False  # a killed write's leftover, sealed for its target: doctor --fix
        if is_sealed(raw):
            if key_id_of(raw) == vault.current:
                return False
            raw = vault.open(raw, self.relative(path), path)  # an older key: a rekey
        _replace(path, vault.seal(raw, self.relative(path)), self.home.root)
        return True

    # --- decrypt --------------------------------------------------------------------------

    def decrypt(self, vault: Vault, progress: Progress | None = None) -> Finished:
        """Open every sealed file in place, drop the encrypted caches, remove the key file last."""
        self.open(vault)
        with home_lock(self.home.lock_file):
            self._save(self.key_file().with_state("decrypting"))
            files = list(self.files())
            converted = 0
            for done, path in enumerate(files, 1):
                raw = _read(path)
                if is_sealed(raw) and not is_temp_file(path):
                    _replace(path, vault.open(raw, self.relative(path), path), self.home.root)
                    converted += 1
                if progress is not None:
                    progress(done, len(files))
            self._drop_caches()
            self.key_path.unlink()
            fsync_dir(self.home.root)
        forget_all()
        return Finished(converted, len(files))

    # --- keys -----------------------------------------------------------------------------

    def change_passphrase(self, master: bytes, new: str) -> None:
        """Rewrap the passphrase slot: instant, no record changes."""
        check_passphrase(new)
        with home_lock(self.home.lock_file):
            self._save(self.key_file().with_passphrase(master, new, self.kdf))

    def master(self, *, passphrase: str | None = None, recovery: str | None = None) -> bytes:
        """The master key from the passphrase or the recovery key (for changing keys)."""
        key_file = self.key_file()
        if recovery is not None:
            return key_file.master_from_recovery(recovery)
        return key_file.master_from_passphrase(passphrase or "")

    def new_recovery(self, master: bytes) -> str:
        """Replace the recovery slot; the old recovery key stops opening the home at once."""
        with home_lock(self.home.lock_file):
            key_file, recovery = self.key_file().with_recovery(master)
            self._save(key_file)
        return recovery

    def begin_rekey(self, passphrase: str) -> tuple[bytes, str | None]:
        """Start a rekey: a new master key, data key and recovery key (shown once).

        The passphrase stays and its slot is rewrapped. A rekey that was interrupted goes on
        with the keys it made; the master key and the recovery key (if it was never confirmed)
        are returned.
        """
        with home_lock(self.home.lock_file):
            key_file = self.key_file()
            master = key_file.master_from_passphrase(passphrase)
            if key_file.state == "rekeying":
                return master, self.resume_recovery(master)
            if key_file.state != "encrypted":
                raise InputError(
                    f"an interrupted {key_file.state.removesuffix('ing')} is not finished; "
                    "finish it first"
                )
            keys = key_file.data_keys(master)
            master = os.urandom(32)
            key_file = key_file.rewrapped(keys, master)
            key_file, _ = key_file.with_data_key(master)
            key_file = key_file.with_passphrase(master, passphrase, self.kdf)
            key_file, recovery = key_file.with_recovery(master)
            key_file = KeyFile(key_file.path, {**key_file.raw, "recovery_shown": False})
            self._save(key_file.with_state("rekeying"))
        return master, recovery

    def rekey(self, master: bytes, progress: Progress | None = None) -> Finished:
        """Reseal every record with the rekey's new data key; a rerun after a kill goes on."""
        with home_lock(self.home.lock_file):
            key_file = self.key_file()
            if key_file.state != "rekeying":
                raise InputError("no rekey is under way")
            vault = self._vault(key_file, master)
            old_index = [
                index_file
                for index_file in cache_folder(self.home, self.cache_root).glob("index-*")
                if vault.current not in index_file.name
            ]
            finished = self.seal_all(vault, progress)
            for index_file in old_index:
                index_file.unlink(missing_ok=True)
        return finished

    def write_recovery_page(self, path: Path, recovery: str) -> None:
        """A printable page with the recovery key, for the person to print and then delete."""
        from peerjournal.services.recovery_page import recovery_page

        write_atomic(path, recovery_page(recovery, self.home.root, self.clock()))

    # --- the agent and the keyring (per machine) -----------------------------------------

    def kept_vault(self) -> Vault | None:
        """The vault from the agent, else from the keyring if chosen, if they still fit."""
        from peerjournal.store.agent import ask_agent
        from peerjournal.store.remembered import recall

        home_id = self.key_file().home_id
        kept = ask_agent(self.runtime_root(), home_id) or recall(self.cache_root, home_id)
        return None if kept is None else self.vault_from_keys(*kept)

    def hold(self, vault: Vault, minutes: float, *, remember: bool = False) -> None:
        """Keep the keys in the agent for ``minutes`` idle minutes (and the keyring if asked)."""
        from peerjournal.store.agent import check_minutes, start_agent
        from peerjournal.store.remembered import remember as keep

        check_minutes(minutes)
        if remember:  # first: a machine without a keyring then changes nothing at all
            keep(self.cache_root, vault.home_id, vault.keys, vault.current)
        start_agent(self.runtime_root(), vault.home_id, vault.keys, vault.current, minutes)

    def refresh_kept(self, vault: Vault) -> None:
        """After a rekey: an agent or keyring that kept the old keys gets the new ones."""
        from peerjournal.store.agent import ask_agent, start_agent
        from peerjournal.store.remembered import marker, remember

        if ask_agent(self.runtime_root(), vault.home_id) is not None:
            start_agent(self.runtime_root(), vault.home_id, vault.keys, vault.current, 15.0)
        if marker(self.cache_root, vault.home_id).exists():
            remember(self.cache_root, vault.home_id, vault.keys, vault.current)

    def release(self) -> tuple[bool, bool]:
        """Forget the keys now: (an agent was stopped, the keyring held them)."""
        from peerjournal.store.agent import stop_agent
        from peerjournal.store.remembered import forget

        try:
            home_id = self.key_file().home_id
        except RecordError:  # a damaged key file must not keep the keys in memory
            home_id = self._home_id_of_damaged()
        return stop_agent(self.runtime_root(), home_id), forget(self.cache_root, home_id)

    def _home_id_of_damaged(self) -> str:
        """The home id still legible in a damaged key file, so `lock` can stop its agent."""
        import json
        import re

        try:
            found = json.loads(self.key_path.read_bytes()).get("home_id")
        except (OSError, ValueError, AttributeError):
            found = None
        if not isinstance(found, str) or not re.fullmatch(r"[0-9a-f]{16}", found):
            raise RecordError(
                "the key file is damaged and names no home id; log out to end the agent",
                path=self.key_path,
            )
        return found

    # --- checks ---------------------------------------------------------------------------

    def problems(self, vault: Vault | None) -> list[RecordError]:
        """What `doctor` says about an encrypted home: plaintext records, foreign or bad seals."""
        found: list[RecordError] = []
        try:
            key_file = self.key_file()
        except RecordError as error:
            return [error]
        if key_file.state != "encrypted":
            command = "decrypt" if key_file.state == "decrypting" else "encrypt"
            if key_file.state == "rekeying":
                command = "rekey"
            found.append(
                RecordError(
                    f"an interrupted {key_file.state.removesuffix('ing')} is not finished; "
                    f"run `peerjournal {command}` again",
                    path=key_file.path,
                )
            )
        for path in self.files():
            if is_temp_file(path):
                continue  # doctor names leftovers of killed writes on their own
            try:
                raw = _read(path)
            except RecordError as error:
                found.append(error)
                continue
            if not is_sealed(raw):
                found.append(
                    RecordError(
                        "is stored in the clear in an encrypted home; run `peerjournal encrypt` "
                        "to seal it",
                        path=path,
                    )
                )
            elif key_id_of(raw) not in key_file.key_ids:
                found.append(
                    RecordError(
                        f"is sealed with a key this home does not have (key id "
                        f"{key_id_of(raw)}); it may come from another data home",
                        path=path,
                    )
                )
            elif vault is not None:
                try:
                    vault.open(raw, self.relative(path), path)
                except RecordError as error:
                    found.append(error)
        return found

    # --- the files ------------------------------------------------------------------------

    def files(self) -> Iterator[Path]:
        """Every regular file of the home that is sealed when encrypted, links never followed."""
        root = self.home.root
        for folder, dirs, names in os.walk(root, followlinks=False):
            here = Path(folder)
            dirs[:] = sorted(
                name
                for name in dirs
                if not (here / name).is_symlink()
                and not stays_plain(self.relative(here / name / "x"))
            )
            for name in sorted(names):
                path = here / name
                if path.is_symlink() or not path.is_file():
                    continue  # a temp file left by a killed write is sealed too: it may hold text
                if stays_plain(self.relative(path)):
                    continue
                yield path

    def relative(self, path: Path) -> PurePosixPath:
        return PurePosixPath(path.relative_to(self.home.root).as_posix())

    def _drop_caches(self) -> None:
        """Remove the home's caches (index, home-screen facts): rebuilt on next use."""
        folder = cache_folder(self.home, self.cache_root)
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)

    def _remove_home_buffers(self) -> None:
        """Editor buffers of a plain home are leftovers once it is encrypted (see buffers)."""
        folder = self.home.private_tmp_dir
        if folder.is_dir() and not folder.is_symlink():
            for leftover in folder.iterdir():
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _save(self, key_file: KeyFile) -> None:
        write_atomic(key_file.path, key_file.text(), within=self.home.root, as_given=True)


MIN_PASSPHRASE = 8


def check_passphrase(passphrase: str) -> None:
    """A passphrase long enough to stand against guessing on a stolen laptop."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError(
            f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters "
            "(a few words are easiest to remember)"
        )
    if passphrase != passphrase.strip() or "\n" in passphrase:
        raise InputError("the passphrase may not start or end with a space or hold a line break")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None


def _replace(path: Path, data: bytes, root: Path) -> None:
    """Rewrite one file in its new form, keeping a read-only record read-only."""
    mode = path.stat().st_mode & 0o777
    write_atomic(path, data, within=root, as_given=True, mode=mode & 0o600 or 0o600)
