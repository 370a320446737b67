"""The OS keyring only when asked: `unlock --remember` opens without asking, `lock` undoes it."""

import os
from pathlib import Path

import keyring
import keyring.backend
import pytest

PASSPHRASE = "tide pools at dusk"  # noqa: S105 - a fictional test passphrase


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring in memory that counts every call, so a test sees when it was asked."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def secret(run, home: Path, tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    assert run("encrypt", "--passphrase-file", str(path), "--yes").exit_code == 0
    return path


def stop_the_agent(run) -> None:
    """As after a reboot: the agent is gone, the keyring stays."""
    from peerjournal.store.agent import stop_agent

    folder = Path(os.environ["XDG_RUNTIME_DIR"], "peerjournal")
    for socket in folder.glob("agent-*.sock"):
        stop_agent(folder, socket.stem.removeprefix("agent-"))


def test_the_keyring_is_never_asked_unless_chosen(run, secret, memory_keyring):
    assert run("unlock", "--passphrase-file", str(secret)).exit_code == 0
    assert run("diary", "add", "Lunch by the window.").exit_code == 0
    stop_the_agent(run)
    assert run("diary", "list").exit_code == 2
    assert memory_keyring.calls == 0
    assert memory_keyring.kept == {}


def test_remember_opens_without_asking_until_lock(run, secret, memory_keyring):
    result = run("unlock", "--remember", "--passphrase-file", str(secret))
    assert result.exit_code == 0, result.stderr
    assert "opens this home without asking while you are logged in" in result.stderr
    assert len(memory_keyring.kept) == 1
    assert PASSPHRASE not in next(iter(memory_keyring.kept.values()))  # keys, not the passphrase

    stop_the_agent(run)
    assert run("diary", "add", "Lunch by the window.").exit_code == 0  # opened by the keyring
    assert run("lock").exit_code == 0
    assert memory_keyring.kept == {}
    assert run("diary", "list").exit_code == 2


def test_a_rekey_gives_the_keyring_the_new_keys(run, secret, memory_keyring):
    assert run("unlock", "--remember", "--passphrase-file", str(secret)).exit_code == 0
    before = dict(memory_keyring.kept)
    assert run("rekey", "--passphrase-file", str(secret), "--yes").exit_code == 0
    assert memory_keyring.kept != before
    stop_the_agent(run)
    assert run("diary", "list").exit_code == 0


def test_a_machine_without_a_keyring_is_one_line_and_nothing_kept(run, secret):
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        result = run("unlock", "--remember", "--passphrase-file", str(secret))
    finally:
        keyring.set_keyring(previous)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "the OS keyring refused" in result.stderr
    assert run("diary", "list").exit_code == 2  # not unlocked either
