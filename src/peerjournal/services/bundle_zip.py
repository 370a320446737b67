"""Writing a bundle zip deterministically, and reading one back without trusting it.

Writing: sorted names, fixed times and modes, one compression level, no extra fields or
comments, so the same files, manifest and signature always give the same bytes. Reading: the
end records, the directory and every member's own header are checked (names, types, repeats,
counts, sizes, compression ratios) before a byte is decompressed; each member is then read in
chunks that stop at its declared size, and the files must match the manifest exactly.
"""

import hashlib
import io
import stat
import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

from peerjournal.services.bundle_manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    MAX_PATH_BYTES,
    SIGNATURE_NAME,
    BundleError,
    Limits,
    MiB,
    OpenedBundle,
    check_paths,
    manifest_bytes,
    parse_manifest,
    path_problem,
    same_name_key,
    show_name,
)

__all__ = ["read_zip", "write_zip"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = stat.S_IFREG | 0o600
COMPRESS_LEVEL = 9
MAX_SIGNATURE_BYTES = 64 * 1024
CHUNK = 64 * 1024
# A directory entry is 46 bytes, its name and (for zip64) an extra field; bundles carry no comments.
MAX_DIRECTORY_ENTRY = 46 + MAX_PATH_BYTES + 128

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.create_system = 3  # Unix, whatever this machine is: the mode bits below mean that
    info.external_attr = FILE_MODE << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_zip(
    files: Mapping[str, bytes],
    manifest: Mapping[str, Any],
    signature: str,
    limits: Limits = Limits(),  # noqa: B008
) -> bytes:
    """The bundle zip: the same files, manifest and signature always give the same bytes.

    The zip is read back under ``limits`` before it is returned, so a bundle the recipient's
    checks would refuse (too large, a file that compresses like a bomb) is never handed out.
    """
    check_paths(files, what="file")
    listed = [entry["path"] for entry in manifest.get("files", [])]
    if listed != sorted(files):
        raise BundleError("the manifest does not list exactly the files given")
    if not signature.isascii():
        raise BundleError("the signature is not armoured ASCII text")
    buffer = io.BytesIO()
    members = [
        (MANIFEST_NAME, manifest_bytes(manifest)),
        (SIGNATURE_NAME, signature.encode("ascii")),
        *((FILES_PREFIX + path, files[path]) for path in sorted(files)),
    ]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(_member(name), data, compresslevel=COMPRESS_LEVEL)
    written = buffer.getvalue()
    try:
        read_zip(written, limits)
    except BundleError as error:
        raise BundleError(f"this bundle could not be opened by its recipient: {error}") from error
    return written


def _directory_extent(data: bytes) -> tuple[int, int]:
    """The member count and directory size the end records declare, read before zipfile runs."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if end < 0 or len(data) - end < _EOCD.size:
        raise BundleError("not a bundle: the file is not a zip, or it is cut short")
    if end != len(data) - _EOCD.size:
        raise BundleError("not a bundle: the zip carries a comment or data after its end")
    _sig, _disk, _cd_disk, _here, entries, size, offset, comment = _EOCD.unpack(data[end:])
    if comment:
        raise BundleError("not a bundle: the zip carries a comment")
    if entries == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        end = len(data) - _EOCD.size
        locator = data[end - _ZIP64_LOCATOR.size : end]
        if len(locator) != _ZIP64_LOCATOR.size or locator[:4] != b"PK\x06\x07":
            raise BundleError("not a bundle: the zip's end records are damaged")
        record_at = _ZIP64_LOCATOR.unpack(locator)[2]
        record = data[record_at : record_at + _ZIP64_EOCD.size]
        if len(record) != _ZIP64_EOCD.size or record[:4] != b"PK\x06\x06":
            raise BundleError("not a bundle: the zip's end records are damaged")
        entries, size = _ZIP64_EOCD.unpack(record)[7:9]
    return entries, size


def _check_directory(
    data: bytes, infos: list[zipfile.ZipInfo], limits: Limits
) -> dict[str, zipfile.ZipInfo]:
    """Every check the zip's directory allows, before a byte is decompressed."""
    if len(infos) > limits.max_members:
        raise BundleError(f"the bundle has more than {limits.max_members} members")
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.orig_filename
        problem = "has a NUL character" if "\x00" in name else path_problem(name)
        outside = name not in (MANIFEST_NAME, SIGNATURE_NAME) and not name.startswith(FILES_PREFIX)
        if problem is None and outside:
            problem = "is not under files/"
        kind = stat.S_IFMT(info.external_attr >> 16)
        if problem is None and kind == stat.S_IFLNK:
            problem = "is a symbolic link"
        elif problem is None and (kind not in (0, stat.S_IFREG) or info.external_attr & 0x10):
            problem = "is not a regular file"
        if problem is None:
            problem = _size_problem(info, limits) or _local_header_problem(data, info)
        if problem:
            raise BundleError(f"member {show_name(name)} {problem}")
        key = same_name_key(name)
        if key in seen:
            raise BundleError(f"member {show_name(name)} repeats {show_name(seen[key])}")
        seen[key] = name
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BundleError(
                f"the bundle unpacks to more than {limits.max_total_bytes // MiB} MiB"
            )
    return {info.orig_filename: info for info in infos}


def _local_header_problem(data: bytes, info: zipfile.ZipInfo) -> str | None:
    """Whether the member's own header tells the same story as the directory (they can lie)."""
    header = data[info.header_offset : info.header_offset + _LOCAL.size]
    if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
        return "has no local header where the directory says"
    flags, method, _time, _date, crc, compressed, size, name_length, extra_length = _LOCAL.unpack(
        header
    )[3:]
    if flags & 0x8:
        return "has sizes only after its data (bundles never do)"
    if method != info.compress_type or crc != info.CRC:
        return "has headers that disagree"
    if 0xFFFFFFFF in (compressed, size):
        start = info.header_offset + _LOCAL.size + name_length
        zip64 = _zip64_sizes(data[start : start + extra_length])
        if zip64 is None:
            return "has headers that disagree about its size"
        size, compressed = zip64
    if (compressed, size) != (info.compress_size, info.file_size):
        return "has headers that disagree about its size"
    return None


def _zip64_sizes(extra: bytes) -> tuple[int, int] | None:
    """The (uncompressed, compressed) sizes of a local header's zip64 field, if it has one."""
    while len(extra) >= 4:
        kind, length = struct.unpack("<2H", extra[:4])
        if kind == 0x0001 and length >= 16 and len(extra) >= 20:
            sizes: tuple[int, int] = struct.unpack("<2Q", extra[4:20])
            return sizes
        extra = extra[4 + length :]
    return None


def _size_problem(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return "uses a compression bundles do not use"
    if info.file_size > limits.max_member_bytes:
        return f"is larger than the {limits.max_member_bytes // MiB} MiB limit"
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        return "has sizes that disagree"
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        return f"expands more than {limits.max_ratio} times (a zip bomb?)"
    return None


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """A member's bytes, read in chunks and refused as soon as more than ``cap`` come out."""
    out = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                if len(out) + len(chunk) > cap:
                    raise BundleError(
                        f"member {show_name(info.orig_filename)} unpacks to more than it declares"
                        " (a zip bomb?)"
                    )
                out += chunk
    except _DAMAGED as error:
        raise BundleError(f"member {show_name(info.orig_filename)} is damaged") from error
    return bytes(out)


def read_zip(zip_bytes: bytes, limits: Limits = Limits()) -> OpenedBundle:  # noqa: B008
    """Open a bundle zip, refusing it whole at the first check that fails."""
    entries, directory_size = _directory_extent(zip_bytes)
    if entries > limits.max_members:
        raise BundleError(f"the bundle has more than {limits.max_members} members")
    if directory_size > max(entries, 1) * MAX_DIRECTORY_ENTRY:
        raise BundleError("not a bundle: the zip's directory is larger than its members need")
    try:
        archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except _DAMAGED as error:
        raise BundleError("not a bundle: the zip is damaged") from error
    with archive:
        infos = archive.infolist()
        if len(infos) != entries:
            raise BundleError("not a bundle: the zip's directory disagrees with its end record")
        members = _check_directory(zip_bytes, infos, limits)
        for required in (MANIFEST_NAME, SIGNATURE_NAME):
            if required not in members:
                raise BundleError(f"the bundle has no {required}")
        raw = _read_capped(archive, members[MANIFEST_NAME], limits.max_member_bytes)
        manifest = parse_manifest(raw)
        signature_raw = _read_capped(archive, members[SIGNATURE_NAME], MAX_SIGNATURE_BYTES)
        try:
            signature = signature_raw.decode("ascii")
        except UnicodeDecodeError as error:
            raise BundleError(f"{SIGNATURE_NAME} is not an armoured signature") from error
        listed = {entry["path"]: entry for entry in manifest["files"]}
        present = {
            name.removeprefix(FILES_PREFIX): info
            for name, info in members.items()
            if name.startswith(FILES_PREFIX)
        }
        missing = sorted(listed.keys() - present.keys())
        if missing:
            shown = show_name(FILES_PREFIX + missing[0])
            raise BundleError(f"{shown} is listed in the manifest but missing from the bundle")
        extra = sorted(present.keys() - listed.keys())
        if extra:
            raise BundleError(
                f"member {show_name(FILES_PREFIX + extra[0])} is not listed in the manifest"
            )
        files: dict[str, bytes] = {}
        for path, entry in listed.items():
            if present[path].file_size != entry["size"]:
                raise BundleError(f"{show_name(FILES_PREFIX + path)} does not have the listed size")
            data = _read_capped(archive, present[path], entry["size"])
            if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise BundleError(
                    f"{show_name(FILES_PREFIX + path)} does not match its SHA-256 in the manifest"
                    " (changed or damaged)"
                )
            files[path] = data
    return OpenedBundle(manifest=manifest, manifest_bytes=raw, signature=signature, files=files)
