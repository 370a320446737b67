"""SHA-256 and BLAKE2b without loading OpenSSL, for the digests every command computes.

`import hashlib` loads OpenSSL's libcrypto through ``_hashlib`` (about 2 ms here), and every
command names its cache folder by a digest of the home's path. CPython ships its own
SHA-256 and BLAKE2 modules; they give the same digests. Where they are missing, hashlib is used.
"""

import importlib
from collections.abc import Callable
from typing import Any


def _own(module: str, name: str) -> Callable[..., Any] | None:
    try:
        found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return found


def _sha256_maker() -> Callable[..., Any]:
    made = _own("_sha2", "sha256") or _own("_sha256", "sha256")  # Python 3.12+, then 3.11
    if made is None:  # pragma: no cover - another interpreter
        import hashlib

        return hashlib.sha256
    return made


def _blake2b_maker() -> Callable[..., Any]:
    made = _own("_blake2", "blake2b")
    if made is None:  # pragma: no cover - another interpreter
        import hashlib

        return hashlib.blake2b
    return made


_SHA256 = _sha256_maker()
_BLAKE2B = _blake2b_maker()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in hex, as ``hashlib.sha256(data).hexdigest()``."""
    return str(_SHA256(data).hexdigest())


def blake2b_hex(data: bytes, size: int) -> str:
    """The BLAKE2b digest of ``data`` of ``size`` bytes in hex, as hashlib gives it."""
    return str(_BLAKE2B(data, digest_size=size).hexdigest())
