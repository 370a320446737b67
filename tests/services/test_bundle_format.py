"""The bundle container: deterministic zips, sealing with age, and every refusal of read_zip."""

import hashlib
import io
import shutil
import stat
import struct
import subprocess
import sys
import time
import unicodedata
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peerjournal.errors import InputError
from peerjournal.services import bundle_zip
from peerjournal.services.bundle_format import (
    FORMAT,
    VERSION,
    BundleError,
    Limits,
    NotForYouError,
    OpenedBundle,
    build_manifest,
    check_signature,
    manifest_bytes,
    read_zip,
    seal,
    unseal,
    write_zip,
)

GiB = 1024 * 1024 * 1024
FILES = {
    "entries/2026-11-20-a1b2.md": b"---\nid: a1b2\n---\nMet with Rowan Ashby about the group.\n",
    "assessments/core.json": b'{"framework": "core", "ratings": {"1.1": 3}}\n',
    "people/\u00e9lodie-marsh.json": '{"name": "\u00c9lodie Marsh"}\n'.encode(),
}
SENDER = {"name": "Tamsin Vale", "fingerprint": "SHA256:senderfingerprintAAAA"}
RECIPIENT = {"name": "Corin Hale", "fingerprint": "SHA256:recipientfingerprintBBBB"}


def manifest_for(files: dict[str, bytes], **changes) -> dict:
    manifest = build_manifest(
        bundle_id="b-0002",
        previous="b-0001",
        sender=SENDER,
        recipient=RECIPIENT,
        created="2026-11-24T14:30:00+13:00",
        period={"since": "2026-11-01", "until": "2026-11-24"},
        summary={"entries": 1, "assessments": 1},
        files=files,
    )
    manifest.update(changes)
    return manifest


def fake_sign(data: bytes) -> str:
    """Stands in for SSHSIG: armoured text that depends on every byte signed."""
    digest = hashlib.sha256(data).hexdigest()
    return f"-----BEGIN SSH SIGNATURE-----\n{digest}\n-----END SSH SIGNATURE-----\n"


class SignatureMismatchError(InputError):
    pass


def fake_verify(data: bytes, signature: str) -> None:
    if fake_sign(data) != signature:
        raise SignatureMismatchError("the signature does not match the manifest")


def good_zip(files: dict[str, bytes] = FILES) -> bytes:
    manifest = manifest_for(files)
    return write_zip(files, manifest, fake_sign(manifest_bytes(manifest)))


def member(name: str, mode: int = stat.S_IFREG | 0o600) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.create_system = 3
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def craft(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    """A zip with exactly these members, in this order, as an attacker would write it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(member(name) if isinstance(name, str) else name, data)
    return buffer.getvalue()


def bundle_members(files: dict[str, bytes], manifest: dict | None = None) -> list:
    manifest = manifest_for(files) if manifest is None else manifest
    raw = manifest_bytes(manifest)
    return [
        ("manifest.json", raw),
        ("manifest.json.sig", fake_sign(raw).encode()),
        *((f"files/{path}", data) for path, data in sorted(files.items())),
    ]


def refused(zip_bytes: bytes, match: str, limits: Limits | None = None) -> BundleError:
    with pytest.raises(BundleError, match=match) as caught:
        read_zip(zip_bytes, limits or Limits())
    message = str(caught.value)
    assert "\n" not in message
    assert "Rowan" not in message
    assert "\u00c9lodie" not in message
    return caught.value


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[bytes, str]]:
    """Two people's Ed25519 keys in OpenSSH formats: (private PEM, public line)."""
    pairs = {}
    for person in ("corin", "wren"):
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        pairs[person] = (private, f"{public.decode()} {person}@example.invalid")
    return pairs


# -- the happy path -----------------------------------------------------------------------------


def test_round_trip_build_write_seal_unseal_read(keys):
    manifest = manifest_for(FILES)
    signature = fake_sign(manifest_bytes(manifest))
    sealed = seal(write_zip(FILES, manifest, signature), keys["corin"][1])
    assert sealed.startswith(b"age-encryption.org/v1\n-> ssh-ed25519 ")
    assert b"Rowan" not in sealed

    opened = read_zip(unseal(sealed, keys["corin"][0]))

    assert isinstance(opened, OpenedBundle)
    assert opened.files == FILES
    assert opened.manifest == manifest
    assert opened.manifest_bytes == manifest_bytes(manifest)
    assert opened.signature == signature
    check_signature(opened, fake_verify)


def test_the_manifest_lists_every_file_sorted_with_size_and_digest():
    manifest = manifest_for(FILES)
    assert manifest["format"] == FORMAT == "peerjournal-bundle"
    assert manifest["version"] == VERSION == 1
    assert [entry["path"] for entry in manifest["files"]] == sorted(FILES)
    for entry in manifest["files"]:
        data = FILES[entry["path"]]
        assert entry == {
            "path": entry["path"],
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }


def test_manifest_bytes_are_canonical_json():
    raw = manifest_bytes({"b": 1, "a": "\u00e9"})
    assert raw == '{\n  "a": "\u00e9",\n  "b": 1\n}\n'.encode()
    assert manifest_bytes({"a": "\u00e9", "b": 1}) == raw


def test_the_same_input_gives_the_same_bytes():
    again = dict(reversed(list(FILES.items())))
    assert good_zip(FILES) == good_zip(FILES) == good_zip(again)


def test_members_are_sorted_with_fixed_times_and_modes_and_no_extra_fields():
    with zipfile.ZipFile(io.BytesIO(good_zip())) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == [
        "manifest.json",
        "manifest.json.sig",
        *(f"files/{path}" for path in sorted(FILES)),
    ]
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr == (stat.S_IFREG | 0o600) << 16
        assert info.create_system == 3
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.extra == b""
        assert info.comment == b""


def test_write_zip_refuses_a_bad_path_or_a_manifest_that_does_not_match():
    with pytest.raises(BundleError, match=r"'\.\.'"):
        build_manifest(
            bundle_id="b",
            previous=None,
            sender=SENDER,
            recipient=RECIPIENT,
            created="2026-11-24T14:30:00+13:00",
            period={"since": None, "until": None},
            summary={},
            files={"../x": b""},
        )
    manifest = manifest_for(FILES)
    with pytest.raises(BundleError, match="does not list exactly"):
        write_zip({**FILES, "extra.md": b"x"}, manifest, "sig")


@pytest.mark.skipif(shutil.which("age") is None, reason="the stock age tool is not installed")
def test_the_stock_age_tool_opens_a_sealed_bundle(keys, tmp_path):
    identity = tmp_path / "id_ed25519"
    identity.write_bytes(keys["corin"][0])
    identity.chmod(0o600)
    sealed = tmp_path / "bundle.age"
    zip_bytes = good_zip()
    sealed.write_bytes(seal(zip_bytes, keys["corin"][1]))
    done = subprocess.run(
        ["age", "-d", "-i", str(identity), str(sealed)], capture_output=True, check=True
    )
    assert done.stdout == zip_bytes


@pytest.mark.skipif(shutil.which("age") is None, reason="the stock age tool is not installed")
def test_a_bundle_sealed_by_the_stock_age_tool_opens(keys, tmp_path):
    recipients = tmp_path / "corin.pub"
    recipients.write_text(keys["corin"][1] + "\n", encoding="utf-8")
    zip_bytes = good_zip()
    done = subprocess.run(
        ["age", "-e", "-R", str(recipients)], input=zip_bytes, capture_output=True, check=True
    )
    assert read_zip(unseal(done.stdout, keys["corin"][0])).files == FILES


# -- sealing refusals ---------------------------------------------------------------------------


def test_a_bundle_sealed_for_someone_else_is_not_for_you(keys):
    sealed = seal(good_zip(), keys["wren"][1])
    with pytest.raises(NotForYouError, match=r"^this bundle is not for you"):
        unseal(sealed, keys["corin"][0])


@pytest.mark.parametrize("cut", [lambda s: s[:-7], lambda s: s[:40], lambda s: s[: len(s) // 2]])
def test_a_truncated_sealed_bundle_is_one_line(keys, cut):
    sealed = seal(good_zip(), keys["corin"][1])
    with pytest.raises(BundleError) as caught:
        unseal(cut(sealed), keys["corin"][0])
    assert "\n" not in str(caught.value)
    assert not isinstance(caught.value, NotForYouError)


def test_a_changed_byte_in_a_sealed_bundle_is_damage(keys):
    sealed = bytearray(seal(good_zip(), keys["corin"][1]))
    sealed[-20] ^= 0x01
    with pytest.raises(BundleError, match="damaged"):
        unseal(bytes(sealed), keys["corin"][0])


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"PK\x03\x04rest", "unsealed zip"),
        (b"-----BEGIN AGE ENCRYPTED FILE-----\n", "armoured"),
        (b"hello", "age header"),
    ],
)
def test_what_is_not_a_sealed_bundle_says_so(keys, data, match):
    with pytest.raises(BundleError, match=match):
        unseal(data, keys["corin"][0])


def test_an_oversized_sealed_file_is_refused_before_decrypting(keys, monkeypatch):
    def no_decrypting(*_args):
        raise AssertionError("decrypted")

    monkeypatch.setattr("pyrage.decrypt", no_decrypting)
    with pytest.raises(BundleError, match="larger than"):
        unseal(
            b"age-encryption.org/v1\n" + bytes(2000),
            keys["corin"][0],
            Limits(max_sealed_bytes=1000),
        )


def test_a_bad_identity_or_recipient_is_one_line(keys):
    with pytest.raises(BundleError, match="could not be read"):
        unseal(seal(good_zip(), keys["corin"][1]), b"not a key")
    with pytest.raises(BundleError, match="not an SSH public key"):
        seal(good_zip(), "ssh-ed25519 nonsense")


# -- the signature ------------------------------------------------------------------------------


def test_a_changed_manifest_fails_the_signature():
    members = bundle_members(FILES)
    changed = manifest_for(FILES, summary={"entries": 99, "assessments": 1})
    members[0] = ("manifest.json", manifest_bytes(changed))
    opened = read_zip(craft(members))
    with pytest.raises(SignatureMismatchError):
        check_signature(opened, fake_verify)


def test_check_signature_hands_over_the_exact_manifest_bytes():
    seen = []
    opened = read_zip(good_zip())
    check_signature(opened, lambda data, signature: seen.append((data, signature)))
    assert seen == [(manifest_bytes(manifest_for(FILES)), opened.signature)]


# -- container refusals -------------------------------------------------------------------------


def test_a_changed_byte_in_a_file_fails_its_hash():
    members = bundle_members(FILES)
    name, data = members[2]
    members[2] = (name, data[:-2] + b"X\n")
    refused(craft(members), r"files/assessments/core.json.*SHA-256")


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("../x", "'..'"),
        ("files/../../x", "'..'"),
        ("/abs", "absolute"),
        ("/files/abs", "absolute"),
        ("C:/files/x", "drive letter"),
        ("files\\x", "backslash"),
        ("files//x", "empty segment"),
        ("files/./x", "empty segment"),
        ("files/dir/", "empty segment"),
        ("elsewhere.txt", "not under files/"),
        ("files/bell\x07.txt", "control character"),
    ],
)
def test_an_unsafe_member_name_is_refused(name, match):
    error = refused(craft([*bundle_members(FILES), (name, b"x")]), match)
    assert "\x07" not in str(error)


def test_a_symlink_member_is_refused():
    link = member("files/link", mode=stat.S_IFLNK | 0o777)
    refused(craft([*bundle_members(FILES), (link, b"/etc/passwd")]), "symbolic link")


@pytest.mark.parametrize("kind", [stat.S_IFDIR, stat.S_IFCHR, stat.S_IFIFO, stat.S_IFBLK])
def test_a_member_that_is_not_a_regular_file_is_refused(kind):
    odd = member("files/odd", mode=kind | 0o600)
    refused(craft([*bundle_members(FILES), (odd, b"")]), "not a regular file")


def test_a_repeated_name_is_refused():
    members = bundle_members(FILES)
    with pytest.warns(UserWarning, match="Duplicate name"):
        zip_bytes = craft([*members, members[2]])
    refused(zip_bytes, "repeats")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("files/Notes.md", "files/notes.md"),
        ("files/" + unicodedata.normalize("NFC", "caf\u00e9.md"), "files/cafe\u0301.md"),
    ],
)
def test_a_name_repeating_after_case_or_unicode_folding_is_refused(first, second):
    refused(craft([*bundle_members(FILES), (first, b"a"), (second, b"b")]), "repeats")


def test_a_member_not_in_the_manifest_is_refused():
    extra = ("files/entries/extra.md", b"not listed")
    refused(craft([*bundle_members(FILES), extra]), r"files/entries/extra.md.*not listed")


def test_a_member_missing_from_the_zip_is_refused():
    members = [m for m in bundle_members(FILES) if m[0] != "files/assessments/core.json"]
    refused(craft(members), r"files/assessments/core.json.*missing")


def test_a_size_that_does_not_match_the_manifest_is_refused():
    manifest = manifest_for(FILES)
    manifest["files"][0]["size"] += 1
    refused(craft(bundle_members(FILES, manifest)), "listed size")


def test_a_member_over_the_size_limit_is_refused():
    files = {"entries/long.md": b"word " * 400}
    refused(craft(bundle_members(files)), "larger than", Limits(max_member_bytes=1000))


def test_a_bundle_over_the_total_limit_is_refused():
    files = {f"entries/{n}.md": bytes([65 + n]) * 600 for n in range(3)}
    refused(craft(bundle_members(files)), "unpacks to more than", Limits(max_total_bytes=1500))


def test_too_many_members_are_refused():
    refused(good_zip(), "more than 3 members", Limits(max_members=3))


def test_a_member_that_expands_too_much_is_refused():
    refused(craft(bundle_members({"entries/zeros.md": bytes(1024 * 1024)})), "expands more than")


def test_short_repetitive_text_is_not_a_bomb():
    files = {"entries/quiet.md": b"-" * 20_000}
    assert read_zip(good_zip(files)).files == files


@pytest.mark.parametrize(
    ("zip_bytes", "match"),
    [
        (b"", "not a zip"),
        (b"plain text, not a bundle", "not a zip"),
        (good_zip()[:-5], "not a zip"),
        (good_zip()[:100] + good_zip()[-22:], "damaged|disagree|directory"),
    ],
)
def test_what_is_not_a_zip_is_refused(zip_bytes, match):
    refused(zip_bytes, match)


def test_a_zip_comment_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in bundle_members(FILES):
            archive.writestr(member(name), data)
        archive.comment = b"hello"
    refused(buffer.getvalue(), "comment")


def test_a_zip_without_a_manifest_or_signature_is_refused():
    members = bundle_members(FILES)
    refused(craft(members[1:]), "no manifest.json$")
    refused(craft([members[0], *members[2:]]), "no manifest.json.sig")


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]\n", "another format"),
        (b'{"format": "x", "format": "peerjournal-bundle"}\n', "not valid JSON"),
        (manifest_bytes({**manifest_for(FILES), "version": 2}), "newer peerjournal"),
        (manifest_bytes({**manifest_for(FILES), "version": "1"}), "does not read"),
        (manifest_bytes({**manifest_for(FILES), "format": "zip"}), "another format"),
        (manifest_bytes(manifest_for(FILES)).replace(b"\n  ", b""), "canonical"),
        (manifest_bytes({**manifest_for(FILES), "sender": {"name": 1}}), "sender"),
        (manifest_bytes({**manifest_for(FILES), "bundle_id": None}), "bundle_id"),
    ],
)
def test_a_manifest_that_is_not_ours_is_refused(raw, match):
    members = bundle_members(FILES)
    members[0] = ("manifest.json", raw)
    refused(craft(members), match)


def test_a_manifest_listing_an_unsafe_path_is_refused():
    manifest = manifest_for(FILES)
    manifest["files"][0]["path"] = "../escape.md"
    refused(craft(bundle_members(FILES, manifest)), "lists a file.*'..'")


def test_any_changed_byte_is_refused_in_one_line_or_changes_nothing_that_matters():
    good = good_zip()
    original = read_zip(good)
    accepted, messages = 0, []
    for at in range(len(good)):
        damaged = bytearray(good)
        damaged[at] ^= 0x01
        try:
            opened = read_zip(bytes(damaged))
        except BundleError as error:
            messages.append(str(error))
            continue
        accepted += 1  # a timestamp or a version byte: nothing the manifest or files depend on
        assert opened.files == original.files
        assert opened.manifest_bytes == original.manifest_bytes
        assert opened.signature == original.signature
    assert accepted < len(good) // 3
    assert not [message for message in messages if "\n" in message]


def test_write_zip_refuses_what_the_recipient_would_refuse():
    files = {"entries/zeros.md": bytes(1024 * 1024)}
    with pytest.raises(BundleError, match=r"could not be opened by its recipient.*expands"):
        write_zip(files, manifest_for(files), "sig")
    with pytest.raises(BundleError, match="larger than"):
        write_zip(FILES, manifest_for(FILES), "sig", Limits(max_member_bytes=50))


def test_write_zip_refuses_a_signature_that_is_not_ascii():
    manifest = manifest_for(FILES)
    with pytest.raises(BundleError, match="ASCII"):
        write_zip(FILES, manifest, "signature \u00e9")


# -- zip bombs ----------------------------------------------------------------------------------


def bomb(size: int, *, lie_to: int | None = None) -> bytes:
    """A bundle with one member of ``size`` zeros, streamed so it is never held in memory.

    With ``lie_to``, the directory (and the member's own header) declare that many bytes
    instead, and the manifest agrees: only reading the stream shows what it really holds.
    """
    declared = size if lie_to is None else lie_to
    entry = {
        "path": "bomb.bin",
        "size": declared,
        "sha256": hashlib.sha256(bytes(declared)).hexdigest(),
    }
    manifest = {**manifest_for({}), "files": [entry]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compresslevel=1) as archive:
        raw = manifest_bytes(manifest)
        archive.writestr(member("manifest.json"), raw)
        archive.writestr(member("manifest.json.sig"), fake_sign(raw))
        with archive.open(member("files/bomb.bin"), "w", force_zip64=True) as stream:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    data = bytearray(buffer.getvalue())
    if lie_to is not None:
        name = b"files/bomb.bin"
        central = data.rindex(name) - 46
        assert data[central : central + 4] == b"PK\x01\x02"
        struct.pack_into("<L", data, central + 24, lie_to)
        local = data.index(name) - 30
        assert data[local : local + 4] == b"PK\x03\x04"
        # the local header says 0xFFFFFFFF and carries the sizes in its zip64 field: size first
        struct.pack_into("<Q", data, local + 30 + len(name) + 4, lie_to)
    return bytes(data)


@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    return bomb(GiB)


def test_a_1_gib_zip_bomb_is_refused_from_its_headers(gigabyte_bomb):
    assert len(gigabyte_bomb) < 8 * 1024 * 1024
    started = time.perf_counter()
    refused(gigabyte_bomb, "files/bomb.bin.*larger than the 16 MiB limit")
    assert time.perf_counter() - started < 0.5


def test_a_bomb_whose_headers_lie_about_its_size_is_refused_while_reading():
    lying = bomb(64 * 1024 * 1024, lie_to=1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("files/bomb.bin").file_size == 1000
    started = time.perf_counter()
    refused(lying, "files/bomb.bin.*damaged")
    assert time.perf_counter() - started < 0.5


def test_headers_that_disagree_are_refused_before_reading():
    data = bytearray(good_zip())
    name = b"files/assessments/core.json"
    central = data.rindex(name) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<L", data, central + 24, 10)
    refused(bytes(data), "disagree about its size")


def test_reading_a_member_stops_at_its_cap():
    with zipfile.ZipFile(io.BytesIO(good_zip())) as archive:
        info = archive.getinfo("files/assessments/core.json")
        assert (
            bundle_zip._read_capped(archive, info, info.file_size) == FILES["assessments/core.json"]
        )
        with pytest.raises(BundleError, match="more than it declares"):
            bundle_zip._read_capped(archive, info, 10)


def test_importing_the_bundle_modules_loads_no_crypto_library():
    code = (
        "import sys; import peerjournal.services.bundle_format;"
        " print(sorted(m for m in ('pyrage', 'cryptography') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
