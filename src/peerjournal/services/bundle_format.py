"""The bundle format, in one place: what ``share``, ``verify`` and ``receive`` build on.

A bundle is a zip (``bundle_zip``) holding ``manifest.json`` (canonical JSON listing every
file's path, size and SHA-256), ``manifest.json.sig`` (the sender's signature over exactly those
bytes) and every shared file under ``files/``; the zip is sealed to the recipient's SSH key with
age (``bundle_seal``), so the stock ``age`` tool opens it too. Writing is deterministic; reading
trusts nothing and refuses a bundle whole, in one ``BundleError`` line, at the first check that
fails. Importing this module loads neither ``pyrage`` nor ``cryptography``.
"""

from peerjournal.services.bundle_manifest import (
    FILES_PREFIX,
    FORMAT,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    VERSION,
    BundleError,
    Limits,
    OpenedBundle,
    build_manifest,
    check_signature,
    manifest_bytes,
    parse_manifest,
)
from peerjournal.services.bundle_seal import NotForYouError, seal, unseal
from peerjournal.services.bundle_zip import read_zip, write_zip

__all__ = [
    "FILES_PREFIX",
    "FORMAT",
    "MANIFEST_NAME",
    "SIGNATURE_NAME",
    "VERSION",
    "BundleError",
    "Limits",
    "NotForYouError",
    "OpenedBundle",
    "build_manifest",
    "check_signature",
    "manifest_bytes",
    "parse_manifest",
    "read_zip",
    "seal",
    "unseal",
    "write_zip",
]
