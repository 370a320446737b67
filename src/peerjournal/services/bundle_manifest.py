"""The bundle's names, limits and errors, its signed manifest, and the rules for file names.

The manifest is canonical JSON: the sender signs exactly ``manifest_bytes(manifest)``, and it
lists every file's path, size and SHA-256, so the one signature covers the whole bundle. Signing
and checking are callables handed in by the caller, who binds the key and the namespace.
Everything here is re-exported by ``bundle_format``, the module callers import.
"""

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from peerjournal.errors import InputError

__all__ = [
    "FILES_PREFIX",
    "FORMAT",
    "MANIFEST_NAME",
    "SIGNATURE_NAME",
    "VERSION",
    "BundleError",
    "Limits",
    "OpenedBundle",
    "build_manifest",
    "check_signature",
    "manifest_bytes",
    "parse_manifest",
]

FORMAT = "peerjournal-bundle"
VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.sig"
FILES_PREFIX = "files/"

MiB = 1024 * 1024
MAX_PATH_BYTES = 1024
_HEX = frozenset("0123456789abcdef")


class BundleError(InputError):
    """A bundle that cannot be written, opened or trusted; nothing from it is used."""


class Limits(NamedTuple):
    """What a received bundle may hold; anything beyond is refused before it is unpacked."""

    max_members: int = 10_000
    max_member_bytes: int = 16 * MiB
    max_total_bytes: int = 256 * MiB
    max_ratio: int = 200  # uncompressed / compressed, per member
    max_sealed_bytes: int = 512 * MiB
    # members smaller than this are not held to max_ratio: they cannot be bombs, and short
    # repetitive text compresses well past 200:1
    ratio_floor_bytes: int = 64 * 1024


@dataclass(frozen=True, slots=True)
class OpenedBundle:
    """A bundle whose container checks all held; the signature is checked separately."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: str
    files: dict[str, bytes]


def show_name(name: str) -> str:
    """A member name fit for a one-line message: quoted, escaped, never terminal codes."""
    shown = json.dumps(name[:120], ensure_ascii=True)
    return shown if len(name) <= 120 else shown[:-1] + '..."'


def path_problem(path: str) -> str | None:
    """Why a relative file path may not be used in a bundle, or None when it may."""
    if not path:
        return "is empty"
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return "is too long"
    if path.startswith("/"):
        return "is absolute"
    if "\\" in path:
        return "has a backslash"
    if ":" in path:
        return "has a colon (a drive letter or stream name)"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return "has a control character"
    segments = path.split("/")
    if ".." in segments:
        return "has '..'"
    if any(segment in ("", ".") for segment in segments):
        return "has an empty segment"
    return None


def same_name_key(name: str) -> str:
    """Names that one file system or another would take for the same file share this key."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def check_paths(paths: Iterable[str], *, what: str) -> None:
    """Refuse the first unsafe or repeated path; ``what`` starts the message ("file", ...)."""
    seen: dict[str, str] = {}
    for path in paths:
        problem = path_problem(path)
        if problem:
            raise BundleError(f"{what} {show_name(path)} {problem}")
        key = same_name_key(path)
        if key in seen:
            raise BundleError(f"{what} {show_name(path)} repeats {show_name(seen[key])}")
        seen[key] = path


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The canonical form of a manifest: what is signed, stored and compared."""
    try:
        text = json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False)
        return (text + "\n").encode("utf-8")
    except (TypeError, ValueError) as error:
        raise BundleError("the manifest holds a value JSON cannot carry") from error


def build_manifest(
    *,
    bundle_id: str,
    previous: str | None,
    sender: Mapping[str, str],
    recipient: Mapping[str, str],
    created: str,
    period: Mapping[str, str | None],
    summary: Mapping[str, Any],
    files: Mapping[str, bytes],
) -> dict[str, Any]:
    """The manifest of a bundle of ``files`` (relative paths, without the ``files/`` prefix)."""
    check_paths(files, what="file")
    return {
        "format": FORMAT,
        "version": VERSION,
        "bundle_id": bundle_id,
        "previous": previous,
        "sender": {"name": sender["name"], "fingerprint": sender["fingerprint"]},
        "recipient": {"name": recipient["name"], "fingerprint": recipient["fingerprint"]},
        "created": created,
        "period": {"since": period.get("since"), "until": period.get("until")},
        "summary": dict(summary),
        "files": [
            {
                "path": path,
                "size": len(files[path]),
                "sha256": hashlib.sha256(files[path]).hexdigest(),
            }
            for path in sorted(files)
        ],
    }


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key repeats")
    return dict(pairs)


def parse_manifest(raw: bytes) -> dict[str, Any]:
    """A manifest read from a bundle: ours, this version, canonical, every field well formed."""
    try:
        manifest = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_repeated_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BundleError(f"{MANIFEST_NAME} is not valid JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"not a peerjournal bundle: {MANIFEST_NAME} has another format")
    version = manifest.get("version")
    if type(version) is not int or version != VERSION:
        newer = type(version) is int and VERSION < version < 1000
        raise BundleError(
            f"bundle version {version} was written by a newer peerjournal; update to open it"
            if newer
            else f"{MANIFEST_NAME} has a bundle version this peerjournal does not read"
        )
    try:
        canonical = manifest_bytes(manifest) == raw
    except BundleError:
        canonical = False
    if not canonical:
        raise BundleError(f"{MANIFEST_NAME} is not in canonical form")
    _check_manifest_fields(manifest)
    return manifest


def _check_manifest_fields(manifest: dict[str, Any]) -> None:
    def field(ok: bool, name: str) -> None:
        if not ok:
            raise BundleError(f"{MANIFEST_NAME}: {name} is missing or malformed")

    field(isinstance(manifest.get("bundle_id"), str), "bundle_id")
    field(manifest.get("previous") is None or isinstance(manifest["previous"], str), "previous")
    field(isinstance(manifest.get("created"), str), "created")
    for party in ("sender", "recipient"):
        value = manifest.get(party)
        field(
            isinstance(value, dict)
            and all(isinstance(value.get(key), str) for key in ("name", "fingerprint")),
            party,
        )
    field(isinstance(manifest.get("period"), dict), "period")
    field(isinstance(manifest.get("summary"), dict), "summary")
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BundleError(f"{MANIFEST_NAME}: files is missing or malformed")
    for entry in files:
        field(
            isinstance(entry, dict)
            and set(entry) == {"path", "size", "sha256"}
            and isinstance(entry["path"], str)
            and type(entry["size"]) is int
            and entry["size"] >= 0
            and isinstance(entry["sha256"], str)
            and len(entry["sha256"]) == 64
            and set(entry["sha256"]) <= _HEX,
            "files",
        )
    paths = [entry["path"] for entry in files]
    check_paths(paths, what=f"{MANIFEST_NAME} lists a file")
    field(paths == sorted(paths), "files (not sorted by path)")


def check_signature(opened: OpenedBundle, verify: Callable[[bytes, str], None]) -> None:
    """Hand the manifest's exact bytes and the signature to ``verify``, which raises if they differ.

    The caller binds the sender's pinned key and the namespace into ``verify``; the files are
    covered through the manifest's SHA-256 digests, which ``read_zip`` has already compared.
    """
    verify(opened.manifest_bytes, opened.signature)
