"""tools/decrypt_home.py reads a home sealed by the store, with nothing of peerjournal.

The home is built with the store's own key file and sealing API (cheap Argon2id), so the script
and the store must agree on every byte; the script runs as a separate, isolated process.
"""

import ast
import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

import pytest

from helpers import NOW, entry_path
from peerjournal.store.keyfile import KdfParams, new_key_file
from peerjournal.store.sealed import binding, seal_bytes

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "decrypt_home.py"
PASSPHRASE = "correct horse ünïcode staple"  # noqa: S105 (a fictional one)
CHEAP = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def filed(entry_id: str, when: datetime = NOW) -> str:
    """Where the store files an entry of that id and date, relative to the home."""
    return entry_path(Path("home"), entry_id, when).relative_to("home").as_posix()


ENTRY = filed(f"{NOW:%Y%m%d-%H%M}-x")
SESSION = f"supervision/sessions/{NOW:%Y}/z.md"
# relative path -> plaintext; every one is sealed except frameworks/ and keys/*.pub
SEALED = {
    ENTRY: b"---\nid: x\n---\nA fictional shift. Caf\xc3\xa9.\n",
    ".trash/" + filed(f"{NOW - timedelta(days=23):%Y%m%d-%H%M}-y", NOW - timedelta(days=23)): (
        b"---\nid: y\n---\nTrashed, still mine.\n"
    ),
    "settings.yaml": b"name: Fictional Person\n",
    SESSION: b"not UTF-8: \xff\xfe\x00\xc3(\x80 end\n",
    f"assessments/{NOW:%Y}/empty.md": b"",
}
PLAIN = {
    "frameworks/org.yaml": "name: Example Org Framework\nlevel: näive\n".encode(),
    "keys/fictional.pub": b"ssh-ed25519 AAAAexample fictional@example.org\n",
}
OLD_KEY_RECORD = filed(  # sealed with the first data key
    f"{NOW - timedelta(days=53):%Y%m%d-%H%M}-old", NOW - timedelta(days=53)
)


def seal_at(home: Path, relative: str, data: bytes, key: bytes, key_id: str) -> None:
    path = home / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(seal_bytes(key, key_id, data, binding(PurePosixPath(relative))))


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, str]:
    """An encrypted home mid-rekey (two data keys), and its recovery key."""
    root = tmp_path / "sealed-home"
    kf, master = new_key_file(root / "encryption.json", "2026-11-24T14:30:00+13:00")
    first = kf.current
    kf = kf.with_passphrase(master, PASSPHRASE, CHEAP)
    kf, recovery = kf.with_recovery(master)
    kf, _ = kf.with_data_key(master)
    kf = kf.with_state("encrypted")
    root.mkdir()
    (root / "encryption.json").write_text(kf.text(), encoding="utf-8")
    (root / ".lock").write_bytes(b"")
    keys = kf.data_keys(master)
    for relative, data in SEALED.items():
        seal_at(root, relative, data, keys[kf.current], kf.current)
    seal_at(root, OLD_KEY_RECORD, b"before the rekey\n", keys[first], first)
    for relative, data in PLAIN.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    (root / "journal" / ".x.md.4242.17.tmp").write_bytes(b"a half-written temp file")
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"not part of the home")
    (root / "journal" / "linked.md").symlink_to(outside)
    (root / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    return root, recovery


def expected() -> dict[str, bytes]:
    return {**SEALED, **PLAIN, OLD_KEY_RECORD: b"before the rekey\n"}


def run(*args: object, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The script in an isolated interpreter (-I: no PYTHONPATH, no current folder)."""
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *map(str, args)],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


def written(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in out.rglob("*")
        if path.is_file()
    }


def secret_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_passphrase_file_decrypts_every_record_and_copies_plain_files(tmp_path, home):
    root, _ = home
    out = tmp_path / "out"
    result = run(root, out, "--passphrase-file", secret_file(tmp_path, "pass", PASSPHRASE + "\n"))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert written(out) == expected()  # no key file, lock, temp file or link target
    assert result.stdout.count("\n") == 1
    assert "6 decrypted, 2 copied, 5 skipped, 0 failed" in result.stdout
    assert "Fictional" not in result.stdout
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    assert not any(path.is_symlink() for path in out.rglob("*"))


@pytest.mark.parametrize("ending", ["\r\n", "\nsecond line\n", ""])
def test_the_passphrase_is_the_first_line_without_its_newline(tmp_path, home, ending):
    root, _ = home
    result = run(
        root, tmp_path / "out", "--passphrase-file", secret_file(tmp_path, "p", PASSPHRASE + ending)
    )
    assert result.returncode == 0, result.stderr


def test_the_passphrase_can_come_on_stdin(tmp_path, home):
    root, _ = home
    out = tmp_path / "out"
    result = run(root, out, stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert written(out) == expected()


@pytest.mark.parametrize("shape", ["as-shown", "lower-no-dashes", "spaced"])
def test_the_recovery_key_decrypts_too(tmp_path, home, shape):
    root, recovery = home
    typed = {
        "as-shown": recovery + "\n",
        "lower-no-dashes": recovery.replace("-", "").lower(),
        "spaced": recovery.replace("-", " ") + "\r\n",
    }[shape]
    out = tmp_path / "out"
    result = run(root, out, "--recovery-key-file", secret_file(tmp_path, "rk", typed))
    assert result.returncode == 0, result.stderr
    assert written(out) == expected()


def test_a_wrong_passphrase_is_one_line_and_writes_nothing(tmp_path, home):
    root, _ = home
    out = tmp_path / "out"
    result = run(root, out, "--passphrase-file", secret_file(tmp_path, "p", "not it\n"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "wrong passphrase" in result.stderr
    assert "encryption.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("text", ["", "\n" + PASSPHRASE, "\r\n"])
def test_an_empty_first_line_is_refused_like_peerjournal_does(tmp_path, home, text):
    root, _ = home
    result = run(root, tmp_path / "out", "--passphrase-file", secret_file(tmp_path, "p", text))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "the passphrase is empty" in result.stderr


def test_a_wrong_or_malformed_recovery_key_is_one_line(tmp_path, home):
    root, recovery = home
    other = "PJRK-" + "-".join(["AAAA"] * 12 + ["AAAA"])
    for text, says in [(other, "wrong recovery key"), ("PJRK-ABCD", "not a recovery key")]:
        result = run(
            root, tmp_path / "out", "--recovery-key-file", secret_file(tmp_path, "rk", text)
        )
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert says in result.stderr
        assert "Traceback" not in result.stderr
    assert recovery != other


def test_a_damaged_record_is_named_and_the_others_are_still_written(tmp_path, home):
    root, _ = home
    damaged = root / "settings.yaml"
    raw = bytearray(damaged.read_bytes())
    raw[-20] ^= 0x01
    damaged.write_bytes(bytes(raw))
    out = tmp_path / "out"
    result = run(root, out, "--passphrase-file", secret_file(tmp_path, "p", PASSPHRASE))

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert str(damaged) in lines[0]
    assert "does not authenticate" in lines[0]
    assert "1 file(s) failed" in lines[1]
    assert "Traceback" not in result.stderr
    assert "1 failed" in result.stdout
    assert written(out) == {k: v for k, v in expected().items() if k != "settings.yaml"}


def test_a_record_moved_to_another_name_does_not_authenticate(tmp_path, home):
    root, _ = home
    source = root / ENTRY
    renamed = source.with_name(f"{NOW:%Y%m%d-%H%M}-renamed.md")
    source.rename(renamed)
    moved_kind = root / SESSION
    moved = root / "assessments" / f"{NOW:%Y}" / "z.md"
    moved_kind.rename(moved)
    result = run(
        root, tmp_path / "out", "--passphrase-file", secret_file(tmp_path, "p", PASSPHRASE)
    )
    assert result.returncode == 2
    assert "2 file(s) failed" in result.stderr
    assert renamed.name in result.stderr
    assert str(moved) in result.stderr


def flip_data_key(text: str) -> str:
    data = json.loads(text)
    box = next(iter(data["data_keys"].values()))
    box["nonce"] = "A" + box["nonce"][1:] if box["nonce"][0] != "A" else "B" + box["nonce"][1:]
    return json.dumps(data)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda text: text[: len(text) // 2], "damaged"),
        (lambda text: text.replace('"home_id"', '"home"'), "damaged"),
        (lambda text: text.replace('"argon2id"', '"scrypt"'), "damaged"),
        (lambda text: text.replace('"lanes": 1', '"lanes": 9999'), "damaged"),
        (flip_data_key, "does not authenticate"),
        (lambda _text: "\udcff", "damaged"),
    ],
    ids=["cut-short", "missing-field", "unknown-kdf", "absurd-params", "data-key", "not-utf8"],
)
def test_a_damaged_key_file_is_one_line_and_exit_2(tmp_path, home, damage, says):
    root, _ = home
    key_file = root / "encryption.json"
    key_file.write_bytes(damage(key_file.read_text("utf-8")).encode("utf-8", "surrogateescape"))
    out = tmp_path / "out"
    result = run(root, out, "--passphrase-file", secret_file(tmp_path, "p", PASSPHRASE))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert says in result.stderr
    assert str(key_file) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_out_must_be_missing_or_empty_and_outside_the_home(tmp_path, home):
    root, _ = home
    passphrase = secret_file(tmp_path, "p", PASSPHRASE)
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_bytes(b"mine")
    for out in (full, root / "decrypted"):
        result = run(root, out, "--passphrase-file", passphrase)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
    assert (full / "keep.txt").read_bytes() == b"mine"
    assert not (root / "decrypted").exists()
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    assert run(root, empty, "--passphrase-file", passphrase).returncode == 0
    assert stat.S_IMODE(empty.stat().st_mode) == 0o700


def test_the_script_imports_nothing_from_peerjournal(tmp_path, home):
    tree = ast.parse(SCRIPT.read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "a relative import"
            imported.add(node.module or "")
    top = {name.split(".")[0] for name in imported}
    assert top <= set(sys.stdlib_module_names) | {"cryptography"}, top

    # and at run time: with peerjournal unimportable, the script still decrypts the home
    root, _ = home
    out = tmp_path / "out"
    blocker = (
        "import sys, runpy\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'peerjournal':\n"
        "            raise ImportError('peerjournal is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n"
    )
    passphrase = secret_file(tmp_path, "p", PASSPHRASE)
    argv = [str(SCRIPT), str(root), str(out), "--passphrase-file", str(passphrase)]
    result = subprocess.run(
        [sys.executable, "-I", "-c", blocker, *argv],
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert result.returncode == 0, result.stderr
    assert written(out) == expected()
    assert not any(name.startswith("peerjournal") for name in result.stderr.split())


def test_the_documented_layout_is_what_the_store_reads(tmp_path):
    """A record and an index key made by hand from docs/encryption.md, checked against the store."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    from peerjournal.errors import RecordError
    from peerjournal.store.sealed import open_bytes
    from peerjournal.store.vault import Vault

    key, key_id, nonce = bytes(range(32)), "5f0c2a9e41d3b786", bytes(12)
    header = b"PJSEAL1\n" + bytes.fromhex(key_id) + nonce
    record = filed(f"{NOW:%Y%m%d-%H%M}-a1b2")
    bound = record.encode()
    sealed = header + AESGCM(key).encrypt(nonce, b"text\xff", header + bound)
    assert len(sealed) == len(b"text\xff") + 44
    for relative in (record, ".trash/" + record):
        got = open_bytes({key_id: key}, sealed, binding(PurePosixPath(relative)), tmp_path)
        assert got == b"text\xff"
    with pytest.raises(RecordError, match="does not authenticate"):  # another folder
        open_bytes(
            {key_id: key},
            sealed,
            binding(PurePosixPath(filed(Path(record).name[:-3], NOW - timedelta(days=400)))),
            tmp_path,
        )
    assert binding(PurePosixPath("settings.yaml")) == b"settings.yaml"
    assert binding(PurePosixPath("supervision/signoffs/.new-s1/signoff.json")) == (
        b"supervision/signoffs/s1/signoff.json"
    )

    documented = HKDF(hashes.SHA256(), 32, salt=None, info=b"peerjournal index key/1").derive(key)
    assert Vault("e2a417c09b5d6f38", {key_id: key}, key_id).index_key() == documented
