"""Supervision agreements as Te Pou describes them: several per worker (one per type), the parts
an agreement covers, each party's acknowledgement, old files, and JSON for scripts.

Names are fictional. Every command runs with the test's clock (NOW, 24 November 2026).
"""

import json
import sys

import pytest

from helpers import NOW, spawn

REVIEW = "2099-03-01"
PHONE = "555-201-3344"


def ok(run, *args, input=None):
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def refused(run, *args, input=None):
    result = run(*args, input=input)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    return result.stderr


def files(home):
    folder = home / "supervision" / "agreements"
    return sorted(folder.glob("*.md")) if folder.exists() else []


def recovered(home):
    folder = home / ".recovery"
    return sorted(folder.iterdir()) if folder.exists() else []


def agree(run, worker, kind, *args):
    return ok(
        run, "supervision", "agreement", "--worker", worker, "--type", kind,
        "--review", REVIEW, *args,
    )  # fmt: skip


@pytest.fixture
def team(run, isolated):
    """Rowan Vale supervises Sam Rivers and Ana Lima; nobody has an agreement yet."""
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    for name in ("Sam Rivers", "Ana Lima"):
        ok(run, "people", "add", name)
    return isolated


# --- several agreements, one per type -----------------------------------------------------------


def test_a_worker_holds_one_agreement_of_each_type(run, team):
    agree(run, "Sam Rivers", "professional", "--frequency", "every two weeks")
    agree(run, "Sam Rivers", "cultural", "--supervisor", "Mere Tau", "--frequency", "monthly")
    assert len(files(team)) == 2
    listed = ok(run, "supervision", "agreement", "--worker", "Sam Rivers")
    assert "professional" in listed
    assert "cultural" in listed
    assert "Mere Tau" in listed
    assert "Rowan Vale" in listed
    assert REVIEW in listed
    assert "--type TYPE" in listed  # says how to see one

    cultural = ok(run, "supervision", "agreement", "--worker", "Sam", "--type", "cultural")
    assert "monthly" in cultural
    assert "every two weeks" not in cultural

    error = refused(run, "supervision", "agreement", "--worker", "Sam", "--minutes", "45")
    assert error == (
        "peerjournal: Sam Rivers has 2 supervision agreements (professional, cultural); "
        "say which with --type\n"
    )
    before = {path: path.read_text() for path in files(team)}
    agree(run, "Sam Rivers", "cultural", "--minutes", "45")  # replaces only that one
    after = {path: path.read_text() for path in files(team)}
    changed = [path for path in after if after[path] != before[path]]
    assert len(after) == 2
    assert len(changed) == 1
    assert "minutes: 45" in after[changed[0]]
    assert "type: cultural" in after[changed[0]]


def test_with_one_agreement_the_type_can_be_left_out(run, team):
    agree(run, "Ana Lima", "reflective-practice", "--frequency", "monthly")
    ok(run, "supervision", "agreement", "--worker", "Ana Lima", "--frequency", "weekly")
    shown = ok(run, "supervision", "agreement", "--worker", "Ana Lima")
    assert "reflective-practice" in shown
    assert "weekly" in shown
    assert len(files(team)) == 1


def test_an_unknown_type_is_one_clear_line(run, team):
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--type", "group")
    assert error == (
        "peerjournal: --type must be one of: line-management, professional, cultural, "
        "reflective-practice\n"
    )


def test_the_home_screen_shows_the_review_that_comes_first(run, team):
    agree(run, "Sam Rivers", "professional")
    ok(run, "supervision", "agreement", "--worker", "Sam Rivers", "--type", "cultural",
       "--review", "2027-02-01")  # fmt: skip
    board = ok(run)
    caseload = board.split("Caseload", 1)[1].splitlines()
    row = next(line for line in caseload if "Sam Rivers" in line)
    assert "2027-02-01" in row
    assert REVIEW not in row


# --- what an agreement covers -------------------------------------------------------------------

EVERY_PART = (
    "--purpose", "Reflect on using lived experience at work",
    "--roles", "Sam brings the agenda; Rowan keeps time",
    "--form", "group", "--mode", "video", "--place", "the team room",
    "--between-sessions", "A message through the work chat",
    "--cancellations", "A day's notice, then rebook within the week",
    "--cover", "Mere Tau covers when Rowan is on leave",
    "--disagreements", "Talk it through, then ask the team lead",
    "--line-manager", "Tui Marsh", "--supervisor-lived-experience", "yes",
    "--start", "2026-11-01",
)  # fmt: skip


def test_every_part_is_stored_and_shown(run, team):
    agree(run, "Sam Rivers", "professional", *EVERY_PART)
    shown = ok(run, "supervision", "agreement", "--worker", "Sam Rivers")
    for text in (
        "Reflect on using lived experience at work", "Sam brings the agenda; Rowan keeps time",
        "group", "video", "the team room", "A message through the work chat",
        "A day's notice, then rebook within the week", "Mere Tau covers when Rowan is on leave",
        "Talk it through, then ask the team lead", "Tui Marsh", "2026-11-01", REVIEW,
    ):  # fmt: skip
        assert text in shown
    assert "Rowan Vale (has lived experience of peer work)" in shown
    assert "Tui Marsh  worker" not in ok(run, "people", "list")  # added, as a supervisor
    assert "Tui Marsh  supervisor" in ok(run, "people", "list")
    assert "Te Pou" not in shown  # nothing known against the line manager


def test_a_line_manager_without_lived_experience_is_noted_not_refused(run, team):
    agree(run, "Sam Rivers", "professional", "--line-manager", "Tui Marsh",
          "--line-manager-lived-experience", "no")  # fmt: skip
    shown = ok(run, "supervision", "agreement", "--worker", "Sam Rivers")
    assert "Te Pou advises that peer workers be line managed by peer workers" in shown
    agree(run, "Sam Rivers", "professional", "--line-manager-lived-experience", "yes")
    assert "Te Pou" not in ok(run, "supervision", "agreement", "--worker", "Sam Rivers")


def test_a_line_management_agreement_notes_a_supervisor_without_lived_experience(run, team):
    agree(run, "Ana Lima", "line-management", "--supervisor-lived-experience", "no")
    shown = ok(run, "supervision", "agreement", "--worker", "Ana Lima")
    assert "Te Pou advises that peer workers be line managed by peer workers" in shown


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--form", "circle", "--form must be one of: individual, group, peer, co-reflection"),
        ("--mode", "letter", "--mode must be one of: in-person, phone, video"),
        ("--line-manager-lived-experience", "maybe",
         "--line-manager-lived-experience must be one of: yes, no, unknown"),
    ],
)  # fmt: skip
def test_a_choice_outside_the_list_is_one_clear_line(run, team, option, value, message):
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--type", "professional",
                    "--review", REVIEW, option, value)  # fmt: skip
    assert error == f"peerjournal: {message}\n"
    assert files(team) == []


def test_the_start_comes_before_the_review_and_the_review_lies_ahead(run, team):
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--type", "cultural",
                    "--start", "2027-05-01", "--review", "2027-04-01")  # fmt: skip
    assert error == "peerjournal: the review date must come after the start date (2027-05-01)\n"
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--type", "cultural",
                    "--review", "2026-11-01")  # fmt: skip
    assert error == "peerjournal: the review date must be in the future\n"
    assert files(team) == []
    agree(run, "Ana Lima", "cultural")
    shown = json.loads(ok(run, "supervision", "agreement", "--worker", "Ana", "--json"))
    assert shown["start_date"] == NOW.date().isoformat()  # a new agreement starts today


def test_every_new_text_field_goes_through_the_privacy_check(run, team):
    typed = ("--cover", f"Ring Mere on {PHONE}")
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--type", "cultural",
                    "--review", REVIEW, *typed, "--strict")  # fmt: skip
    assert "cover, line 1, column 14: a phone or fax number" in error
    assert PHONE not in error
    assert files(team) == []
    [kept] = recovered(team)
    assert PHONE in kept.read_text()


# --- acknowledgements ---------------------------------------------------------------------------


def test_each_party_acknowledges_and_a_change_of_words_clears_it(run, home):
    """Sam's own home: Sam is the worker, Rowan Vale the supervisor."""
    ok(run, "supervision", "agreement", "--type", "professional", "--supervisor", "Rowan Vale",
       "--line-manager", "Tui Marsh", "--review", REVIEW)  # fmt: skip
    shown = ok(run, "supervision", "agreement")
    assert "nobody yet" in shown
    assert "Sam Rivers (worker); Rowan Vale (supervisor); Tui Marsh (line manager)" in shown

    said = ok(run, "supervision", "agreement", "--acknowledge")
    assert said == (
        "Acknowledged the professional supervision agreement with Sam Rivers as Sam Rivers; "
        "not yet acknowledged by Rowan Vale (supervisor), Tui Marsh (line manager)\n"
    )
    shown = ok(run, "supervision", "agreement")
    assert f"Sam Rivers on {NOW.date()}" in shown
    assert "Rowan Vale (supervisor); Tui Marsh (line manager)" in shown
    [path] = files(home)
    assert f"at: '{NOW.date()}T14:30" in path.read_text()  # when: the command's clock
    assert "already acknowledged" in ok(run, "supervision", "agreement", "--acknowledge")

    ok(run, "supervision", "agreement", "--frequency", "every two weeks")  # the same words
    assert f"Sam Rivers on {NOW.date()}" in ok(run, "supervision", "agreement")
    changed = ok(run, "supervision", "agreement", "--frequency", "monthly")
    assert "the acknowledgements by Sam Rivers no longer hold" in changed
    assert "nobody yet" in ok(run, "supervision", "agreement")


def test_only_a_party_can_acknowledge(run, team):
    agree(run, "Ana Lima", "cultural", "--supervisor", "Mere Tau")
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--acknowledge")
    assert error == (
        "peerjournal: only a party to the agreement can acknowledge it (worker Ana Lima, "
        "supervisor Mere Tau); this home is Rowan Vale's\n"
    )
    error = refused(run, "supervision", "agreement", "--worker", "Sam", "--acknowledge")
    assert "no supervision agreement with Sam Rivers yet" in error


# --- files written before several agreements per worker ------------------------------------------

OLD = """---
schema: 2
id: agreement-0ld0ld
worker: {worker}
supervisor: {supervisor}
type: group
frequency: monthly
minutes: 90
goals:
- Share what works
review_date: '2099-01-01'
created: '2026-01-10T09:00:00+13:00'
favourite_biscuit: ginger
---

Written by an older peerjournal.
"""


def write_old(run, home):
    people = {p["name"]: p["id"] for p in json.loads(ok(run, "people", "list", "--json"))}
    folder = home / "supervision" / "agreements"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "agreement-0ld0ld.md"
    path.write_text(OLD.format(worker=people["Sam Rivers"], supervisor=people["Rowan Vale"]))
    path.chmod(0o600)
    return path


def test_an_old_group_agreement_reads_as_professional_held_as_a_group(run, team):
    path = write_old(run, team)
    shown = ok(run, "supervision", "agreement", "--worker", "Sam Rivers", "--json")
    data = json.loads(shown)
    assert (data["type"], data["form"], data["minutes"]) == ("professional", "group", 90)
    assert data["acknowledged"] == []
    assert data["start_date"] is None
    ok(run, "supervision", "agreement", "--worker", "Sam Rivers", "--purpose", "Grow together")
    text = path.read_text()
    assert "schema: 3" in text
    assert "type: professional" in text
    assert "form: group" in text
    assert "favourite_biscuit: ginger" in text  # a field this version does not know is kept
    assert "Written by an older peerjournal." in text


def test_migrate_writes_an_old_agreement_in_the_new_schema(run, team):
    path = write_old(run, team)
    assert "Migrated 1 records." in ok(run, "migrate")
    text = path.read_text()
    assert "schema: 3" in text
    assert "type: professional" in text
    assert "form: group" in text
    assert "favourite_biscuit: ginger" in text
    assert "Share what works" in ok(run, "supervision", "agreement", "--worker", "Sam Rivers")


def test_upgrade_agreement_is_pure_and_idempotent():
    from peerjournal.services.agreements import upgrade_agreement

    old = {"schema": 2, "id": "a", "worker": "p-aaaaaa", "supervisor": "p-bbbbbb",
           "type": "peer", "review_date": "2099-01-01"}  # fmt: skip
    new = upgrade_agreement(old)
    assert old["type"] == "peer"  # the input is left alone
    assert new == {**old, "schema": 3, "type": "professional", "form": "peer"}
    assert upgrade_agreement(new) == new
    assert upgrade_agreement({**old, "type": "cultural"})["type"] == "cultural"
    assert upgrade_agreement({**old, "schema": 1})["schema"] == 1  # names still need ids first


# --- JSON for scripts ---------------------------------------------------------------------------

KEYS = [
    "id", "worker", "supervisor", "line_manager", "type", "form", "purpose", "goals", "roles",
    "frequency", "minutes", "mode", "place", "worker_brings", "confidentiality",
    "confidentiality_limits", "notes_kept", "between_sessions", "cancellations", "cover",
    "disagreements", "supervisor_lived_experience", "line_manager_lived_experience",
    "start_date", "review_date", "review_passed", "acknowledged", "awaiting_acknowledgement",
    "notices", "created", "updated",
]  # fmt: skip


def test_agreement_json_is_one_object_or_a_list_with_stable_keys(run, team):
    agree(run, "Sam Rivers", "professional", *EVERY_PART)
    one = json.loads(ok(run, "supervision", "agreement", "--worker", "Sam", "--json"))
    assert list(one) == KEYS
    assert (one["start_date"], one["review_date"]) == ("2026-11-01", REVIEW)
    assert one["created"].startswith("2026-11-24T14:30")
    assert one["awaiting_acknowledgement"][0] == {"role": "worker", "name": "Sam Rivers"}
    agree(run, "Sam Rivers", "cultural")
    several = json.loads(ok(run, "supervision", "agreement", "--worker", "Sam", "--json"))
    assert [row["type"] for row in several] == ["professional", "cultural"]
    assert all(list(row) == KEYS for row in several)
    error = refused(run, "supervision", "agreement", "--worker", "Ana", "--json")
    assert "no supervision agreement with Ana Lima yet" in error


def test_a_change_with_json_prints_the_saved_agreement_only(run, team):
    result = run("supervision", "agreement", "--worker", "Ana", "--type", "cultural",
                 "--review", REVIEW, "--json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["type"] == "cultural"
    assert "Saved the cultural supervision agreement with Ana Lima" in result.stderr


def test_people_list_json(run, team):
    ok(run, "people", "rename", "Ana Lima", "Ana Lima-Rewi")
    ok(run, "people", "archive", "Sam Rivers")
    rows = json.loads(ok(run, "people", "list", "--json"))
    assert [row["name"] for row in rows] == ["Ana Lima-Rewi", "Rowan Vale"]
    assert all(list(row) == ["id", "name", "earlier_names", "role", "archived"] for row in rows)
    assert rows[0]["earlier_names"] == ["Ana Lima"]
    assert rows[0]["role"] == "worker"
    everyone = json.loads(ok(run, "people", "list", "--all", "--json"))
    assert {"name": "Sam Rivers", "archived": True}.items() <= everyone[-1].items()


def test_people_list_json_with_nobody_is_an_empty_list(run, isolated):
    assert json.loads(ok(run, "people", "list", "--json")) == []


# --- the guided questions -----------------------------------------------------------------------

# (answer, what it answers) in the order asked; "" takes the default
GUIDED = [
    ("Rowan Vael", "supervisor: a near miss, asked again"),
    ("Rowan Vale", "supervisor"),
    ("yes", "supervisor's lived experience of peer work"),
    ("Tui Marsh", "line manager"),
    ("no", "line manager's lived experience of peer work"),
    ("cultural", "type"),
    ("co-reflection", "form"),
    ("Ground practice in culture", "purpose"),
    ("Grow; Reflect", "goals"),
    ("Ana brings the agenda", "roles"),
    ("monthly", "frequency"),
    ("6000", "minutes: too long, asked again"),
    ("90", "minutes"),
    ("phone", "mode"),
    ("the marae", "place"),
    ("Questions", "worker brings"),
    ("All of it", "confidentiality"),
    ("Safety", "limits"),
    ("Shared file", "notes kept"),
    ("A text message", "between sessions"),
    ("A day's notice", "cancellations"),
    ("Mere Tau covers", "cover"),
    ("Talk it through", "disagreements"),
    ("2027-05-01", "start"),
    ("2027-04-01", "review: before the start, asked again"),
    ("2027-06-01", "review"),
]


def answers(rows):
    return "".join(f"{answer}\n" for answer, _ in rows)


def test_the_guided_questions_ask_every_part_and_check_each_answer(run, team):
    result = run("supervision", "agreement", "--worker", "Ana Lima", input=answers(GUIDED))
    assert result.exit_code == 0, result.stderr
    assert "did you mean 'Rowan Vale'? Please type the name again." in result.stderr
    assert "Please give a whole number of minutes, 1 to 1440." in result.stderr
    assert "the review date must come after the start date (2027-05-01)" in result.stderr
    data = json.loads(ok(run, "supervision", "agreement", "--worker", "Ana", "--json"))
    assert data["supervisor"] == "Rowan Vale"
    assert data["line_manager"] == "Tui Marsh"
    assert (data["supervisor_lived_experience"], data["line_manager_lived_experience"]) == (
        "yes", "no",
    )  # fmt: skip
    assert (data["type"], data["form"], data["mode"], data["minutes"]) == (
        "cultural", "co-reflection", "phone", 90,
    )  # fmt: skip
    assert data["goals"] == ["Grow", "Reflect"]
    assert (data["start_date"], data["review_date"]) == ("2027-05-01", "2027-06-01")
    assert data["place"] == "the marae"
    assert data["cover"] == "Mere Tau covers"
    assert data["notices"]  # Te Pou's advice about the line manager


def test_a_privacy_refusal_keeps_every_typed_answer(run, team):
    rows = [(PHONE if part == "cover" else answer, part) for answer, part in GUIDED]
    result = run("supervision", "agreement", "--worker", "Ana", "--strict", input=answers(rows))
    assert result.exit_code == 2
    assert files(team) == []
    [kept] = recovered(team)
    text = kept.read_text()
    for expected in ("the marae", "Ground practice in culture", "Grow; Reflect", PHONE):
        assert expected in text


def test_input_ending_halfway_keeps_the_answers_so_far(run, team):
    result = run("supervision", "agreement", "--worker", "Ana", input=answers(GUIDED[:9]))
    assert result.exit_code == 2
    assert "input ended before an answer" in result.stderr
    [kept] = recovered(team)
    assert "Ground practice in culture" in kept.read_text()
    assert f"Your text is kept in {kept}" in result.stderr
    assert files(team) == []


# --- at a real terminal -------------------------------------------------------------------------
# The subprocess reads the real clock, so these assert no dates (the review is far off, in 2099).


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_halfway_through_the_questions_keeps_the_typed_answers(team):
    import pexpect

    child = spawn("supervision", "agreement", "--worker", "Ana Lima", "--type", "cultural")
    for prompt, answer in (
        ("Supervisor's name", "Rowan Vale"),
        ("Does the supervisor have", "yes"),
        ("Line manager's name", ""),
        ("Form", "group"),
        ("Purpose and scope", "Ground practice in culture"),
        ("Goals of supervision", "Grow; Reflect"),
    ):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("Roles and responsibilities")
    child.sendintr()
    child.expect("Your text is kept in")
    child.expect("Stopped; the agreement was not saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert files(team) == []
    [kept] = recovered(team)
    text = kept.read_text()
    assert "purpose: Ground practice in culture" in text
    assert "goals: Grow; Reflect" in text
    assert "form: group" in text


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_guided_agreement_at_a_terminal(team):
    import pexpect

    child = spawn("supervision", "agreement", "--worker", "Sam Rivers", "--type", "professional")
    for prompt, answer in (
        ("Supervisor's name", ""),  # the home's supervisor, offered
        ("Does the supervisor have", "no"),
        ("Line manager's name", ""),
        ("Form", ""),
        ("Purpose and scope", "Practice development"),
        ("Goals of supervision", "Pace the week"),
        ("Roles and responsibilities", ""),
        ("How often", "weekly"),
        ("Usual length in minutes", "45"),
        ("Mode", "video"),
        ("Place", ""),
        ("What the worker brings", ""),
        ("What stays confidential", ""),
        ("Limits of confidentiality", ""),
        ("How notes are kept", ""),
        ("Contact between sessions", ""),
        ("Cancellations", ""),
        ("Cover when the supervisor is away", ""),
        ("How disagreements are resolved", ""),
        ("Start date", ""),
        ("Review date", REVIEW),
    ):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("Saved the professional supervision agreement with Sam Rivers")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [path] = files(team)
    text = path.read_text()
    assert "frequency: weekly" in text
    assert "minutes: 45" in text
    assert "mode: video" in text
