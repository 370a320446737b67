"""A supervisor signs off a worker's supervision; the worker and a certification body check it.

Two homes in tmp_path, driven through the real CLI with the suite's fixed clock (2026-11-24 in
Auckland). The sign-off's files are handed to the worker's home as a bundle keeps them
(``team/<supervisor-id>/signoffs/<id>/``). Stock ``ssh-keygen`` checks the signature with exactly
the commands the README gives. Names are fictional.
"""

import hashlib
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from helpers import Home
from peerjournal.cli import signoff as signoff_cli

pytest.importorskip("cryptography")

NOTES = "Talked through a hard week at the drop-in."


@pytest.fixture
def pair(run, tmp_path):
    """Sam (a worker) and Rowan (Sam's supervisor), who trust each other's keys."""
    worker = Home(run, tmp_path / "sam", "Sam Rivers", "peer-worker")
    supervisor = Home(run, tmp_path / "rowan", "Rowan Vale", "supervisor")
    worker.trust(supervisor)
    supervisor.trust(worker)
    supervisor.ok("people", "add", "Ari Tane", "--role", "worker")
    return worker, supervisor


def session(home: Home, *args: str) -> str:
    saved = home.ok("supervision", "new", *args)
    return saved.stdout.split()[3]


@pytest.fixture
def sessions(pair):
    """October and November: one-to-one, a group with Ari, a cancelled one, one-to-one again,
    and one Kit Moana supervised (Rowan cannot attest that one)."""
    _, rowan = pair
    return [
        session(rowan, "--worker", "Sam Rivers", "--minutes", "60", "--notes", NOTES,
                "--date", "2026-10-06 10:00"),
        session(rowan, "--worker", "Sam Rivers", "--worker", "Ari Tane", "--form", "group",
                "--type", "cultural", "--minutes", "90", "--notes", "Group reflections.",
                "--date", "2026-10-20 10:00"),
        session(rowan, "--worker", "Sam Rivers", "--cancelled", "--why", "Supervisor off sick",
                "--date", "2026-11-03 10:00"),
        session(rowan, "--worker", "Sam Rivers", "--minutes", "45", "--type",
                "reflective-practice", "--notes", NOTES, "--date", "2026-11-10 10:00"),
        session(rowan, "--worker", "Sam Rivers", "--supervisor", "Kit Moana", "--minutes", "30",
                "--type", "cultural", "--notes", NOTES, "--date", "2026-11-12 10:00"),
    ]  # fmt: skip


def sign(home: Home, since: str, until: str, *args: str):
    return home.ok(
        "supervision", "signoff", "--worker", "Sam Rivers", "--since", since, "--until", until,
        "--yes", *args,
    )  # fmt: skip


def signed_folder(result, home: Home) -> Path:
    signoff_id = result.stdout.split("Signed sign-off ", 1)[1].split(":", 1)[0]
    return home.root / "signoffs" / signoff_id


def document(folder: Path) -> dict:
    return json.loads((folder / "signoff.json").read_bytes())


def test_the_sign_off_attests_held_sessions_per_type_and_form(pair, sessions):
    sam, rowan = pair
    shown = sign(rowan, "2026-10-01", "2026-11-23")
    out = shown.stdout
    for session_id in (sessions[0], sessions[1], sessions[3]):
        assert session_id in out
    assert sessions[2] not in out  # the cancelled one is not attested...
    assert "Left out: 1 session cancelled or missed (not attested)" in out  # ...and said so
    assert sessions[4] not in out
    assert "Left out: 1 session with another supervisor (theirs to sign off)" in out
    assert "Total: 3h 15m in 3 sessions" in out
    assert "cultural            1h 30m" in out  # the group session counts for Sam
    assert "group               1h 30m" in out
    folder = signed_folder(shown, rowan)
    doc = document(folder)
    assert doc["format"] == "peerjournal-signoff"
    assert doc["version"] == 1
    assert doc["totals"] == {
        "minutes": 195,
        "sessions": 3,
        "by_type": {"cultural": 90, "professional": 60, "reflective-practice": 45},
        "by_form": {"group": 90, "individual": 105},
    }
    assert [s["id"] for s in doc["sessions"]] == [sessions[0], sessions[1], sessions[3]]
    assert doc["not_attested"] == {"cancelled_or_missed": 1, "another_supervisor": 1}
    assert doc["statement"].startswith(
        "I, Rowan Vale, supervised Sam Rivers for the sessions below between 2026-10-01 and "
        "2026-11-23;"
    )
    assert doc["supervisor"] == {
        "name": "Rowan Vale",
        "fingerprint": rowan.fingerprint(),
        "key": " ".join(rowan.key().split()[:2]),  # for allowed_signers
    }
    assert doc["worker"] == {"name": "Sam Rivers", "fingerprint": sam.fingerprint()}
    assert (doc["date"], doc["previous"], doc["supersedes"]) == ("2026-11-24", None, [])
    # each digest is of the session as Sam receives it: Sam's copy can be checked against it
    bundle = rowan.root.parent / "to-sam.pjbundle"
    rowan.ok("share", "--to", "Sam Rivers", "--out", str(bundle), "--only", "sessions")
    sam.ok("receive", str(bundle))
    group_file = next((sam.root / "team").rglob(f"sessions/{sessions[1]}.md"))
    assert doc["sessions"][1]["sha256"] == hashlib.sha256(group_file.read_bytes()).hexdigest()
    raw = (folder / "signoff.json").read_bytes()
    assert raw == json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2).encode() + b"\n"
    for name in ("signoff.json", "signoff.json.sig"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o400
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_target_is_the_workers_or_a_credentials_first_hours_rule(pair, sessions):
    _, rowan = pair
    settings = rowan.root / "settings.yaml"
    text = settings.read_text()
    settings.write_text(text.replace("  hours_target: null\n", "  hours_target: 25\n"))
    shown = rowan.run(
        "supervision", "signoff", "--worker", "Sam", "--since", "2026-10-01", "--until",
        "2026-10-31",
    )  # fmt: skip
    assert "Total: 2h 30m in 2 sessions, against 25h (the worker's target)" in shown.stdout
    credential = rowan.run(
        "supervision", "signoff", "--worker", "Sam", "--since", "2026-10-01", "--until",
        "2026-10-31", "--credential", "icrc-pr",
    )  # fmt: skip
    assert "against 25h (" in credential.stdout
    assert "0m of it counts toward that rule" in credential.stdout  # no session names a domain


def test_without_yes_and_without_a_terminal_nothing_is_signed(pair, sessions):
    _, rowan = pair
    refused = rowan.run(
        "supervision", "signoff", "--worker", "Sam", "--since", "2026-10-01", "--until",
        "2026-11-23",
    )  # fmt: skip
    assert refused.exit_code == 2
    assert refused.stderr.strip().splitlines() == [
        "peerjournal: nothing was signed: run in a terminal to be asked, or add --yes"
    ]
    assert "Total: 3h 15m" in refused.stdout  # what would have been attested was shown
    assert not (rowan.root / "signoffs").exists()


def test_at_a_terminal_saying_no_signs_nothing(pair, sessions, monkeypatch):
    _, rowan = pair
    monkeypatch.setattr(signoff_cli, "on_terminal", lambda: True)
    declined = rowan.run(
        "supervision", "signoff", "--worker", "Sam", "--since", "2026-10-01", "--until",
        "2026-11-23", input="n\n",
    )  # fmt: skip
    assert declined.exit_code == 1
    assert "Nothing was signed." in declined.stderr
    assert not (rowan.root / "signoffs").exists()
    rowan.ok(
        "supervision", "signoff", "--worker", "Sam", "--since", "2026-10-01", "--until",
        "2026-11-23", input="y\n",
    )  # fmt: skip
    assert len(list((rowan.root / "signoffs").iterdir())) == 1


def test_a_period_without_a_held_session_is_refused(pair, sessions):
    _, rowan = pair
    refused = rowan.run(
        "supervision", "signoff", "--worker", "Sam", "--since", "2026-11-01", "--until",
        "2026-11-05", "--yes",
    )  # fmt: skip
    assert refused.exit_code == 2
    assert refused.stderr.strip().splitlines() == [
        "peerjournal: Sam Rivers had no supervision sessions held between 2026-11-01 and "
        "2026-11-05 (1 cancelled or missed); there is nothing to sign off"
    ]
    assert not (rowan.root / "signoffs").exists()


def test_sign_offs_chain_and_a_correction_supersedes_without_changing_the_old(pair, sessions):
    _, rowan = pair
    first = signed_folder(sign(rowan, "2026-10-01", "2026-10-31"), rowan)
    first_bytes = {p.name: p.read_bytes() for p in first.iterdir()}
    second = signed_folder(sign(rowan, "2026-11-01", "2026-11-23"), rowan)
    first_digest = hashlib.sha256(first_bytes["signoff.json"]).hexdigest()
    assert document(second)["previous"] == first_digest
    assert document(second)["supersedes"] == []
    corrected = sign(rowan, "2026-10-01", "2026-10-20")
    assert f"Supersedes sign-off {first.name} (2026-10-01 to 2026-10-31)" in corrected.stdout
    third = signed_folder(corrected, rowan)
    doc = document(third)
    second_digest = hashlib.sha256((second / "signoff.json").read_bytes()).hexdigest()
    assert doc["previous"] == second_digest
    assert doc["supersedes"] == [{"id": first.name, "sha256": first_digest}]
    assert f"replaces sign-off {first.name}" in doc["statement"]
    assert {p.name: p.read_bytes() for p in first.iterdir()} == first_bytes  # never edited
    listed = rowan.ok("signoffs", "list").stdout
    assert f"{first.name}  2026-10-01 to 2026-10-31  2h 30m  for Sam Rivers" in listed
    assert f"(superseded by {third.name})" in listed
    checks = rowan.ok("signoffs", "verify", third.name[:17]).stdout  # a prefix finds it
    assert f"chain: follows sign-off {second.name}" in checks


def hand_over(rowan: Home, sam: Home, folder: Path) -> Path:
    """Keep the two files in Sam's home where a bundle from Rowan puts them."""
    target = sam.root / "team" / sam.person_id("Rowan Vale") / "signoffs" / folder.name
    target.mkdir(parents=True)
    for name in ("signoff.json", "signoff.json.sig"):
        shutil.copyfile(folder / name, target / name)
    return target


def test_the_worker_lists_checks_and_prints_a_received_sign_off(pair, sessions, tmp_path):
    sam, rowan = pair
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    kept = hand_over(rowan, sam, folder)
    listed = sam.ok("signoffs", "list").stdout
    assert f"{folder.name}  2026-10-01 to 2026-11-23  3h 15m  from Rowan Vale" in listed
    checks = sam.ok("signoffs", "verify", folder.name[:10])
    assert f"ok    signature: good, by Rowan Vale's trusted key {rowan.fingerprint()}" in (
        checks.stdout
    )
    assert "made out to you" in checks.stdout
    assert "every check holds" in checks.stderr
    page = tmp_path / "signoff.html"
    sam.ok("signoffs", "page", folder.name[:10], "--out", str(page))
    html = page.read_text(encoding="utf-8")
    assert hashlib.sha256((kept / "signoff.json").read_bytes()).hexdigest() in html
    assert rowan.fingerprint() in html
    assert sam.fingerprint() in html
    assert "I, Rowan Vale, supervised Sam Rivers" in html
    assert sessions[0] in html
    assert "3h 15m" in html
    assert NOTES not in html
    assert "Group reflections" not in html
    assert "off sick" not in html
    assert "<script" not in html
    assert "http" not in html.replace("http-equiv", "")


def test_the_supervisors_page_has_the_digest_and_both_fingerprints(pair, sessions, tmp_path):
    sam, rowan = pair
    page = tmp_path / "page.html"
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23", "--page", str(page)), rowan)
    html = page.read_text(encoding="utf-8")
    assert hashlib.sha256((folder / "signoff.json").read_bytes()).hexdigest() in html
    assert rowan.fingerprint() in html
    assert sam.fingerprint() in html
    assert NOTES not in html


def flip_a_byte(path: Path) -> None:
    path.chmod(0o600)
    data = bytearray(path.read_bytes())
    data[data.index(b'"minutes": 195') + len('"minutes": 19')] ^= 0x01  # 195 becomes 194
    path.write_bytes(bytes(data))


def test_verify_fails_on_a_changed_byte(pair, sessions, tmp_path):
    sam, rowan = pair
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    kept = hand_over(rowan, sam, folder)
    for home, path in ((rowan, folder), (sam, kept)):
        flip_a_byte(path / "signoff.json")
        failed = home.run("signoffs", "verify", folder.name)
        assert failed.exit_code == 2
        assert failed.stdout.startswith("FAIL  signature:")
        assert "does not verify" in failed.stderr
        refused = home.run("signoffs", "page", folder.name, "--out", str(tmp_path / "x.html"))
        assert refused.exit_code == 2
        assert not (tmp_path / "x.html").exists()


# The README's commands for a certification body, word for word (the key line is theirs to
# paste; the test pastes Rowan's).
README_COMMANDS = """\
echo '"Rowan Vale" {key}' > allowed_signers
sha256sum signoff.json
ssh-keygen -Y verify -f allowed_signers -I "Rowan Vale" -n peerjournal-signoff@v1 -s signoff.json.sig < signoff.json
"""  # noqa: E501


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")
def test_stock_ssh_keygen_verifies_a_sign_off_with_the_readme_commands(pair, sessions, tmp_path):
    sam, rowan = pair
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    kept = hand_over(rowan, sam, folder)
    body = tmp_path / "certification-body"
    body.mkdir()
    for name in ("signoff.json", "signoff.json.sig"):  # what the worker hands over
        shutil.copyfile(kept / name, body / name)
    key = " ".join(rowan.key().split()[:2])  # as the page and signoff.json give it
    assert document(body)["supervisor"]["key"] == key

    def commands() -> subprocess.CompletedProcess[str]:
        script = README_COMMANDS.format(key=key)
        return subprocess.run(
            ["sh", "-e", "-c", script], cwd=body, capture_output=True, text=True, check=False
        )

    good = commands()
    assert good.returncode == 0, good.stderr
    digest = hashlib.sha256((body / "signoff.json").read_bytes()).hexdigest()
    assert good.stdout.startswith(f"{digest}  signoff.json")
    assert (
        f'Good "peerjournal-signoff@v1" signature for Rowan Vale with ED25519 key '
        f"{rowan.fingerprint()}" in good.stdout + good.stderr
    )
    flip_a_byte(body / "signoff.json")
    bad = commands()
    assert bad.returncode != 0
    assert "Good" not in bad.stdout + bad.stderr


def test_the_next_bundle_carries_the_sign_off_to_the_worker_as_it_was_signed(
    pair, sessions, tmp_path
):
    pytest.importorskip("pyrage")
    sam, rowan = pair
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    rowan.ok("privacy", "watch", "add", "Sam Rivers")  # pseudonyms change records, not these
    bundle = tmp_path / "to-sam.pjbundle"
    rowan.ok("share", "--to", "Sam Rivers", "--out", str(bundle), "--pseudonymise")
    sam.ok("receive", str(bundle))
    kept = sam.root / "team" / sam.person_id("Rowan Vale") / "signoffs" / folder.name
    for name in ("signoff.json", "signoff.json.sig"):  # byte for byte, pseudonyms or not
        assert (kept / name).read_bytes() == (folder / name).read_bytes()
    assert "every check holds" in sam.ok("signoffs", "verify", folder.name).stderr
    assert folder.name in sam.ok("signoffs", "list").stdout


def test_a_session_changed_after_signing_is_noted_and_the_sign_off_still_stands(pair, sessions):
    _, rowan = pair
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    changed = next((rowan.root / "supervision" / "sessions").rglob(f"{sessions[0]}.md"))
    changed.write_text(changed.read_text() + "\nAdded later.\n")
    checks = rowan.ok("signoffs", "verify", folder.name)
    assert f"note  sessions changed or gone since signing: {sessions[0]}" in checks.stdout
    assert "every check holds" in checks.stderr


def test_a_sign_off_from_a_key_the_worker_no_longer_trusts_does_not_verify(pair, sessions):
    sam, rowan = pair
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    hand_over(rowan, sam, folder)
    sam.ok("keys", "forget", "Rowan Vale", input="y\n")
    failed = sam.run("signoffs", "verify", folder.name)
    assert failed.exit_code == 2
    assert failed.stdout.startswith("FAIL  signature: signed by a key nobody in this home trusts")


def test_an_encrypted_home_exports_a_sign_off_stock_ssh_keygen_verifies(
    pair, sessions, tmp_path, monkeypatch
):
    _, rowan = pair
    secret = tmp_path / "passphrase.txt"
    secret.write_text("gulls over the wharf\n")
    monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(secret))
    rowan.ok("encrypt", "--yes")
    folder = signed_folder(sign(rowan, "2026-10-01", "2026-11-23"), rowan)
    assert (folder / "signoff.json").read_bytes().startswith(b"PJSEAL1\n")  # sealed at rest
    body = tmp_path / "certification-body"
    exported = rowan.ok("signoffs", "export", folder.name[:10], "--out", str(body))
    assert "signoff.json.sig" in exported.stderr
    key = " ".join(rowan.key().split()[:2])
    good = subprocess.run(
        ["sh", "-e", "-c", README_COMMANDS.format(key=key)], cwd=body, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    again = rowan.run("signoffs", "export", folder.name[:10], "--out", str(body))
    assert again.exit_code == 2
    assert "already there" in again.stderr
