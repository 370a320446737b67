"""The privacy rule on every path that stores what a person typed or imported.

Each test runs the real command. A finding is described by field, line, column and kind; the
matched words never appear in any output. Strict mode (--strict, or privacy.strict in the
settings) refuses with one error line and exit 2, and keeps what was typed.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from helpers import ZONE, assessments, entry_path, problem_lines
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

DATA = Path(__file__).parents[1] / "data" / "frameworks"
EMAIL = "jo.tane@example.org"
PHONE = "555-201-3344"
ADDRESS = "12 Harbour Street"
SECRETS = (EMAIL, PHONE, ADDRESS)
WHEN = datetime(2026, 11, 20, 10, 0, tzinfo=ZONE)
ADDED = f"Email {EMAIL}, call {PHONE}, or drop by {ADDRESS}."


def no_secrets(*outputs: str) -> None:
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output


def add_entry(run, home, text="Helped set up the art room.", *args, input=None):
    result = run(
        "diary", "add", text, "--title", "Art room", "--date", "2026-11-20 10:00", *args,
        input=input,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    entry_id = result.stdout.split()[-1]
    return entry_id, entry_path(home, entry_id, WHEN)


def recovered(home):
    folder = home / ".recovery"
    return sorted(folder.iterdir()) if folder.exists() else []


def set_strict(home):
    settings = home / "settings.yaml"
    text = settings.read_text()
    assert "strict: false" in text  # init writes the default out, so people can find it
    settings.write_text(text.replace("strict: false", "strict: true"))


# --- diary add: the four ways ------------------------------------------------------------------


def entries(home):
    return {stored.entry.id: stored.entry for stored in EntryStore(DataHome(home)).iter()}


def test_every_way_of_adding_refuses_in_strict_mode_and_keeps_the_text(run, home, fake_editor):
    fake_editor({"replace": ["## What happened\n", f"## What happened\n\n{ADDED}\n"]})
    guided = ["Art room", "", "", "", ADDED, "", "", "", "", "", "", "", "", "n", "n", "n"]
    for args, typed in [
        (["diary", "add", ADDED, "--strict"], None),
        (["diary", "add", "--strict"], ADDED + "\n"),
        (["diary", "add", "--editor", "--strict"], None),
        (["diary", "add", "--guided", "--strict"], "\n".join(guided) + "\n"),
    ]:
        result = run(*args, input=typed)
        assert result.exit_code == 2, args
        [line] = problem_lines(result.stderr)
        assert line.endswith("nothing was saved (--strict)"), args
        assert "an email address" in line
        no_secrets(result.stdout, result.stderr)
    assert entries(home) == {}
    assert len(recovered(home)) == 4
    assert all(EMAIL in kept.read_text() for kept in recovered(home))


def test_a_guided_entry_asks_a_flagged_part_again(run, home):
    guided = ["Art room", "", "", "", ADDED, "", "", "", "", "", "", "", "", "n", "n", "n"]
    answers = [*guided, "edit", "We set up the art room together.", ""]
    result = run("diary", "add", "--guided", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "What happened, line 1, column 7: an email address" in result.stderr
    [entry] = entries(home).values()
    assert entry.section("what_happened") == "We set up the art room together."


# --- diary edit -------------------------------------------------------------------------------


def test_an_editor_edit_adding_details_is_reviewed_and_can_be_kept(run, home, fake_editor):
    entry_id, path = add_entry(run, home)
    fake_editor({"replace": ["Helped set up the art room.", ADDED]})
    result = run("diary", "edit", entry_id, input="keep\n")
    assert result.exit_code == 0, result.stderr
    assert "The privacy check found 3 possible identifying detail(s)" in result.stderr
    assert "text, line 1, column 7: an email address" in result.stderr
    assert "a phone or fax number" in result.stderr
    assert "a street address" in result.stderr
    no_secrets(result.stdout, result.stderr)
    assert EMAIL in path.read_text()


def test_an_editor_edit_can_be_fixed_in_the_editor_again(run, home, fake_editor):
    entry_id, path = add_entry(run, home)
    fake_editor(
        {"replace": ["Helped set up the art room.", f"Email {EMAIL} later."]},
        {"replace": [EMAIL, "the resident"]},
    )
    result = run("diary", "edit", entry_id, input="edit\n")
    assert result.exit_code == 0, result.stderr
    assert "Email the resident later." in path.read_text()
    assert "Edit, keep as it is, or cancel?" in result.stderr


def test_a_cancelled_editor_edit_leaves_the_entry_as_it_was(run, home, fake_editor):
    entry_id, path = add_entry(run, home)
    before = path.read_bytes()
    fake_editor({"replace": ["Helped set up the art room.", ADDED]})
    result = run("diary", "edit", entry_id, input="cancel\n")
    assert result.exit_code == 1
    assert "Cancelled; nothing was saved." in result.stderr
    assert path.read_bytes() == before


def test_strict_refuses_an_editor_edit_and_keeps_the_edited_text(run, home, fake_editor):
    entry_id, path = add_entry(run, home)
    before = path.read_bytes()
    fake_editor({"replace": ["Helped set up the art room.", ADDED]})
    result = run("diary", "edit", entry_id, "--strict")
    assert result.exit_code == 2
    [line] = problem_lines(result.stderr)
    assert line.startswith("peerjournal: the privacy check found 3 possible identifying detail")
    assert line.endswith("nothing was saved (--strict)")
    no_secrets(result.stdout, result.stderr)
    assert path.read_bytes() == before
    [kept] = recovered(home)
    assert ADDED in kept.read_text()
    assert f"Your text is kept in {kept}" in result.stderr


def test_an_edit_is_judged_by_what_it_adds(run, home, fake_editor):
    entry_id, path = add_entry(run, home, f"Call back on {PHONE} tomorrow.", input="keep\n")
    fake_editor({"replace": ["tomorrow.", "tomorrow, after lunch."]})
    result = run("diary", "edit", entry_id, "--strict")
    assert result.exit_code == 0, result.stderr  # the number was there, and kept, before
    assert "after lunch" in path.read_text()


def test_an_edit_with_options_is_reviewed(run, home):
    entry_id, path = add_entry(run, home)
    before = path.read_bytes()
    result = run("diary", "edit", entry_id, "--title", f"Call {PHONE}", input="cancel\n")
    assert result.exit_code == 1
    assert "title, line 1, column 6: a phone or fax number" in result.stderr
    assert "Edit, keep as it is, or cancel?" in result.stderr  # no editor: the title is asked
    assert path.read_bytes() == before
    result = run("diary", "edit", entry_id, "--title", f"Call {PHONE}", "--strict")
    assert result.exit_code == 2
    assert problem_lines(result.stderr)[0].endswith("nothing was saved (--strict)")
    assert path.read_bytes() == before
    no_secrets(result.stdout, result.stderr)
    result = run("diary", "edit", entry_id, "--title", f"Call {PHONE}", input="keep\n")
    assert result.exit_code == 0, result.stderr
    assert EntryStore(DataHome(home)).read(path).entry.meta.title == f"Call {PHONE}"


def test_tags_alone_are_not_held_up_by_details_the_entry_already_had(run, home):
    text = f"Call back on {PHONE} tomorrow."
    entry_id, path = add_entry(run, home, text, "--tag", "group", input="keep\n")
    result = run("diary", "edit", entry_id, "--add-tag", "phone", "--strict")
    assert result.exit_code == 0, result.stderr
    assert EntryStore(DataHome(home)).read(path).entry.meta.tags == ["group", "phone"]


# --- diary import -----------------------------------------------------------------------------

JOURNAL = f"""\
[2026-09-01 10:00] Garden day
We planted seedlings together.

[2026-09-02 11:00] Roster
Ask Jo to ring me on {PHONE} about the roster.

[2026-09-03 12:00] Quiet day
Nothing much happened.
"""


@pytest.fixture
def journal(tmp_path):
    path = tmp_path / "journal.txt"
    path.write_text(JOURNAL, encoding="utf-8")
    return path


def test_an_import_reports_each_entry_with_findings_by_its_new_id(run, home, journal):
    result = run("diary", "import", "jrnl", str(journal))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Imported 3 entries from {journal}; skipped 0")
    found = entries(home)
    [flagged] = [e.id for e in found.values() if e.meta.title == "Roster"]
    assert (
        f"peerjournal: warning: entry {flagged}: text, line 1, column 22: a phone or fax number"
        in result.stderr
    )
    assert "1 imported entry has possible identifying details" in result.stderr
    others = [e.id for e in found.values() if e.id != flagged]
    assert not any(other in result.stderr for other in others)
    no_secrets(result.stdout, result.stderr)


def test_a_strict_import_holds_back_entries_with_findings_and_counts_them(run, home, journal):
    result = run("diary", "import", "jrnl", str(journal), "--strict")
    assert result.exit_code == 2
    assert result.stdout.startswith(f"Imported 2 entries from {journal}; skipped 0")
    assert f"{journal}:4: held back: text, line 1, column 22: a phone or fax number" in (
        result.stderr
    )
    assert problem_lines(result.stderr) == [
        "peerjournal: held back 1 entry with possible identifying details (--strict); "
        f"change them in {journal} and import again"
    ]
    assert sorted(e.meta.title for e in entries(home).values()) == [
        "Garden day",
        "Quiet day",
    ]
    no_secrets(result.stdout, result.stderr)
    # the held-back entry was not remembered: a run without --strict brings it in
    again = run("diary", "import", "jrnl", str(journal))
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith(f"Imported 1 entries from {journal}; skipped 2")


# --- supervision ------------------------------------------------------------------------------

SESSION = f"""\
date: 2 days ago
minutes: 30
supervisor: Rowan Vale
wellbeing: Tired but fine.
notes: Ring the housing team on {PHONE} before Friday.
actions:
  - {{text: Read the boundaries guide, owner: Sam}}
"""


def sessions(home):
    return sorted((home / "supervision" / "sessions").rglob("*.md"))


@pytest.fixture
def session_file(tmp_path):
    path = tmp_path / "session.yaml"
    path.write_text(SESSION, encoding="utf-8")
    return path


def test_a_session_from_a_file_with_a_phone_number_is_reviewed(run, home, session_file):
    result = run("supervision", "new", "--from", str(session_file), input="cancel\n")
    assert result.exit_code == 1
    assert "notes, line 1, column 26: a phone or fax number" in result.stderr
    assert "Edit, keep as it is, or cancel?" in result.stderr  # a flagged part is typed again
    assert "Cancelled; nothing was saved." in result.stderr
    assert sessions(home) == []
    result = run("supervision", "new", "--from", str(session_file), input="keep\n")
    assert result.exit_code == 0, result.stderr
    [saved] = sessions(home)
    assert PHONE in saved.read_text()
    no_secrets(result.stdout, result.stderr)


def test_a_flagged_part_of_a_session_file_can_be_typed_again(run, home, session_file):
    typed = "edit\nWe agreed to ring the office together.\n"
    result = run("supervision", "new", "--from", str(session_file), input=typed)
    assert result.exit_code == 0, result.stderr
    assert "Notes: type it again, without the flagged detail" in result.stderr
    [saved] = sessions(home)
    assert "ring the office together" in saved.read_text()
    assert PHONE not in saved.read_text()
    assert PHONE in session_file.read_text()  # the file itself is left alone
    no_secrets(result.stdout, result.stderr)


def test_strict_refuses_a_session_from_a_file(run, home, session_file):
    result = run("supervision", "new", "--from", str(session_file), "--strict")
    assert result.exit_code == 2
    [line] = problem_lines(result.stderr)
    assert "notes, line 1, column 26: a phone or fax number" in line
    assert line.endswith("nothing was saved (--strict)")
    assert sessions(home) == []
    assert recovered(home) == []  # the words are still in the file they came from
    no_secrets(result.stdout, result.stderr)


def test_a_guided_session_can_answer_a_flagged_question_again(run, home):
    answers = [
        "",  # no other topic
        f"Worried; call {PHONE} if needed.",  # wellbeing
        "",  # an empty line ends it
        "",  # decisions
        "",  # no action items
        "",  # no next session date
        "edit",
        "Tired but fine.",  # wellbeing, again
    ]
    result = run("supervision", "new", "--minutes", "30", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "wellbeing, line 1, column 15: a phone or fax number" in result.stderr
    [saved] = sessions(home)
    assert "Tired but fine." in saved.read_text()
    assert PHONE not in saved.read_text()


def test_strict_refuses_a_guided_session_and_keeps_what_was_typed(run, home):
    answers = ["", "Tired but fine.", "", f"Agreed to email {EMAIL}.", "", "", ""]
    result = run(
        "supervision", "new", "--minutes", "30", "--strict", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 2
    assert "decisions, line 1, column 17: an email address" in problem_lines(result.stderr)[0]
    assert sessions(home) == []
    [kept] = recovered(home)
    assert EMAIL in kept.read_text()
    assert "Tired but fine." in kept.read_text()
    no_secrets(result.stdout, result.stderr)


def test_a_session_written_in_the_editor_can_be_fixed_in_the_editor(run, home, fake_editor):
    fake_editor(
        {"replace": ["## Wellbeing\n", f"## Wellbeing\n\nRing {PHONE} if it gets worse.\n"]},
        {"replace": [f"Ring {PHONE}", "Ask for help"]},
    )
    result = run("supervision", "new", "--editor", "--minutes", "30", input="edit\n")
    assert result.exit_code == 0, result.stderr
    assert "a phone or fax number" in result.stderr
    [saved] = sessions(home)
    assert "Ask for help if it gets worse." in saved.read_text()
    assert PHONE not in saved.read_text()


def test_a_session_edit_adding_an_address_is_refused_in_strict_mode(
    run, home, session_file, fake_editor
):
    session_file.write_text(SESSION.replace(f" on {PHONE}", ""), encoding="utf-8")
    created = run("supervision", "new", "--from", str(session_file))
    assert created.exit_code == 0, created.stderr
    [path] = sessions(home)
    before = path.read_bytes()
    fake_editor({"replace": ["before Friday.", f"before Friday, at {ADDRESS}."]})
    result = run("supervision", "edit", created.stdout.split()[3], "--strict")
    assert result.exit_code == 2
    assert "a street address" in problem_lines(result.stderr)[0]
    assert path.read_bytes() == before
    [kept] = recovered(home)
    assert ADDRESS in kept.read_text()
    no_secrets(result.stdout, result.stderr)


# --- assessments ------------------------------------------------------------------------------


def test_strict_refuses_an_answers_file_with_an_email_in_a_note(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"w.1: {{rating: 3, note: Wrote to {EMAIL} for the resident}}\nw.2: 2\n")
    result = run("assess", "start", "harbour-values", "--answers", str(answers), "--strict")
    assert result.exit_code == 2
    [line] = problem_lines(result.stderr)
    assert "note on w.1, line 1, column 10: an email address" in line
    assert line.endswith("nothing was saved (--strict)")
    assert assessments(harbour) == []  # no half-filled draft is left behind
    no_secrets(result.stdout, result.stderr)


def test_an_answers_file_goal_with_a_finding_can_be_kept(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "answers:\n  w.1: 3\ngoals:\n"
        f"  - {{item: w.2, text: Visit the drop-in at {ADDRESS} with a new resident}}\n"
    )
    result = run("assess", "start", "harbour-values", "--answers", str(answers), input="keep\n")
    assert result.exit_code == 0, result.stderr
    assert "goal on w.2, line 1, column 22: a street address" in result.stderr
    [path] = assessments(harbour)
    assert json.loads(path.read_text())["goals"][0]["item"] == "w.2"


def test_an_answers_file_goal_with_a_finding_can_be_typed_again(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "answers:\n  w.1: 3\ngoals:\n"
        f"  - {{item: w.2, text: Visit the drop-in at {ADDRESS} with a new resident}}\n"
    )
    typed = "\nedit\nVisit the drop-in with a new resident\n"  # Enter alone keeps nothing
    result = run("assess", "start", "harbour-values", "--answers", str(answers), input=typed)
    assert result.exit_code == 0, result.stderr
    assert "Goal on w.2: type it again" in result.stderr
    [path] = assessments(harbour)
    [goal] = json.loads(path.read_text())["goals"]
    assert goal["text"] == "Visit the drop-in with a new resident"
    no_secrets(result.stdout, result.stderr)


def test_the_interview_asks_a_flagged_note_again(run, harbour):
    answers = ["3", f"Emailed {EMAIL} for the resident.", "edit", "Greeted them warmly.", "q"]
    result = run("assess", "start", "harbour-values", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "note on w.1, line 1, column 9: an email address" in result.stderr
    [path] = assessments(harbour)
    assert json.loads(path.read_text())["responses"]["w.1"]["note"] == "Greeted them warmly."


def test_strict_stops_the_interview_at_the_note_and_resume_asks_it_again(run, harbour):
    answers = ["3", f"Emailed {EMAIL} for the resident."]
    result = run("assess", "start", "harbour-values", "--strict", input="\n".join(answers) + "\n")
    assert result.exit_code == 2
    assert problem_lines(result.stderr)[0].endswith("nothing was saved (--strict)")
    [kept] = recovered(harbour)
    assert EMAIL in kept.read_text()
    [path] = assessments(harbour)
    draft = json.loads(path.read_text())
    assert draft["status"] == "draft"
    assert "w.1" not in draft["responses"]
    no_secrets(result.stdout, result.stderr)
    resumed = run("assess", "resume", input="3\nGreeted them warmly.\nq\n")
    assert resumed.exit_code == 0, resumed.stderr
    assert "Item 1 of 3" in resumed.stderr
    assert json.loads(path.read_text())["responses"]["w.1"]["note"] == "Greeted them warmly."


# --- the home's default -----------------------------------------------------------------------


def test_settings_make_strict_the_default_everywhere(
    run, harbour, fake_editor, session_file, journal, tmp_path
):
    home = harbour
    set_strict(home)
    result = run("diary", "add", f"Call back on {PHONE} tomorrow.")
    assert result.exit_code == 2
    assert problem_lines(result.stderr)[0].endswith(
        "nothing was saved (privacy.strict in settings.yaml)"
    )
    entry_id, path = add_entry(run, home)
    before = path.read_bytes()
    fake_editor({"replace": ["Helped set up the art room.", ADDED]})
    assert run("diary", "edit", entry_id).exit_code == 2
    assert path.read_bytes() == before
    assert run("supervision", "new", "--from", str(session_file)).exit_code == 2
    assert sessions(home) == []
    imported = run("diary", "import", "jrnl", str(journal))
    assert imported.exit_code == 2
    assert "held back 1 entry" in imported.stderr
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"w.1: {{rating: 3, note: Wrote to {EMAIL}}}\n")
    assert run("assess", "start", "harbour-values", "--answers", str(answers)).exit_code == 2
    assert assessments(home) == []


def test_a_settings_file_from_before_strict_still_reads_and_asks(run, home):
    settings = home / "settings.yaml"
    lines = settings.read_text().splitlines(keepends=True)
    settings.write_text("".join(line for line in lines if "strict" not in line))
    result = run("diary", "add", f"Call back on {PHONE} tomorrow.", input="keep\n")
    assert result.exit_code == 0, result.stderr
    assert "Edit, keep as it is, or cancel?" in result.stderr  # no $EDITOR: retyped if edit
    assert len(entries(home)) == 1


AGREEMENT = (
    "supervision", "agreement", "--worker", "Sam Rivers", "--supervisor", "Rowan Vale",
    "--frequency", "every two weeks", "--review", "2099-03-01",
)  # fmt: skip


def agreement_files(home):
    return sorted((home / "supervision" / "agreements").rglob("*.md"))


def test_an_agreement_with_a_phone_number_is_reviewed_and_refused_when_strict(run, home):
    typed = ("--confidentiality", f"Ring {PHONE} before sharing anything.")
    refused = run(*AGREEMENT, *typed, "--strict")
    assert refused.exit_code == 2
    [line] = problem_lines(refused.stderr)
    assert "confidentiality, line 1, column 6: a phone or fax number" in line
    assert agreement_files(home) == []
    no_secrets(refused.stdout, refused.stderr)
    [kept] = recovered(home)
    assert PHONE in kept.read_text()  # what was typed is kept, privately
    assert f"Your text is kept in {kept}" in refused.stderr

    cancelled = run(*AGREEMENT, *typed, input="cancel\n")
    assert cancelled.exit_code == 1
    assert agreement_files(home) == []

    kept = run(*AGREEMENT, *typed, input="keep\n")
    assert kept.exit_code == 0, kept.stderr
    [saved] = agreement_files(home)
    assert PHONE in saved.read_text()
    again = run(*AGREEMENT, "--goal", "Pace the week", "--strict")  # adds nothing identifying
    assert again.exit_code == 0, again.stderr


def test_a_flagged_part_of_an_agreement_can_be_typed_again(run, home):
    typed = ("--confidentiality", f"Ring {PHONE} before sharing anything.")
    result = run(*AGREEMENT, *typed, input="edit\nAsk before sharing anything.\n")
    assert result.exit_code == 0, result.stderr
    assert "Confidentiality: type it again, without the flagged detail" in result.stderr
    [saved] = agreement_files(home)
    assert "Ask before sharing anything." in saved.read_text()
    assert PHONE not in saved.read_text()
    no_secrets(result.stdout, result.stderr)


def test_a_reason_for_dropping_an_action_is_checked_too(run, home, tmp_path):
    source = tmp_path / "session.yaml"
    source.write_text(
        "date: 2026-09-10 09:00\nminutes: 60\ntype: professional\nsupervisor: Rowan Vale\n"
        "notes: We planned the week.\n"
        "actions:\n  - {text: Ask about the garden roster, owner: Sam, due: 2026-09-30}\n"
    )
    made = run("supervision", "new", "--from", str(source))
    assert made.exit_code == 0, made.stderr
    [action_id] = re.findall(r"action (A[0-9a-f]+):", made.stdout)
    refused = run("supervision", "drop", action_id, "--why", f"Moved; mail {EMAIL}", "--strict")
    assert refused.exit_code == 2
    no_secrets(refused.stdout, refused.stderr)
    assert "OVERDUE" in run("supervision", "actions").stdout  # still open
    dropped = run("supervision", "drop", action_id, "--why", "Not needed after all", "--strict")
    assert dropped.exit_code == 0, dropped.stderr
    assert action_id not in run("supervision", "actions", "--open").stdout
