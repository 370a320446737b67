"""Every read names the files it skipped, on stderr, in every output form (issue 11, part 3).

One broken file of each kind sits among good ones; each read-only command must name the broken
file of every kind it reads, keep stdout parseable where it is JSON, and reports must say in
their own text what they left out.
"""

import json

import pytest

from helpers import dead_entry, populate, read_only_commands

DIARY, ASSESSMENT, SESSION = "diary", "assessment", "session"


@pytest.fixture
def broken_world(run, home, tmp_path):
    ids = populate(run, home, tmp_path)
    assessment_folder = next(home.glob("assessments/*/*.json")).parent
    session_folder = next(home.glob("supervision/sessions/*/*.md")).parent
    broken = {
        DIARY: dead_entry(home, "---\ntitle: [SENTINEL-diary\n---\nSENTINEL\n"),
        ASSESSMENT: assessment_folder / "00000000-0000-broken-self-dead.json",
        SESSION: session_folder / "00000000-0000-dead.md",
    }
    broken[ASSESSMENT].write_text('{"id": "SENTINEL", oops\n', encoding="utf-8")
    broken[SESSION].write_text("---\ndate: [SENTINEL\n---\nSENTINEL\n", encoding="utf-8")
    return ids, broken


def kinds_read(command: tuple[str, ...]) -> set[str]:
    """Which records a read-only command reads, so which broken files it must name."""
    head = command[:2]
    if command in ((), ("report", "portfolio")):
        return {DIARY, ASSESSMENT, SESSION}
    if head in (("supervision", "prep"), ("report", "prep")):
        return {DIARY, ASSESSMENT, SESSION}
    if command[:1] == ("diary",) and head not in (("diary", "show"),):
        return {DIARY}
    if head == ("report", "diary"):
        return {DIARY}
    if head in (("report", "assessment"),):
        return {ASSESSMENT, DIARY}  # evidence counts come from the diary
    if command[:1] == ("assess",) and head not in (("assess", "show"), ("assess", "compare")):
        return {ASSESSMENT}
    if head in (("supervision", "list"), ("supervision", "actions"), ("supervision", "hours")):
        return {SESSION}
    if head == ("report", "supervision"):
        return {SESSION}
    return set()


def test_every_read_command_names_the_files_it_skipped(run, broken_world):
    ids, broken = broken_world
    missed = []
    for command in read_only_commands(ids):
        result = run(*command)
        assert "Traceback" not in result.stderr, command
        assert "SENTINEL" not in result.stdout + result.stderr, command
        for kind in sorted(kinds_read(command)):
            if f"{broken[kind]}" not in result.stderr:
                missed.append((" ".join(command) or "(home screen)", kind))
        if "--json" in command:
            json.loads(result.stdout)  # warnings never leak into the JSON
    assert missed == []


def test_a_skipped_file_is_named_once(run, broken_world):
    _, broken = broken_world
    result = run("diary", "list", "--json")
    assert result.exit_code == 0
    assert result.stderr.count(str(broken[DIARY])) == 1
    assert result.stderr.startswith(f"peerjournal: warning: {broken[DIARY]}:")


def test_a_report_says_in_its_own_text_which_files_it_left_out(run, broken_world):
    _, broken = broken_world
    result = run("report", "diary")
    assert result.exit_code == 0, result.stderr
    shown = broken[DIARY].relative_to(broken[DIARY].parents[3])
    assert "1 file could not be read and is not in this report: " in result.stdout
    assert str(shown) in result.stdout
    assert str(broken[DIARY].parents[3]) not in result.stdout  # the home's own path stays out
    assert f"{broken[DIARY]}" in result.stderr


def test_showing_the_broken_entry_itself_is_one_error_not_an_error_and_a_warning(run, broken_world):
    _, broken = broken_world
    result = run("diary", "show", broken[DIARY].stem)
    assert result.exit_code == 2
    assert result.stderr.count(str(broken[DIARY])) == 1
    assert "warning" not in result.stderr


def test_an_import_names_the_entries_it_could_not_read(run, broken_world, tmp_path):
    _, broken = broken_world
    journal = tmp_path / "old.txt"
    journal.write_text("[2026-09-02 10:00] Tea at the allotment.\nWe planted beans.\n")
    result = run("diary", "import", "jrnl", str(journal))
    assert result.exit_code == 0, result.stderr
    assert f"{broken[DIARY]}" in result.stderr
