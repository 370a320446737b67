"""People are records with stable ids: a rename keeps history, a typo is refused with a hint."""

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import make_old

DATA = Path(__file__).parents[1] / "data" / "frameworks"


def ok(run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def refused(run, *args: str) -> str:
    """The one error line of a command that must refuse with exit 2."""
    result = run(*args)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def session(run, tmp_path: Path, body: str) -> str:
    path = tmp_path / f"session-{len(list(tmp_path.glob('session-*')))}.yaml"
    path.write_text(body)
    return ok(run, "supervision", "new", "--from", str(path)).split()[3]


@pytest.fixture
def worker_home(run, home, tmp_path):
    """Sam Rivers's own home: a completed self-assessment and a session with an open action."""
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 3\nw.2: 1\nf.1: 2\n")
    ok(run, "assess", "start", "harbour-values", "--answers", str(answers))
    session(
        run, tmp_path,
        "date: 2026-11-10 09:00\nminutes: 60\nsupervisor: Rowan Vale\n"
        "actions:\n  - {text: Ask about the garden roster, owner: Sam, due: 2026-12-30}\n",
    )  # fmt: skip
    return home


@pytest.fixture
def caseload(run, isolated, tmp_path):
    """Rowan Vale supervises Priya Patel and Pita Rewi, one session each."""
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    ok(run, "people", "add", "Priya Patel")
    ok(run, "people", "add", "Pita Rewi")
    session(run, tmp_path, "date: 2026-11-10 09:00\nworker: Priya Patel\nminutes: 60\n")
    session(run, tmp_path, "date: 2026-11-12 09:00\nworker: Pita Rewi\nminutes: 30\n")
    return isolated


# --- the three reproductions --------------------------------------------------------------------


def test_a_new_name_at_init_keeps_all_earlier_history(run, worker_home):
    ok(run, "init", "--name", "Sam R.")
    progress = run("assess", "progress", "harbour-values")
    assert progress.exit_code == 0
    assert "No completed assessments" not in progress.stderr
    assert "Welcome" in progress.stdout
    prep = ok(run, "supervision", "prep")
    assert "# Supervision agenda: Sam R." in prep
    assert "Last session: 2026-11-10." in prep
    assert "Ask about the garden roster" in prep
    hours = ok(run, "supervision", "hours")
    assert re.search(r"total\s+1\s+1h", hours)
    listed = ok(run, "people", "list")
    assert "Sam R.  peer-worker  was Sam Rivers" in listed
    assert "Rowan Vale  supervisor" in listed


def test_a_misspelt_worker_is_refused_not_created(run, caseload):
    error = refused(run, "supervision", "new", "--worker", "Pria Patel", "--minutes", "30",
                    "--notes", "Talked it through.")  # fmt: skip
    assert error == "peerjournal: no person 'Pria Patel'; did you mean 'Priya Patel'?\n"
    assert "Pria Patel" not in ok(run, "people", "list", "--all")
    assert "Pria" not in ok(run, "supervision", "list")


def test_a_misspelt_subject_is_refused(run, worker_home):
    error = refused(run, "assess", "start", "harbour-values", "--role", "supervisor",
                    "--subject", "Sam Rivra")  # fmt: skip
    assert error == "peerjournal: no person 'Sam Rivra'; did you mean 'Sam Rivers'?\n"
    assert refused(run, "assess", "progress", "harbour-values", "--subject", "Sam Rivra")


# --- resolution ---------------------------------------------------------------------------------


def test_a_case_difference_or_a_unique_prefix_is_accepted(run, caseload):
    assert "# Supervision agenda: Priya Patel" in ok(run, "supervision", "prep", "--worker", "pri")
    by_case = ok(run, "supervision", "prep", "--worker", "PRIYA patel")
    assert "# Supervision agenda: Priya Patel" in by_case
    hours = ok(run, "supervision", "hours", "--worker", "pita")
    assert re.search(r"total\s+1\s+30m", hours)


def test_an_ambiguous_prefix_lists_the_candidates(run, caseload):
    error = refused(run, "supervision", "prep", "--worker", "P")
    assert error == "peerjournal: 'P' matches 2 people: 'Pita Rewi', 'Priya Patel'; say which\n"


def test_a_first_session_with_a_new_worker_says_to_add_them(run, caseload, tmp_path):
    error = refused(run, "supervision", "new", "--worker", "Kai Moana", "--minutes", "30",
                    "--notes", "First meeting.")  # fmt: skip
    assert error == (
        "peerjournal: no person 'Kai Moana'; to start with a new worker, run: "
        "peerjournal people add 'Kai Moana'\n"
    )
    ok(run, "supervision", "agreement", "--worker", "Kai Moana", "--new", "--type", "professional",
       "--frequency", "every two weeks", "--minutes", "60", "--goal", "Settle in",
       "--review", "2099-03-01")  # fmt: skip
    assert "Kai Moana  worker" in ok(run, "people", "list")
    ok(run, "supervision", "new", "--worker", "kai", "--minutes", "30", "--notes", "First.")
    assert "Kai Moana" in ok(run, "supervision", "list")


def test_adding_a_name_someone_has_is_refused(run, caseload):
    error = refused(run, "people", "add", "priya patel")
    assert error.startswith("peerjournal: 'Priya Patel' is already a person (p-")
    assert refused(run, "people", "add", "Kai", "--role", "boss").startswith(
        "peerjournal: --role must be one of:"
    )


# --- rename and archive -------------------------------------------------------------------------


def test_a_rename_keeps_every_record(run, caseload, tmp_path):
    ok(run, "people", "rename", "Priya", "Priya Hona")
    listed = ok(run, "supervision", "list")
    assert "Priya Hona" in listed
    assert "Priya Patel" not in listed
    hours = ok(run, "supervision", "hours", "--by", "worker")
    assert re.search(r"Priya Hona\s+1\s+1h", hours)
    assert "Last session: 2026-11-10." in ok(run, "supervision", "prep", "--worker", "Priya Hona")
    assert "was Priya Patel" in ok(run, "people", "list")
    by_old_name = ok(run, "supervision", "prep", "--worker", "Priya Patel")
    assert "# Supervision agenda: Priya Hona" in by_old_name  # a name they had still finds them
    files = list((caseload / "supervision" / "sessions").rglob("*.md"))
    assert not any("Priya" in path.read_text() for path in files)  # records hold the id


def test_a_rename_reaches_assessments(run, worker_home):
    ok(run, "people", "rename", "Sam Rivers", "Sam Rivers-Hale")
    assert "Welcome" in ok(run, "assess", "progress", "harbour-values")
    [assessment_id] = re.findall(r"\d{8}-\d{4}-harbour-values-self-\w+", ok(run, "assess", "list"))
    assert "self assessment of Sam Rivers-Hale by Sam Rivers-Hale" in ok(
        run, "assess", "show", assessment_id
    )
    assert "name: Sam Rivers-Hale" in (worker_home / "settings.yaml").read_text()


def test_an_archived_person_leaves_the_list_but_not_the_records(run, caseload):
    ok(run, "people", "archive", "Pita")
    assert "Pita Rewi" not in ok(run, "people", "list")
    assert "Pita Rewi  worker  (archived)" in ok(run, "people", "list", "--all")
    assert "Pita Rewi" in ok(run, "supervision", "list")
    assert refused(run, "people", "archive", "Pita Rewi").startswith("peerjournal: no person")


# --- an old home, written before people existed -------------------------------------------------


def test_an_old_home_still_reads_and_a_rename_keeps_its_history(run, worker_home):
    make_old(worker_home)
    assert "Sam Rivers" in ok(run, "supervision", "list")
    ok(run, "init", "--name", "Sam R.")
    assert "Welcome" in ok(run, "assess", "progress", "harbour-values")
    assert "Ask about the garden roster" in ok(run, "supervision", "prep")
    assert "person: p-" in (worker_home / "settings.yaml").read_text()


def test_migrate_turns_names_into_people(run, worker_home):
    make_old(worker_home)
    sessions = list((worker_home / "supervision" / "sessions").rglob("*.md"))
    assert "workers:\n- Sam Rivers" in sessions[0].read_text()
    out = ok(run, "migrate")
    assert "Migrated 2 records." in out
    assert "Added 2 people: Rowan Vale, Sam Rivers" in out
    assert "The originals are in" in out
    text = sessions[0].read_text()
    assert "schema: 3" in text  # names to ids (2), then one worker to a list of workers (3)
    assert re.search(r"workers:\n- p-[0-9a-f]{6}\n", text)
    assert re.search(r"supervisor: p-[0-9a-f]{6}\n", text)
    [assessment] = (worker_home / "assessments").glob("*/*.json")
    assert json.loads(assessment.read_text())["subject"].startswith("p-")
    snapshots = list((worker_home / ".snapshots").rglob("*.md"))
    assert "workers:\n- Sam Rivers" in snapshots[0].read_text()
    assert "Migrated 0 records." in ok(run, "migrate")  # a second run has nothing to do
    ok(run, "init", "--name", "Sam R.")
    assert "Sam R.  peer-worker  was Sam Rivers" in ok(run, "people", "list")
    assert "Sam R." in ok(run, "supervision", "prep")
    assert "Welcome" in ok(run, "assess", "progress", "harbour-values")
    folder = worker_home / "people"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}


def test_a_broken_person_file_is_skipped_with_a_warning_and_listed_by_doctor(run, caseload):
    broken = caseload / "people" / "p-0000aa.yaml"
    broken.write_text("id: p-0000aa\nname: [not, a, name]\n")
    broken.chmod(0o600)
    listed = run("people", "list")
    assert listed.exit_code == 0
    assert "Priya Patel" in listed.stdout
    assert "p-0000aa.yaml" in listed.stderr
    assert "p-0000aa.yaml" in run("doctor").stdout
