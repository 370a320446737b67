"""The key file of an encrypted home: data keys wrapped by a master key, wrapped in key slots.

``<home>/encryption.json`` (0600) holds, as JSON:

- ``format``, ``version``, ``home_id`` (random; names the agent's socket), ``state``
  (``encrypting``, ``encrypted``, ``rekeying`` or ``decrypting``; every state but ``encrypted``
  is a command that was interrupted and finishes when run again), ``current`` (the id of the
  data key new records are sealed with);
- ``data_keys``: each data key id with its key wrapped by the master key (AES-256-GCM,
  associated data ``peerjournal data key/1``, the home id and the key id);
- ``slots``: ``passphrase`` (Argon2id with its stored parameters, so they can be raised) and
  ``recovery`` (HKDF-SHA256 of a random 256-bit recovery key), each wrapping the master key
  (AES-256-GCM, associated data ``peerjournal slot/1``, the home id and the slot name).

Changing the passphrase rewraps one slot; a new recovery key rewraps the other; a rekey makes a
new master key and a new data key, rewraps the passphrase slot and issues a new recovery key, so
an old copy of this file with an old secret opens nothing sealed after it. Argon2id runs once
per unlock, never once per file. ``docs/encryption.md`` documents all of it.
"""

import base64
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from peerjournal.errors import InputError, RecordError

FORMAT = "peerjournal-encryption"
VERSION = 1
State = Literal["encrypting", "encrypted", "rekeying", "decrypting"]
STATES: tuple[State, ...] = ("encrypting", "encrypted", "rekeying", "decrypting")
SLOT_AAD = b"peerjournal slot/1\x00"
DATA_KEY_AAD = b"peerjournal data key/1\x00"
RECOVERY_INFO = b"peerjournal recovery slot/1"
RECOVERY_PREFIX = "PJRK"
MISTYPED = "wrong passphrase; nothing was changed (try again, or use the recovery key)"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost: memory in KiB, passes and lanes (OWASP's 64 MiB, 3, 4 by default)."""

    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4


@dataclass
class KeyFile:
    """The parsed key file; ``raw`` keeps fields this version does not know about."""

    path: Path
    raw: dict[str, Any]

    @property
    def home_id(self) -> str:
        return str(self.raw["home_id"])

    @property
    def state(self) -> State:
        state: State = self.raw["state"]  # checked by load_key_file
        return state

    @property
    def current(self) -> str:
        return str(self.raw["current"])

    @property
    def key_ids(self) -> list[str]:
        return sorted(self.raw["data_keys"])

    def with_state(self, state: State) -> "KeyFile":
        return KeyFile(self.path, {**self.raw, "state": state})

    def text(self) -> str:
        return json.dumps(self.raw, indent=2, sort_keys=True) + "\n"

    # unwrapping ----------------------------------------------------------------------------

    def master_from_passphrase(self, passphrase: str) -> bytes:
        """The master key, from the passphrase slot; a wrong passphrase is one InputError."""
        slot = self.raw["slots"]["passphrase"]
        kek = argon2id(passphrase, _b64(slot["salt"]), _params(slot, self.path))
        return self._unwrap_slot("passphrase", kek, MISTYPED)

    def master_from_recovery(self, recovery_key: str) -> bytes:
        slot = self.raw["slots"]["recovery"]
        kek = _hkdf(parse_recovery_key(recovery_key), _b64(slot["salt"]))
        return self._unwrap_slot(
            "recovery", kek, "that recovery key does not open this home; nothing was changed"
        )

    def data_keys(self, master: bytes) -> dict[str, bytes]:
        """Every data key, unwrapped; a key that does not authenticate is a damaged key file."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        keys: dict[str, bytes] = {}
        for key_id, wrapped in self.raw["data_keys"].items():
            try:
                keys[key_id] = AESGCM(master).decrypt(
                    _b64(wrapped["nonce"]), _b64(wrapped["wrapped"]), self._data_key_aad(key_id)
                )
            except InvalidTag:
                raise RecordError(
                    f"data key {key_id} does not authenticate: the key file is damaged; "
                    "restore it from a backup",
                    path=self.path,
                ) from None
        return keys

    def _unwrap_slot(self, name: str, kek: bytes, wrong: str) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        slot = self.raw["slots"][name]
        try:
            return AESGCM(kek).decrypt(
                _b64(slot["nonce"]), _b64(slot["wrapped"]), self._slot_aad(name)
            )
        except InvalidTag:
            raise InputError(wrong) from None

    def _slot_aad(self, name: str) -> bytes:
        return SLOT_AAD + self.home_id.encode() + b"\x00" + name.encode()

    # wrapping ------------------------------------------------------------------------------

    def with_passphrase(self, master: bytes, passphrase: str, params: KdfParams) -> "KeyFile":
        """A copy whose passphrase slot opens with ``passphrase``."""
        salt = os.urandom(16)
        kek = argon2id(passphrase, salt, params)
        slot = {
            "kdf": "argon2id",
            "memory_kib": params.memory_kib,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "salt": _text(salt),
            **self._wrap_slot("passphrase", kek, master),
        }
        return self._with_slot("passphrase", slot)

    def with_recovery(self, master: bytes) -> tuple["KeyFile", str]:
        """A copy with a new recovery slot, and the recovery key that opens it (shown once)."""
        secret = os.urandom(32)
        salt = os.urandom(16)
        slot = {
            "kdf": "hkdf-sha256",
            "salt": _text(salt),
            **self._wrap_slot("recovery", _hkdf(secret, salt), master),
        }
        return self._with_slot("recovery", slot), format_recovery_key(secret)

    def with_data_key(self, master: bytes) -> tuple["KeyFile", str]:
        """A copy with a new data key made current (the old ones stay until a rekey ends)."""
        key_id = secrets.token_hex(8)
        data_keys = {**self.raw["data_keys"], key_id: self._wrap_data_key(master, key_id)}
        return KeyFile(self.path, {**self.raw, "data_keys": data_keys, "current": key_id}), key_id

    def rewrapped(self, keys: dict[str, bytes], master: bytes) -> "KeyFile":
        """A copy whose data keys are wrapped by a new master key (a rekey replaces it too)."""
        data_keys = {
            key_id: self._wrap_data_key(master, key_id, key) for key_id, key in keys.items()
        }
        return KeyFile(self.path, {**self.raw, "data_keys": data_keys})

    def keeping_only_current(self) -> "KeyFile":
        data_keys = {self.current: self.raw["data_keys"][self.current]}
        return KeyFile(self.path, {**self.raw, "data_keys": data_keys})

    def _data_key_aad(self, key_id: str) -> bytes:
        return DATA_KEY_AAD + self.home_id.encode() + b"\x00" + key_id.encode()

    def _wrap_data_key(
        self, master: bytes, key_id: str, key: bytes | None = None
    ) -> dict[str, str]:
        """A data key (a new random one unless given) wrapped by the master key."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        plain = os.urandom(32) if key is None else key
        wrapped = AESGCM(master).encrypt(nonce, plain, self._data_key_aad(key_id))
        return {"nonce": _text(nonce), "wrapped": _text(wrapped)}

    def _wrap_slot(self, name: str, kek: bytes, master: bytes) -> dict[str, str]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        wrapped = AESGCM(kek).encrypt(nonce, master, self._slot_aad(name))
        return {"nonce": _text(nonce), "wrapped": _text(wrapped)}

    def _with_slot(self, name: str, slot: dict[str, Any]) -> "KeyFile":
        return KeyFile(self.path, {**self.raw, "slots": {**self.raw.get("slots", {}), name: slot}})


def new_key_file(path: Path, created: str) -> tuple[KeyFile, bytes]:
    """A key file with no slots yet and one data key, and its new random master key."""
    master = os.urandom(32)
    blank = KeyFile(
        path,
        {
            "format": FORMAT,
            "version": VERSION,
            "home_id": secrets.token_hex(8),
            "state": "encrypting",
            "created": created,
            "current": "",
            "data_keys": {},
            "slots": {},
        },
    )
    with_key, _ = blank.with_data_key(master)
    return with_key, master


def load_key_file(path: Path) -> KeyFile:
    """The key file, checked field by field; anything wrong names the file and the field."""
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read the key file ({error.strerror})", path=path) from None
    try:
        data = json.loads(raw_bytes)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RecordError(
            "the key file is damaged (not valid JSON); restore it from a backup", path=path
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordError("is not a peerjournal key file", path=path)
    if data.get("version") != VERSION:
        raise RecordError(
            f"key file version {data.get('version')!r} is not one this peerjournal reads; "
            "update peerjournal",
            path=path,
        )
    _check(data, path)
    return KeyFile(path, data)


def _check(data: dict[str, Any], path: Path) -> None:
    def damaged(field: str) -> RecordError:
        return RecordError(
            "the key file is damaged; restore it from a backup", path=path, field=field
        )

    if not isinstance(data.get("home_id"), str) or not data["home_id"]:
        raise damaged("home_id")
    if data.get("state") not in STATES:
        raise damaged("state")
    keys = data.get("data_keys")
    if not isinstance(keys, dict) or not keys:
        raise damaged("data_keys")
    for key_id, wrapped in keys.items():
        if not _hex(key_id, 16) or not _wrapped(wrapped):
            raise damaged(f"data_keys.{key_id}")
    if data.get("current") not in keys:
        raise damaged("current")
    slots = data.get("slots")
    if not isinstance(slots, dict) or "passphrase" not in slots:
        raise damaged("slots")
    for name, slot in slots.items():
        if not _wrapped(slot) or not isinstance(slot.get("salt"), str):
            raise damaged(f"slots.{name}")
    passphrase = slots["passphrase"]
    if passphrase.get("kdf") != "argon2id":
        raise damaged("slots.passphrase.kdf")
    _params(passphrase, path)
    if "recovery" in slots and slots["recovery"].get("kdf") != "hkdf-sha256":
        raise damaged("slots.recovery.kdf")


def _params(slot: dict[str, Any], path: Path) -> KdfParams:
    try:
        params = KdfParams(int(slot["memory_kib"]), int(slot["iterations"]), int(slot["lanes"]))
    except (KeyError, TypeError, ValueError):
        raise RecordError(
            "the key file is damaged; restore it from a backup",
            path=path,
            field="slots.passphrase",
        ) from None
    if not (8 * params.lanes <= params.memory_kib <= 4 * 1024 * 1024) or not (
        1 <= params.iterations <= 64 and 1 <= params.lanes <= 64
    ):
        raise RecordError(
            "Argon2id parameters are out of range; the key file is damaged",
            path=path,
            field="slots.passphrase",
        )
    return params


def _wrapped(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    try:
        return len(_b64(value["nonce"])) == 12 and len(_b64(value["wrapped"])) == 48
    except (KeyError, TypeError, ValueError):
        return False


def _hex(text: object, length: int) -> bool:
    return (
        isinstance(text, str) and len(text) == length and all(c in "0123456789abcdef" for c in text)
    )


def argon2id(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The 32-byte key a passphrase stands for (the slow step: once per unlock)."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    # NFC, so an accented passphrase typed on another system still opens the home
    return kdf.derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))


def _hkdf(secret: bytes, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=salt, info=RECOVERY_INFO).derive(secret)


def format_recovery_key(secret: bytes) -> str:
    """32 bytes as ``PJRK-`` and 13 groups of 4 base32 letters and digits, easy to copy by hand."""
    letters = base64.b32encode(secret).decode("ascii").rstrip("=")
    groups = [letters[i : i + 4] for i in range(0, len(letters), 4)]
    return "-".join([RECOVERY_PREFIX, *groups])


def parse_recovery_key(text: str) -> bytes:
    """The secret in a recovery key as typed: any case, with or without dashes and spaces."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned = cleaned.removeprefix(RECOVERY_PREFIX)
    try:
        secret = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        secret = b""
    if len(secret) != 32:
        raise InputError(
            "that is not a recovery key (it starts PJRK- and has 13 groups of 4 characters)"
        )
    return secret


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def read_passphrase_file(path: Path) -> str:
    """The passphrase in a file given for scripts: its first line, without the line break."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the passphrase file ({error.strerror})", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the passphrase file is not UTF-8 text", path=path) from None
    first = text.split("\n", 1)[0].removesuffix("\r")
    if not first:
        raise InputError("the passphrase file is empty", path=path)
    return first
