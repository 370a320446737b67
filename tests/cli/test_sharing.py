"""Two homes and a folder between them: a worker and a supervisor exchange signed, sealed bundles.

Every home lives in tmp_path; bundles are files handed over by copying. Names are fictional.
"""

import json
import shutil
import stat
from pathlib import Path

import pytest

from helpers import Home

HARBOUR = Path(__file__).parents[1] / "data" / "frameworks" / "harbour-values.yaml"
pytest.importorskip("cryptography")
pytest.importorskip("pyrage")


@pytest.fixture
def pair(run, tmp_path):
    worker = Home(run, tmp_path / "sam", "Sam Rivers", "peer-worker", frameworks=[HARBOUR])
    supervisor = Home(run, tmp_path / "rowan", "Rowan Vale", "supervisor", frameworks=[HARBOUR])
    worker.trust(supervisor)
    supervisor.trust(worker)
    return worker, supervisor


def share(home: Home, to: str, out: Path, *args: str):
    return home.ok("share", "--to", to, "--out", str(out), *args)


def add_material(worker: Home, tmp_path: Path) -> None:
    worker.ok(
        "diary", "add", "Walked with a resident to the community garden.", "--for-supervision",
        "--title", "Garden walk", "--date", "2026-11-20 10:00",
    )  # fmt: skip
    worker.ok("diary", "add", "A quiet day of paperwork.", "--date", "2026-11-21 10:00")
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 2\nw.2: 3\nf.1: 1\n")
    worker.ok("assess", "start", "harbour-values", "--answers", str(answers))


def test_a_worker_shares_and_the_supervisor_receives_what_was_chosen(pair, tmp_path):
    worker, supervisor = pair
    add_material(worker, tmp_path)
    listed = worker.ok("share", "--to", "Rowan Vale", "--dry-run")
    assert "diary entry" in listed.stdout
    assert "assessment" in listed.stdout
    assert "1 entry, 1 assessment." in listed.stderr  # the entry not for supervision stays
    bundle = tmp_path / "to-rowan.pjbundle"
    share(worker, "Rowan Vale", bundle)
    assert b"garden" not in bundle.read_bytes()  # sealed: nothing readable on the stick
    checked = supervisor.ok("verify", str(bundle)).stdout
    assert "from      Sam Rivers" in checked
    assert "all hold" in checked
    assert not (supervisor.root / "team").exists()  # verify imports nothing
    received = supervisor.ok("receive", str(bundle)).stdout
    assert "Received bundle" in received
    assert "2 new or changed" in received
    [folder] = (supervisor.root / "team").iterdir()
    [entry] = (folder / "entries").iterdir()
    assert "community garden" in entry.read_text()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o400
    again = supervisor.ok("receive", str(bundle)).stdout
    assert "received before; nothing added" in again
    nothing = worker.run("share", "--to", "Rowan Vale", "--out", str(tmp_path / "x.pjbundle"))
    assert nothing.exit_code == 2
    assert "nothing new to share with Rowan Vale" in nothing.stderr
    team = json.loads(supervisor.ok("team", "--json").stdout)
    [row] = team
    assert (row["person"], row["entries"], row["assessments"]) == ("Sam Rivers", 1, 1)


def test_the_supervisor_shares_back_sessions_and_the_worker_sees_them(pair, tmp_path):
    worker, supervisor = pair
    supervisor.ok(
        "supervision", "new", "--worker", "Sam Rivers", "--minutes", "50", "--notes",
        "Pacing and rest after a hard week.", "--date", "2026-11-22 10:00",
    )  # fmt: skip
    bundle = tmp_path / "to-sam.pjbundle"
    share(supervisor, "Sam Rivers", bundle)
    received = worker.ok("receive", str(bundle)).stdout
    assert "from Rowan Vale" in received
    [row] = json.loads(worker.ok("team", "--json").stdout)
    assert (row["person"], row["sessions"]) == ("Rowan Vale", 1)


def test_a_changed_byte_is_refused_and_nothing_is_imported(pair, tmp_path):
    worker, supervisor = pair
    add_material(worker, tmp_path)
    bundle = tmp_path / "b.pjbundle"
    share(worker, "Rowan Vale", bundle)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    for command in ("verify", "receive"):
        result = supervisor.run(command, str(bundle))
        assert result.exit_code == 2, command
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert not (supervisor.root / "team").exists()


def test_a_bundle_from_an_untrusted_key_or_for_someone_else_is_refused(pair, run, tmp_path):
    worker, supervisor = pair
    stranger = Home(run, tmp_path / "kit", "Kit Moana", "peer-worker")
    stranger.trust(supervisor)  # Kit can seal to Rowan, but Rowan never trusted Kit
    stranger.ok("diary", "add", "Met a peer at the drop-in.", "--for-supervision")
    from_stranger = tmp_path / "kit.pjbundle"
    share(stranger, "Rowan Vale", from_stranger)
    refused = supervisor.run("receive", str(from_stranger))
    assert refused.exit_code == 2
    assert "not trusted here" in refused.stderr
    add_material(worker, tmp_path)
    for_rowan = tmp_path / "for-rowan.pjbundle"
    share(worker, "Rowan Vale", for_rowan)
    other = stranger.run("verify", str(for_rowan))
    assert other.exit_code == 2
    assert "not for you" in other.stderr or "another key" in other.stderr
    assert not (supervisor.root / "team").exists()


def test_a_missing_or_reordered_bundle_is_reported(pair, tmp_path):
    worker, supervisor = pair
    bundles = []
    for number in range(3):
        worker.ok("diary", "add", f"Entry number {number} of the week.", "--for-supervision")
        path = tmp_path / f"b{number}.pjbundle"
        share(worker, "Rowan Vale", path)
        bundles.append(path)
    supervisor.ok("receive", str(bundles[0]))
    gap = supervisor.ok("receive", str(bundles[2]))
    assert "missing" in gap.stderr
    late = supervisor.ok("receive", str(bundles[1]))
    assert "written before that one" in late.stderr
    [row] = json.loads(supervisor.ok("team", "--json").stdout)
    assert row["entries"] == 3


def test_the_privacy_check_runs_over_what_is_shared(pair, tmp_path):
    worker, _ = pair
    worker.ok("privacy", "watch", "add", "Hemi Walker")
    worker.ok(
        "diary", "add", "Hemi Walker rang me on 021 555 0143 about the roster.",
        "--for-supervision", "--title", "Roster call", input="keep\n",
    )  # fmt: skip
    bundle = tmp_path / "b.pjbundle"
    strict = worker.run("share", "--to", "Rowan Vale", "--out", str(bundle), "--strict")
    assert strict.exit_code == 2
    assert "identifying details" in strict.stderr
    assert "021 555 0143" not in strict.stderr
    assert "Hemi" not in strict.stderr
    assert not bundle.exists()
    asked = worker.run("share", "--to", "Rowan Vale", "--out", str(bundle), input="n\n")
    assert asked.exit_code == 1
    assert not bundle.exists()
    share(worker, "Rowan Vale", bundle, "--pseudonymise", "--yes")
    assert bundle.exists()


def test_the_whole_loop_shared_ratings_meet_in_gaps_prep_and_back(pair, tmp_path):
    worker, supervisor = pair
    add_material(worker, tmp_path)  # self: w.1 2, w.2 3, f.1 1
    to_rowan = tmp_path / "to-rowan.pjbundle"
    share(worker, "Rowan Vale", to_rowan)
    supervisor.ok("receive", str(to_rowan))
    ratings = tmp_path / "rowan.yaml"
    ratings.write_text("w.1: 2\nw.2: 1\nf.1: 1\n")
    supervisor.ok(
        "assess", "start", "harbour-values", "--role", "supervisor", "--subject", "Sam Rivers",
        "--answers", str(ratings),
    )  # fmt: skip
    gaps = supervisor.ok("assess", "gaps", "--subject", "Sam Rivers").stdout
    assert "w.2" in gaps  # the worker's shared 3 against the supervisor's own 1
    prep = supervisor.ok("supervision", "prep", "--worker", "Sam Rivers").stdout
    assert "Garden walk" in prep
    [row] = json.loads(supervisor.ok("team", "--json").stdout)
    assert (row["person"], row["gaps"]) == ("Sam Rivers", 1)  # w.2: 3 against 1
    supervisor.ok(
        "supervision", "new", "--worker", "Sam Rivers", "--minutes", "45", "--notes",
        "Talked through the garden walk.", "--date", "2026-11-23 10:00",
    )  # fmt: skip
    script = tmp_path / "action.yaml"
    script.write_text(
        "date: 2026-11-23 11:00\nworker: Sam Rivers\nminutes: 15\nnotes: Follow-up.\n"
        "actions:\n  - {text: Read the pacing guide, owner: Sam Rivers, due: 2026-12-20}\n"
    )
    supervisor.ok("supervision", "new", "--from", str(script))
    supervisor.ok(
        "supervision", "signoff", "--worker", "Sam Rivers", "--since", "2026-11-01",
        "--until", "2026-11-24", "--yes",
    )  # fmt: skip
    to_sam = tmp_path / "to-sam.pjbundle"
    share(supervisor, "Sam Rivers", to_sam)
    worker.ok("receive", str(to_sam))
    [signed] = (worker.root / "team").glob("*/signoffs/*/signoff.json")
    assert json.loads(signed.read_text())["totals"]["minutes"] == 60
    verified = worker.ok("signoffs", "verify", signed.parent.name).stdout
    assert "each one received matches what was signed" in verified  # digests of shared bytes
    if shutil.which("ssh-keygen"):  # what a certification body runs, with stock OpenSSH
        import subprocess

        key = " ".join(supervisor.key().split()[:2])
        (tmp_path / "allowed_signers").write_text(f'"Rowan Vale" {key}\n')
        allowed = str(tmp_path / "allowed_signers")
        signature = str(signed.with_name("signoff.json.sig"))
        checked = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", allowed, "-I", "Rowan Vale",
             "-n", "peerjournal-signoff@v1", "-s", signature],
            input=signed.read_bytes(), capture_output=True, check=False,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
    back = worker.ok("assess", "gaps").stdout
    assert "w.2" in back  # the supervisor's rating, shared back, beside the worker's own
    own_prep = worker.ok("supervision", "prep").stdout
    assert "Read the pacing guide" in own_prep
    listed = json.loads(worker.ok("supervision", "list", "--json").stdout)
    assert {s["supervisor"] for s in listed} == {"Rowan Vale"}
    [action] = [a for s in listed for a in s["actions"]]
    refused = worker.run("supervision", "done", action["id"])
    assert refused.exit_code == 2
    assert "shared by Rowan Vale" in refused.stderr


def test_a_received_session_shows_on_the_workers_home_screen_at_once(pair, tmp_path):
    worker, supervisor = pair
    before = worker.ok().stdout  # the facts cache is written now
    assert "last supervision         never" in before
    supervisor.ok(
        "supervision", "new", "--worker", "Sam Rivers", "--minutes", "50", "--notes",
        "Pacing.", "--date", "2026-11-22 10:00",
    )  # fmt: skip
    bundle = tmp_path / "to-sam.pjbundle"
    share(supervisor, "Sam Rivers", bundle)
    worker.ok("receive", str(bundle))
    after = worker.ok().stdout
    assert "last supervision         2 days ago" in after


def test_the_supervisors_home_screen_says_when_a_worker_last_shared(pair, tmp_path):
    worker, supervisor = pair
    supervisor.ok("supervision", "new", "--worker", "Sam Rivers", "--minutes", "30", "--notes", "x")
    assert "last shared" not in supervisor.ok().stdout  # nobody has shared anything yet
    worker.ok("diary", "add", "Walked a resident to the bus stop.", "--for-supervision")
    bundle = tmp_path / "b.pjbundle"
    share(worker, "Rowan Vale", bundle)
    supervisor.ok("receive", str(bundle))
    board = supervisor.ok().stdout
    assert "last shared" in board
    [row] = [line for line in board.splitlines() if line.strip().startswith("Sam Rivers")]
    assert row.rstrip().endswith("0 days ago")


def test_three_workers_bundles_stay_apart_in_one_supervisors_home(run, tmp_path):
    supervisor = Home(run, tmp_path / "rowan", "Rowan Vale", "supervisor")
    workers = [
        Home(run, tmp_path / name.split()[0].lower(), name, "peer-worker")
        for name in ("Sam Rivers", "Ari Tane", "Mere Hohaia")
    ]
    for number, worker in enumerate(workers):
        worker.trust(supervisor)
        supervisor.trust(worker)
        worker.ok("diary", "add", f"Shared moment number {number}.", "--for-supervision")
        bundle = tmp_path / f"{worker.root.name}.pjbundle"
        share(worker, "Rowan Vale", bundle)
        supervisor.ok("receive", str(bundle))
    folders = sorted((supervisor.root / "team").iterdir())
    assert len(folders) == 3
    texts = [next((f / "entries").iterdir()).read_text() for f in folders]
    assert sorted(t.split("Shared moment number ")[1][0] for t in texts) == ["0", "1", "2"]
    rows = json.loads(supervisor.ok("team", "--json").stdout)
    assert [(r["person"], r["entries"]) for r in rows] == [
        ("Ari Tane", 1),
        ("Mere Hohaia", 1),
        ("Sam Rivers", 1),
    ]
    ari = supervisor.ok("supervision", "prep", "--worker", "Ari Tane").stdout
    assert "Shared moment number 1" in ari  # Ari's own shared entry, by its title
    assert "number 0" not in ari
    assert "number 2" not in ari


def test_a_workers_own_session_notes_go_only_when_asked_for(pair, tmp_path):
    worker, _ = pair
    worker.ok(
        "supervision", "new", "--minutes", "30", "--supervisor", "Rowan Vale", "--notes",
        "My own notes of the session.", "--date", "2026-11-20 10:00",
    )  # fmt: skip
    nothing = worker.run("share", "--to", "Rowan Vale", "--dry-run")
    assert "Nothing new to share with Rowan Vale" in nothing.stderr
    asked = worker.ok("share", "--to", "Rowan Vale", "--dry-run", "--only", "sessions")
    assert "supervision session" in asked.stdout


def test_doctor_and_prep_name_damaged_keys_and_received_records(pair, tmp_path):
    worker, supervisor = pair
    worker.ok("diary", "add", "Walked a resident to the library.", "--for-supervision")
    bundle = tmp_path / "b.pjbundle"
    share(worker, "Rowan Vale", bundle)
    supervisor.ok("receive", str(bundle))
    [entry] = (supervisor.root / "team").glob("*/entries/*.md")
    entry.chmod(0o600)
    entry.write_text("---\nnot closed\n")
    (supervisor.root / "keys" / "trusted.json").write_text("{broken")
    doctor = supervisor.run("doctor")
    assert doctor.exit_code == 1
    assert "keys/trusted.json:1" in doctor.stdout
    assert f"team/{entry.parent.parent.name}/entries/{entry.name}" in doctor.stdout
    assert "library" not in doctor.stdout  # names files and lines, never the text
    prep = supervisor.run("supervision", "prep", "--worker", "Sam Rivers")
    assert prep.exit_code == 0
    assert f"{entry.name}:1" in prep.stderr
    assert "(skipped)" in prep.stderr


def forged(context, home: Home, records, out: Path) -> None:
    """A bundle signed by ``home`` holding whatever records a hostile peer chose."""
    from peerjournal.services.sharing import Outgoing, Selection

    built = context()
    built.home_option = home.root
    to = "Rowan Vale" if home.name == "Sam Rivers" else "Sam Rivers"
    chosen = Selection(to, home.name, None, None, [Outgoing(p, d, p) for p, d in records])
    built.services.sharing.write(chosen, out)


def test_a_bundle_holding_something_other_than_records_is_refused(pair, context, tmp_path):
    worker, supervisor = pair
    bundle = tmp_path / "odd.pjbundle"
    forged(context, worker, [("settings.yaml", b"name: Someone Else\n")], bundle)
    result = supervisor.run("receive", str(bundle))
    assert result.exit_code == 2
    assert "no kind of record peerjournal shares" in result.stderr
    assert not (supervisor.root / "team").exists()


def test_nobody_can_rate_in_anothers_name(pair, context, tmp_path):
    worker, supervisor = pair
    add_material(worker, tmp_path)
    data = json.loads(next((worker.root / "assessments").rglob("*.json")).read_text())
    own = data["id"]
    # Rowan sends a "self-assessment" in Sam's name: Sam's home must not take it as Sam's own
    data.update(id="20261124-0900-harbour-values-self-f00d", subject="Sam Rivers")
    data["assessor"] = "Sam Rivers"
    fake = (json.dumps(data) + "\n").encode()
    bundle = tmp_path / "fake.pjbundle"
    forged(context, supervisor, [("assessments/fake.json", fake)], bundle)
    worker.ok("receive", str(bundle))  # kept as received, but never read as Sam's own rating
    listed = worker.ok("assess", "list").stdout
    assert own in listed
    assert "f00d" not in listed
