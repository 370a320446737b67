"""'No opportunity yet': a rating of its own, never scored, shown as a learning opportunity."""

import json
import re
import sys
from pathlib import Path

import pexpect
import pytest

from helpers import assessments, spawn


def record(home: Path) -> dict:
    [path] = assessments(home)
    return json.loads(path.read_text())


def saved(result) -> str:
    assert result.exit_code == 0, result.stderr
    return re.findall(r"Saved assessment (\S+)", result.stdout)[0]


def test_o_in_the_interview_is_checked_saved_and_never_scored(run, harbour):
    answers = [
        "x",  # not an answer: asked again, and the help line names o
        "o",  # w.1: no opportunity yet
        "Ask to co-run a welcome session.",  # its note: a chance to look for
        "3",  # w.2
        "",
        "1",  # f.1
        "",
        "",  # no goals
    ]
    result = run("assess", "start", "harbour-values", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "o  No opportunity yet (not scored; listed as a learning opportunity)" in result.stderr
    assert "Your answer (1-3, n, o, s, b, ?, q)" in result.stderr
    assert "Please answer 1 to 3, or n, o, s, b, ?, q." in result.stderr
    w1 = record(harbour)["responses"]["w.1"]
    assert w1["no_opportunity"] is True
    assert w1["rating"] is None
    assert w1["not_applicable"] is False
    assert w1["note"] == "Ask to co-run a welcome session."
    out = result.stdout
    assert "Overall mean: 2.00 on a 1-3 scale" in out  # (3 + 1) / 2: w.1 is not counted
    growth = out.split("Growth areas (lowest rated):")[1].split("Learning opportunities")[0]
    assert "w.1" not in growth  # not a deficit
    assert "Learning opportunities (no opportunity yet, not scored):" in out
    assert "w.1  Greets people by the name they choose." in out


def test_an_answers_file_takes_no_opportunity_and_show_lists_it(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "w.1: no-opportunity\nw.2: {rating: no-opportunity, note: Shadow an intake.}\nf.1: 2\n"
    )
    assessed = saved(run("assess", "start", "harbour-values", "--answers", str(answers)))
    responses = record(harbour)["responses"]
    assert responses["w.2"]["no_opportunity"] is True
    assert responses["w.2"]["note"] == "Shadow an intake."
    shown = run("assess", "show", assessed).stdout
    welcome = next(line for line in shown.splitlines() if line.startswith(" Welcome"))
    assert welcome.split()[1:2] == ["-"]  # no mean: nothing in it was scored
    assert welcome.split()[-4:] == ["0", "0", "0", "2"]  # rated, skipped, n/a, not yet
    assert re.search(r"w\.1\s+not yet\s+Greets people", shown)
    assert "Learning opportunities" in shown
    report = run("report", "assessment", assessed).stdout
    assert "| o | No opportunity yet | not scored; a learning opportunity |" in report
    assert "Learning opportunities (no opportunity yet; not scored, not a deficit):" in report
    assert "- `w.2`: Explains what the service can and cannot offer." in report


def test_prep_lists_learning_opportunities_and_gaps_leave_them_out(run, harbour, tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text("w.1: no-opportunity\nw.2: 3\nf.1: 2\n")
    saved(run("assess", "start", "harbour-values", "--answers", str(own)))
    theirs = tmp_path / "theirs.yaml"
    theirs.write_text("w.1: 1\nw.2: 1\nf.1: 2\n")
    args = ("--role", "supervisor", "--subject", "Sam Rivers", "--answers", str(theirs))
    saved(run("assess", "start", "harbour-values", *args))
    gaps = run("assess", "gaps")
    assert gaps.exit_code == 0, gaps.stderr
    assert re.search(r"w\.2\s+3\s+1", gaps.stdout)
    assert not re.search(r"\bw\.1\b", gaps.stdout)  # no rating of theirs to compare
    prep = run("report", "prep")
    assert prep.exit_code == 0, prep.stderr
    learning = prep.stdout.split("Learning opportunities")[1].split("###")[0]
    assert "`harbour-values/w.1` (self): Greets people by the name they choose." in learning
    growth = prep.stdout.split("Growth areas")[1].split("###")[0]
    about_w1 = [line for line in growth.splitlines() if "/w.1`" in line]
    assert about_w1 == [  # the supervisor's low rating only: the worker's own is no deficit
        "- `harbour-values/w.1` rated 1 (supervisor): Greets people by the name they choose."
    ]


def test_a_record_written_before_no_opportunity_still_reads(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 3\nw.2: na\nf.1: 2\n")
    assessed = saved(run("assess", "start", "harbour-values", "--answers", str(answers)))
    [path] = assessments(harbour)
    old = json.loads(path.read_text())
    for response in old["responses"].values():
        del response["no_opportunity"]  # as the earlier version wrote it
    path.write_text(json.dumps(old, indent=2) + "\n")
    shown = run("assess", "show", assessed)
    assert shown.exit_code == 0, shown.stderr
    assert "Overall mean: 2.50" in shown.stdout
    assert "Learning opportunities" not in shown.stdout
    edited = run("assess", "edit", assessed, "--notes", "Looked again in supervision.")
    assert edited.exit_code == 0, edited.stderr
    assert record(harbour)["responses"]["w.2"]["not_applicable"] is True


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_after_an_o_answer_keeps_it_for_resume(run, harbour):
    child = spawn("assess", "start", "harbour-values")
    child.expect("Item 1 of 3")
    child.expect(r"q\)")
    child.sendline("o")
    child.expect("a chance to come up")
    child.sendline("Ask to greet at the open day.")
    child.expect("Item 2 of 3")
    child.expect(r"q\)")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    draft = record(harbour)
    assert draft["status"] == "draft"
    assert draft["responses"]["w.1"]["no_opportunity"] is True
    assert draft["responses"]["w.1"]["note"] == "Ask to greet at the open day."
    result = run("assess", "resume", input="2\n\n3\n\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Item 1 of 3" not in result.stderr
    done = record(harbour)
    assert done["status"] == "complete"
    assert done["responses"]["w.1"] == draft["responses"]["w.1"]
