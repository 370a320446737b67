"""The real command in a real (pseudo-)terminal: what a person at a keyboard sees."""

import sys

import pexpect
import pytest

from helpers import spawn
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_guided_add_on_a_terminal(home):
    child = spawn("diary", "add")  # no text on a terminal: guided mode by default
    answers = [
        ("Title", "Garden afternoon"),
        ("Setting", "community garden"),
        ("planned or unplanned", "unplanned"),
        ("Who was involved", "a resident"),
        ("Who was involved", ""),
        ("What happened", "We planted seedlings together."),
        ("What did you do", "Showed how I keep a planting diary."),
        ("significant", ""),
        ("draw on", ""),
        ("What came of it", ""),
        ("take from it", "Small tasks open conversations."),
        ("Tags", "everyday-activities"),
        ("Competency", ""),
        ("lived experience", "n"),
        ("supervision", "y"),
        ("composite", "n"),
    ]
    sections = {"What happened", "What did you do", "significant", "draw on", "What came of it"}
    for prompt, answer in answers:
        child.expect(prompt)
        child.sendline(answer)
        if answer and prompt in {*sections, "take from it"}:
            child.sendline("")  # an empty line ends a part that takes several lines
    child.expect("Saved diary entry")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [stored] = EntryStore(DataHome(home)).iter()
    assert stored.entry.meta.title == "Garden afternoon"
    assert stored.entry.meta.for_supervision is True
    assert stored.entry.section("what_i_take_from_it") == "Small tasks open conversations."


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_in_the_middle_keeps_what_was_typed_safe(home):
    child = spawn("diary", "add")
    child.expect("Title")
    child.sendline("Half written")
    child.expect("Setting")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0 or child.signalstatus is not None
    assert list(EntryStore(DataHome(home)).iter()) == []
    assert not any((home / "journal").rglob("*.tmp"))


def draft_of(home):
    import json

    [path] = list((home / "assessments").rglob("*.json"))
    return json.loads(path.read_text())


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_assessment_answered_at_a_real_terminal(harbour):
    child = spawn("assess", "start", "harbour-values")
    for prompt, answer in (
        (r"q\)", "2"),
        ("Note", ""),
        (r"q\)", "s"),
        (r"q\)", "3"),
        ("Note", "Kept every promise this week."),
    ):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("Development goal 1")
    child.sendline("")
    child.expect("Saved assessment")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    record = draft_of(harbour)
    assert record["status"] == "complete"
    assert record["responses"]["f.1"]["note"] == "Kept every promise this week."


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_killing_a_run_leaves_a_draft_that_resume_finishes(run, harbour, how):
    import signal

    child = spawn("assess", "start", "harbour-values")
    child.expect("Item 1 of 3")
    child.expect(r"q\)")
    child.sendline("2")
    child.expect("Note")
    child.sendline("Remembered a resident's chosen name.")
    child.expect("Item 2 of 3")
    child.expect(r"q\)")
    child.sendline("n")
    child.expect("Item 3 of 3")
    child.expect(r"q\)")
    child.send("3")  # typed but not entered: the one answer that may be lost
    if how == "SIGINT":
        child.sendintr()
    else:
        child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    draft = draft_of(harbour)
    assert draft["status"] == "draft"
    assert draft["responses"]["w.1"]["note"] == "Remembered a resident's chosen name."
    assert draft["responses"]["w.2"]["not_applicable"] is True
    assert not any((harbour / "assessments").rglob(".*.tmp")) or how == "SIGKILL"
    result = run("assess", "resume", input="1\n\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Item 3 of 3" in result.stderr
    done = draft_of(harbour)
    assert done["status"] == "complete"
    assert done["responses"]["w.1"] == draft["responses"]["w.1"]
    assert done["responses"]["w.2"] == draft["responses"]["w.2"]
    assert done["responses"]["f.1"]["rating"] == 1
