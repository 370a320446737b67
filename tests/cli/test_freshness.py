"""The freshness rule, case by case: what a command prints is never stale, and no command waits.

New, deleted and renamed files and folders are seen at once through folder stamps; the rows a
command prints are checked against their files; an edit made inside a file that is not shown
is seen by the full look (every few minutes, after a command), by `reindex`, `doctor` and
`--fresh`. Folders are aged ten seconds first where a case needs the index to trust them
(the racy rule looks again into folders changed within two seconds of the index's last write).
"""

import os
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import Runner
from helpers import FixedClock, add_entries

ENTRIES = [
    ("A walk by the river with Rowan Vale.", "2026-09-03 10:00", "outdoors"),
    ("Group check-in at the drop-in centre.", "2026-10-14 11:00", "group"),
    ("Phone call about housing forms.", "2026-11-20 09:00", "housing"),
]


@pytest.fixture
def ids(run: Runner, home: Path) -> list[str]:
    return add_entries(run, ENTRIES)


def journal(home: Path) -> Path:
    return home / "journal"


def file_of(home: Path, entry_id: str) -> Path:
    (path,) = journal(home).rglob(f"{entry_id}.md")
    return path


def age_folders(home: Path, cache_root: Path, run: Runner) -> None:
    """Put every journal folder's mtime ten seconds back, then let a read record the stamps.

    After this the index trusts the folders (their stamps are older than its last write), as
    it does for any journal not changed in the last two seconds.
    """
    for folder in [journal(home), *(p for p in journal(home).rglob("*") if p.is_dir())]:
        info = folder.stat()
        os.utime(folder, ns=(info.st_atime_ns, info.st_mtime_ns - 10_000_000_000))
    assert run("diary", "list").exit_code == 0


def edit_in_place(path: Path, old: str, new: str) -> None:
    """Change text inside a file the way an editor writing in place does: same name, same inode."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    with path.open("r+", encoding="utf-8") as handle:
        handle.seek(0)
        handle.write(text.replace(old, new))
        handle.truncate()


def tag_counts(run: Runner, *extra: str) -> dict[str, int]:
    result = run("diary", "tags", *extra)
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    return {tag: int(count) for tag, count in rows}


def checked_at(cache_root: Path) -> str:
    (path,) = cache_root.glob("homes/*/index.sqlite")
    db = sqlite3.connect(path)
    try:
        return str(db.execute("SELECT value FROM meta WHERE key = 'checked'").fetchone()[0])
    finally:
        db.close()


def test_a_file_another_program_adds_is_listed_at_once(
    run: Runner, home: Path, ids: list[str], cache_root: Path
) -> None:
    age_folders(home, cache_root, run)
    source = file_of(home, ids[0])
    copy = source.with_name(source.name.replace(ids[0], ids[0][:-4] + "c0de"))
    copy.write_text(source.read_text(encoding="utf-8").replace(ids[0], copy.stem), encoding="utf-8")
    assert copy.stem in run("diary", "list", "--ids").stdout
    assert tag_counts(run)["outdoors"] == 2


def test_a_new_year_folder_from_elsewhere_is_seen_at_once(
    run: Runner, home: Path, ids: list[str], cache_root: Path
) -> None:
    age_folders(home, cache_root, run)
    source = file_of(home, ids[2])
    year = source.parent.parent
    other = year.with_name(str(int(year.name) - 3)) / source.parent.name
    other.mkdir(parents=True, mode=0o700)
    moved = other / source.name.replace(year.name, other.parent.name, 1)
    text = source.read_text(encoding="utf-8").replace(ids[2], moved.stem)
    moved.write_text(text.replace(f"date: {year.name}", f"date: {other.parent.name}"), "utf-8")
    assert moved.stem in run("diary", "list", "--ids").stdout


def test_deleted_and_renamed_files_and_folders_are_seen_at_once(
    run: Runner, home: Path, ids: list[str], cache_root: Path
) -> None:
    age_folders(home, cache_root, run)
    file_of(home, ids[0]).unlink()
    shutil.rmtree(file_of(home, ids[1]).parent)
    listed = run("diary", "list", "--ids").stdout.split()
    assert listed == [ids[2]]
    assert "outdoors" not in tag_counts(run)
    assert "group" not in tag_counts(run)


def test_a_row_about_to_be_shown_is_checked_against_its_file(
    run: Runner, home: Path, ids: list[str], cache_root: Path
) -> None:
    age_folders(home, cache_root, run)
    edit_in_place(file_of(home, ids[2]), "Phone call about", "Phone chat about")
    shown = run("diary", "list")
    assert "Phone chat about housing forms." in shown.stdout
    assert "Phone call" not in shown.stdout
    assert ids[2] in run("diary", "list", "--text", "chat", "--ids").stdout


def test_an_edit_inside_a_file_not_shown_waits_for_the_full_look(
    run: Runner, home: Path, ids: list[str], cache_root: Path, clock: FixedClock
) -> None:
    age_folders(home, cache_root, run)
    edit_in_place(file_of(home, ids[1]), "- group", "- gardening")
    before = checked_at(cache_root)
    assert tag_counts(run).get("group") == 1  # a folder stamp cannot see this edit
    clock.now += timedelta(minutes=6)  # the last full look is now more than 5 minutes old
    assert tag_counts(run).get("group") == 1  # this command answers at once, then looks
    assert checked_at(cache_root) > before
    counts = tag_counts(run)
    assert "group" not in counts
    assert counts["gardening"] == 1


@pytest.mark.parametrize(
    "look",
    [("--fresh", "diary", "tags"), ("diary", "tags", "--fresh"), ("reindex",), ("doctor",)],
    ids=["--fresh first", "--fresh after", "reindex", "doctor"],
)
def test_fresh_reindex_and_doctor_see_an_edit_inside_a_file_at_once(
    run: Runner, home: Path, ids: list[str], cache_root: Path, look: tuple[str, ...]
) -> None:
    age_folders(home, cache_root, run)
    edit_in_place(file_of(home, ids[1]), "- group", "- gardening")
    assert run(*look).exit_code == 0
    assert tag_counts(run).get("gardening") == 1
    assert "group" not in tag_counts(run)


def test_the_index_trusts_a_folder_only_once_it_is_older_than_the_last_write(
    run: Runner, home: Path, ids: list[str]
) -> None:
    """Inside the racy window every look reads the folder again, so a quick change is seen."""
    edit_in_place(file_of(home, ids[1]), "- group", "- gardening")
    assert tag_counts(run).get("gardening") == 1


def test_own_writes_update_the_index_in_the_same_command(
    run: Runner, home: Path, ids: list[str], cache_root: Path
) -> None:
    assert run("diary", "list").exit_code == 0
    added = run("diary", "add", "Breakfast club with the new volunteers.", "--tag", "kitchen")
    assert added.exit_code == 0, added.stderr
    new_id = added.stdout.split()[-1]
    (path,) = cache_root.glob("homes/*/index.sqlite")
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT title FROM entries WHERE id = ?", (new_id,)).fetchall()
    finally:
        db.close()
    assert rows == [("Breakfast club with the new volunteers.",)]


def test_the_real_command_line_runs_the_full_look_in_a_detached_child(
    run: Runner, home: Path, ids: list[str], cache_root: Path
) -> None:
    """The prompt comes back with the answer; the look runs after, in a process of its own."""
    import subprocess
    import sys
    import time

    age_folders(home, cache_root, run)
    edit_in_place(file_of(home, ids[1]), "- group", "- gardening")
    (index,) = cache_root.glob("homes/*/index.sqlite")
    db = sqlite3.connect(index)
    db.execute("UPDATE meta SET value = '2000-01-01T00:00:00+00:00' WHERE key = 'checked'")
    db.commit()
    db.close()
    command = [sys.executable, "-m", "peerjournal", "diary", "tags"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert first.returncode == 0, first.stderr
    assert "group" in first.stdout  # answered from the index as it was, at once
    deadline = time.monotonic() + 20
    while checked_at(cache_root).startswith("2000") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not checked_at(cache_root).startswith("2000"), "the detached full look never ran"
    second = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert "gardening" in second.stdout
    assert "group" not in second.stdout
