"""Sealing a bundle to its recipient's SSH key with age, so only they can open it.

The sealed file is plain age (https://age-encryption.org/v1) with an ``ssh-ed25519`` recipient:
the recipient can also open it with the stock tool and their SSH key,
``age -d -i ~/.ssh/id_ed25519 FILE > bundle.zip``. ``pyrage`` is imported only when a bundle is
sealed or opened, so starting the command line never pays for it.
"""

import importlib
from types import ModuleType
from typing import cast

from peerjournal.services.bundle_manifest import BundleError, Limits, MiB

__all__ = ["AGE_HEADER", "NotForYouError", "seal", "unseal"]

AGE_HEADER = b"age-encryption.org/v1\n"
_ARMOR_HEADER = b"-----BEGIN AGE ENCRYPTED FILE-----"


class NotForYouError(BundleError):
    """The bundle was sealed to someone else's key."""


def _pyrage() -> ModuleType:
    """The age binding, loaded on first use (a native module only sealing needs)."""
    return importlib.import_module("pyrage")


def seal(zip_bytes: bytes, recipient_ssh_public_key: str) -> bytes:
    """``zip_bytes`` encrypted to one OpenSSH public key line (``ssh-ed25519 AAAA... name``)."""
    pyrage = _pyrage()
    try:
        recipient = pyrage.ssh.Recipient.from_str(recipient_ssh_public_key.strip())
    except pyrage.RecipientError as error:
        raise BundleError(
            "the recipient's key is not an SSH public key a bundle can be sealed to"
        ) from error
    try:
        return cast("bytes", pyrage.encrypt(zip_bytes, [recipient]))
    except pyrage.EncryptError as error:
        raise BundleError("the bundle could not be sealed") from error


def unseal(sealed: bytes, identity_pem: bytes, limits: Limits = Limits()) -> bytes:  # noqa: B008
    """The zip inside a sealed bundle, opened with the recipient's OpenSSH private key."""
    if len(sealed) > limits.max_sealed_bytes:
        raise BundleError(
            f"the sealed bundle is larger than the {limits.max_sealed_bytes // MiB} MiB limit"
        )
    if not sealed.startswith(AGE_HEADER):
        if sealed.startswith(_ARMOR_HEADER):
            raise BundleError("the bundle is ASCII-armoured; save it with `age -d` first")
        if sealed.startswith(b"PK\x03\x04"):
            raise BundleError("this is an unsealed zip, not a sealed bundle")
        raise BundleError("not a sealed bundle: the file does not start with an age header")
    pyrage = _pyrage()
    try:
        identity = pyrage.ssh.Identity.from_buffer(identity_pem)
    except pyrage.IdentityError as error:
        raise BundleError(
            "your key could not be read as an unprotected OpenSSH private key"
        ) from error
    try:
        return cast("bytes", pyrage.decrypt(sealed, [identity]))
    except pyrage.DecryptError as error:
        if "no matching keys" in str(error).lower():
            raise NotForYouError(
                "this bundle is not for you: it was sealed to another key"
            ) from error
        raise BundleError("the sealed bundle is damaged or cut short") from error
