"""Issue 14 §4: the diary template says what it is, and records planned, who (roles) and composite.

The template is inspired by the Wyder et al. (2020) diary study; the paper does not publish its
questions, so the sections are peerjournal's own. Entries written before these fields existed
read, list and rewrite as they did.
"""

import json
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from helpers import NOW, entry_path, spawn
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

DAY = f"{NOW:%Y-%m-%d} 11:00"
TEXT = "Helped a resident hang washing and we laughed about the wind."
OLD = (
    "---\nschema: 1\nid: {id}\ndate: '{date}'\ntitle: Before the new fields\nsetting: ''\n"
    "tags: []\ncompetencies: []\nfor_supervision: false\n---\n\nA note from last year.\n"
)


def ok(run, *args: str, input: str | None = None) -> str:
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def entries(home: Path) -> list:
    return [stored.entry for stored in EntryStore(DataHome(home)).iter()]


def entry_files(home: Path) -> list[Path]:
    return sorted((home / "journal").rglob("*.md"))


def drafts_of(home: Path) -> list[Path]:
    return sorted(DataHome(home).drafts_dir.glob("*.json"))


def old_entry(home: Path) -> tuple[str, Path]:
    when = NOW.replace(hour=9, minute=0, second=0, microsecond=0)
    entry_id = f"{when:%Y%m%d-%H%M}-0a1d"
    path = entry_path(home, entry_id, when)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(OLD.format(id=entry_id, date=when.isoformat()))
    return entry_id, path


# --- quick add, show and list -------------------------------------------------------------------


def test_quick_add_keeps_planned_who_and_composite_and_show_says_them(run, home):
    entry_id = ok(
        run, "diary", "add", TEXT, "--date", DAY, "--unplanned", "--who", "a resident",
        "--who", "Family Member, staff member", "--composite",
    ).split()[-1]  # fmt: skip
    [entry] = entries(home)
    assert entry.meta.planned is False
    assert entry.meta.who == ["resident", "family member", "staff member"]
    assert entry.meta.composite is True
    shown = ok(run, "diary", "show", entry_id)
    assert "unplanned" in shown
    assert "resident, family member, staff member" in shown
    assert "merged or altered to protect identity" in shown


def test_list_filters_composite_and_planned_entries(run, home):
    composite = ok(run, "diary", "add", "A merged story.", "--composite", "--planned").split()[-1]
    plain = ok(run, "diary", "add", "A plain note.", "--unplanned").split()[-1]
    unsaid = ok(run, "diary", "add", "Nothing said.").split()[-1]
    assert ok(run, "diary", "list", "--composite", "--ids").split() == [composite]
    assert set(ok(run, "diary", "list", "--not-composite", "--ids").split()) == {plain, unsaid}
    assert ok(run, "diary", "list", "--unplanned", "--ids").split() == [plain]
    assert ok(run, "diary", "list", "--planned", "--ids").split() == [composite]
    exported = json.loads(ok(run, "diary", "export", "--composite"))
    assert [e["id"] for e in exported["entries"]] == [composite]


@pytest.mark.parametrize("who", ["Aroha", "Mrs Smith", "room 12", "J.", "a resident called Tui"])
def test_a_name_or_a_detail_as_who_is_refused_before_anything_is_saved(run, home, who):
    result = run("diary", "add", "--who", who, input=TEXT + "\n")  # piped text: read after
    assert result.exit_code == 2
    assert "use a role, not a name" in result.stderr
    assert who not in result.stderr
    assert entry_files(home) == []


def test_a_watch_list_name_typed_in_lower_case_is_refused_as_who(run, home):
    ok(run, "privacy", "watch", "add", "Tama Ruru")
    result = run("diary", "add", "A note.", "--who", "tama")
    assert result.exit_code == 2
    assert "a name on your watch list" in result.stderr
    assert "tama" not in result.stderr.lower().replace("peerjournal", "")
    assert entry_files(home) == []


def test_help_describes_every_new_option(run):
    add = ok(run, "diary", "add", "--help")
    for option in ("--planned", "--unplanned", "--who", "--composite"):
        assert option in add
    listed = ok(run, "diary", "list", "--help")
    for option in ("--composite", "--not-composite", "--planned", "--unplanned"):
        assert option in listed


# --- old entries ----------------------------------------------------------------------------------


def test_an_entry_written_before_the_fields_reads_lists_and_rewrites_as_it_did(run, home):
    entry_id, path = old_entry(home)
    listed = ok(run, "diary", "list", "--json")
    [row] = json.loads(listed)
    assert not {"planned", "who", "composite"} & set(row)
    shown = ok(run, "diary", "show", entry_id)
    assert "planned" not in shown
    assert "composite" not in shown
    assert ok(run, "diary", "list", "--not-composite", "--ids").split() == [entry_id]
    assert ok(run, "diary", "list", "--planned", "--ids").split() == []
    ok(run, "diary", "edit", entry_id, "--add-tag", "garden")
    rewritten = path.read_text()
    for field in ("planned", "who", "composite"):
        assert field not in rewritten


def test_edit_marks_an_old_entry_composite_and_unmarks_it(run, home):
    entry_id, path = old_entry(home)
    ok(run, "diary", "edit", entry_id, "--composite", "--unplanned")
    assert ok(run, "diary", "list", "--composite", "--unplanned", "--ids").split() == [entry_id]
    ok(run, "diary", "edit", entry_id, "--not-composite")
    assert "composite" not in path.read_text()
    assert "planned: false" in path.read_text()


# --- the editor -------------------------------------------------------------------------------


def written(front: str) -> str:
    return f"---\nid: new\ndate: '{NOW.isoformat()}'\n{front}\n---\n\n{TEXT}\n"


def test_the_editor_template_names_the_fields_and_a_name_in_who_is_sent_back(
    run, home, fake_editor
):
    seen = fake_editor(
        {"write": written("who: [Aroha]\ncomposite: true\nplanned: no")},
        {"replace": ["who: [Aroha]", "who: [resident, whānau]"]},
    )
    result = run("diary", "add", "--editor", input="y\n")  # edit again: yes
    assert result.exit_code == 0, result.stderr
    template = (seen / "run-1.md").read_text()
    for field in ("who:", "composite:", "planned:"):
        assert field in template
    assert "use a role, not a name" in result.stderr
    assert "Aroha" not in result.stderr
    assert "Your text is kept in" in result.stderr
    [entry] = entries(home)
    assert (entry.meta.who, entry.meta.composite, entry.meta.planned) == (
        ["resident", "whānau"], True, False,
    )  # fmt: skip


def test_a_watch_list_name_in_who_from_the_editor_is_reviewed_like_any_text(run, home, fake_editor):
    ok(run, "privacy", "watch", "add", "Tama Ruru")
    fake_editor(
        {"write": written("who: [tama]")},
        {"replace": ["- tama", "- resident"]},  # the entry as written: one role a line
    )
    result = run("diary", "add", "--editor", input="edit\n")
    assert result.exit_code == 0, result.stderr
    assert "who, line 1, column 1: a name on your watch list" in result.stderr
    assert "tama" not in result.stderr.lower().replace("peerjournal", "")
    [entry] = entries(home)
    assert entry.meta.who == ["resident"]


# --- the guided flow: the questions, and nothing lost -------------------------------------------


def guided(*answers: str) -> str:
    return "\n".join(answers) + "\n"


def test_guided_asks_planned_who_and_composite_and_says_what_the_template_is(run, home):
    answers = guided(
        "Washing day", "laundry",
        "unplanned",  # planned or unplanned
        "Aroha",  # a name: refused at once, asked again
        "a resident", "family member", "",  # roles, Enter finishes
        TEXT, "", "", "", "", "", "", "",  # the six parts
        "everyday-activities", "", "n", "n",
        "y",  # a composite
    )  # fmt: skip
    result = run("diary", "add", "--guided", "--date", DAY, input=answers)
    assert result.exit_code == 0, result.stderr
    assert "significant for your role as a peer worker" in result.stderr
    assert "themes the diary study (Wyder et al., 2020) reported" in result.stderr
    assert "use a role, not a name" in result.stderr
    assert "Aroha" not in result.stderr.split("Who was involved", 1)[1].split("try again")[0]
    [entry] = entries(home)
    assert entry.meta.planned is False
    assert entry.meta.who == ["resident", "family member"]
    assert entry.meta.composite is True
    assert "Aroha" not in entry_files(home)[0].read_text()


def test_options_given_to_guided_add_are_not_asked_again(run, home):
    answers = guided("Washing day", "", "", TEXT, "", "", "", "", "", "", "", "", "", "n", "n")
    result = run(
        "diary", "add", "--guided", "--planned", "--who", "peer", "--composite", input=answers
    )
    assert result.exit_code == 0, result.stderr
    assert "planned or unplanned" not in result.stderr
    assert "composite" not in result.stderr.lower()
    [entry] = entries(home)
    assert (entry.meta.planned, entry.meta.who, entry.meta.composite) == (True, ["peer"], True)


def test_input_ending_after_who_keeps_the_answers_for_resume(run, home):
    first = run("diary", "add", "--guided", input=guided("Washing day", "", "planned", "carer"))
    assert first.exit_code == 2
    [draft] = drafts_of(home)
    kept = json.loads(draft.read_text())["answers"]
    assert (kept["planned"], kept["who"]) == ("planned", ["carer"])
    rest = guided("", TEXT, "", "", "", "", "", "", "", "", "", "n", "n", "n")
    resumed = run("diary", "add", "--resume", input=rest)
    assert resumed.exit_code == 0, resumed.stderr
    assert "planned or unplanned" not in resumed.stderr
    [entry] = entries(home)
    assert (entry.meta.planned, entry.meta.who, entry.meta.composite) == (True, ["carer"], False)
    assert drafts_of(home) == []


pytestmark_terminal = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")


def answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect(prompt)
    child.sendline(text)


@pytestmark_terminal
def test_at_a_terminal_a_name_is_refused_and_ctrl_c_keeps_the_roles(home):
    child = spawn("diary", "add")
    answer(child, "Title", "Washing day")
    answer(child, "Setting", "laundry")
    answer(child, "planned or unplanned", "unplanned")
    answer(child, "Who was involved", "Mere")
    child.expect("use a role, not a name")
    answer(child, "Who was involved", "a resident")
    answer(child, "Who was involved", "staff member")
    child.expect("Who was involved")
    child.sendintr()
    child.expect("carry on with: peerjournal diary add --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    [draft] = drafts_of(home)
    kept = json.loads(draft.read_text())["answers"]
    assert (kept["planned"], kept["who"]) == ("unplanned", ["resident", "staff member"])
    assert "Mere" not in draft.read_text()
    resumed = spawn("diary", "add", "--resume")
    resumed.expect("Carrying on from your draft")
    answer(resumed, "Who was involved", "")
    answer(resumed, "What happened", TEXT)
    resumed.sendline("")
    for prompt in ("What did you do", "significant", "draw on", "What came of it", "take from it"):
        answer(resumed, prompt, "")
    for prompt, text in (("Tags", ""), ("Competency", ""), ("lived experience", "n"),
                         ("supervision", "n"), ("composite", "y")):  # fmt: skip
        answer(resumed, prompt, text)
    resumed.expect("Saved diary entry")
    resumed.expect(pexpect.EOF)
    resumed.close()
    assert resumed.exitstatus == 0
    [entry] = entries(home)
    assert (entry.meta.planned, entry.meta.who, entry.meta.composite) == (
        False, ["resident", "staff member"], True,
    )  # fmt: skip
    assert drafts_of(home) == []


@pytestmark_terminal
def test_a_closed_terminal_at_the_composite_question_keeps_every_answer(home):
    child = spawn("diary", "add", "--who", "peer")
    answer(child, "Title", "Washing day")
    answer(child, "Setting", "")
    answer(child, "planned or unplanned", "planned")
    answer(child, "Who was involved", "")
    answer(child, "What happened", TEXT)
    child.sendline("")
    for prompt in ("What did you do", "significant", "draw on", "What came of it", "take from it"):
        answer(child, prompt, "")
    for prompt, text in (("Tags", ""), ("Competency", ""), ("lived experience", "n"),
                         ("supervision", "n")):  # fmt: skip
        answer(child, prompt, text)
    child.expect("composite")
    child.kill(signal.SIGHUP)
    child.expect(pexpect.EOF)
    child.close()
    [draft] = drafts_of(home)
    saved = json.loads(draft.read_text())
    assert saved["answers"]["what_happened"] == TEXT
    assert saved["setup"]["who"] == ["peer"]
    assert entries(home) == []
