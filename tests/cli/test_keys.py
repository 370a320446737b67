"""Keys: your own key is made once and kept private; other people's are pinned by name.

Two homes live side by side in tmp_path: Sam Rivers's (the `home` fixture) and Rowan Vale's,
his supervisor's, reached with --home as a second terminal would.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from helpers import spawn
from peerjournal.errors import InputError
from peerjournal.services import sshsig
from peerjournal.services.sshsig import NAMESPACE_SHARE, NAMESPACE_SIGNOFF, SignatureError

KEYGEN = shutil.which("ssh-keygen")
needs_keygen = pytest.mark.skipif(KEYGEN is None, reason="OpenSSH's ssh-keygen is not installed")
MESSAGE = b'{"bundle": "b-0001", "from": "Sam Rivers"}\n'


def ok(run, *args: str, input: str | None = None):
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def refused(run, *args: str) -> str:
    """The one error line of a command that must refuse with exit 2."""
    result = run(*args)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


@pytest.fixture(autouse=True)
def no_agent(monkeypatch):
    """No test reaches the agent of whoever runs the tests."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)


@pytest.fixture
def rowan(run, tmp_path) -> Path:
    """Rowan Vale's home, a supervisor's, beside Sam's."""
    folder = tmp_path / "rowan"
    ok(run, "--home", str(folder), "init", "--name", "Rowan Vale", "--role", "supervisor")
    return folder


def public_file(run, home: Path, tmp_path: Path, name: str) -> Path:
    """The .pub file a person hands over: the first line `keys show` prints in their home."""
    line = ok(run, "--home", str(home), "keys", "show").stdout.splitlines()[0]
    path = tmp_path / f"{name}.pub"
    path.write_text(line + "\n")
    return path


def services_of(context, home: Path):
    built = context()
    built.home_option = home
    return built.services


PASSPHRASE = "secret"  # noqa: S105 - a test key's passphrase, typed by the askpass script


def new_key(tmp_path: Path, name: str, *, protected: bool = False, kind: str = "ed25519") -> Path:
    if KEYGEN is None:
        pytest.skip("OpenSSH's ssh-keygen is not installed")
    path = tmp_path / name
    passphrase = PASSPHRASE if protected else ""
    made = [KEYGEN, "-q", "-t", kind, "-N", passphrase, "-C", name, "-f", str(path)]
    subprocess.run(made, check=True)
    return path


# --- your own key ------------------------------------------------------------------------------


def test_show_makes_a_private_key_once_and_prints_the_same_line_every_time(run, home):
    first = ok(run, "keys", "show")
    line, printed = first.stdout.splitlines()
    assert line.startswith("ssh-ed25519 AAAA")
    assert line.endswith(" Sam Rivers")
    assert printed == f"fingerprint: {sshsig.fingerprint(line)}"
    assert "Created your key" in first.stderr
    folder = home / "keys"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "id_ed25519").stat().st_mode & 0o777 == 0o600
    assert (folder / "id_ed25519.pub").stat().st_mode & 0o777 == 0o600
    assert (folder / "id_ed25519.pub").read_text() == line + "\n"
    again = ok(run, "keys", "show")
    assert again.stdout == first.stdout
    assert "Created" not in again.stderr


@needs_keygen
def test_the_home_key_is_an_openssh_key_that_ssh_keygen_reads(run, home):
    line = ok(run, "keys", "show").stdout.splitlines()[0]
    derived = subprocess.run(
        [KEYGEN, "-y", "-f", str(home / "keys" / "id_ed25519")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert derived.stdout.split()[:2] == line.split()[:2]


def test_show_needs_a_home_that_is_set_up(run, isolated):
    assert "peerjournal init" in refused(run, "keys", "show")
    assert not (isolated / "keys").exists()


# --- trusting other people's keys --------------------------------------------------------------


def test_a_worker_trusts_their_supervisor_who_becomes_a_person(run, home, rowan, tmp_path):
    rowan_pub = public_file(run, rowan, tmp_path, "rowan")
    rowan_print = sshsig.fingerprint(rowan_pub.read_text())
    sam_print = ok(run, "keys", "show").stdout.splitlines()[1].split()[1]
    trusted = ok(run, "keys", "trust", "Rowan Vale", str(rowan_pub))
    assert f"Rowan Vale: {rowan_print}" in trusted.stdout
    assert f"you: {sam_print}" in trusted.stdout
    assert "in person" in trusted.stderr
    assert "Added Rowan Vale to people" in trusted.stderr
    assert "Rowan Vale  supervisor" in ok(run, "people", "list").stdout
    listed = ok(run, "keys", "list").stdout
    assert listed.split() == ["Rowan", "Vale", rowan_print, "2026-11-24", "current"]
    assert (home / "keys" / "trusted.json").stat().st_mode & 0o777 == 0o600
    again = ok(run, "keys", "trust", "rowan", rowan_pub.read_text().strip())
    assert "already trusted; nothing changed" in again.stderr
    assert ok(run, "people", "list").stdout.count("Rowan Vale") == 1


def test_the_supervisor_trusts_a_known_worker_by_a_pasted_line(run, home, rowan, tmp_path):
    sam_line = public_file(run, home, tmp_path, "sam").read_text().strip()
    ok(run, "--home", str(rowan), "people", "add", "Sam Rivers")
    trusted = ok(run, "--home", str(rowan), "keys", "trust", "Sam", sam_line)
    assert "Added" not in trusted.stderr
    rows = json.loads(ok(run, "--home", str(rowan), "keys", "list", "--json").stdout)
    assert [(r["name"], r["fingerprint"], r["current"]) for r in rows] == [
        ("Sam Rivers", sshsig.fingerprint(sam_line), True)
    ]
    assert rows[0]["key"] == " ".join(sam_line.split()[:2])
    assert rows[0]["since"].startswith("2026-11-24T")


def test_a_near_miss_of_a_known_name_is_refused_not_created(run, home, rowan, tmp_path):
    rowan_pub = public_file(run, rowan, tmp_path, "rowan")
    ok(run, "people", "add", "Rowan Vale", "--role", "supervisor")
    error = refused(run, "keys", "trust", "Rowan Vael", str(rowan_pub))
    assert "did you mean 'Rowan Vale'?" in error
    assert "Vael" not in ok(run, "people", "list").stdout
    assert "No trusted keys yet" in run("keys", "list").stderr


def test_your_own_key_is_not_someone_else_s(run, home, tmp_path):
    own = public_file(run, home, tmp_path, "sam")
    assert "this home's own key" in refused(run, "keys", "trust", "Rowan Vale", str(own))
    assert "Rowan" not in ok(run, "people", "list").stdout


def test_one_key_cannot_be_two_people(run, home, rowan, tmp_path):
    rowan_pub = public_file(run, rowan, tmp_path, "rowan")
    ok(run, "keys", "trust", "Rowan Vale", str(rowan_pub))
    assert "already trusted for Rowan Vale" in refused(
        run, "keys", "trust", "Kiri Moana", str(rowan_pub)
    )
    assert "Kiri" not in ok(run, "people", "list").stdout


def test_a_new_key_is_not_taken_silently_and_the_old_one_is_kept(
    run, home, rowan, tmp_path, context
):
    rowan_pub = public_file(run, rowan, tmp_path, "rowan")
    old_print = sshsig.fingerprint(rowan_pub.read_text())
    ok(run, "keys", "trust", "Rowan Vale", str(rowan_pub))
    shutil.rmtree(rowan / "keys")  # the lost laptop: Rowan makes a new key
    laptop_pub = public_file(run, rowan, tmp_path, "rowan-laptop")
    new_print = sshsig.fingerprint(laptop_pub.read_text())
    assert new_print != old_print

    error = refused(run, "keys", "trust", "Rowan Vale", str(laptop_pub))
    assert "--yes" in error
    assert ok(run, "keys", "list").stdout.split()[-1] == "current"
    assert new_print not in ok(run, "keys", "list").stdout

    replaced = ok(run, "keys", "trust", "Rowan Vale", str(laptop_pub), "--yes")
    assert f"the old one ({old_print}) is kept" in replaced.stderr
    rows = [line.split() for line in ok(run, "keys", "list").stdout.splitlines()]
    assert [(r[2], r[4]) for r in rows] == [(new_print, "current"), (old_print, "old")]
    keys = services_of(context, home).keys
    signer = keys.who(old_print)  # bundles signed with the old key still find Rowan
    assert signer is not None
    assert (signer.name, signer.current) == ("Rowan Vale", False)
    assert sshsig.fingerprint(keys.current_key("Rowan Vale")) == new_print


def test_a_terminal_asks_before_a_new_key_replaces_the_old(run, home, rowan, tmp_path):
    import pexpect

    rowan_pub = public_file(run, rowan, tmp_path, "rowan")
    old_print = sshsig.fingerprint(rowan_pub.read_text())
    ok(run, "keys", "trust", "Rowan Vale", str(rowan_pub))
    shutil.rmtree(rowan / "keys")
    laptop_pub = public_file(run, rowan, tmp_path, "rowan-laptop")
    new_print = sshsig.fingerprint(laptop_pub.read_text())

    child = spawn("keys", "trust", "Rowan Vale", str(laptop_pub))
    child.expect("already has a trusted key")
    child.expect("Trust the new key")
    child.sendline("n")
    child.expect("Nothing was changed")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 1
    assert new_print not in ok(run, "keys", "list").stdout

    child = spawn("keys", "trust", "Rowan Vale", str(laptop_pub))
    child.expect(old_print.replace("+", r"\+"))
    child.expect("Trust the new key")
    child.sendline("y")
    child.expect("is kept for checking")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0
    listed = ok(run, "keys", "list").stdout
    # trusted on the real terminal's day (pexpect runs the real clock): any date, then current
    assert re.search(re.escape(new_print) + r"  \d{4}-\d{2}-\d{2}  current", listed)
    assert "old" in listed


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDx rowan@laptop", "this is an ssh-rsa key"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP rowan@old", "this is an ssh-dss key"),
        ("correct horse battery staple", "not an OpenSSH public key line"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI!!! rowan", "damaged"),
        ("ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQDx rowan", "does not match its type"),
        ("./nowhere/rowan.pub", "no key file"),
    ],
    ids=["rsa", "dsa", "garbage", "bad-base64", "mislabelled", "missing-file"],
)
def test_anything_but_an_ed25519_public_key_is_refused(run, home, key, said):
    assert said in refused(run, "keys", "trust", "Rowan Vale", key)
    assert "Rowan" not in ok(run, "people", "list").stdout


def test_a_private_key_is_never_taken_as_a_public_one(run, home, rowan, tmp_path):
    error = refused(run, "keys", "trust", "Rowan Vale", str(rowan / "keys" / "id_ed25519"))
    assert "no key file" in error or "private key" in error
    ok(run, "--home", str(rowan), "keys", "show")
    error = refused(run, "keys", "trust", "Rowan Vale", str(rowan / "keys" / "id_ed25519"))
    assert "is a private key" in error
    assert "id_ed25519.pub" in error


def test_forget_removes_every_key_of_a_person(run, home, rowan, tmp_path):
    rowan_pub = public_file(run, rowan, tmp_path, "rowan")
    ok(run, "keys", "trust", "Rowan Vale", str(rowan_pub))
    ok(run, "keys", "trust", "Rowan Vale", str(new_key(tmp_path, "laptop")) + ".pub", "--yes")
    assert run("keys", "forget", "Rowan").exit_code != 0  # no terminal and no --yes: kept
    assert len(ok(run, "keys", "list").stdout.splitlines()) == 2
    gone = ok(run, "keys", "forget", "Rowan", "--yes")
    assert "Forgot 2 keys of Rowan Vale" in gone.stderr
    assert "No trusted keys yet" in run("keys", "list").stderr
    assert "Rowan Vale" in ok(run, "people", "list").stdout  # the person stays
    assert "no key trusted for Rowan Vale" in refused(run, "keys", "forget", "Rowan", "--yes")
    assert "no person 'Kiri'" in refused(run, "keys", "forget", "Kiri", "--yes")


# --- signing and checking through the service ----------------------------------------------------


def test_what_one_home_signs_the_other_checks_against_the_pinned_key(
    run, home, rowan, tmp_path, context
):
    sam_pub = public_file(run, home, tmp_path, "sam")
    ok(run, "--home", str(rowan), "keys", "trust", "Sam Rivers", str(sam_pub))
    sam = services_of(context, home).keys
    supervisor = services_of(context, rowan).keys
    armored = sam.sign(NAMESPACE_SHARE, MESSAGE)
    signer = supervisor.check(NAMESPACE_SHARE, MESSAGE, armored)
    assert (signer.name, signer.current) == ("Sam Rivers", True)
    sshsig.verify(supervisor.current_key("Sam Rivers"), NAMESPACE_SHARE, MESSAGE, armored)
    with pytest.raises(SignatureError, match="changed after signing"):
        supervisor.check(NAMESPACE_SHARE, MESSAGE + b" ", armored)
    with pytest.raises(SignatureError, match="another purpose"):
        supervisor.check(NAMESPACE_SIGNOFF, MESSAGE, armored)
    stranger = supervisor.sign(NAMESPACE_SHARE, MESSAGE)  # Rowan's own key: not pinned by Rowan
    with pytest.raises(SignatureError, match="nobody in this home trusts"):
        supervisor.check(NAMESPACE_SHARE, MESSAGE, stranger)
    sam.people.add("Rowan Vale", "supervisor")
    with pytest.raises(InputError, match="no key trusted for Rowan Vale; run: peerjournal keys"):
        sam.current_key("Rowan Vale")


def test_identity_pem_is_the_home_key_in_openssh_form(run, home, context):
    line = ok(run, "keys", "show").stdout.splitlines()[0]
    pem = services_of(context, home).keys.identity_pem()
    assert pem.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key

    assert sshsig.public_line(load_ssh_private_key(pem, None)).split() == line.split()[:2]


# --- an existing SSH key -----------------------------------------------------------------------


@needs_keygen
def test_an_unprotected_ssh_key_signs_instead_of_the_home_key(run, home, tmp_path, context):
    key = new_key(tmp_path, "sam-laptop")
    shown = ok(run, "keys", "show", "--ssh-key", str(key))
    line = (tmp_path / "sam-laptop.pub").read_text().strip()
    assert shown.stdout.splitlines() == [line, f"fingerprint: {sshsig.fingerprint(line)}"]
    assert not (home / "keys" / "id_ed25519").exists()
    keys = services_of(context, home).keys_using(key)
    sshsig.verify(line, NAMESPACE_SHARE, MESSAGE, keys.sign(NAMESPACE_SHARE, MESSAGE))


@needs_keygen
def test_other_kinds_of_ssh_key_are_refused(run, home, tmp_path):
    key = new_key(tmp_path, "sam-ecdsa", kind="ecdsa")
    assert "only ed25519 keys can be used" in refused(run, "keys", "show", "--ssh-key", str(key))
    assert "no SSH key" in refused(run, "keys", "show", "--ssh-key", str(tmp_path / "none"))


@pytest.fixture
def agent(tmp_path, monkeypatch):
    """A private ssh-agent for the test, reached through SSH_AUTH_SOCK; stopped afterwards."""
    program, add = shutil.which("ssh-agent"), shutil.which("ssh-add")
    if program is None or add is None or KEYGEN is None:
        pytest.skip("OpenSSH's ssh-agent, ssh-add or ssh-keygen is not installed")
    socket = tmp_path / "agent.sock"
    started = subprocess.Popen(
        [program, "-D", "-a", str(socket)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    monkeypatch.setenv("SSH_AUTH_SOCK", str(socket))
    askpass = tmp_path / "askpass.sh"
    askpass.write_text(f"#!/bin/sh\necho {PASSPHRASE}\n")
    askpass.chmod(0o700)

    def add_key(path: Path) -> None:
        env = dict(os.environ, SSH_ASKPASS=str(askpass), SSH_ASKPASS_REQUIRE="force",
                   DISPLAY=":0")  # fmt: skip
        subprocess.run([add, str(path)], env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, check=True)  # fmt: skip

    yield add_key
    started.send_signal(signal.SIGTERM)
    started.wait(timeout=10)


def test_a_protected_ssh_key_signs_through_the_agent(run, home, tmp_path, context, agent):
    key = new_key(tmp_path, "sam-protected", protected=True)
    line = (tmp_path / "sam-protected.pub").read_text().strip()
    keys = services_of(context, home).keys_using(key)
    with pytest.raises(InputError, match="ssh-agent does not hold it; run: ssh-add"):
        keys.sign(NAMESPACE_SHARE, MESSAGE)
    agent(key)
    armored = keys.sign(NAMESPACE_SHARE, MESSAGE)
    sshsig.verify(line, NAMESPACE_SHARE, MESSAGE, armored)
    assert sshsig.signer_of(armored) == " ".join(line.split()[:2])
    pem = keys.identity_pem(lambda: PASSPHRASE)
    assert pem.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")
    with pytest.raises(InputError, match="wrong passphrase"):
        keys.identity_pem(lambda: "not it")


def test_the_keys_setting_chooses_the_ssh_key(run, home, tmp_path, context, agent):
    key = new_key(tmp_path, "sam-protected", protected=True)
    agent(key)
    settings = home / "settings.yaml"
    text = settings.read_text()
    assert "ssh_key: ''" in text  # `init` writes the setting, empty: the home's own key
    settings.write_text(text.replace("ssh_key: ''", f"ssh_key: {key}"))
    shown = ok(run, "keys", "show")
    line = (tmp_path / "sam-protected.pub").read_text().strip()
    assert shown.stdout.splitlines()[0] == line
    assert f"Using the SSH key {key}" in shown.stderr
    keys = services_of(context, home).keys
    sshsig.verify(line, NAMESPACE_SIGNOFF, MESSAGE, keys.sign(NAMESPACE_SIGNOFF, MESSAGE))
