"""An encrypted home as its user meets it: same answers, nothing readable, one line per problem."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from helpers import NOW, entry_path, populate, read_only_commands

PASSPHRASE = "tide pools at dusk"  # noqa: S105 - a fictional test passphrase
MAGIC = b"PJSEAL1\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


def encrypt(run, secret: Path) -> str:
    """Encrypt the test's home; the recovery key it printed."""
    result = run("encrypt", "--passphrase-file", str(secret), "--yes")
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def every_file(folder: Path) -> dict[str, bytes]:
    """Each file's bytes by its path in ``folder`` (the lock file left out)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def sealed_files(home: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(home)): path.read_bytes()
        for path in sorted(home.rglob("*"))
        if path.is_file() and path.read_bytes().startswith(MAGIC)
    }


def plain_records(home: Path) -> list[str]:
    keep = {"encryption.json", ".lock"}
    found = []
    for path in sorted(home.rglob("*")):
        relative = path.relative_to(home)
        if not path.is_file() or relative.parts[0] in {"frameworks", "credentials", "templates"}:
            continue
        if relative.name in keep or relative.name.endswith(".pub"):
            continue
        if not path.read_bytes().startswith(MAGIC):
            found.append(str(relative))
    return found


def undated(text: str) -> str:
    """Output without the moment a report was made (the test clock ticks once a reading).

    `info`'s line saying the home is encrypted is the one difference expected.
    """
    text = re.sub(r"^Encrypted: yes;.*\n", "", text, flags=re.MULTILINE)
    return re.sub(rf"{NOW:%Y-%m-%d}[ T]{NOW:%H}:\d\d(:\d\d)?", "<now>", text)


def test_every_read_only_command_answers_the_same_once_encrypted(run, home, tmp_path, secret):
    ids = populate(run, home, tmp_path)
    before = {args: run(*args) for args in read_only_commands(ids)}
    recovery = encrypt(run, secret)

    assert recovery.startswith("PJRK-")
    assert plain_records(home) == []
    key_file = home / "encryption.json"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert json.loads(key_file.read_text())["state"] == "encrypted"
    for args, plain in before.items():
        after = run("--passphrase-file", str(secret), *args)
        assert (after.exit_code, undated(after.stdout)) == (plain.exit_code, undated(plain.stdout))


def test_a_locked_home_says_how_to_unlock_and_writes_nothing(run, home, secret):
    encrypt(run, secret)
    files = sealed_files(home)

    for args in (("diary", "list"), ("diary", "add", "A walk by the river."), ()):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1
        assert "encrypted and locked" in result.stderr
        assert "peerjournal unlock" in result.stderr
        assert "Traceback" not in result.stderr
    assert sealed_files(home) == files


def test_the_environment_variable_gives_the_passphrase(run, home, secret, monkeypatch):
    encrypt(run, secret)
    monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(secret))

    added = run("diary", "add", "We sat on the bench and talked about the bus.")
    assert added.exit_code == 0, added.stderr
    listed = run("diary", "list", "--text", "bench", "--ids")
    assert listed.stdout.split() == [added.stdout.split()[-1]]
    assert plain_records(home) == []


def test_a_wrong_passphrase_is_one_line_and_changes_nothing(run, home, tmp_path, secret):
    encrypt(run, secret)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("tide pools at dawn\n")
    files = sealed_files(home)

    for args in (("diary", "list"), ("unlock",), ("rekey",), ("decrypt", "--yes")):
        if args[0] == "diary":
            result = run("--passphrase-file", str(wrong), *args)
        else:
            result = run(*args, "--passphrase-file", str(wrong))
        assert result.exit_code == 2, (args, result.stderr)
        *said, last = result.stderr.strip().splitlines()
        assert last == "peerjournal: wrong passphrase; nothing was changed (try again, or use " \
            "the recovery key)"  # fmt: skip
        assert len(said) == (1 if args[0] == "decrypt" else 0)  # decrypt warns first
    assert sealed_files(home) == files


def test_a_missing_passphrase_file_is_named(run, home, tmp_path, secret):
    encrypt(run, secret)
    result = run("--passphrase-file", str(tmp_path / "nope.txt"), "diary", "list")
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr
    assert "cannot read the passphrase file" in result.stderr


def test_unlock_keeps_the_key_until_lock(run, home, secret):
    encrypt(run, secret)
    unlocked = run("unlock", "--passphrase-file", str(secret), "--minutes", "5")
    assert unlocked.exit_code == 0, unlocked.stderr

    assert run("diary", "add", "Coffee after the group.").exit_code == 0
    assert "Coffee after the group." in run("diary", "list").stdout
    locked = run("lock")
    assert locked.exit_code == 0
    assert "Locked" in locked.stderr
    after = run("diary", "list")
    assert after.exit_code == 2
    assert "locked" in after.stderr
    assert "not unlocked" in run("lock").stderr


def test_the_agent_forgets_after_the_idle_minutes(run, home, secret):
    import time

    encrypt(run, secret)
    assert run("unlock", "--passphrase-file", str(secret), "--minutes", "0.02").exit_code == 0
    assert run("diary", "list").exit_code == 0
    sockets = Path(os.environ["XDG_RUNTIME_DIR"], "peerjournal")
    deadline = time.monotonic() + 15  # 1.2 idle seconds, and the agent looks once a second
    while list(sockets.glob("agent-*.sock")):  # asking would reset the idle time: only look
        assert time.monotonic() < deadline, "the agent never forgot the key"
        time.sleep(0.2)
    assert "locked" in run("diary", "list").stderr


def test_unlock_refuses_bad_minutes_and_a_plain_home(run, home, secret):
    plain = run("unlock", "--passphrase-file", str(secret))
    assert plain.exit_code == 2
    assert "is not encrypted" in plain.stderr
    encrypt(run, secret)
    for minutes in ("0", "-3", "5000"):
        result = run("unlock", "--minutes", minutes, "--passphrase-file", str(secret))
        assert result.exit_code == 2, minutes
        assert "--minutes" in result.stderr


def test_passphrase_change_and_recovery(run, home, tmp_path, secret):
    recovery = encrypt(run, secret)
    new = tmp_path / "new.txt"
    new.write_text("lanterns along the pier\n")

    changed = run("passphrase", "change", "--passphrase-file", str(secret),
                  "--new-passphrase-file", str(new))  # fmt: skip
    assert changed.exit_code == 0, changed.stderr
    assert run("--passphrase-file", str(secret), "diary", "list").exit_code == 2
    assert run("--passphrase-file", str(new), "diary", "list").exit_code == 0

    # forgotten: the recovery key sets a new one
    key = tmp_path / "recovery.txt"
    key.write_text(recovery.lower().replace("-", " ") + "\n")  # as someone might type it
    again = run("passphrase", "change", "--recovery-key-file", str(key),
                "--new-passphrase-file", str(secret))  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert run("--passphrase-file", str(secret), "diary", "list").exit_code == 0


def test_a_short_new_passphrase_is_refused(run, home, tmp_path, secret):
    encrypt(run, secret)
    short = tmp_path / "short.txt"
    short.write_text("kelp\n")
    result = run("passphrase", "change", "--passphrase-file", str(secret),
                 "--new-passphrase-file", str(short))  # fmt: skip
    assert result.exit_code == 2
    assert "too short" in result.stderr
    assert run("--passphrase-file", str(secret), "diary", "list").exit_code == 0


def test_recovery_new_retires_the_old_key(run, home, tmp_path, secret):
    old = encrypt(run, secret)
    made = run("recovery", "new", "--passphrase-file", str(secret))
    assert made.exit_code == 0, made.stderr
    new = made.stdout.strip()
    assert new.startswith("PJRK-")
    assert new != old
    new_file = tmp_path / "passphrase-2.txt"
    new_file.write_text("a new passphrase here\n")
    for key, code in ((old, 2), (new, 0)):
        path = tmp_path / "key.txt"
        path.write_text(key)
        result = run("passphrase", "change", "--recovery-key-file", str(path),
                     "--new-passphrase-file", str(new_file))  # fmt: skip
        assert result.exit_code == code, result.stderr


def test_rekey_reseals_every_record_and_replaces_the_recovery_key(run, home, tmp_path, secret):
    ids = populate(run, home, tmp_path)
    old_recovery = encrypt(run, secret)
    before = run("--passphrase-file", str(secret), "diary", "list").stdout
    old_id = json.loads((home / "encryption.json").read_text())["current"]

    rekeyed = run("rekey", "--passphrase-file", str(secret), "--yes")
    assert rekeyed.exit_code == 0, rekeyed.stderr
    data = json.loads((home / "encryption.json").read_text())
    assert data["current"] != old_id
    assert list(data["data_keys"]) == [data["current"]]
    assert data["state"] == "encrypted"
    assert {raw[8:16].hex() for raw in sealed_files(home).values()} == {data["current"]}
    assert run("--passphrase-file", str(secret), "diary", "list").stdout == before
    shown = run("--passphrase-file", str(secret), "diary", "show", ids["first"])
    assert "Garden day" in shown.stdout
    new_recovery = rekeyed.stdout.strip()
    assert new_recovery.startswith("PJRK-")
    assert new_recovery != old_recovery
    key = tmp_path / "old-key.txt"
    key.write_text(old_recovery)
    stale = run("passphrase", "change", "--recovery-key-file", str(key),
                "--new-passphrase-file", str(secret))  # fmt: skip
    assert stale.exit_code == 2


def test_decrypt_gives_back_the_same_files(run, home, tmp_path, secret):
    populate(run, home, tmp_path)
    records = every_file(home)
    encrypt(run, secret)
    decrypted = run("decrypt", "--passphrase-file", str(secret), "--yes")
    assert decrypted.exit_code == 0, decrypted.stderr

    assert not (home / "encryption.json").exists()
    assert every_file(home) == records
    assert run("diary", "list").exit_code == 0


def test_the_standalone_script_gives_back_the_plaintext(run, home, tmp_path, secret):
    populate(run, home, tmp_path)
    plain = every_file(home)
    encrypt(run, secret)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "decrypt_home.py"), str(home), str(out),
         "--passphrase-file", str(secret)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert every_file(out) == plain


def test_trash_and_restore_move_a_sealed_record_byte_for_byte(run, home, secret):
    encrypt(run, secret)
    pp = ("--passphrase-file", str(secret))
    entry = run(*pp, "diary", "add", "The ferry was late again.").stdout.split()[-1]
    (original,) = (home / "journal").rglob(f"{entry}.md")
    sealed = original.read_bytes()

    assert run(*pp, "diary", "delete", entry, "--yes").exit_code == 0
    (trashed,) = (home / ".trash").rglob(f"{entry}.md")
    assert trashed.read_bytes() == sealed
    assert run(*pp, "diary", "restore", entry).exit_code == 0
    assert original.read_bytes() == sealed
    assert "The ferry was late again." in run(*pp, "diary", "show", entry).stdout


def _one_entry(run, home, secret) -> tuple[str, Path]:
    encrypt(run, secret)
    entry = run("--passphrase-file", str(secret), "diary", "add", "Soup at the drop-in.")
    entry_id = entry.stdout.split()[-1]
    (path,) = (home / "journal").rglob(f"{entry_id}.md")
    return entry_id, path


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda raw: raw[:-7], "does not authenticate"),
        (lambda raw: raw[:20], "truncated"),
        (lambda raw: raw[:40] + bytes([raw[40] ^ 0x04]) + raw[41:], "does not authenticate"),
    ],
    ids=["cut-short", "truncated-header", "one-flipped-bit"],
)
def test_a_damaged_record_is_named_by_every_command_and_by_doctor(run, home, secret, damage, says):
    entry_id, path = _one_entry(run, home, secret)
    path.write_bytes(damage(path.read_bytes()))
    pp = ("--passphrase-file", str(secret))

    listed = run(*pp, "diary", "list")
    assert listed.exit_code == 0
    assert str(path) in listed.stderr
    assert says in listed.stderr
    shown = run(*pp, "diary", "show", entry_id)
    assert shown.exit_code == 2
    assert says in shown.stderr
    doctor = run(*pp, "doctor")
    assert doctor.exit_code == 1
    assert path.name in doctor.stdout + doctor.stderr
    assert "Soup" not in listed.stderr + shown.stderr + doctor.stdout + doctor.stderr


def test_a_record_from_another_home_is_named(run, home, tmp_path, secret, monkeypatch):
    _, path = _one_entry(run, home, secret)
    other = tmp_path / "other-home"
    monkeypatch.setenv("PEERJOURNAL_HOME", str(other))
    assert run("init", "--name", "Ari Moss", "--role", "peer-worker").exit_code == 0
    assert run("encrypt", "--passphrase-file", str(secret), "--yes").exit_code == 0
    foreign = run("--passphrase-file", str(secret), "diary", "add", "Kite flying in the park.")
    (theirs,) = (other / "journal").rglob(f"{foreign.stdout.split()[-1]}.md")
    monkeypatch.setenv("PEERJOURNAL_HOME", str(home))
    moved = path.with_name(theirs.name)
    shutil.copy(theirs, moved)

    listed = run("--passphrase-file", str(secret), "diary", "list")
    assert "a key this home does not have" in listed.stderr
    assert str(moved) in listed.stderr
    doctor = run("--passphrase-file", str(secret), "doctor")
    assert doctor.exit_code == 1
    assert "another data home" in doctor.stdout
    assert "Kite" not in listed.stdout + listed.stderr + doctor.stdout


def test_a_record_swapped_for_another_does_not_open(run, home, secret):
    encrypt(run, secret)
    pp = ("--passphrase-file", str(secret))
    first = run(*pp, "diary", "add", "Bread at the market.").stdout.split()[-1]
    second = run(*pp, "diary", "add", "Rain on the tin roof.").stdout.split()[-1]
    (one,) = (home / "journal").rglob(f"{first}.md")
    (two,) = (home / "journal").rglob(f"{second}.md")
    one.write_bytes(two.read_bytes())

    shown = run(*pp, "diary", "show", first)
    assert shown.exit_code == 2
    assert "does not authenticate" in shown.stderr
    assert "Rain" not in shown.stdout


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"state": "encrypted"', '"state": "sleeping"'),
        lambda text: json.dumps({**json.loads(text), "data_keys": {}}),
    ],
    ids=["cut-in-half", "unknown-state", "no-data-keys"],
)
def test_a_damaged_key_file_is_one_line_and_doctor_names_it(run, home, secret, damage):
    encrypt(run, secret)
    key_file = home / "encryption.json"
    key_file.write_text(damage(key_file.read_text()))
    files = sealed_files(home)

    listed = run("--passphrase-file", str(secret), "diary", "list")
    assert listed.exit_code == 2
    assert listed.stderr.count("\n") == 1
    assert "encryption.json" in listed.stderr
    assert "damaged" in listed.stderr
    doctor = run("doctor")
    assert doctor.exit_code == 1
    assert "encryption.json" in doctor.stderr
    assert "restore it from a backup" in doctor.stderr
    assert sealed_files(home) == files


def test_a_plaintext_record_in_an_encrypted_home_is_named_then_sealed(run, home, secret):
    _one_entry(run, home, secret)
    when = NOW - timedelta(hours=5)
    stray_id = f"{when:%Y%m%d-%H%M}-abcd"
    stray = entry_path(home, stray_id, when)
    stray.write_text(
        f"---\nid: {stray_id}\ndate: {when.isoformat()}\ntitle: Stray\n---\nCopied in by hand.\n"
    )
    stray.chmod(0o600)
    doctor = run("--passphrase-file", str(secret), "doctor")
    assert doctor.exit_code == 1
    assert "stored in the clear" in doctor.stdout
    assert stray.name in doctor.stdout

    again = run("encrypt", "--passphrase-file", str(secret))
    assert again.exit_code == 0, again.stderr
    assert "1 files stored in the clear were sealed" in again.stderr
    assert stray.read_bytes().startswith(MAGIC)
    assert run("--passphrase-file", str(secret), "doctor").exit_code == 0


def test_encrypt_asks_first_and_no_means_nothing_changes(run, home, secret):
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    result = run("encrypt", "--passphrase-file", str(secret), input="n\n")
    assert result.exit_code == 1
    assert "Without both of them your notes are gone" in result.stderr
    assert "are not wiped" in result.stderr
    assert not (home / "encryption.json").exists()
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


def test_encrypt_twice_and_decrypt_a_plain_home_are_refused_or_harmless(run, home, secret):
    plain = run("decrypt", "--passphrase-file", str(secret), "--yes")
    assert plain.exit_code == 2
    assert "is not encrypted" in plain.stderr
    encrypt(run, secret)
    again = run("encrypt", "--passphrase-file", str(secret), "--yes")
    assert again.exit_code == 0
    assert "0 files stored in the clear" in again.stderr


def test_the_recovery_page_holds_the_key(run, home, tmp_path, secret):
    page = tmp_path / "recovery.html"
    result = run("encrypt", "--passphrase-file", str(secret), "--yes", "--page", str(page))
    assert result.exit_code == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    text = page.read_text()
    assert key in text
    assert "passphrase change --recovery" in text
    assert page.stat().st_mode & 0o777 == 0o600


def test_without_the_extra_an_encrypted_home_says_what_to_install(run, home, secret, monkeypatch):
    encrypt(run, secret)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if it were not installed
    result = run("--passphrase-file", str(secret), "diary", "list")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "pip install 'peerjournal[encryption]'" in result.stderr


def test_a_plain_home_never_loads_the_encryption_modules(home, run):
    assert run("diary", "add", "Tea with the night shift.").exit_code == 0
    code = (
        "import sys\n"
        "from peerjournal.cli import app\n"
        "from typer.testing import CliRunner\n"
        "result = CliRunner().invoke(app, ['diary', 'list'])\n"
        "assert result.exit_code == 0, result.output\n"
        "loaded = [m for m in ('cryptography', 'sqlcipher3', 'keyring') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_kept_text_of_a_failed_save_is_sealed_and_shown_on_request(run, home, secret, fake_editor):
    encrypt(run, secret)
    fake_editor({"write": "Quiet walk with the dog.\n"})  # no front matter: it cannot be saved
    failed = run("--passphrase-file", str(secret), "diary", "add", "--editor", input="n\n")
    assert failed.exit_code == 2
    (kept,) = (home / ".recovery").iterdir()
    assert kept.read_bytes().startswith(MAGIC)
    assert b"Quiet walk" not in kept.read_bytes()
    shown = run("--passphrase-file", str(secret), "recovery", "show", kept.stem[:20])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == "Quiet walk with the dog.\n"
    assert run("recovery", "show", kept.stem).exit_code == 2  # locked


def test_info_says_the_home_is_encrypted(run, home, secret):
    assert "Encrypted" not in run("info").stdout
    encrypt(run, secret)
    shown = run("--passphrase-file", str(secret), "info")
    assert shown.exit_code == 0
    assert "Encrypted: yes;" in shown.stdout


def test_lock_still_works_when_the_key_file_is_damaged(run, home, secret):
    encrypt(run, secret)
    assert run("unlock", "--passphrase-file", str(secret)).exit_code == 0
    key_file = home / "encryption.json"
    data = json.loads(key_file.read_text())
    key_file.write_text(json.dumps({**data, "slots": {}}))  # damaged, home id legible
    locked = run("lock")
    assert locked.exit_code == 0, locked.stderr
    assert "Locked" in locked.stderr


def test_encrypting_without_the_extra_says_what_to_install(run, home, secret, monkeypatch):
    monkeypatch.setitem(sys.modules, "cryptography", None)  # as if it were not installed
    result = run("encrypt", "--passphrase-file", str(secret), "--yes")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "peerjournal: encrypting a data home needs the encryption extra: "
        "pip install 'peerjournal[encryption]'"
    )
    assert not (home / "encryption.json").exists()
