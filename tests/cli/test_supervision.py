"""Supervision: agreements, agendas built from what is recorded, sessions, actions, hours."""

import re
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data" / "frameworks"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def add_entry(run, *args, text="Worked through a hard week with a resident."):
    result = run("diary", "add", text, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def new_session(run, tmp_path, name, body):
    result = run("supervision", "new", "--from", str(write(tmp_path, name, body)))
    assert result.exit_code == 0, result.stderr
    session_id = result.stdout.split()[3]
    action_ids = re.findall(r"action (A[0-9a-f]{6})", result.stdout)
    return session_id, action_ids


@pytest.fixture
def world(run, home, tmp_path):
    """A worker's diary, a self and a supervisor assessment, and two sessions so far."""
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    first = add_entry(
        run, "--for-supervision", "--date", "2026-09-01 10:00", "--title", "Garden day"
    )
    second = add_entry(
        run, "--for-supervision", "--date", "2026-09-20 10:00", "--title", "Phone call"
    )
    add_entry(run, "--date", "2026-09-21 10:00", "--title", "Not for supervision")
    for role, answers in (
        ("self", "w.1: 3\nw.2: 1\nf.1: 2\n"),
        ("supervisor", "w.1: 1\nw.2: 1\nf.1: 2\n"),
    ):
        extra = ["--role", "supervisor", "--subject", "Sam Rivers"] if role == "supervisor" else []
        path = write(tmp_path, f"{role}.yaml", answers)
        result = run("assess", "start", "harbour-values", *extra, "--answers", str(path))
        assert result.exit_code == 0, result.stderr
    one, [action_a] = new_session(
        run, tmp_path, "one.yaml",
        f"date: 2026-09-10 09:00\nminutes: 60\ntype: professional\nsupervisor: Rowan Vale\n"
        f"topics:\n  'Diary: Garden day': We talked about pacing.\nentries: [{first}]\n"
        f"actions:\n  - {{text: Ask about the garden roster, owner: Sam, due: 2026-09-30}}\n",
    )  # fmt: skip
    two, [action_b] = new_session(
        run, tmp_path, "two.yaml",
        "date: 2026-10-05 09:00\nminutes: 45\ntype: peer\nsupervisor: Rowan Vale\n"
        "wellbeing: Rested after leave.\n"
        "actions:\n  - {text: Read the boundaries guide, owner: Sam, due: 2026-10-20}\n",
    )  # fmt: skip
    assert run("supervision", "done", action_a).exit_code == 0
    return {"first": first, "second": second, "one": one, "two": two, "a": action_a, "b": action_b}


def test_prep_lists_exactly_what_is_waiting(run, world, tmp_path):
    out = tmp_path / "agenda.md"
    result = run("supervision", "prep", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    agenda = out.read_text()
    assert world["second"] in agenda  # marked for supervision, not yet discussed
    assert world["first"] not in agenda  # discussed in session one
    assert "Not for supervision" not in agenda
    assert world["b"] in agenda  # open, and overdue by now
    assert "**overdue**" in agenda
    assert world["a"] not in agenda  # closed after session two
    assert "`harbour-values/w.1`: self 3, supervisor 1" in agenda
    assert "w.2`: self" not in agenda  # same rating: no gap
    assert "Last session: 2026-10-05." in agenda
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_a_third_session_follows_up_and_marks_entries_discussed(run, world, tmp_path, home):
    answers = "\n".join([
        "Went well.", "",  # notes on the diary topic (an empty line ends notes)
        "Still reading.", "",  # notes on action B
        "",  # three growth areas and one rating gap: skip each
        "", "", "",
        "",  # no other topic
        "Good.", "",  # wellbeing
        "",  # decisions
        "",  # no new action
        "",  # next session left open
    ]) + "\n"  # fmt: skip
    result = run(
        "supervision", "new", "--minutes", "30", "--date", "2026-11-02 09:00", input=answers
    )
    assert result.exit_code == 0, result.stderr
    assert "Topic 1 of" in result.stderr
    entry = run("diary", "show", world["second"], "--raw").stdout
    assert "discussed_in:" in entry
    prep = run("supervision", "prep").stdout
    assert world["second"] not in prep
    assert world["b"] in prep  # still open until it is done or dropped
    assert run("supervision", "drop", world["b"], "--why", "No longer relevant").exit_code == 0
    assert world["b"] not in run("supervision", "prep").stdout


def test_hours_add_up_by_month_and_type(run, world):
    by_month = run("supervision", "hours").stdout
    rows = {line.split()[0]: line.split()[1:4] for line in by_month.splitlines() if line.strip()}
    assert rows["2026-09"][:2] == ["1", "1h"]
    assert rows["2026-10"][:2] == ["1", "45m"]
    assert rows["total"] == ["2", "1h", "45m"]
    by_type = run("supervision", "hours", "--by", "type", "--target", "25").stdout
    rows = {line.split()[0]: line.split()[1:4] for line in by_type.splitlines() if line.strip()}
    assert rows["professional"] == ["2", "1h", "45m"]  # 'type: peer' in a script is a form now
    assert "1h 45m of 25h (7.0%); 23h 15m to go" in by_type
    by_form = run("supervision", "hours", "--by", "form").stdout
    rows = {line.split()[0]: line.split()[1:3] for line in by_form.splitlines() if line.strip()}
    assert rows["individual"] == ["1", "1h"]
    assert rows["peer"] == ["1", "45m"]
    since = run("supervision", "hours", "--since", "2026-10-01").stdout
    assert "2026-09" not in since


def test_actions_listing_and_follow_up_errors(run, world):
    listed = run("supervision", "actions", "--overdue")
    assert world["b"] in listed.stdout
    assert world["a"] not in listed.stdout
    assert world["a"] in run("supervision", "actions").stdout
    again = run("supervision", "done", world["a"])
    assert (again.exit_code, again.stderr) == (
        2,
        f"peerjournal: action {world['a']} is already done\n",
    )
    unknown = run("supervision", "done", "Azzzzzz")
    assert unknown.stderr == "peerjournal: no action item with id 'Azzzzzz'\n"
    no_reason = run("supervision", "drop", world["b"])
    assert no_reason.stderr == "peerjournal: say why the action is dropped with --why\n"


def test_bad_dates_and_bad_files_are_clear(run, world, tmp_path):
    cases = [
        ("date: 2026-10-10\nminutes: 30\nactions: [{text: X, owner: Sam, due: 2026-10-01}]\n",
         "peerjournal: an action's due date (2026-10-01) is before the session (2026-10-10)\n"),
        ("date: 2026-10-10\nminutes: 30\nnext_session: 2026-10-01\n",
         "peerjournal: the next session (2026-10-01) must be after this one (2026-10-10)\n"),
        ("date: 2099-01-01\nminutes: 30\n",
         "peerjournal: the session date is in the future; record a session after it happens\n"),
    ]  # fmt: skip
    for index, (body, message) in enumerate(cases):
        path = write(tmp_path, f"bad{index}.yaml", body)
        result = run("supervision", "new", "--from", str(path))
        named = message.replace("peerjournal: ", f"peerjournal: {path}: ", 1)  # the file named
        assert (result.exit_code, result.stderr) == (2, named)
    typo = write(tmp_path, "typo.yaml", "date: 2026-10-10\nminutes: 30\nwelbeing: fine\n")
    result = run("supervision", "new", "--from", str(typo))
    assert result.exit_code == 2
    assert result.stderr == f"peerjournal: {typo}:3: welbeing: unknown field (check the spelling)\n"
    broken = write(tmp_path, "broken.yaml", "date: [\n")
    assert run("supervision", "new", "--from", str(broken)).stderr.startswith(
        f"peerjournal: {broken}:"
    )
    assert len(run("supervision", "list").stdout.strip().splitlines()) == 3  # header + two sessions


def test_show_edit_and_delete_a_session(run, world, fake_editor):
    shown = run("supervision", "show", world["one"])
    assert "We talked about pacing." in shown.stdout
    fake_editor({"replace": ["We talked about pacing.", "We talked about pacing and rest."]})
    assert run("supervision", "edit", world["one"]).exit_code == 0
    assert "pacing and rest" in run("supervision", "show", world["one"]).stdout
    assert run("supervision", "delete", world["two"], "--yes").exit_code == 0
    assert world["two"] not in run("supervision", "list").stdout


@pytest.fixture
def supervisor_home(run, isolated, tmp_path):
    assert run("init", "--name", "Rowan Vale", "--role", "supervisor").exit_code == 0
    for name in ("Sam Rivers", "Ana Lima", "Jo Fern"):
        assert run("people", "add", name).exit_code == 0
    for worker, minutes, month in (
        ("Sam Rivers", 60, "09"),
        ("Ana Lima", 30, "09"),
        ("Jo Fern", 45, "10"),
    ):
        body = (f"date: 2026-{month}-15 10:00\nworker: {worker}\nminutes: {minutes}\n"
                f"actions: [{{text: Follow up with {worker}, owner: {worker}}}]\n")  # fmt: skip
        assert (
            run(
                "supervision", "new", "--from", str(write(tmp_path, f"{minutes}.yaml", body))
            ).exit_code
            == 0
        )
    return isolated


def test_a_supervisor_keeps_three_workers_apart(run, supervisor_home):
    hours = run("supervision", "hours", "--by", "worker").stdout
    rows = {
        " ".join(line.split()[:2]): line.split()[2:4]
        for line in hours.splitlines()
        if len(line.split()) > 3 and not line.startswith(" total")
    }
    assert rows == {
        "Ana Lima": ["1", "30m"],
        "Jo Fern": ["1", "45m"],
        "Sam Rivers": ["1", "1h"],
    }
    ana = run("supervision", "actions", "--worker", "ana lima").stdout
    assert "Follow up with Ana Lima" in ana
    assert "Sam Rivers" not in ana
    sam_hours = run("supervision", "hours", "--worker", "Sam Rivers").stdout
    assert [line.split()[1:] for line in sam_hours.splitlines() if "total" in line] == [["1", "1h"]]
    assert "30m" not in sam_hours  # Ana's half hour is not Sam's
    listed = run("supervision", "list", "--worker", "Jo Fern").stdout
    assert "Jo Fern" in listed
    assert "Ana Lima" not in listed


def test_a_supervisor_must_say_which_worker(run, supervisor_home):
    result = run("supervision", "prep")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "peerjournal: say which worker with --worker NAME (Ana Lima, Jo Fern, Sam Rivers)\n"
    )
    missing = run("supervision", "prep", "--worker", "Kim")
    assert missing.exit_code == 2
    assert missing.stderr == "peerjournal: no person 'Kim'; see 'peerjournal people list'\n"
    agenda = run("supervision", "prep", "--worker", "ana lima")
    assert agenda.exit_code == 0
    assert "Follow up with Ana Lima" in agenda.stdout
    assert "Sam Rivers" not in agenda.stdout


def test_agreement_create_show_and_review_warning(run, supervisor_home):
    result = run(
        "supervision", "agreement", "--worker", "Sam Rivers", "--type", "professional",
        "--frequency", "every two weeks", "--minutes", "60",
        "--goal", "Use lived experience safely",
        "--limits", "Risk of serious harm is shared with the team lead", "--review", "2027-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = run("supervision", "agreement", "--worker", "Sam Rivers").stdout
    assert "every two weeks" in shown
    assert "Risk of serious harm is shared with the team lead" in shown
    past = run("supervision", "agreement", "--worker", "Sam Rivers", "--review", "2020-01-01")
    assert (past.exit_code, past.stderr) == (
        2,
        "peerjournal: the review date must be in the future\n",
    )
    [path] = (supervisor_home / "supervision" / "agreements").iterdir()
    path.write_text(
        path.read_text().replace("review_date: '2027-03-01'", "review_date: '2026-01-01'")
    )
    assert "the review date with Sam Rivers has passed" in run().stdout


def test_agreement_asked_for_when_there_is_none(run, supervisor_home):
    answers = "\n".join([
        "Rowan Vale", "", "", "cultural", "", "", "Grow; Reflect", "", "monthly", "90", "", "",
        "Questions", "All of it", "Safety", "Shared file", "", "", "", "", "", "2027-01-15",
    ]) + "\n"  # fmt: skip
    result = run("supervision", "agreement", "--worker", "Ana Lima", input=answers)
    assert result.exit_code == 0, result.stderr
    text = next((supervisor_home / "supervision" / "agreements").iterdir()).read_text()
    assert "type: cultural" in text
    assert "- Reflect" in text


def test_home_screen_first_run_and_counts(run, isolated, world):
    board = run()
    assert board.exit_code == 0
    rows = {
        " ".join(line.split()[:-1]): line.split()[-1] for line in board.stdout.splitlines()[1:5]
    }
    assert rows["waiting for supervision"] == "1"
    assert "overdue actions" in board.stdout
    assert "next step" in board.stdout


def test_home_screen_before_init_shows_how_to_begin(run, isolated):
    result = run()
    assert result.exit_code == 0
    assert "peerjournal init" in result.stdout
    assert not isolated.exists()


def test_supervision_records_are_plain_markdown(run, world, home):
    [path] = [
        p for p in (home / "supervision" / "sessions").rglob("*.md") if world["one"] in p.name
    ]
    text = path.read_text()
    assert text.startswith("---\nschema: 3\nid: " + world["one"])
    owner = run("people", "list").stdout.split("  Sam Rivers")[0].split()[-1]
    assert "## Diary: Garden day\n\nWe talked about pacing." in text
    assert f"workers:\n- {owner}\n" in text  # the person's id; the name is a label
