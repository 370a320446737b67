"""Without the optional 'share' extra, the sharing commands say how to install it in one line."""

import builtins
import sys

MISSING = (
    "peerjournal: sharing and keys need the optional 'share' extra; run: pip install "
    "'peerjournal[share]'\n"
)


def block(monkeypatch, module: str) -> None:
    """Make ``module`` unimportable for the rest of the test, as if it were not installed."""
    real_import = builtins.__import__

    def without(name, *args, **kwargs):
        if name.split(".")[0] == module:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    for loaded in list(sys.modules):
        if loaded.split(".")[0] == module or loaded.startswith(
            ("peerjournal.services.sshsig", "peerjournal.services.bundle")
        ):
            monkeypatch.delitem(sys.modules, loaded)
    monkeypatch.setattr(builtins, "__import__", without)


def test_keys_without_cryptography_say_how_to_install_it(run, home, monkeypatch):
    block(monkeypatch, "cryptography")
    result = run("keys", "show")
    assert (result.exit_code, result.stderr) == (2, MISSING)


def test_sharing_without_the_age_binding_says_how_to_install_it(run, home, monkeypatch, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    line = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH)
    )
    assert run("keys", "trust", "Rowan Vale", line.decode(), "--yes").exit_code == 0
    assert run("diary", "add", "Walked a resident to the shop.", "--for-supervision").exit_code == 0
    block(monkeypatch, "pyrage")
    out = tmp_path / "b.pjbundle"
    result = run("share", "--to", "Rowan Vale", "--out", str(out))
    assert (result.exit_code, result.stderr.splitlines()[-1] + "\n") == (2, MISSING)
    assert not out.exists()
