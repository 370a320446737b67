"""The supervision record tells the truth (issue 12, section 4), through the real commands.

A session recorded late takes only what was open at its own date and deleting it gives that
back; prep and reports count the latest complete assessment per framework and per rater and say
what it covers; hour targets are per worker; compare orders by date; one evidence rule; a
session length out of bounds is one clear line; finished assessments' goals and notes can change.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from peerjournal.store.assessments import AssessmentStore
from peerjournal.store.layout import DataHome
from peerjournal.store.supervision import SessionStore

DATA = Path(__file__).parents[1] / "data" / "frameworks"


def ok(run, *args, input=None):
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def add_entry(run, title, when, *extra):
    out = ok(run, "diary", "add", f"{title}: a short note.", "--title", title, "--date", when,
             *extra).stdout  # fmt: skip
    return out.split()[-1]


def assess(run, tmp_path, framework, answers, *extra, name="answers"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(answers)
    out = ok(run, "assess", "start", framework, *extra, "--answers", str(path)).stdout
    return re.findall(r"Saved assessment (\S+)", out)[0]


def session_from(run, tmp_path, name, body):
    path = tmp_path / f"{name}.yaml"
    path.write_text(body)
    out = ok(run, "supervision", "new", "--from", str(path)).stdout
    return out.split()[3], re.findall(r"action (A[0-9a-f]{6})", out)


def session(home, session_id):
    return SessionStore(DataHome(home)).find(session_id).meta


def raw(run, entry_id):
    return ok(run, "diary", "show", entry_id, "--raw").stdout


def saved_id(result):
    return re.findall(r"Saved supervision session (\S+)", result.stdout)[0]


# --- 1. a past session takes only what was open at its own date ------------------------------


@pytest.fixture
def history(run, harbour, tmp_path):
    """An entry before and one after 3 November, an open action from October, a goal from today."""
    before = add_entry(run, "Garden day", "2026-10-20 10:00", "--for-supervision")
    after = add_entry(run, "Phone call", "2026-11-10 10:00", "--for-supervision")
    _, [action] = session_from(
        run, tmp_path, "october",
        "date: 2026-10-01 09:00\nminutes: 60\n"
        "actions: [{text: Ask about the roster, owner: Sam, due: 2026-10-15}]\n",
    )  # fmt: skip
    body = "answers: {w.1: 3, w.2: 1, f.1: 2}\ngoals: [{item: w.2, text: Explain limits early}]\n"
    assess(run, tmp_path, "harbour-values", body)
    return {"before": before, "after": after, "action": action}


def test_a_past_session_takes_only_what_was_open_at_its_date(run, harbour, history):
    result = ok(run, "supervision", "new", "--date", "2026-11-03 10:00", "--notes", "x",
                "--minutes", "30")  # fmt: skip
    meta = session(harbour, saved_id(result))
    agenda = "\n".join(meta.agenda)
    assert f"Diary: Garden day ({history['before']})" in agenda
    assert history["after"] not in agenda  # written a week after the session
    assert f"Action {history['action']} OVERDUE" in agenda  # open, and overdue on 3 November
    assert "Goal" not in agenda  # the assessment was finished on 24 November
    assert meta.entries == [history["before"]]
    assert "discussed_in:" in raw(run, history["before"])
    assert "discussed_in:" not in raw(run, history["after"])
    prep = ok(run, "supervision", "prep").stdout  # today's agenda is still whole
    assert history["after"] in prep
    assert history["before"] not in prep
    assert history["action"] in prep
    assert "`harbour-values/w.2` (self): Explain limits early" in prep


def test_an_action_closed_after_the_session_was_still_open_at_it(run, harbour, history):
    ok(run, "supervision", "done", history["action"])  # closed today, 24 November
    late = ok(run, "supervision", "new", "--date", "2026-11-03 10:00", "--notes", "x",
              "--minutes", "30")  # fmt: skip
    assert any(history["action"] in topic for topic in session(harbour, saved_id(late)).agenda)
    now = ok(run, "supervision", "new", "--notes", "y", "--minutes", "30")
    assert not any(history["action"] in topic for topic in session(harbour, saved_id(now)).agenda)


def test_deleting_a_session_gives_back_what_it_took(run, harbour, history, tmp_path):
    first = saved_id(ok(run, "supervision", "new", "--date", "2026-11-03 10:00", "--notes", "x",
                        "--minutes", "30"))  # fmt: skip
    assert history["before"] not in ok(run, "supervision", "prep").stdout
    ok(run, "supervision", "delete", first, "--yes")
    assert "discussed_in" not in raw(run, history["before"])
    assert history["before"] in ok(run, "supervision", "prep").stdout  # waiting again
    # two sessions discussed it: deleting one leaves it discussed by the other
    one = saved_id(ok(run, "supervision", "new", "--date", "2026-11-03 10:00", "--notes", "x",
                      "--minutes", "30"))  # fmt: skip
    two, _ = session_from(
        run, tmp_path, "again",
        f"date: 2026-11-05 10:00\nminutes: 30\nentries: [{history['before']}]\n",
    )  # fmt: skip
    ok(run, "supervision", "delete", one, "--yes")
    assert f"discussed_in:\n- {two}\n" in raw(run, history["before"])
    assert history["before"] not in ok(run, "supervision", "prep").stdout


def test_a_session_cannot_have_discussed_an_entry_written_after_it(run, harbour, history, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(f"date: 2026-11-03 10:00\nminutes: 30\nentries: [{history['after']}]\n")
    result = run("supervision", "new", "--from", str(path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"peerjournal: diary entry {history['after']} was written after the session "
        "(2026-11-10 is after 2026-11-03); a session can only discuss entries written before it\n",
    )
    assert "discussed_in" not in raw(run, history["after"])


# --- 2. which assessment counts ---------------------------------------------------------------


def test_a_one_domain_assessment_does_not_hide_the_full_one(run, home, tmp_path):
    full = assess(
        run, tmp_path, "samhsa-core",
        "answers: {I.1: 2, III.1: 3}\ngoals: [{item: I.1, text: Ask before advising}]\n",
        name="full",
    )  # fmt: skip
    share = assess(run, tmp_path, "samhsa-core", "III.1: 4\nIII.2: 4\n", "--domain", "share",
                   name="share")  # fmt: skip
    prep = ok(run, "supervision", "prep").stdout
    assert "`samhsa-core/I.1` (self): Ask before advising" in prep  # the full one's goal stays
    assert "over all 12 domains" in prep
    assert share in prep
    assert full in prep
    portfolio = ok(run, "report", "portfolio").stdout
    assert "Overall mean over 1 of 12 domains (" in portfolio  # the share assessment says so
    assert "Overall mean over all 12 domains: 2.50." in portfolio
    assert "Overall mean: 4.00" not in portfolio


def test_self_and_supervisor_side_by_side_and_neither_hides_the_other(run, isolated, tmp_path):
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    for name in ("Sam Rivers", "Ana Lima", "Jo Fern"):
        ok(run, "people", "add", name)
    shutil.copy(DATA / "harbour-values.yaml", isolated / "frameworks")
    session_from(run, tmp_path, "s", "date: 2026-11-02 09:00\nworker: Sam Rivers\nminutes: 60\n")
    sup = ("answers: {w.1: 1, w.2: 2, f.1: 2}\n"
           "goals: [{item: w.1, text: Use the chosen name every time}]\n")  # fmt: skip
    assess(run, tmp_path, "harbour-values", sup, "--role", "supervisor", "--subject", "Sam Rivers",
           name="sup")  # fmt: skip
    mine = "answers: {w.1: 3, w.2: 2, f.1: 3}\ngoals: [{item: f.1, text: Say early}]\n"
    assess(run, tmp_path, "harbour-values", mine, "--role", "self", "--subject", "Sam Rivers",
           name="self")  # a later self-assessment  # fmt: skip
    prep = ok(run, "supervision", "prep", "--worker", "Sam Rivers").stdout
    assert "`harbour-values/w.1` (supervisor): Use the chosen name every time" in prep
    assert "`harbour-values/f.1` (self): Say early" in prep
    [row] = [line for line in prep.splitlines() if line.startswith("| `harbour-values` |")]
    self_cell, supervisor_cell = row.split(" | ")[1:3]
    assert self_cell.startswith("mean 2.67 over all 2 domains")
    assert supervisor_cell.startswith("mean 1.67 over all 2 domains")
    assert "`harbour-values/w.1`: self 3, supervisor 1" in prep
    portfolio = ok(run, "report", "portfolio", "--worker", "Sam Rivers").stdout
    headings = [line for line in portfolio.splitlines() if line.startswith("## Assessment: ")]
    assert [h.rsplit(" - ", 1)[1] for h in headings] == [
        "self, all 2 domains",
        "supervisor, all 2 domains",
    ]


# --- 3. hour targets are per worker -------------------------------------------------------------


def test_hours_by_worker_check_each_worker_against_the_target(run, isolated, tmp_path):
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    for name in ("Sam Rivers", "Ana Lima", "Jo Fern"):
        ok(run, "people", "add", name)
    for worker, minutes in (("Sam Rivers", 90), ("Ana Lima", 30), ("Jo Fern", 60)):
        session_from(run, tmp_path, f"s{minutes}",
                     f"date: 2026-10-15 10:00\nworker: {worker}\nminutes: {minutes}\n")  # fmt: skip
    out = ok(run, "supervision", "hours", "--by", "worker", "--target", "1").stdout
    rows = {" ".join(line.split()[:2]): line.split()[2:] for line in out.splitlines()[1:4]}
    assert rows["Sam Rivers"][:4] == ["1", "1h", "30m", "reached"]
    assert rows["Ana Lima"][:5] == ["1", "30m", "50.0%,", "30m", "to"]
    assert rows["Jo Fern"][:3] == ["1", "1h", "reached"]
    assert "Target 1h per worker: 2 of 3 workers reached it" in out
    assert "to go" not in out.splitlines()[-1]  # never everyone's hours against one target


# --- 4. compare orders by date ------------------------------------------------------------------


def test_compare_names_the_earlier_one_before_whatever_the_order(run, harbour, tmp_path):
    early = assess(run, tmp_path, "harbour-values", "w.1: 1\nw.2: 2\nf.1: 2\n", name="early")
    late = assess(run, tmp_path, "harbour-values", "w.1: 3\nw.2: 2\nf.1: 2\n", name="late")
    for order in ((late, early), (early, late)):  # the later one first is the case that broke
        result = ok(run, "assess", "compare", *order)
        [row] = [line for line in result.stdout.splitlines() if line.strip().startswith("w.1")]
        assert row.split()[:4] == ["w.1", "1", "3", "+2"]
        assert f"Before: {early}; after: {late}" in result.stderr
    assert f"{early} is the earlier assessment" in run("assess", "compare", late, early).stderr


# --- 5. one evidence rule -----------------------------------------------------------------------


def test_the_report_and_the_digest_agree_on_evidence_and_high_is_never_growth(run, home, tmp_path):
    for n in (1, 2):
        add_entry(
            run, f"Shared my story {n}", "2026-10-02 10:00", "--competency", "samhsa-core/III.1"
        )
    answers = "answers: {III.1: 5, III.2: 4, III.3: 2, III.4: 1}\n"
    chosen = assess(run, tmp_path, "samhsa-core", answers, "--domain", "share")
    text = ok(run, "report", "assessment", chosen).stdout
    evidence = text.split("## Evidence", 1)[1].split("\n## ", 1)[0]
    assert "No diary entries were linked" not in evidence
    [line] = [line for line in evidence.splitlines() if line.startswith("- `III.1` (5): ")]
    assert "Shared my story 1" in line
    assert "Shared my story 2" in line
    growth = text.split("Lowest-rated items, as growth areas:", 1)[1].split("Rated high", 1)[0]
    high = text.split("Rated high with no diary evidence yet:", 1)[1].split("\n## ", 1)[0]
    assert "`III.2` rated 4" in high  # 4 of 5 is high, with nothing linked
    assert "III.2" not in growth  # so it is not also a growth area
    assert "III.1" not in high  # two diary entries are linked to it
    assert re.findall(r"`(III\.\d)` rated", growth) == ["III.4", "III.3"]
    digest = ok(run, "report", "diary").stdout
    assert "| `samhsa-core/III.1` | 2 |" in digest


# --- 6. a session length out of bounds ----------------------------------------------------------


def test_minutes_out_of_bounds_is_one_clear_line(run, home):
    message = (
        "peerjournal: 6000 minutes is more than a day; a session lasts at most 1440 minutes "
        "(24 hours) (--minutes)\n"
    )
    result = run("supervision", "new", "--minutes", "6000", "--notes", "x")
    assert (result.exit_code, result.stderr) == (2, message)
    agreement = run("supervision", "agreement", "--worker", "Sam Rivers", "--supervisor",
                    "Rowan Vale", "--minutes", "6000", "--review", "2027-03-01")  # fmt: skip
    assert (agreement.exit_code, agreement.stderr) == (2, message)
    assert not list((home / "supervision").rglob("*.md"))


# --- 7. goals and notes change later; a second draft is offered the first ----------------------


def stored(home, assessment_id):
    return AssessmentStore(DataHome(home)).find(assessment_id)


def test_assess_edit_changes_goals_and_notes_and_keeps_their_history(run, harbour, tmp_path):
    body = "answers: {w.1: 3, w.2: 1, f.1: 2}\ngoals: [{item: w.2, text: Explain limits early}]\n"
    chosen = assess(run, tmp_path, "harbour-values", body)
    before = json.loads(stored(harbour, chosen).path.read_text())
    result = ok(run, "assess", "edit", chosen, "--goal", "f.1: Say early when I cannot",
                "--notes", "Reviewed after supervision.")  # fmt: skip
    assert f"Updated assessment {chosen}" in result.stdout
    after = json.loads(stored(harbour, chosen).path.read_text())
    assert after["goals"] == [{"item": "f.1", "text": "Say early when I cannot"}]
    assert after["notes"] == "Reviewed after supervision."
    assert after["responses"] == before["responses"]  # ratings keep their history
    assert after["finished"] == before["finished"]
    [revision] = after["revisions"]
    assert revision["goals"] == [{"item": "w.2", "text": "Explain limits early"}]
    assert revision["notes"] == ""
    assert after["updated"] is not None
    typed = "keep\nw.1\nGreet by name\n\nSecond look.\n"  # keep goal 1, add one, new notes
    ok(run, "assess", "edit", chosen, input=typed)
    again = stored(harbour, chosen).assessment
    assert [g.item for g in again.goals] == ["f.1", "w.1"]
    assert again.notes == "Second look."
    assert len(again.revisions) == 2


def test_assess_edit_passes_the_privacy_check_and_refuses_drafts(run, harbour, tmp_path):
    chosen = assess(run, tmp_path, "harbour-values", "w.1: 3\n")
    file = stored(harbour, chosen).path
    text = file.read_text()
    refused = run("assess", "edit", chosen, "--notes", "Call me on 021 555 0199.", "--strict")
    assert refused.exit_code == 2
    assert "privacy check found 1 possible identifying detail(s): notes, line 1" in refused.stderr
    assert file.read_text() == text
    unknown = run("assess", "edit", chosen, "--goal", "hope: Keep going")
    assert (unknown.exit_code, unknown.stderr.splitlines()[0]) == (
        2,
        "peerjournal: framework 'harbour-values' has no item 'hope'",
    )
    ok(run, "assess", "start", "harbour-values", input="q\n")
    [draft_file] = [p for p in (harbour / "assessments").rglob("*.json") if p != file]
    draft_id = draft_file.stem
    refused_draft = run("assess", "edit", draft_id, "--notes", "x")
    assert (refused_draft.exit_code, refused_draft.stderr) == (
        2,
        f"peerjournal: assessment {draft_id} is a draft; finish it with "
        f"'peerjournal assess resume {draft_id}'\n",
    )


def test_a_second_draft_of_the_same_framework_offers_the_first(run, harbour):
    ok(run, "assess", "start", "harbour-values", input="2\n\nq\n")
    [first] = list((harbour / "assessments").rglob("*.json"))
    resumed = ok(run, "assess", "start", "harbour-values", input="resume\nq\n")
    assert "You already have a draft of harbour-values" in resumed.stderr
    assert "1 answered" in resumed.stderr
    assert "Item 2 of 3" in resumed.stderr  # carried on where it stopped
    assert list((harbour / "assessments").rglob("*.json")) == [first]
    another = ok(run, "assess", "start", "harbour-values", input="new\nq\n")
    assert "Item 1 of 3" in another.stderr
    assert len(list((harbour / "assessments").rglob("*.json"))) == 2
