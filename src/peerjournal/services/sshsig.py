"""OpenSSH signatures (SSHSIG, PROTOCOL.sshsig) written and checked with ``cryptography``.

The format is OpenSSH's own, so stock ``ssh-keygen -Y verify`` accepts what we sign and we
accept what ``ssh-keygen -Y sign`` writes: a certification body needs nothing of ours to check
a sign-off. Only Ed25519 keys and SHA-512 are used; the namespace keeps a bundle's signature
from ever passing as a sign-off's. Nothing here runs a program.

``cryptography`` comes with the optional ``share`` extra; importing this module without it is
one clear line, not a traceback.
"""

import base64
import binascii
import hashlib
import struct

from peerjournal.errors import InputError, PeerJournalError

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )
except ImportError as missing:  # pragma: no cover - the extra is installed in the test venv
    raise PeerJournalError(
        "sharing and keys need the optional 'share' extra; run: pip install 'peerjournal[share]'"
    ) from missing

__all__ = [
    "KEY_TYPE",
    "NAMESPACE_SHARE",
    "NAMESPACE_SIGNOFF",
    "Ed25519PrivateKey",
    "SignatureError",
    "fingerprint",
    "key_blob",
    "public_line",
    "sign",
    "signer_of",
    "verify",
]

NAMESPACE_SHARE = "peerjournal-share@v1"
NAMESPACE_SIGNOFF = "peerjournal-signoff@v1"
KEY_TYPE = "ssh-ed25519"

_MAGIC = b"SSHSIG"
_VERSION = 1
_HASH = "sha512"
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"
_WRAP = 70  # ssh-keygen wraps the base64 at 70 columns


class SignatureError(InputError):
    """A signature that does not hold: wrong key, namespace or message, or not a signature."""


def sign(private_key: Ed25519PrivateKey, namespace: str, message: bytes) -> str:
    """The armored SSHSIG of ``message`` in ``namespace``, as ``ssh-keygen -Y sign`` writes it."""
    _check_namespace(namespace)
    public = _public_blob(private_key.public_key())
    raw = private_key.sign(_signed_data(namespace, message))
    signature = _string(KEY_TYPE.encode()) + _string(raw)
    blob = (
        _MAGIC
        + struct.pack(">I", _VERSION)
        + _string(public)
        + _string(namespace.encode())
        + _string(b"")
        + _string(_HASH.encode())
        + _string(signature)
    )
    return armor(blob)


def verify(public_key_line: str, namespace: str, message: bytes, armored: str) -> None:
    """Return only if ``armored`` is ``public_key_line``'s signature of ``message``.

    Raises ``SignatureError`` (one line) for another key, another namespace, a changed message
    or anything that is not a well-formed Ed25519 SSHSIG.
    """
    expected = key_blob(public_key_line)
    parts = _parse(armored)
    if parts.public != expected:
        raise SignatureError(
            f"the signature was made by {_fingerprint_of(parts.public)}, "
            f"not by {_fingerprint_of(expected)}"
        )
    if parts.namespace != namespace:
        raise SignatureError(
            f"the signature is for {parts.namespace!r}, not {namespace!r}; it was made for "
            "another purpose"
        )
    key = Ed25519PublicKey.from_public_bytes(_ed25519_point(expected))
    try:
        key.verify(parts.raw, _signed_data(namespace, message, parts.hash_name))
    except InvalidSignature:
        raise SignatureError(
            "the signature does not match the signed content: it was changed after signing"
        ) from None


def signer_of(armored: str) -> str:
    """The public key (``ssh-ed25519 AAAA...``) a signature names as its signer, unchecked."""
    blob = _parse(armored).public
    return f"{KEY_TYPE} {base64.b64encode(blob).decode('ascii')}"


def fingerprint(public_key_line: str) -> str:
    """``SHA256:`` and the unpadded base64 of the key blob's SHA-256, as ``ssh-keygen -l``."""
    return _fingerprint_of(key_blob(public_key_line))


def public_line(key: Ed25519PrivateKey | Ed25519PublicKey, comment: str = "") -> str:
    """The OpenSSH public key line of a key, with an optional comment."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    line = f"{KEY_TYPE} {base64.b64encode(_public_blob(public)).decode('ascii')}"
    comment = " ".join(comment.split())
    return f"{line} {comment}" if comment else line


def key_blob(public_key_line: str) -> bytes:
    """The wire blob of an ``ssh-ed25519`` public key line; any other key is refused."""
    fields = public_key_line.split()
    if len(fields) < 2 or not fields[0].startswith(("ssh-", "ecdsa-", "sk-")):
        raise SignatureError("not an OpenSSH public key line (ssh-ed25519 AAAA... name)")
    if fields[0] != KEY_TYPE:
        raise SignatureError(f"only ssh-ed25519 keys are accepted; this is an {fields[0]} key")
    try:
        blob = base64.b64decode(fields[1], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("the key's base64 text is damaged") from None
    if _key_type_of(blob) != KEY_TYPE:
        raise SignatureError("the key's text does not match its type ssh-ed25519")
    _ed25519_point(blob)
    return blob


# --- the wire format ---------------------------------------------------------------------------


class _Parts:
    def __init__(self, public: bytes, namespace: str, hash_name: str, raw: bytes) -> None:
        self.public = public
        self.namespace = namespace
        self.hash_name = hash_name
        self.raw = raw


def armor(blob: bytes) -> str:
    """A signature blob as the armored text ssh-keygen writes (70 columns, final newline)."""
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + _WRAP] for i in range(0, len(text), _WRAP)]
    return "\n".join([_BEGIN, *lines, _END]) + "\n"


def _unarmor(armored: str) -> bytes:
    text = armored.strip()
    if not (text.startswith(_BEGIN) and text.endswith(_END)):
        raise SignatureError("not an SSH signature (no BEGIN/END SSH SIGNATURE lines)")
    body = "".join(text[len(_BEGIN) : -len(_END)].split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("the SSH signature's base64 text is damaged") from None


def _parse(armored: str) -> _Parts:
    reader = _Reader(_unarmor(armored))
    if reader.take(6) != _MAGIC:
        raise SignatureError("not an SSH signature (no SSHSIG preamble)")
    (version,) = struct.unpack(">I", reader.take(4))
    if version != _VERSION:
        raise SignatureError(f"SSH signature version {version} is not supported")
    public = reader.string()
    namespace = reader.string().decode("utf-8", "replace")
    reader.string()  # reserved
    hash_name = reader.string().decode("ascii", "replace")
    signature = _Reader(reader.string())
    reader.end()
    if _key_type_of(public) != KEY_TYPE:
        raise SignatureError("only ssh-ed25519 signatures are accepted")
    if hash_name not in ("sha512", "sha256"):
        raise SignatureError(f"the signature's hash {hash_name!r} is not supported")
    if signature.string() != KEY_TYPE.encode():
        raise SignatureError("only ssh-ed25519 signatures are accepted")
    raw = signature.string()
    signature.end()
    if len(raw) != 64:
        raise SignatureError("the Ed25519 signature has the wrong length")
    _ed25519_point(public)
    return _Parts(public, namespace, hash_name, raw)


class _Reader:
    """SSH wire-format fields read off a blob; running short is a SignatureError."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise SignatureError("the SSH signature is cut short")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def string(self) -> bytes:
        (size,) = struct.unpack(">I", self.take(4))
        return self.take(size)

    def end(self) -> None:
        if self.at != len(self.data):
            raise SignatureError("the SSH signature has extra bytes")


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _signed_data(namespace: str, message: bytes, hash_name: str = _HASH) -> bytes:
    digest = hashlib.new(hash_name, message).digest()
    return (
        _MAGIC
        + _string(namespace.encode())
        + _string(b"")
        + _string(hash_name.encode())
        + _string(digest)
    )


def _public_blob(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return _string(KEY_TYPE.encode()) + _string(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def _key_type_of(blob: bytes) -> str:
    try:
        return _Reader(blob).string().decode("ascii", "replace")
    except SignatureError:
        return ""


def _ed25519_point(blob: bytes) -> bytes:
    reader = _Reader(blob)
    reader.string()
    point = reader.string()
    reader.end()
    if len(point) != 32:
        raise SignatureError("the ssh-ed25519 key has the wrong length")
    return point


def _fingerprint_of(blob: bytes) -> str:
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def _check_namespace(namespace: str) -> None:
    if not namespace:
        raise InputError("a signature needs a namespace")
