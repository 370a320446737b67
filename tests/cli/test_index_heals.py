"""The diary index is a cache: damaged, wrong, unwritable or stale, it never fails a command.

Every case damages the index in a fixed way (no random trials here; see the slow variant at the
end), then asks the everyday read commands and compares their answers with the answers given
before the damage.
"""

import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import Runner
from helpers import add_entries

NOTICE = "peerjournal: notice: the diary index was damaged and has been rebuilt from the files"
ENTRIES = [
    ("A walk by the river with Rowan Vale.", "2026-09-03 10:00", "outdoors"),
    ("Group check-in at the drop-in centre.", "2026-10-14 11:00", "group"),
    ("Phone call about housing forms.", "2026-11-20 09:00", "housing"),
]
QUESTIONS = [
    ("diary", "list"),
    ("diary", "list", "--text", "river"),
    ("diary", "list", "--tag", "group"),
    ("diary", "tags"),
    ("diary", "evidence"),
    (),  # the home screen
]


@pytest.fixture
def ids(run: Runner, home: Path) -> list[str]:
    """Three entries in three month folders; their ids."""
    found = add_entries(run, ENTRIES)
    assert run("diary", "list").exit_code == 0  # the index is built by the first read
    return found


def index_file(cache_root: Path) -> Path:
    (path,) = cache_root.glob("homes/*/index.sqlite")
    return path


def answers(run: Runner, ids: list[str]) -> list[tuple[int, str]]:
    """Exit code and output of every everyday read, and of `diary show` for each entry."""
    asked = [*QUESTIONS, *(("diary", "show", entry_id) for entry_id in ids)]
    results = [run(*question) for question in asked]
    for question, result in zip(asked, results, strict=True):
        assert result.exit_code == 0, (question, result.stderr)  # the cache never fails one
    return [(result.exit_code, result.stdout) for result in results]


def stderr_of(run: Runner, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def sql(path: Path, statement: str, *values: str) -> None:
    db = sqlite3.connect(path)
    db.execute(statement, values)
    db.commit()
    db.close()


# --- 1. damage inside the database -------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_garbage_in_the_middle_of_the_index_never_fails_or_fools_a_command(
    run: Runner, ids: list[str], cache_root: Path, seed: int
) -> None:
    before = answers(run, ids)
    path = index_file(cache_root)
    size = path.stat().st_size
    chance = random.Random(seed)  # a fixed seed: the same damage on every run
    with path.open("r+b") as file:
        file.seek(chance.randrange(size // 4, size // 2))
        file.write(chance.randbytes(4096))
    assert answers(run, ids) == before


def test_an_index_overwritten_after_its_first_page_is_rebuilt_with_one_notice(
    run: Runner, ids: list[str], cache_root: Path
) -> None:
    before = answers(run, ids)
    path = index_file(cache_root)
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(random.Random(7).randbytes(size - 4096))
    result = run("diary", "list")
    assert (result.exit_code, result.stdout) == before[0]
    assert result.stderr.count(NOTICE) == 1
    assert stderr_of(run, "diary", "list") == ""  # mended: the next command says nothing
    assert answers(run, ids) == before


def test_doctor_names_a_damaged_index_and_fix_rebuilds_it(
    run: Runner, ids: list[str], cache_root: Path
) -> None:
    path = index_file(cache_root)
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(random.Random(11).randbytes(path.stat().st_size - 4096))
    doctor = run("doctor")
    assert "All is well" not in doctor.stdout
    assert "the index is damaged" in doctor.stdout
    fixed = run("doctor", "--fix")
    assert "unexpected" not in fixed.stderr
    assert "rebuilt the diary index (3 entries)" in fixed.stdout
    assert "All is well" in run("doctor").stdout


@pytest.mark.parametrize("table", ["entry_tags", "entry_text", "entry_refs", "entries", "files"])
def test_a_dropped_table_is_rebuilt_with_one_notice(
    run: Runner, ids: list[str], cache_root: Path, table: str
) -> None:
    before = answers(run, ids)
    sql(index_file(cache_root), f"DROP TABLE {table}")
    assert "the index is damaged" in run("doctor").stdout
    result = run("diary", "list", "--text", "river")
    assert (result.exit_code, result.stdout) == before[1]
    assert result.stderr.count(NOTICE) == 1
    assert answers(run, ids) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE files SET mtime_ns = 'soon'",
        "UPDATE entries SET date = 'yesterday'",
        "UPDATE entries SET path = '/nowhere/gone.md'",
    ],
)
def test_rows_that_no_longer_read_are_met_by_a_rebuild(
    run: Runner, ids: list[str], cache_root: Path, statement: str
) -> None:
    before = answers(run, ids)
    sql(index_file(cache_root), statement)
    assert answers(run, ids) == before


# --- 2. valid but wrong ------------------------------------------------------------------


@pytest.mark.parametrize("table", ["entries", "files"])
def test_a_deleted_row_is_seen_by_doctor_and_healed_by_any_command(
    run: Runner, ids: list[str], cache_root: Path, table: str
) -> None:
    before = answers(run, ids)
    sql(
        index_file(cache_root),
        f"DELETE FROM {table} WHERE rowid = (SELECT min(rowid) FROM {table})",  # noqa: S608 - a fixed table name
    )
    doctor = run("doctor")
    assert "All is well" not in doctor.stdout
    assert "does not agree with the files" in doctor.stdout
    result = run("diary", "list")
    assert (result.exit_code, result.stdout) == before[0]
    assert result.stderr.count(NOTICE) == 1
    assert "All is well" in run("doctor").stdout


def test_doctor_counts_rows_folder_by_folder(
    run: Runner, ids: list[str], cache_root: Path, home: Path
) -> None:
    """A row moved to another folder keeps the totals right; doctor still sees it."""
    moved = entry_file(home, ids[1]).with_name("elsewhere.md")
    first = entry_file(home, ids[0]).parent
    old = str(entry_file(home, ids[1]))
    sql(
        index_file(cache_root),
        "UPDATE files SET path = ? WHERE path = ?",
        str(first / moved.name),
        old,
    )
    doctor = run("doctor")
    assert "does not agree with the files in" in doctor.stdout
    assert "rebuilt the diary index" in run("doctor", "--fix").stdout
    assert "All is well" in run("doctor").stdout


def test_doctor_fix_mends_an_index_that_disagrees_with_the_files(
    run: Runner, ids: list[str], cache_root: Path
) -> None:
    sql(index_file(cache_root), "DELETE FROM entries")
    fixed = run("doctor", "--fix")
    assert "rebuilt the diary index (3 entries)" in fixed.stdout
    assert "All is well" in run("doctor").stdout


def test_an_index_copied_from_another_home_is_rebuilt(
    run: Runner, ids: list[str], cache_root: Path, tmp_path: Path
) -> None:
    mine = index_file(cache_root)
    other = tmp_path / "other-home"
    assert (
        run("--home", str(other), "init", "--name", "Ari Lake", "--role", "peer-worker").exit_code
        == 0
    )
    added = run(
        "--home", str(other), "diary", "add", "Someone else's morning.", "--date", "2026-10-01"
    )
    assert added.exit_code == 0, added.stderr
    other_id = added.stdout.split()[-1]
    assert run("--home", str(other), "diary", "list").exit_code == 0
    (theirs,) = (p for p in cache_root.glob("homes/*/index.sqlite") if p != mine)
    assert "is well" in run("doctor").stdout
    shutil.copyfile(theirs, mine)
    assert "made for another home" in run("doctor").stdout
    result = run("diary", "list")
    assert result.exit_code == 0
    assert other_id not in result.stdout
    assert all(entry_id in result.stdout for entry_id in ids)
    assert result.stderr.count(NOTICE) == 1


# --- 3. an index that cannot be written --------------------------------------------------


def unwritable_folder(cache_root: Path) -> None:
    """Put a folder where the index file belongs."""
    path = index_file(cache_root)
    path.unlink()
    path.mkdir()
    (path / "keep").write_text("in the way", encoding="utf-8")


def unwritable_file(cache_root: Path) -> None:
    """Make the cache folder a plain file, so nothing can be created inside it."""
    shutil.rmtree(cache_root)
    cache_root.write_text("not a folder", encoding="utf-8")


@pytest.mark.parametrize("block", [unwritable_folder, unwritable_file])
def test_an_index_that_cannot_be_written_falls_back_to_the_files(
    run: Runner, ids: list[str], cache_root: Path, block
) -> None:
    before = answers(run, ids)
    block(cache_root)
    results = [run(*question) for question in QUESTIONS]
    assert [(r.exit_code, r.stdout) for r in results] == before[: len(QUESTIONS)]
    for result in results:
        assert result.stderr.count("cannot be written") == 1, result.stderr
        assert "doctor --fix" in result.stderr
        assert "unexpected" not in result.stderr
    assert answers(run, ids) == before
    doctor = run("doctor", "--fix")
    assert "unexpected" not in doctor.stderr
    assert "All is well" not in doctor.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod does not stop writes")
def test_a_read_only_cache_folder_falls_back_to_the_files(
    run: Runner, ids: list[str], cache_root: Path
) -> None:
    before = answers(run, ids)
    path = index_file(cache_root)
    path.unlink()
    path.parent.chmod(0o500)
    try:
        assert answers(run, ids) == before
        assert "cannot be written" in run("diary", "list").stderr
        assert "unexpected" not in run("doctor", "--fix").stderr
    finally:
        path.parent.chmod(0o700)


def test_a_read_only_index_file_falls_back_to_the_files_even_as_root(
    run: Runner, ids: list[str], cache_root: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite opens the file itself, so the read-only disk is made by opening it read-only."""
    path = index_file(cache_root)
    real_connect = sqlite3.connect

    def read_only(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if isinstance(database, Path) and database == path:
            return real_connect(f"{path.as_uri()}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]
        return real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

    changed = entry_file(home, ids[2])
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("housing", "benefit"), encoding="utf-8"
    )
    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", read_only)
        result = run("diary", "list", "--text", "benefit")
        assert result.exit_code == 0, result.stderr
        assert ids[2] in result.stdout  # the edit is seen although the index cannot take it
        assert result.stderr.count("cannot be written") == 1
        assert NOTICE not in result.stderr
        read_only_answers = answers(run, ids)
        assert "unexpected" not in run("doctor", "--fix").stderr
    assert answers(run, ids) == read_only_answers


# --- 4. stale after outside edits --------------------------------------------------------


def entry_file(home: Path, entry_id: str) -> Path:
    return next(home.glob(f"journal/*/*/{entry_id}.md"))


def test_a_same_size_edit_with_its_mtime_put_back_is_seen(
    run: Runner, ids: list[str], home: Path
) -> None:
    path = entry_file(home, ids[0])
    old = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("river", "canal"), encoding="utf-8")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # as `touch -r` would
    assert path.stat().st_size == old.st_size
    listed = run("diary", "list", "--text", "canal")
    assert ids[0] in listed.stdout
    assert ids[0] not in run("diary", "list", "--text", "river").stdout


def test_a_same_size_copy_with_the_old_mtime_is_seen(
    run: Runner, ids: list[str], home: Path, tmp_path: Path
) -> None:
    path = entry_file(home, ids[1])
    copy = tmp_path / "copy.md"
    copy.write_text(path.read_text(encoding="utf-8").replace("Group", "Quiet"), encoding="utf-8")
    shutil.copystat(path, copy)  # as `cp -p` or `rsync -t` would
    copy.replace(path)
    assert ids[1] in run("diary", "list", "--text", "quiet").stdout


# --- many random trials, outside the default suite ---------------------------------------


@pytest.mark.slow
def test_many_random_garbage_trials_never_fail_or_fool_a_command(
    run: Runner, ids: list[str], cache_root: Path
) -> None:
    for number in range(40):  # enough rows to spread the index over many pages
        when = f"2026-{number % 9 + 2:02d}-{number % 27 + 1:02d} 08:00"
        text = f"Note {number} about the garden group and a river walk."
        assert run("diary", "add", text, "--date", when, "--tag", f"t{number % 5}").exit_code == 0
    before = answers(run, ids)
    path = index_file(cache_root)
    pristine = path.read_bytes()
    chance = random.Random(2026)
    for trial in range(100):
        damaged = bytearray(pristine)
        at = chance.randrange(0, len(pristine) - 1)
        damaged[at : at + 4096] = chance.randbytes(len(damaged[at : at + 4096]))
        path.write_bytes(bytes(damaged))
        assert answers(run, ids) == before, (trial, at)
        path.write_bytes(pristine)
