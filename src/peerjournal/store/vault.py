"""Which files of an encrypted home are sealed, and the unlocked keys that seal and open them.

Whether a home is encrypted is decided by one file in the home (``encryption.json``), never by
per-machine config: a machine that forgot a setting cannot write plaintext into it (jrnl #1808).
The writers in ``atomic`` and the reader ``read_private`` ask this module about every file
under a home, so no write path can put a plaintext record there: with the home locked they
refuse, with it unlocked they seal.

The composition root opens a ``Vault`` once per command (after the passphrase or the agent) and
registers it here with the home and its cache folder; nothing else holds keys.
"""

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from peerjournal.errors import RecordError, StorageError

KEY_FILE = "encryption.json"
# Left readable on purpose: the key file itself, the lock, an organisation's shared frameworks,
# credentials and templates (published texts, not notes), and public keys.
PLAIN_TOP = frozenset({KEY_FILE, ".lock", "frameworks", "credentials", "templates"})
LOCKED = (
    "the data home is encrypted and locked; run `peerjournal unlock`, or give "
    "--passphrase-file FILE or PEERJOURNAL_PASSPHRASE_FILE"
)

__all__ = [
    "KEY_FILE",
    "LOCKED",
    "Vault",
    "forget_all",
    "is_encrypted",
    "read_private",
    "register",
    "seal_for_write",
    "stays_plain",
    "unseal",
    "vault_for",
    "vault_of",
]


@dataclass
class Vault:
    """The unlocked data keys of one home: every key id still in use, and the one to write with."""

    home_id: str
    keys: dict[str, bytes]
    current: str
    roots: list[Path] = field(default_factory=list)  # the home and its cache folder

    def seal(self, data: bytes, relative: PurePosixPath) -> bytes:
        from peerjournal.store.sealed import binding, seal_bytes

        return seal_bytes(self.keys[self.current], self.current, data, binding(relative))

    def open(self, raw: bytes, relative: PurePosixPath, path: Path) -> bytes:
        from peerjournal.store.sealed import binding, open_bytes

        return open_bytes(self.keys, raw, binding(relative), path)

    def index_key(self) -> bytes:
        """The raw SQLCipher key of the index: derived from the current data key, never stored.

        HKDF-SHA256 (RFC 5869) with no salt, written with ``hmac`` so that a command reading only
        the index never imports ``cryptography`` (about 6 ms).
        """
        import hashlib
        import hmac

        prk = hmac.digest(bytes(32), self.keys[self.current], hashlib.sha256)
        return hmac.digest(prk, b"peerjournal index key/1\x01", hashlib.sha256)


_open_vaults: dict[Path, Vault] = {}


def is_encrypted(home_root: Path) -> bool:
    """Whether the home at ``home_root`` is encrypted (one stat; no cryptography imported)."""
    return (home_root / KEY_FILE).exists()


def register(vault: Vault, *roots: Path) -> None:
    """Make ``vault`` the one that seals and opens files below each of ``roots``."""
    for root in roots:
        absolute = root.absolute()
        vault.roots.append(absolute)
        _open_vaults[absolute] = vault


def forget_all() -> None:
    """Drop every unlocked key of this process (after a command; between tests)."""
    _open_vaults.clear()


def vault_of(home_root: Path) -> Vault | None:
    """The unlocked vault of the home at ``home_root``, if this command opened it."""
    return _open_vaults.get(home_root.absolute())


def vault_for(path: Path) -> tuple[Vault, PurePosixPath] | None:
    """The vault whose root holds ``path``, and the path relative to that root."""
    if not _open_vaults:
        return None
    absolute = path.absolute()
    for parent in absolute.parents:
        vault = _open_vaults.get(parent)
        if vault is not None:
            return vault, PurePosixPath(absolute.relative_to(parent).as_posix())
    return None


def stays_plain(relative: PurePosixPath) -> bool:
    """Whether a file at ``relative`` (to its home) is written in the clear even when encrypted."""
    parts = relative.parts
    if not parts:
        return True
    if parts[0] in PLAIN_TOP:
        return True
    return parts[0] == "keys" and parts[-1].endswith(".pub")


def seal_for_write(path: Path, data: bytes, within: Path | None) -> bytes:
    """``data`` as it must be written at ``path``: sealed when its home is encrypted.

    A file in an encrypted home with no unlocked vault is refused, so nothing is ever written
    there in the clear by mistake.
    """
    found = vault_for(path)
    if found is not None:
        vault, relative = found
        return data if stays_plain(relative) else vault.seal(data, relative)
    within = within or _encrypted_home_above(path)
    if within is None or not is_encrypted(within):
        return data
    try:
        relative = PurePosixPath(path.absolute().relative_to(within.absolute()).as_posix())
    except ValueError:
        return data
    if stays_plain(relative):
        return data
    raise StorageError(LOCKED + "; nothing was written", path=path)


def _encrypted_home_above(path: Path) -> Path | None:
    """The encrypted home holding ``path``, for a writer that did not say (a few stats)."""
    for parent in path.absolute().parents:
        if is_encrypted(parent):
            return parent
    return None


def read_private(path: Path) -> bytes:
    """A file's plaintext, like ``path.read_bytes()`` (an OSError still propagates)."""
    return unseal(path, path.read_bytes())


def unseal(path: Path, raw: bytes) -> bytes:
    """The plaintext of bytes read from ``path``: opened with its home's vault when sealed.

    A plaintext file in an encrypted home is still read (``doctor`` names it, ``encrypt`` seals
    it); a sealed one while the home is locked is one clear error.
    """
    from peerjournal.store.sealed import is_sealed

    if not is_sealed(raw):
        return raw
    found = vault_for(path)
    if found is None:
        raise RecordError(LOCKED, path=path)
    vault, relative = found
    return vault.open(raw, relative, path)
