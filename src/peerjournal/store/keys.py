"""The home's own key pair and the public keys it trusts, in ``<home>/keys/``.

``id_ed25519`` (OpenSSH private format, 0600) and ``id_ed25519.pub`` are the home's own key;
``trusted.json`` pins other people's public keys by person id, each with its fingerprint, when
it was trusted, and whether it is the person's current key (old ones stay, to check old bundles).
Writers hold the home lock; every file is written atomically and privately.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from peerjournal.errors import RecordError, StorageError
from peerjournal.store.atomic import create_exclusive, write_atomic
from peerjournal.store.jsonio import json_object
from peerjournal.store.layout import DataHome
from peerjournal.store.vault import read_private

TRUSTED_SCHEMA = 1
_MAX_KEY_FILE = 64 * 1024  # a private or public key file is a few hundred bytes


@dataclass(frozen=True)
class PinnedKey:
    """One trusted public key of one person, as ``trusted.json`` holds it."""

    key: str  # "ssh-ed25519 AAAA..."
    fingerprint: str
    trusted_at: str  # ISO 8601, with its offset
    current: bool


class KeyStore:
    """Read and write the files of ``<home>/keys/``."""

    def __init__(self, home: DataHome) -> None:
        self.home = home

    @property
    def folder(self) -> Path:
        return self.home.root / "keys"

    @property
    def private_file(self) -> Path:
        return self.folder / "id_ed25519"

    @property
    def public_file(self) -> Path:
        return self.folder / "id_ed25519.pub"

    @property
    def trusted_file(self) -> Path:
        return self.folder / "trusted.json"

    # --- the home's own key ---------------------------------------------------------------

    def own_private(self) -> bytes | None:
        """The private key file's bytes, or None when the home has no key yet."""
        if not self.private_file.exists() and not self.private_file.is_symlink():
            return None
        return read_key_file(self.private_file)

    def own_public(self) -> str | None:
        """The public key file's line, or None when it is missing."""
        if not self.public_file.exists() and not self.public_file.is_symlink():
            return None
        return read_key_file(self.public_file).decode("utf-8", "replace").strip()

    def create_own(self, private_pem: bytes) -> bool:
        """Write a new private key file; False when one is there already (another command)."""
        return create_exclusive(self.private_file, private_pem, within=self.home.root)

    def write_public(self, line: str) -> None:
        write_atomic(self.public_file, line.strip() + "\n", within=self.home.root)

    # --- trusted keys ---------------------------------------------------------------------

    def trusted(self) -> dict[str, list[PinnedKey]]:
        """Every pinned key by person id, oldest first; no file means nobody is trusted yet."""
        path = self.trusted_file
        if path.is_symlink():
            raise RecordError(
                "is a symbolic link; peerjournal reads no keys through a link", path=path
            )
        try:
            text = read_private(path).decode("utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as error:
            raise RecordError(f"cannot be read ({error})", path=path) from None
        data = json_object(text, path)
        people = data.get("people", {})
        if not isinstance(people, dict):
            raise RecordError("'people' must be an object", path=path)
        return {
            str(pid): [_pinned(item, path) for item in _list(keys, path)]
            for pid, keys in people.items()
        }

    def save_trusted(self, pinned: dict[str, list[PinnedKey]]) -> None:
        """Replace ``trusted.json``; the caller holds the home lock."""
        data: dict[str, Any] = {
            "schema": TRUSTED_SCHEMA,
            "people": {
                pid: [
                    {
                        "key": k.key,
                        "fingerprint": k.fingerprint,
                        "trusted_at": k.trusted_at,
                        "current": k.current,
                    }
                    for k in keys
                ]
                for pid, keys in sorted(pinned.items())
                if keys
            },
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.trusted_file, text, within=self.home.root)


def read_key_file(path: Path) -> bytes:
    """A key file's bytes; a folder, a missing or a huge file is refused with one line."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise StorageError("no such file", path=path) from None
    except OSError as error:
        raise StorageError(f"cannot be read ({error.strerror})", path=path) from None
    if not path.is_file():
        raise StorageError("is not a file", path=path)
    if size > _MAX_KEY_FILE:
        raise StorageError("is too big to be a key file", path=path)
    try:
        return read_private(path)
    except OSError as error:
        raise StorageError(f"cannot be read ({error.strerror})", path=path) from None


def _list(value: object, path: Path) -> list[object]:
    if not isinstance(value, list):
        raise RecordError("each person's keys must be a list", path=path)
    return value


def _pinned(item: object, path: Path) -> PinnedKey:
    if not isinstance(item, dict):
        raise RecordError("each key must be an object", path=path)
    try:
        pinned = PinnedKey(
            key=str(item["key"]),
            fingerprint=str(item["fingerprint"]),
            trusted_at=str(item["trusted_at"]),
            current=item.get("current", False) is True,
        )
    except KeyError as missing:
        raise RecordError(f"a key has no {missing.args[0]!r}", path=path) from None
    try:
        datetime.fromisoformat(pinned.trusted_at)
    except ValueError:
        raise RecordError(f"{pinned.trusted_at!r} is not a date and time", path=path) from None
    return pinned
