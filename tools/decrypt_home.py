"""Decrypt a peerjournal data home without peerjournal, into a plain copy.

    python tools/decrypt_home.py HOME OUT (--passphrase-file FILE | --recovery-key-file FILE)

With neither option the passphrase is read from stdin (or asked for, on a terminal). Needs only
Python 3.11+ and ``cryptography`` >= 44; docs/encryption.md describes every byte read here.
HOME is only read. OUT must not exist or be empty; it gets 0700 folders and 0600 files.
Exit 0 when every file was written, 2 when anything could not be (each named on stderr).
"""

import argparse
import base64
import getpass
import json
import os
import stat
import sys
import unicodedata
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"PJSEAL1\n"  # a sealed record: MAGIC, data key id (8), nonce (12), ciphertext + tag (16)
HEADER = len(MAGIC) + 8 + 12
SLOT_AAD = b"peerjournal slot/1\x00"  # + home id + NUL + slot name
DATA_KEY_AAD = b"peerjournal data key/1\x00"  # + home id + NUL + data key id
RECOVERY_INFO = b"peerjournal recovery slot/1"
NOT_COPIED = ("encryption.json", ".lock")  # at the top of the home; also leftover .*.tmp files


class DecryptError(Exception):
    """What stops one file (or everything), as one line for stderr."""


def b64(value: str) -> bytes:
    """A base64 field of the key file (standard alphabet, with padding)."""
    return base64.b64decode(value, validate=True)


def unwrap(kek: bytes, box: dict[str, Any], aad: bytes) -> bytes:
    """A key wrapped with AES-256-GCM under ``kek``: ``{"nonce": b64, "wrapped": b64}``."""
    return AESGCM(kek).decrypt(b64(box["nonce"]), b64(box["wrapped"]), aad)


def read_secret(args: argparse.Namespace) -> tuple[str, bytes]:
    """The slot to open and its secret: a recovery key, or the passphrase's first line."""
    path = args.recovery_key_file or args.passphrase_file
    try:
        if path is not None:
            text = Path(path).read_bytes().decode("utf-8")
        elif not sys.stdin.isatty():
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            text = getpass.getpass("passphrase: ")
    except (OSError, UnicodeDecodeError) as error:
        raise DecryptError(f"{path or 'stdin'}: cannot read it ({error})") from None
    if not args.recovery_key_file:  # the first line, without its "\n" or "\r\n"
        first = text.split("\n")[0].removesuffix("\r")
        if not first:
            raise DecryptError(f"{path or 'stdin'}: the passphrase is empty")
        return "passphrase", unicodedata.normalize("NFC", first).encode("utf-8")
    letters = "".join(text.split()).replace("-", "").upper().removeprefix("PJRK")
    try:  # PJRK- then 13 groups of 4 base32 characters (32 bytes); any case, any spacing
        secret = base64.b32decode(letters + "=" * (-len(letters) % 8))
    except ValueError:
        secret = b""
    if len(secret) != 32:
        raise DecryptError(f"{path}: not a recovery key (PJRK- and 13 groups of 4 characters)")
    return "recovery", secret


def slot_key(slot: dict[str, Any], name: str, secret: bytes) -> bytes:
    """The key that unwraps a slot: HKDF-SHA256 of a recovery key, Argon2id of a passphrase."""
    if name == "recovery":
        return HKDF(hashes.SHA256(), 32, b64(slot["salt"]), RECOVERY_INFO).derive(secret)
    lanes, passes, memory = int(slot["lanes"]), int(slot["iterations"]), int(slot["memory_kib"])
    if slot["kdf"] != "argon2id" or not (1 <= lanes <= 64 and 1 <= passes <= 64):
        raise ValueError("slots.passphrase: unknown kdf, or parameters out of range")
    if not 8 * lanes <= memory <= 4 * 1024 * 1024:
        raise ValueError("slots.passphrase.memory_kib is out of range")
    salt = b64(slot["salt"])
    return Argon2id(
        salt=salt, length=32, iterations=passes, lanes=lanes, memory_cost=memory
    ).derive(secret)


def unlock(key_file: Path, args: argparse.Namespace) -> dict[str, bytes]:
    """Every data key of the home, by id: slot key -> master key -> data keys."""
    try:
        data = json.loads(key_file.read_bytes())
        if data["format"] != "peerjournal-encryption" or data["version"] != 1:
            raise ValueError("not a peerjournal key file of version 1")
        home_id = data["home_id"].encode("utf-8")
        name, secret = read_secret(args)  # after the checks above, so no one types in vain
        if name not in data["slots"]:
            raise DecryptError(f"{key_file}: this home has no {name} slot")
        slot = data["slots"][name]
        try:
            master = unwrap(
                slot_key(slot, name, secret), slot, SLOT_AAD + home_id + b"\0" + name.encode()
            )
        except InvalidTag:
            wrong = "recovery key" if name == "recovery" else "passphrase"
            raise DecryptError(
                f"{key_file}: wrong {wrong} (the {name} slot does not open)"
            ) from None
        keys = {}
        for key_id, box in data["data_keys"].items():
            aad = DATA_KEY_AAD + home_id + b"\0" + key_id.encode()
            try:
                keys[key_id] = unwrap(master, box, aad)
            except InvalidTag:
                raise DecryptError(f"{key_file}: data key {key_id} does not authenticate") from None
    except OSError as error:
        raise DecryptError(f"{key_file}: cannot read the key file ({error.strerror})") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # JSON, base64, UTF-8 too
        raise DecryptError(f"{key_file}: the key file is damaged ({error!r})") from None
    return keys


def open_record(raw: bytes, relative: PurePosixPath, keys: dict[str, bytes]) -> bytes:
    """A sealed record's plaintext; it is bound to its path in the home (``.trash/`` aside)."""
    if len(raw) < HEADER + 16:
        raise DecryptError("sealed record is cut short")
    key = keys.get(raw[8:16].hex())
    if key is None:
        raise DecryptError(f"sealed with data key {raw[8:16].hex()}, which the key file lacks")
    parts = relative.parts[1:] if relative.parts[0] == ".trash" else relative.parts
    # a sign-off is written in a .new-ID folder and renamed to ID: the prefix is not bound
    bound = "/".join(p.removeprefix(".new-") for p in parts).encode("utf-8", "surrogateescape")
    try:
        return AESGCM(key).decrypt(raw[HEADER - 12 : HEADER], raw[HEADER:], raw[:HEADER] + bound)
    except InvalidTag:
        raise DecryptError("does not authenticate: damaged, or moved from another record") from None


def write_private(out: Path, relative: PurePosixPath, data: bytes) -> None:
    """``data`` at OUT/relative, as a new 0600 file in 0700 folders."""
    folder = out
    for part in relative.parts[:-1]:
        folder = folder / part
        if not folder.is_dir():
            folder.mkdir(mode=0o700)
            folder.chmod(0o700)  # whatever the umask
    fd = os.open(out / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def main() -> int:
    """Check OUT, unlock the keys, then decrypt or copy each file; report counts, not contents."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("out", type=Path)
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", metavar="FILE")
    secret.add_argument("--recovery-key-file", metavar="FILE")
    args = parser.parse_args()
    home, out = args.home.resolve(), args.out.absolute()
    try:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise DecryptError(f"{out}: exists and is not an empty folder")
        if out.resolve().is_relative_to(home):
            raise DecryptError(f"{out}: is inside the home")
        keys = unlock(home / "encryption.json", args)
        out.mkdir(mode=0o700, exist_ok=True)
        out.chmod(0o700)
    except (DecryptError, OSError) as error:
        sys.stderr.write(f"decrypt_home: {error}\n")
        return 2
    counts = {"decrypted": 0, "copied": 0, "skipped": 0, "failed": 0}
    for folder, subfolders, names in os.walk(home):  # links to folders are listed, not entered
        subfolders.sort()
        counts["skipped"] += sum(Path(folder, name).is_symlink() for name in subfolders)
        for name in sorted(names):
            path = Path(folder, name)
            relative = PurePosixPath(path.relative_to(home).as_posix())
            try:
                left_out = str(relative) in NOT_COPIED or fnmatch(name, ".*.tmp")
                if left_out or not stat.S_ISREG(path.lstat().st_mode):  # or a link, a socket
                    counts["skipped"] += 1
                else:
                    raw = path.read_bytes()
                    sealed = raw.startswith(MAGIC)
                    write_private(
                        out, relative, open_record(raw, relative, keys) if sealed else raw
                    )
                    counts["decrypted" if sealed else "copied"] += 1
            except (DecryptError, OSError) as error:
                sys.stderr.write(f"decrypt_home: {path}: {error}\n")
                counts["failed"] += 1
    sys.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()) + f"; into {out}\n")
    if counts["failed"]:
        sys.stderr.write(f"decrypt_home: {counts['failed']} file(s) failed; see above\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
