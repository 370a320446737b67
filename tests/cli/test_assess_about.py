"""`assess start FRAMEWORK --about NAME`: a worker rates their supervisor (or a supervisor a
worker) on a framework meant for that person, without it counting as anyone's self-rating."""

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import assessments

DATA = Path(__file__).parents[1] / "data" / "frameworks"
BUNDLED = Path(__file__).parents[2] / "competencies"


@pytest.fixture
def worker_home(harbour: Path, run) -> Path:
    """Sam's home with the supervision check-in framework and their supervisor, Rowan."""
    shutil.copy(DATA / "harbour-supervision.yaml", harbour / "frameworks")
    assert run("people", "add", "Rowan Vale", "--role", "supervisor").exit_code == 0
    return harbour


def saved(result) -> str:
    assert result.exit_code == 0, result.stderr
    return re.findall(r"Saved assessment (\S+)", result.stdout)[0]


def test_a_worker_rates_their_supervisor_and_list_and_show_say_about_whom(run, worker_home):
    result = run(
        "assess", "start", "harbour-supervision", "--about", "rowan",  # a unique start
        input="3\n\n2\nSometimes rushed at the end.\no\n\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Development goal" not in result.stderr  # the supervisor's development is not ours
    [path] = assessments(worker_home)
    record = json.loads(path.read_text())
    assert record["role"] == "supervisee"
    assert record["status"] == "complete"
    assert record["subject"] != record["assessor"]
    assert record["subject"].startswith("p-")  # Rowan's person id: renaming keeps it theirs
    shown = run("assess", "show", record["id"])
    assert shown.exit_code == 0, shown.stderr
    assert (
        "about Rowan Vale: rated by Sam Rivers, someone they supervise (not a self-assessment)"
        in shown.stdout
    )
    listed = run("assess", "list", "--about", "Rowan Vale")
    assert record["id"] in listed.stdout
    assert "Rowan Vale" in listed.stdout
    assert "supervisee" in run("assess", "list").stdout
    assert run("assess", "list", "--role", "self").stderr == "No assessments match.\n"


def test_a_near_miss_or_unknown_name_is_refused(run, worker_home):
    near = run("assess", "start", "harbour-supervision", "--about", "Rowan Vail", input="q\n")
    assert near.exit_code == 2
    assert near.stderr == "peerjournal: no person 'Rowan Vail'; did you mean 'Rowan Vale'?\n"
    unknown = run("assess", "start", "harbour-supervision", "--about", "Quill Marsh")
    assert unknown.exit_code == 2
    assert "no person 'Quill Marsh'" in unknown.stderr
    assert assessments(worker_home) == []


def test_about_refuses_yourself_a_subject_too_and_a_framework_that_does_not_fit(run, worker_home):
    def refused(*args: str) -> str:
        result = run("assess", "start", *args)
        assert result.exit_code == 2, result.stdout
        return result.stderr

    assert "to rate yourself, leave it out" in refused(
        "harbour-supervision", "--about", "Sam Rivers"
    )
    assert "use --about or --subject, not both" in refused(
        "harbour-supervision", "--about", "Rowan Vale", "--subject", "Rowan Vale"
    )
    assert "the role is supervisee; drop --role" in refused(
        "harbour-supervision", "--about", "Rowan Vale", "--role", "self"
    )
    # harbour-values describes a peer worker's practice: a peer worker rates themselves on it
    assert refused("harbour-values", "--about", "Rowan Vale") == (
        "peerjournal: 'harbour-values' describes a peer worker's own practice: rate yourself on "
        "it without --about; --about rates your supervisor on a checklist such as "
        "supervision-evaluation, or on a framework for supervisors\n"
    )
    assert "started with --about" in refused("harbour-values", "--role", "supervisee")
    assert assessments(worker_home) == []


def test_an_evaluation_of_the_supervisor_never_counts_as_the_workers_own(
    run, worker_home, tmp_path
):
    own = tmp_path / "own.yaml"
    own.write_text("w.1: 2\nw.2: 3\nf.1: 1\n")
    saved(run("assess", "start", "harbour-values", "--answers", str(own)))
    evaluation = tmp_path / "evaluation.yaml"
    evaluation.write_text("s.1: 1\ns.2: 1\np.1: 1\n")
    about = saved(
        run(
            "assess", "start", "harbour-supervision", "--about", "Rowan Vale",
            "--answers", str(evaluation),
        )
    )  # fmt: skip
    prep = run("report", "prep")
    assert prep.exit_code == 0, prep.stderr
    assert "harbour-values" in prep.stdout
    assert "harbour-supervision" not in prep.stdout  # no growth areas, goals or standing
    assert about not in prep.stdout
    progress = run("assess", "progress", "harbour-supervision")
    assert progress.stderr == "No completed assessments of Sam Rivers on harbour-supervision yet.\n"
    theirs = run("assess", "progress", "harbour-supervision", "--subject", "Rowan Vale")
    assert theirs.exit_code == 0, theirs.stderr
    assert "supervisee" in theirs.stdout
    portfolio = run("report", "portfolio")
    assert portfolio.exit_code == 0, portfolio.stderr
    assert "harbour-supervision" not in portfolio.stdout
    report = run("report", "assessment", about)
    assert report.exit_code == 0, report.stderr
    assert "Assessment about **Rowan Vale** by Sam Rivers, someone they supervise" in report.stdout


def test_a_supervisor_rates_a_worker_with_about(run, isolated):
    assert run("init", "--name", "Rowan Vale", "--role", "supervisor").exit_code == 0
    shutil.copy(DATA / "harbour-values.yaml", isolated / "frameworks")
    assert run("people", "add", "Sam Rivers", "--role", "worker").exit_code == 0
    result = run("assess", "start", "harbour-values", "--about", "Sam", input="1\n\n2\n\n3\n\n\n")
    assert result.exit_code == 0, result.stderr
    [path] = assessments(isolated)
    assert json.loads(path.read_text())["role"] == "supervisor"
    shown = run("assess", "show", json.loads(path.read_text())["id"]).stdout
    assert "supervisor assessment of Sam Rivers by Rowan Vale" in shown
    wrong = run("assess", "start", "supervisor-self-check", "--about", "Sam Rivers")
    assert wrong.exit_code == 2
    assert "'supervisor-self-check' is for supervisors" in wrong.stderr


def test_the_bundled_supervision_evaluation_is_rated_about_a_supervisor(
    run, worker_home, services, tmp_path
):
    if not (BUNDLED / "supervision-evaluation.yaml").exists():
        pytest.skip("competencies/supervision-evaluation.yaml is not written yet")
    framework = services.catalog.get("supervision-evaluation").framework
    answers = tmp_path / "answers.yaml"
    answers.write_text("".join(f"{item.id}: no-opportunity\n" for _, item in framework.items()))
    about = saved(
        run(
            "assess", "start", "supervision-evaluation", "--about", "Rowan Vale",
            "--answers", str(answers),
        )
    )  # fmt: skip
    shown = run("assess", "show", about).stdout
    assert "about Rowan Vale: rated by Sam Rivers" in shown


def test_a_worker_cannot_rate_themself_on_the_supervision_evaluation(run, home):
    result = run("assess", "start", "supervision-evaluation")
    assert result.exit_code == 2
    assert "rates a supervisor" in result.stderr
    assert "--about NAME" in result.stderr
