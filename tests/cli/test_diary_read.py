"""Reading the diary: list, show, tags, evidence, export, lint; broken files are skipped."""

import json

from helpers import dead_entry, snapshot


def add(run, *args, text="A quiet chat on the porch."):
    result = run("diary", "add", text, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def test_list_filters_and_output_forms(run, home):
    first = add(run, "--date", "2026-11-02 09:00", "--tag", "group", "--title", "Group morning")
    second = add(run, "--date", "2026-11-20 15:00", "--tag", "phone", "--for-supervision")
    result = run("diary", "list")
    assert result.exit_code == 0
    assert first in result.stdout
    assert "Group morning" in result.stdout
    assert run("diary", "list", "--ids", "--tag", "phone").stdout == f"{second}\n"
    assert run("diary", "list", "--ids", "--for-supervision").stdout == f"{second}\n"
    assert run("diary", "list", "--ids", "--on", "2026-11-02").stdout == f"{first}\n"
    assert run("diary", "list", "--ids", "-n", "1").stdout == f"{second}\n"
    rows = json.loads(run("diary", "list", "--json", "--since", "2026-11-10").stdout)
    assert [row["id"] for row in rows] == [second]
    assert rows[0]["tags"] == ["phone"]


def test_list_with_nothing_matching_says_so(run, home):
    result = run("diary", "list", "--tag", "nothing")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No entries match.\n"


def test_list_bad_date_and_bad_range(run, home):
    assert run("diary", "list", "--since", "someday").exit_code == 2
    result = run("diary", "list", "--since", "2026-11-10", "--until", "2026-11-01")
    assert (result.exit_code, result.stderr) == (2, "peerjournal: --since is after --until\n")


def test_show_by_unique_prefix_and_errors(run, home):
    entry_id = add(run, "--title", "Porch", "--competency", "samhsa-core/I.2")
    result = run("diary", "show", entry_id[:-2])
    assert result.exit_code == 0
    assert "Porch" in result.stdout
    assert "samhsa-core/I.2" in result.stdout
    assert "A quiet chat on the porch." in result.stdout
    missing = run("diary", "show", "19990101")
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert missing.stderr == "peerjournal: no diary entry with id '19990101'\n"


def test_show_with_an_ambiguous_prefix_lists_candidates(run, home):
    one = add(run, "--date", "2026-11-20 10:00")
    two = add(run, "--date", "2026-11-20 11:00")
    result = run("diary", "show", "20261120")
    assert result.exit_code == 2
    assert "matches 2 diary entries" in result.stderr
    assert one in result.stderr
    assert two in result.stderr


def test_show_raw_prints_the_file(run, home):
    entry_id = add(run)
    raw = run("diary", "show", entry_id, "--raw").stdout
    assert raw.startswith("---\nschema: 1\nid: " + entry_id)
    assert raw.endswith("A quiet chat on the porch.\n")


def test_broken_front_matter_in_one_file_warns_and_shows_the_rest(run, home):
    good = add(run)
    broken = dead_entry(home, "---\ntitle: [oops\n---\nSENTINEL-7f3a\n")
    before = broken.read_bytes()
    result = run("diary", "list", "--ids")
    assert result.exit_code == 0
    assert result.stdout == f"{good}\n"
    assert result.stderr.startswith(f"peerjournal: warning: {broken}:3:")
    assert "SENTINEL-7f3a" not in result.stderr
    assert broken.read_bytes() == before


def test_tags_counts_most_used_first(run, home):
    add(run, "--tag", "group", "--tag", "kitchen")
    add(run, "--tag", "group")
    lines = [line.split() for line in run("diary", "tags").stdout.splitlines()[1:]]
    assert lines == [["group", "2"], ["kitchen", "1"]]


def test_evidence_shows_counts_and_items_without_entries(run, home):
    add(run, "--competency", "tepou-values/mutuality")
    add(run, "--competency", "tepou-values/mutuality", "--competency", "tepou-values/equity")
    result = run("diary", "evidence", "tepou-values")
    assert result.exit_code == 0
    assert "tepou-values: 2 of 6 items have diary evidence" in result.stdout
    rows = {
        line.split()[0]: line.split()[1]
        for line in result.stdout.splitlines()
        if line.strip().startswith("tepou-values/")
    }
    assert rows["tepou-values/mutuality"] == "2"
    assert rows["tepou-values/equity"] == "1"
    assert rows["tepou-values/participation"] == "-"
    assert "tepou-values" in run("diary", "evidence").stdout


def test_export_json_all_or_filtered_to_a_private_file(run, home, tmp_path):
    add(run, "--tag", "group", text="First.")
    add(run, "--tag", "phone", text="Second.")
    document = json.loads(run("diary", "export", "--json").stdout)
    assert [e["body"] for e in document["entries"]] == ["First.", "Second."]
    out = tmp_path / "export.json"
    result = run("diary", "export", "--json", "--tag", "phone", "--out", str(out))
    assert result.exit_code == 0
    assert [e["body"] for e in json.loads(out.read_text())["entries"]] == ["Second."]
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_lint_exits_non_zero_on_findings_without_echoing_text(run, home):
    add(run, text="All fine today.")
    assert run("diary", "lint").exit_code == 0
    result = run("diary", "add", "Reach her at jo@example.org.", input="keep\n")
    assert result.exit_code == 0
    lint = run("diary", "lint")
    assert lint.exit_code == 1
    assert "an email address" in lint.stdout
    assert "example.org" not in lint.output


def test_read_only_commands_change_nothing(run, home):
    entry_id = add(run, "--tag", "group", "--competency", "samhsa-core/I.1")
    before = snapshot(home)
    for args in (
        ["diary", "list"],
        ["diary", "show", entry_id],
        ["diary", "tags"],
        ["diary", "evidence"],
        ["diary", "export"],
        ["diary", "lint"],
        ["info"],
    ):
        run(*args)
    assert snapshot(home) == before
