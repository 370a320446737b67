"""Guided flows at a real (pseudo-)terminal: Ctrl-C and a closed terminal keep a draft.

The subprocess reads the real clock, so these tests give no dates and assert none.
"""

import json
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from helpers import spawn
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def drafts_of(home: Path) -> list[Path]:
    return sorted(DataHome(home).drafts_dir.glob("*.json"))


def finish(child: pexpect.spawn) -> None:
    child.expect(pexpect.EOF)
    child.close()


def open_entry(child: pexpect.spawn) -> None:
    """Title and setting typed; planned or unplanned and who was involved skipped."""
    child.expect("Title")
    child.sendline("Garden afternoon")
    child.expect("Setting")
    child.sendline("community garden")
    child.expect("planned or unplanned")
    child.sendline("")
    child.expect("Who was involved")
    child.sendline("")


def start_entry(child: pexpect.spawn) -> None:
    """Title, setting and the first part, then the second part half typed."""
    open_entry(child)
    child.expect("What happened")
    child.sendline("We planted seedlings together.")
    child.sendline("")
    child.expect("What did you do")
    child.send("Showed how I")  # typed but not entered: the one answer that may be lost


def finish_entry(child: pexpect.spawn) -> None:
    for prompt, answer in (
        ("What did you do", "Showed how I keep a planting diary."),
        ("significant", ""),
        ("draw on", ""),
        ("What came of it", ""),
        ("take from it", ""),
        ("Tags", ""),
        ("Competency", ""),
        ("lived experience", "n"),
        ("supervision", "n"),
        ("composite", "n"),
    ):
        child.expect(prompt)
        child.sendline(answer)
        if answer and prompt == "What did you do":
            child.sendline("")
    child.expect("Saved diary entry")
    finish(child)


def test_ctrl_c_in_a_guided_entry_exits_130_and_resume_carries_on(home):
    child = spawn("diary", "add")
    start_entry(child)
    child.sendintr()
    child.expect("carry on with: peerjournal diary add --resume")
    finish(child)
    assert child.exitstatus == 130
    assert "seedlings" not in (child.before or "")
    [draft] = drafts_of(home)
    answers = json.loads(draft.read_text())["answers"]
    assert answers["what_happened"] == "We planted seedlings together."
    assert list(EntryStore(DataHome(home)).iter()) == []
    resumed = spawn("diary", "add", "--resume")
    resumed.expect("Carrying on from your draft")
    finish_entry(resumed)
    assert resumed.exitstatus == 0
    [stored] = EntryStore(DataHome(home)).iter()
    assert stored.entry.meta.title == "Garden afternoon"
    assert stored.entry.section("what_happened") == "We planted seedlings together."
    assert stored.entry.section("what_i_did") == "Showed how I keep a planting diary."
    assert drafts_of(home) == []


def test_a_closed_terminal_keeps_the_draft_and_the_next_run_offers_it(home):
    child = spawn("diary", "add")
    start_entry(child)
    child.kill(signal.SIGHUP)
    finish(child)
    [draft] = drafts_of(home)
    assert json.loads(draft.read_text())["answers"]["title"] == "Garden afternoon"
    again = spawn("diary", "add")
    again.expect("unfinished diary entry draft")
    again.expect("Carry on with it")
    again.sendline("y")
    finish_entry(again)
    assert again.exitstatus == 0
    [stored] = EntryStore(DataHome(home)).iter()
    assert stored.entry.meta.setting == "community garden"
    assert drafts_of(home) == []


def test_ctrl_c_in_a_guided_session_exits_130_and_resume_carries_on(home):
    child = spawn("supervision", "new", "--minutes", "30")
    child.expect("Another topic")
    child.sendline("")
    child.expect("Wellbeing")
    child.sendline("Tired, sleeping better.")
    child.sendline("")
    child.expect("Decisions")
    child.sendintr()
    child.expect("carry on with: peerjournal supervision new --resume")
    finish(child)
    assert child.exitstatus == 130
    [draft] = drafts_of(home)
    assert json.loads(draft.read_text())["answers"]["wellbeing"] == "Tired, sleeping better."
    resumed = spawn("supervision", "new", "--resume")
    resumed.expect("Carrying on from your draft")
    for prompt, answer in (("Decisions", "Meet fortnightly."), ("action item", ""), ("Next", "")):
        resumed.expect(prompt)
        resumed.sendline(answer)
        if prompt == "Decisions":
            resumed.sendline("")
    resumed.expect("Saved supervision session")
    finish(resumed)
    assert resumed.exitstatus == 0
    [saved] = sorted(DataHome(home).sessions_dir.rglob("*.md"))
    text = saved.read_text()
    assert "Tired, sleeping better." in text
    assert "Meet fortnightly." in text
    assert drafts_of(home) == []


@pytest.mark.parametrize("stop", ["ctrl-c", "closed terminal"])
def test_lines_entered_in_an_unfinished_answer_are_kept_and_shown_again(home, stop):
    """Only the line still being typed may be lost; every entered line comes back on resume."""
    child = spawn("diary", "add")
    open_entry(child)
    child.expect("What happened")
    child.sendline("We planted seedlings together.")
    child.sendline("Then we watered the beans.")
    child.expect("watered the beans")  # echoed: entered, so it must be kept
    child.send("and half a thou")  # typed but not entered
    if stop == "ctrl-c":
        child.sendintr()
    else:
        child.kill(signal.SIGHUP)
    finish(child)
    [draft] = drafts_of(home)
    kept = json.loads(draft.read_text())
    assert kept["begun"]["what_happened"] == (
        "We planted seedlings together.\nThen we watered the beans."
    )
    resumed = spawn("diary", "add", "--resume")
    resumed.expect("What happened")
    resumed.expect("Then we watered the beans.")  # shown again, to carry on from
    resumed.sendline("Everyone took some home.")
    resumed.sendline("")
    resumed.expect("What did you do")
    resumed.sendline("")
    for prompt in ("significant", "draw on", "What came of it", "take from it"):
        resumed.expect(prompt)
        resumed.sendline("")
    for prompt, answer in (
        ("Tags", ""),
        ("Competency", ""),
        ("lived experience", "n"),
        ("supervision", "n"),
        ("composite", "n"),
    ):
        resumed.expect(prompt)
        resumed.sendline(answer)
    resumed.expect("Saved diary entry")
    finish(resumed)
    [stored] = EntryStore(DataHome(home)).iter()
    assert stored.entry.section("what_happened") == (
        "We planted seedlings together.\nThen we watered the beans.\nEveryone took some home."
    )
    assert drafts_of(home) == []
