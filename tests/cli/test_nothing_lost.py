"""Issue 12, section 1: nothing typed in a guided flow is lost (drafts, checks at the prompt)."""

import json
import stat
from pathlib import Path

from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

DATA = Path(__file__).parents[1] / "data" / "frameworks"
SESSION_DAY = "2026-11-24 09:00"  # the morning of helpers.NOW


def drafts_of(home: Path) -> list[Path]:
    return sorted(DataHome(home).drafts_dir.glob("*.json"))


def sessions(home: Path) -> list[Path]:
    return sorted(DataHome(home).sessions_dir.rglob("*.md"))


def only_entry(home: Path):
    [stored] = EntryStore(DataHome(home)).iter()
    return stored.entry


def lines(*answers: str) -> str:
    return "\n".join(answers) + "\n"


# --- drafts of a guided diary entry -----------------------------------------------------------


def test_input_ending_early_keeps_a_private_draft_that_never_echoes_the_text(run, home):
    result = run("diary", "add", "--guided", input=lines("Garden afternoon", "community garden"))
    assert result.exit_code == 2
    assert "diary add --resume" in result.stderr
    assert "Garden afternoon" not in result.stderr + result.stdout
    [draft] = drafts_of(home)
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert stat.S_IMODE(draft.parent.stat().st_mode) == 0o700
    saved = json.loads(draft.read_text())
    assert saved["answers"]["title"] == "Garden afternoon"
    assert saved["answers"]["setting"] == "community garden"
    listed = run("drafts", "list")
    assert listed.exit_code == 0, listed.stderr
    assert saved["id"] in listed.stdout
    assert "diary entry" in listed.stdout
    assert "2 answers, the last one: 'setting'" in listed.stdout  # input ended at the first section
    assert "Garden" not in listed.stdout


def test_running_guided_add_again_offers_the_draft_and_saves_it_once(run, home):
    run("diary", "add", "--guided", input=lines("Garden afternoon"))
    assert len(drafts_of(home)) == 1
    answers = lines(
        "y",  # carry on with the draft
        "community garden",  # setting: the title is not asked again
        "", "",  # planned, who
        "We planted seedlings.", "",
        "", "", "", "",
        "Small tasks open conversations.", "",
        "", "", "n", "n", "n",
    )  # fmt: skip
    result = run("diary", "add", "--guided", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Title" not in result.stderr
    entry = only_entry(home)
    assert entry.meta.title == "Garden afternoon"
    assert entry.section("what_i_take_from_it") == "Small tasks open conversations."
    assert drafts_of(home) == []  # the record is saved: its draft is gone


def test_resume_without_a_draft_says_so(run, home):
    result = run("diary", "add", "--resume")
    assert result.exit_code == 2
    assert result.stderr == (
        "peerjournal: no diary entry draft to resume; see 'peerjournal drafts'\n"
    )


def test_discard_says_gone_for_good_and_asks_first(run, home):
    run("diary", "add", "--guided", input=lines("Garden afternoon"))
    [draft] = drafts_of(home)
    draft_id = draft.stem
    kept = run("drafts", "discard", draft_id[:14], input="n\n")
    assert kept.exit_code == 1
    assert "gone for good" in kept.stderr
    assert draft.exists()
    gone = run("drafts", "discard", draft_id, "--yes")
    assert gone.exit_code == 0, gone.stderr
    assert "gone for good" in gone.stdout
    assert not draft.exists()
    missing = run("drafts", "discard", draft_id, "--yes")
    assert missing.exit_code == 2
    assert "no draft with id" in missing.stderr


# --- several lines per section ----------------------------------------------------------------


def test_a_pasted_paragraph_stays_in_its_section(run, home):
    answers = lines(
        "Walk to the shops", "", "", "",
        "We walked to the shops.", "We talked about the weekend.", "",  # one section, two lines
        "Listened.", "",
        "", "", "", "", "", "", "n", "n", "n",
    )  # fmt: skip
    result = run("diary", "add", "--guided", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "an empty line or Ctrl-D ends" in result.stderr
    entry = only_entry(home)
    assert entry.section("what_happened") == "We walked to the shops.\nWe talked about the weekend."
    assert entry.section("what_i_did") == "Listened."


def test_a_guided_session_takes_several_lines_of_notes(run, home):
    answers = lines("", "Tired.", "Sleeping better though.", "", "", "", "")
    result = run("supervision", "new", "--minutes", "30", "--date", SESSION_DAY, input=answers)
    assert result.exit_code == 0, result.stderr
    [saved] = sessions(home)
    assert "Tired.\nSleeping better though." in saved.read_text()
    assert drafts_of(home) == []


# --- checks where the answer is typed ---------------------------------------------------------


def test_a_due_date_or_next_session_before_the_session_is_asked_again(run, home):
    answers = lines(
        "",  # no other topic
        "",  # wellbeing
        "",  # decisions
        "Call the housing team",  # an action
        "",  # owner: the worker
        "2026-11-20",  # due before the session: asked again
        "2026-11-27",
        "",  # no more actions
        "2026-11-23",  # next session before this one: asked again
        "2026-12-08",
    )
    result = run("supervision", "new", "--minutes", "45", "--date", SESSION_DAY, input=answers)
    assert result.exit_code == 0, result.stderr
    assert (
        "an action's due date (2026-11-20) is before the session (2026-11-24); "
        "please give another date" in result.stderr
    )
    assert "the next session (2026-11-23) must be after this one (2026-11-24)" in result.stderr
    [saved] = sessions(home)
    text = saved.read_text()
    assert "due: '2026-11-27'" in text
    assert "next_session: '2026-12-08'" in text


def test_a_mistyped_competency_reference_is_asked_again(run, home):
    answers = lines(
        "Phone check-in", "", "", "", "A short call.", "", "", "", "", "", "", "",
        "samhsa-core/nope",  # unknown item: asked again, the entry is kept
        "",
        "n", "n", "n",
    )  # fmt: skip
    result = run("diary", "add", "--guided", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "has no item 'nope'" in result.stderr
    assert only_entry(home).meta.title == "Phone check-in"


def test_a_goal_on_an_unknown_item_asks_for_the_item_again(run, harbour):
    answers = lines(
        "2", "", "n", "s",
        "hope",  # not an item of the framework
        "w.2",
        "Explain the service's limits at first contact.",
        "",
    )  # fmt: skip
    result = run("assess", "start", "harbour-values", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "has no item 'hope'" in result.stderr
    [path] = sorted((harbour / "assessments").rglob("*.json"))
    record = json.loads(path.read_text())
    assert record["goals"] == [
        {"item": "w.2", "text": "Explain the service's limits at first contact."}
    ]


# --- supervision in the editor ----------------------------------------------------------------


def test_an_editor_session_with_a_bad_due_date_keeps_the_text_and_reopens(run, home, fake_editor):
    bad = "actions: [{text: Call the housing team, owner: Sam Rivers, due: 2026-11-20}]"
    seen = fake_editor(
        {"replace": ["actions: []", bad]},
        {"replace": ["due: 2026-11-20", "due: 2026-11-27"]},
    )
    result = run(
        "supervision", "new", "--editor", "--minutes", "30", "--date", SESSION_DAY, input="y\n"
    )
    assert result.exit_code == 0, result.stderr
    buffer = (seen / "run-1.md").read_text().splitlines()
    line = next(n for n, text in enumerate(buffer, start=1) if text.startswith("actions:"))
    assert (
        f"peerjournal: line {line}: action 1: an action's due date (2026-11-20) is before the "
        "session (2026-11-24)" in result.stderr
    )
    assert "Your text is kept in" in result.stderr
    assert len(list(DataHome(home).recovery_dir.iterdir())) == 1
    [saved] = sessions(home)
    assert "2026-11-27" in saved.read_text()
    assert "2026-11-20" not in saved.read_text()


def test_an_untouched_editor_template_saves_nothing(run, home, fake_editor):
    fake_editor({})
    result = run("supervision", "new", "--editor", "--minutes", "60", "--date", SESSION_DAY)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "peerjournal: nothing was written in the template; nothing was saved\n"
    )
    assert sessions(home) == []  # so no empty hour counts toward supervision hours


def test_a_session_draft_resumes_for_its_own_worker_only(run, home):
    stopped = run(
        "supervision", "new", "--minutes", "30", "--date", SESSION_DAY, input="\nTired.\n"
    )
    assert stopped.exit_code == 2  # the input ended at the decisions
    assert "supervision new --resume" in stopped.stderr
    other = run("supervision", "new", "--resume", "--worker", "Kim Ode")
    assert other.exit_code == 2
    assert "no supervision session draft to resume" in other.stderr
    resumed = run("supervision", "new", "--resume", input=lines("Meet fortnightly.", "", "", ""))
    assert resumed.exit_code == 0, resumed.stderr
    [saved] = sessions(home)
    assert "Tired." in saved.read_text()
    assert "Meet fortnightly." in saved.read_text()
    assert "minutes: 30" in saved.read_text()
    assert drafts_of(home) == []


def test_an_agreement_review_date_in_the_past_is_asked_again(run, home):
    answers = lines(
        "Rowan Vale", "", "", "professional", "", "", "Grow", "", "monthly", "60", "", "",
        "Questions", "All of it", "Safety", "Shared file", "", "", "", "", "",
        "2026-11-01",  # before today: asked again, the other answers are kept
        "2027-01-15",
    )  # fmt: skip
    result = run("supervision", "agreement", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "the review date must be in the future; please give another date" in result.stderr
    [path] = DataHome(home).agreements_dir.iterdir()
    assert "review_date: '2027-01-15'" in path.read_text()


def test_an_unknown_worker_typed_in_the_editor_is_named_with_its_line_and_asked_again(
    run, home, fake_editor
):
    seen = fake_editor(
        {
            "write": "{buffer}\nWe talked the week through.\n",
            "replace": ["- Sam Rivers", "- Sam Rivra"],
        },
        {"replace": ["- Sam Rivra", "- sam rivers"]},
    )
    result = run(
        "supervision", "new", "--editor", "--minutes", "30", "--date", SESSION_DAY, input="y\n"
    )
    assert result.exit_code == 0, result.stderr
    buffer = (seen / "run-1.md").read_text().splitlines()
    line = next(n for n, text in enumerate(buffer, start=1) if text == "- Sam Rivers")
    assert (
        f"peerjournal: line {line}: workers: no person 'Sam Rivra'; did you mean" in result.stderr
    )
    assert "Your text is kept in" in result.stderr
    [saved] = sessions(home)
    assert "Sam Rivra" not in saved.read_text()
