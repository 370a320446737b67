"""The sealed-record format: one AES-256-GCM envelope per file, bound to its kind and id.

A sealed file is ``MAGIC`` (8 bytes), the data key's id (8 bytes), a random nonce (12 bytes),
then the ciphertext with its 16-byte tag. The associated data is those 28 header bytes and the
record's path in the home (its kind, folders and name; ``.trash/`` left out), so a record
cannot be swapped for another, yet moving it to the trash and back keeps it byte for byte.
``docs/encryption.md`` documents it for anyone reading a home without peerjournal.

This module imports ``cryptography`` only inside the functions that seal or open, and only an
encrypted home ever calls them.
"""

import os
from pathlib import Path, PurePosixPath

from peerjournal.errors import RecordError

MAGIC = b"PJSEAL1\n"
KEY_ID_BYTES = 8
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
TAG_BYTES = 16

__all__ = [
    "HEADER_BYTES",
    "MAGIC",
    "binding",
    "is_sealed",
    "key_id_of",
    "open_bytes",
    "seal_bytes",
]


def is_sealed(raw: bytes) -> bool:
    """Whether ``raw`` is a sealed record (its first bytes say so)."""
    return raw.startswith(MAGIC)


def binding(relative: PurePosixPath) -> bytes:
    """What a record at ``relative`` (to its home) is bound to: its kind, folders and name.

    The trash keeps a record's place below ``.trash/``, so a trashed record binds as it did
    before; a sign-off is written whole in a ``.new-ID`` folder and renamed to ``ID``, so that
    prefix is dropped too. Names that are not UTF-8 keep their bytes (surrogateescape).
    """
    parts = list(relative.parts)
    if parts and parts[0] == ".trash":
        parts = parts[1:]
    parts = [part.removeprefix(".new-") for part in parts]
    return "/".join(parts).encode("utf-8", "surrogateescape")


def key_id_of(raw: bytes) -> str:
    """The hex id of the data key a sealed record was written with."""
    return raw[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES].hex()


def seal_bytes(key: bytes, key_id: str, data: bytes, bound: bytes) -> bytes:
    """``data`` sealed with ``key`` (whose id is ``key_id``), bound to ``bound``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = MAGIC + bytes.fromhex(key_id) + os.urandom(NONCE_BYTES)
    return header + AESGCM(key).encrypt(header[-NONCE_BYTES:], data, header + bound)


def open_bytes(keys: dict[str, bytes], raw: bytes, bound: bytes, path: Path) -> bytes:
    """The plaintext of a sealed record; one clear RecordError when it cannot be trusted."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(raw) < HEADER_BYTES + TAG_BYTES:
        raise RecordError("sealed record is truncated; restore it from a backup", path=path)
    key_id = key_id_of(raw)
    key = keys.get(key_id)
    if key is None:
        raise RecordError(
            f"sealed with a key this home does not have (key id {key_id}); it may come from "
            "another data home",
            path=path,
        )
    header = raw[:HEADER_BYTES]
    try:
        return AESGCM(key).decrypt(header[-NONCE_BYTES:], raw[HEADER_BYTES:], header + bound)
    except InvalidTag:
        raise RecordError(
            "sealed record does not authenticate: it was damaged, cut short, or moved here "
            "from another record; restore it from a backup",
            path=path,
        ) from None
