"""Our SSHSIG signatures are OpenSSH's: stock ssh-keygen accepts ours, and we accept its own."""

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_ssh_private_key

from peerjournal.errors import InputError
from peerjournal.services import sshsig
from peerjournal.services.sshsig import NAMESPACE_SHARE, NAMESPACE_SIGNOFF, SignatureError

KEYGEN = shutil.which("ssh-keygen")
needs_keygen = pytest.mark.skipif(KEYGEN is None, reason="OpenSSH's ssh-keygen is not installed")
MESSAGE = b'{"bundle": "b-0001", "to": "Rowan Vale"}\n'


@pytest.fixture(autouse=True)
def no_agent(monkeypatch):
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)


@pytest.fixture
def keypair(tmp_path: Path) -> tuple[Path, Ed25519PrivateKey, str]:
    """An ed25519 key made by ssh-keygen: its path, the loaded key and its .pub line."""
    if KEYGEN is None:
        pytest.skip("OpenSSH's ssh-keygen is not installed")
    path = tmp_path / "rowan"
    subprocess.run(
        [KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "Rowan Vale", "-f", str(path)], check=True
    )
    key = load_ssh_private_key(path.read_bytes(), None)
    assert isinstance(key, Ed25519PrivateKey)
    return path, key, (tmp_path / "rowan.pub").read_text()


def test_a_signature_round_trips():
    key = Ed25519PrivateKey.generate()
    line = sshsig.public_line(key, "Sam Rivers")
    armored = sshsig.sign(key, NAMESPACE_SHARE, MESSAGE)
    assert armored.startswith("-----BEGIN SSH SIGNATURE-----\n")
    assert armored.endswith("-----END SSH SIGNATURE-----\n")
    sshsig.verify(line, NAMESPACE_SHARE, MESSAGE, armored)
    assert sshsig.signer_of(armored) == line.rsplit(" ", 2)[0]


def test_a_changed_message_namespace_or_key_is_refused():
    key = Ed25519PrivateKey.generate()
    line = sshsig.public_line(key)
    armored = sshsig.sign(key, NAMESPACE_SHARE, MESSAGE)
    with pytest.raises(SignatureError, match="changed after signing"):
        sshsig.verify(line, NAMESPACE_SHARE, MESSAGE.replace(b"0001", b"0002"), armored)
    with pytest.raises(SignatureError, match="another purpose"):
        sshsig.verify(line, NAMESPACE_SIGNOFF, MESSAGE, armored)
    other = sshsig.public_line(Ed25519PrivateKey.generate())
    with pytest.raises(SignatureError, match="made by SHA256:"):
        sshsig.verify(other, NAMESPACE_SHARE, MESSAGE, armored)


@pytest.mark.parametrize(
    "damage",
    [
        lambda a: a.replace("BEGIN SSH SIGNATURE", "BEGIN PGP SIGNATURE"),
        lambda a: a[:60] + "!" + a[61:],
        lambda a: "\n".join(a.splitlines()[:2] + a.splitlines()[-1:]),
        lambda a: "",
    ],
    ids=["armor", "base64", "cut-short", "empty"],
)
def test_malformed_armor_is_one_clear_refusal(damage):
    key = Ed25519PrivateKey.generate()
    armored = damage(sshsig.sign(key, NAMESPACE_SHARE, MESSAGE))
    with pytest.raises(SignatureError) as caught:
        sshsig.verify(sshsig.public_line(key), NAMESPACE_SHARE, MESSAGE, armored)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, InputError)
    assert caught.value.exit_code == 2


def test_other_kinds_of_key_are_refused():
    with pytest.raises(
        SignatureError, match="only ssh-ed25519 keys are accepted; this is an ssh-rsa"
    ):
        sshsig.fingerprint("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 Rowan")
    with pytest.raises(SignatureError, match="not an OpenSSH public key line"):
        sshsig.fingerprint("hello there")


@needs_keygen
def test_stock_ssh_keygen_accepts_our_signature(tmp_path, keypair):
    _, key, pub = keypair
    message = tmp_path / "manifest.json"
    message.write_bytes(MESSAGE)
    signature = tmp_path / "manifest.json.sig"
    signature.write_text(sshsig.sign(key, NAMESPACE_SHARE, MESSAGE))
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"rowan@example.org {pub}")
    with message.open("rb") as stdin:
        checked = subprocess.run(
            [KEYGEN, "-Y", "verify", "-f", str(allowed), "-I", "rowan@example.org",
             "-n", NAMESPACE_SHARE, "-s", str(signature)],
            stdin=stdin, capture_output=True, text=True, check=False,
        )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert 'Good "peerjournal-share@v1" signature for rowan@example.org' in checked.stdout


@needs_keygen
def test_our_signature_is_byte_identical_to_ssh_keygens_and_we_accept_its_own(tmp_path, keypair):
    path, key, pub = keypair
    made = subprocess.run(
        [KEYGEN, "-Y", "sign", "-f", str(path), "-n", NAMESPACE_SIGNOFF],
        input=MESSAGE, capture_output=True, check=True,
    )  # fmt: skip
    theirs = made.stdout.decode()
    sshsig.verify(pub, NAMESPACE_SIGNOFF, MESSAGE, theirs)
    assert sshsig.sign(key, NAMESPACE_SIGNOFF, MESSAGE) == theirs  # Ed25519 is deterministic
    with pytest.raises(SignatureError):
        sshsig.verify(pub, NAMESPACE_SHARE, MESSAGE, theirs)


@needs_keygen
def test_the_fingerprint_is_the_one_ssh_keygen_prints(tmp_path, keypair):
    _, _, pub = keypair
    listed = subprocess.run(
        [KEYGEN, "-l", "-f", str(tmp_path / "rowan.pub")], capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert listed.stdout.split()[1] == sshsig.fingerprint(pub)
