"""`peerjournal trash` and `peerjournal recovery`: see what waits, and destroy it only when asked.

Listings show ids, kinds, dates and sizes, never a record's text; emptying lists what goes, says
plainly that it is gone for good, and asks first (`--yes` for scripts).
"""

import json

PHONE = "555-201-3344"
SENTINEL = "SENTINEL-7f3a"


def add(run, text=f"Helped set up the art room. {SENTINEL}"):
    result = run("diary", "add", text)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def files(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def no_text(result):
    assert SENTINEL not in result.stdout
    assert SENTINEL not in result.stderr
    assert PHONE not in result.stdout
    assert PHONE not in result.stderr


def test_trash_lists_deleted_records_without_their_text(run, home):
    entry_id = add(run)
    assert run("trash", "list").stderr == "Nothing in the trash.\n"
    assert run("diary", "delete", entry_id, "--yes").exit_code == 0
    listed = run("trash", "list")
    assert listed.exit_code == 0, listed.stderr
    assert entry_id in listed.stdout
    assert "diary entry" in listed.stdout
    no_text(listed)
    [row] = json.loads(run("trash", "list", "--json").stdout)
    assert (row["id"], row["kind"]) == (entry_id, "diary entry")
    assert row["size"] == files(home / ".trash")[0].stat().st_size


def test_emptying_the_trash_asks_says_gone_for_good_and_no_keeps_everything(run, home):
    entry_id = add(run)
    run("diary", "delete", entry_id, "--yes")
    refused = run("trash", "empty", input="n\n")
    assert refused.exit_code == 1
    assert "for good? They cannot be brought back" in refused.stderr
    assert entry_id in refused.stderr  # what would go is listed before the question
    assert refused.stderr.endswith("Nothing was deleted.\n")
    assert len(files(home / ".trash")) == 1
    enter = run("trash", "empty", input="\n")  # Enter is "no"
    assert enter.exit_code == 1
    assert len(files(home / ".trash")) == 1
    done = run("trash", "empty", input="y\n")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == "Deleted 1 item(s) from the trash; they are gone for good.\n"
    assert files(home / ".trash") == []
    assert run("diary", "restore", entry_id).exit_code == 2
    no_text(done)


def test_empty_with_ids_and_yes_removes_only_those(run, home):
    first, second = add(run), add(run, "Walked to the shops with the group.")
    run("diary", "delete", first, "--yes")
    run("diary", "delete", second, "--yes")
    result = run("trash", "empty", second, "--yes")
    assert result.exit_code == 0, result.stderr
    assert [path.stem for path in files(home / ".trash")] == [first]
    unknown = run("trash", "empty", "nothing-like-it", "--yes")
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "peerjournal: nothing in the trash with id 'nothing-like-it'\n",
    )
    assert run("diary", "restore", first).exit_code == 0


def test_recovery_files_are_listed_and_emptied(run, home):
    refused = run("diary", "add", f"Call back on {PHONE}. {SENTINEL}", "--strict")
    assert refused.exit_code == 2
    [kept] = files(home / ".recovery")
    listed = run("recovery", "list")
    assert listed.exit_code == 0, listed.stderr
    assert kept.stem in listed.stdout
    assert "unsaved entry" in listed.stdout
    no_text(listed)
    unattended = run("recovery", "empty")  # no answer on standard input: nothing destroyed
    assert unattended.exit_code == 2
    assert kept.exists()
    done = run("recovery", "empty", "--yes")
    assert done.exit_code == 0, done.stderr
    assert "gone for good" in done.stdout
    assert files(home / ".recovery") == []
    assert run("recovery", "list").stderr == "Nothing in the recovery folder.\n"
    no_text(done)
