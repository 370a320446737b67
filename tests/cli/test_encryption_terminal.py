"""An encrypted home on a real terminal: the passphrase first, then the work; Ctrl-C loses none."""

import os
from pathlib import Path

import pexpect
import pytest

from helpers import spawn

PASSPHRASE = "tide pools at dusk"  # noqa: S105 - a fictional test passphrase


@pytest.fixture
def encrypted(run, home: Path, tmp_path: Path) -> Path:
    """The test's home, encrypted (with the suite's cheap Argon2id) and locked."""
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    result = run("encrypt", "--passphrase-file", str(secret), "--yes")
    assert result.exit_code == 0, result.stderr
    return home


def buffers() -> list[Path]:
    folder = Path(os.environ["XDG_RUNTIME_DIR"], "peerjournal", "buffers")
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_passphrase_is_asked_before_the_editor_opens(encrypted, fake_editor, run, tmp_path):
    seen = fake_editor({"write": "{buffer}\nThe harbour walk, slower this time.\n"})
    child = spawn("diary", "add", "--editor")
    child.expect("Passphrase for")
    assert not seen.exists()  # the editor has not opened yet
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    buffer = Path((seen / "last-buffer-path").read_text())
    assert buffer.parent == Path(os.environ["XDG_RUNTIME_DIR"], "peerjournal", "buffers")
    assert buffers() == []  # removed once saved
    secret = tmp_path / "passphrase.txt"
    listed = run("--passphrase-file", str(secret), "diary", "list", "--text", "harbour", "--ids")
    assert len(listed.stdout.split()) == 1


def test_three_wrong_passphrases_end_before_any_typing(encrypted, fake_editor):
    seen = fake_editor({"write": "never written\n"})
    child = spawn("diary", "add", "--editor")
    for attempt in range(3):
        child.expect("Passphrase for")
        child.sendline(f"not it {attempt}")
    child.expect("wrong passphrase")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "Traceback" not in child.before
    assert not seen.exists()


def test_ctrl_c_at_the_passphrase_prompt_ends_cleanly(encrypted):
    child = spawn("diary", "add")
    child.expect("Passphrase for")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0 or child.signalstatus is not None
    assert "Traceback" not in (child.before or "")


def test_a_guided_entry_interrupted_keeps_its_draft_sealed(encrypted, run, tmp_path):
    child = spawn("diary", "add")
    child.expect("Passphrase for")
    child.sendline(PASSPHRASE)
    child.expect("Title")
    child.sendline("Quillfeather morning")
    child.expect("Setting")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()

    drafts = [p for p in (encrypted / "drafts").rglob("*") if p.is_file()]
    assert drafts
    for draft in drafts:
        raw = draft.read_bytes()
        assert raw.startswith(b"PJSEAL1\n")
        assert b"Quillfeather" not in raw
    secret = tmp_path / "passphrase.txt"
    listed = run("--passphrase-file", str(secret), "drafts", "list")
    assert listed.exit_code == 0
    assert "1 answer, the last one: 'title'" in listed.stdout


def test_encrypt_on_a_terminal_asks_twice_and_shows_the_key_once(home, tmp_path):
    child = spawn("encrypt")
    child.expect("Encrypt this home now")
    child.sendline("y")
    child.expect("Choose a passphrase")
    child.sendline("short")
    child.expect("too short")
    child.expect("Choose a passphrase")
    child.sendline(PASSPHRASE)
    child.expect("The same again")
    child.sendline(PASSPHRASE + " typo")
    child.expect("did not match")
    child.expect("Choose a passphrase")
    child.sendline(PASSPHRASE)
    child.expect("The same again")
    child.sendline(PASSPHRASE)
    child.expect(r"PJRK(-[A-Z2-7]{4}){13}")
    key = child.after
    child.expect("printable page")
    page = tmp_path / "page.html"
    child.sendline(str(page))
    child.expect("written down or printed")
    child.sendline("y")
    child.expect("Encrypted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert key in page.read_text()
    assert (home / "encryption.json").exists()


def test_unlock_on_a_terminal_then_commands_do_not_ask(encrypted):
    child = spawn("unlock", "--minutes", "2")
    child.expect("Passphrase for")
    child.sendline(PASSPHRASE)
    child.expect("Unlocked")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    listed = spawn("diary", "list")
    index = listed.expect(["Passphrase for", pexpect.EOF])
    listed.close()
    assert index == 1  # no question asked
    assert listed.exitstatus == 0
    locked = spawn("lock")
    locked.expect("Locked")
    locked.expect(pexpect.EOF)
