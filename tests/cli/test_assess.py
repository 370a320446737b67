"""Assessments driven through the real command with typed answers."""

import json
from pathlib import Path

import pytest

from helpers import assessments

DATA = Path(__file__).parents[1] / "data" / "frameworks"


def load(path):
    return json.loads(path.read_text())


def test_a_whole_run_with_back_skip_na_invalid_answers_and_goals(run, harbour):
    answers = [
        "7",  # invalid: not on the 1-3 scale, re-asked
        "hello",  # invalid again
        "2",  # w.1 rated 2
        "Greeted a new resident by the name they chose.",  # note
        "b",  # back to w.1
        "3",  # w.1 now 3
        "",  # no note
        "n",  # w.2 not applicable
        "s",  # f.1 skipped
        "w.2",  # goal on item w.2
        "Explain the service's limits at first contact.",
        "",  # no more goals
    ]
    result = run("assess", "start", "harbour-values", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Scale: How often" in result.stderr
    assert "Item 1 of 3 · domain 1 of 2: Welcome" in result.stderr
    assert "Item 3 of 3 · domain 2 of 2: Follow-through" in result.stderr
    assert "Please answer 1 to 3, or n, o, s, b, ?, q." in result.stderr
    assert "earlier answer: 2" in result.stderr
    [path] = assessments(harbour)
    record = load(path)
    assert record["status"] == "complete"
    assert record["role"] == "self"
    assert record["subject"].startswith("p-")  # a person id: the name is a label
    assert "Sam Rivers" in run("people", "list").stdout
    assert record["framework"]["id"] == "harbour-values"
    assert record["framework"]["digest"].startswith("sha256:")
    responses = record["responses"]
    assert responses["w.1"]["rating"] == 3
    assert responses["w.1"]["note"] == ""
    assert responses["w.2"]["not_applicable"] is True
    assert responses["f.1"]["skipped"] is True
    assert record["goals"] == [
        {"item": "w.2", "text": "Explain the service's limits at first contact."}
    ]
    assert "Mean per domain" in result.stdout
    assert result.stdout.strip().endswith(f"Saved assessment {record['id']}")


def test_quit_and_resume_keeps_every_earlier_answer(run, harbour):
    first = run("assess", "start", "harbour-values", input="2\nA note.\nq\n")
    assert first.exit_code == 0, first.stderr
    [path] = assessments(harbour)
    draft = load(path)
    assert draft["status"] == "draft"
    assert draft["position"] == 1
    assert f"peerjournal assess resume {draft['id']}" in first.stdout
    second = run("assess", "resume", input="3\n\n1\n\n\n")
    assert second.exit_code == 0, second.stderr
    assert "Item 2 of 3" in second.stderr
    assert "Item 1 of 3" not in second.stderr
    done = load(path)
    assert done["status"] == "complete"
    assert done["responses"]["w.1"] == {**draft["responses"]["w.1"]}
    assert [done["responses"][i]["rating"] for i in ("w.1", "w.2", "f.1")] == [2, 3, 1]


def test_resume_without_a_draft_and_of_a_complete_one(run, harbour):
    result = run("assess", "resume")
    assert result.exit_code == 2
    assert result.stderr == (
        "peerjournal: no assessment in progress; start one with 'peerjournal assess start'\n"
    )
    run("assess", "start", "harbour-values", input="1\n\n1\n\n1\n\n\n")
    [path] = assessments(harbour)
    again = run("assess", "resume", load(path)["id"])
    assert again.exit_code == 2
    assert "already complete" in again.stderr


def test_input_ending_early_keeps_the_draft(run, harbour):
    result = run("assess", "start", "harbour-values", input="2\n\n")
    assert result.exit_code == 2
    assert "input ended before an answer" in result.stderr
    [path] = assessments(harbour)
    assert load(path)["responses"]["w.1"]["rating"] == 2


def test_a_supervisor_assesses_a_named_worker(run, harbour):
    missing = run("assess", "start", "harbour-values", "--role", "supervisor")
    assert missing.exit_code == 2
    assert "needs --subject NAME" in missing.stderr
    assert run("people", "add", "Rowan Vale", "--role", "supervisor").exit_code == 0
    result = run(
        "assess", "start", "harbour-values", "--role", "supervisor", "--subject", "Rowan Vale",
        input="1\n\n2\n\n3\n\n\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    record = load(assessments(harbour)[0])
    shown = run("assess", "show", record["id"]).stdout
    assert "supervisor assessment of Rowan Vale by Sam Rivers" in shown
    listed = run("assess", "list", "--subject", "rowan vale", "--role", "supervisor")
    assert record["id"] in listed.stdout
    assert run("assess", "list", "--role", "self").stderr == "No assessments match.\n"


def test_one_domain_only(run, harbour):
    result = run("assess", "start", "harbour-values", "--domain", "follow", input="3\n\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Item 1 of 1 · domain 1 of 1: Follow-through" in result.stderr
    assert list(load(assessments(harbour)[0])["responses"]) == ["f.1"]


def test_answers_file_fills_an_assessment_without_prompts(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text('w.1: 3\nw.2: na\nf.1: {rating: 2, note: "On time for every visit."}\n')
    result = run("assess", "start", "harbour-values", "--answers", str(answers))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    record = load(assessments(harbour)[0])
    assert record["status"] == "complete"
    assert record["responses"]["f.1"]["note"] == "On time for every visit."
    assert record["responses"]["w.2"]["not_applicable"] is True


def test_answers_file_leaving_items_out_counts_them_as_skipped(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "answers:\n  w.1: 2\ngoals:\n  - {item: f.1, text: Say early when I cannot.}\n"
    )
    assert run("assess", "start", "harbour-values", "--answers", str(answers)).exit_code == 0
    record = load(assessments(harbour)[0])
    assert record["responses"]["f.1"]["skipped"] is True
    assert record["goals"][0]["item"] == "f.1"


def test_a_bad_answers_file_names_every_problem_and_leaves_no_draft(run, harbour, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 5\nx.9: 1\nf.1: {rating: 2, mood: ok}\n")
    result = run("assess", "start", "harbour-values", "--answers", str(answers))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"peerjournal: {answers}:1: w.1: "
        "must be one of 1, 2, 3, 'na', 'no-opportunity' or 'skip' (scale harbour-often)",
        f"peerjournal: {answers}:2: x.9: no item 'x.9' in 'harbour-values'",
        f"peerjournal: {answers}:3: f.1: unknown key 'mood'; use rating and note",
    ]
    assert assessments(harbour) == []


def test_unknown_framework_domain_and_role(run, harbour):
    assert run("assess", "start", "harbour").stderr.startswith(
        "peerjournal: no framework with id 'harbour'; did you mean 'harbour-values'?"
    )
    assert (
        "has no domain 'nowhere'"
        in run("assess", "start", "harbour-values", "--domain", "nowhere").stderr
    )
    assert run("assess", "start", "harbour-values", "--role", "boss").exit_code == 2
    assert assessments(harbour) == []


def complete(run, home, ratings, *extra):
    answers = "".join(f"{r}\n\n" if r.isdigit() else f"{r}\n" for r in ratings) + "\n"
    result = run("assess", "start", "harbour-values", *extra, input=answers)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().split()[-1]


def test_show_compare_progress_and_gaps_on_a_users_framework(run, harbour):
    first = complete(run, harbour, ["1", "2", "1"])
    second = complete(run, harbour, ["3", "2", "n"])
    complete(run, harbour, ["1", "2", "3"], "--role", "supervisor", "--subject", "sam rivers")
    shown = run("assess", "show", first)
    assert shown.exit_code == 0
    assert "self assessment of Sam Rivers by Sam Rivers" in shown.stdout
    assert "Greets people by the name they choose." in shown.stdout
    compared = run("assess", "compare", first, second)
    assert compared.exit_code == 0, compared.stderr
    rows = {
        line.split()[0]: line.split()[1:] for line in compared.stdout.splitlines() if line.strip()
    }
    assert rows["Welcome"] == ["1.50", "2.50", "+1.00"]
    assert rows["w.1"][:3] == ["1", "3", "+2"]
    progress = run("assess", "progress", "harbour-values")
    assert progress.exit_code == 0, progress.stderr
    overall = next(
        line for line in progress.stdout.splitlines() if line.strip().startswith("overall")
    )
    assert overall.split()[1:] == ["1.33", "2.50", "2.00"]  # self, self, supervisor
    gaps = run("assess", "gaps")
    assert gaps.exit_code == 0, gaps.stderr
    gap_rows = [line.split() for line in gaps.stdout.splitlines() if line.strip().startswith("w.")]
    assert gap_rows == [
        ["w.1", "3", "1", "-2", "Greets", "people", "by", "the", "name", "they", "choose."]
    ]


def test_gaps_without_a_supervisor_assessment(run, harbour):
    complete(run, harbour, ["1", "2", "1"])
    result = run("assess", "gaps")
    assert result.exit_code == 2
    assert "no complete supervisor assessment" in result.stderr


def test_delete_moves_to_the_trash(run, harbour):
    done = complete(run, harbour, ["1", "2", "1"])
    assert run("assess", "delete", done, "--yes").exit_code == 0
    assert assessments(harbour) == []
    assert list((harbour / ".trash").rglob("*.json"))
    assert run("assess", "show", done).exit_code == 2


def test_the_framework_changing_later_keeps_old_assessments_readable(run, harbour):
    old = complete(run, harbour, ["1", "2", "1"])
    path = harbour / "frameworks" / "harbour-values.yaml"
    text = path.read_text().replace(
        "      - id: w.2\n        text: Explains what the service can and cannot offer.\n", ""
    )
    path.write_text(
        text + "      - id: f.2\n        text: Follows up on promises made in groups.\n"
    )
    new = complete(run, harbour, ["2", "2", "2"])
    compared = run("assess", "compare", old, new)
    assert compared.exit_code == 0, compared.stderr
    assert "The framework changed between the two assessments." in compared.stdout
    assert "New items: f.2" in compared.stdout
    assert "Removed items: w.2" in compared.stdout
    assert run("assess", "show", old).exit_code == 0


@pytest.mark.parametrize("columns", ["60", "80", "200"])
def test_assess_list_keeps_the_id_and_status_on_a_narrow_terminal(
    run, harbour, tmp_path, monkeypatch, columns
):
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 3\n")
    assert run("assess", "start", "harbour-values", "--answers", str(answers)).exit_code == 0
    assert run("assess", "start", "harbour-values", input="q\n").exit_code == 0
    monkeypatch.setenv("COLUMNS", columns)
    listed = run("assess", "list")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:1] == ["id"]
    assert "status" in lines[0].split()
    assert "…" not in listed.stdout  # nothing cut short
    assert {line.split()[0] for line in lines[1:3]} == {p.stem for p in assessments(harbour)}
    assert " complete " in f"{lines[1]} "
    assert " draft " in f"{lines[2]} "
    assert max(len(line.rstrip()) for line in lines) <= int(columns)
