"""The diary index follows the files: adds, edits, deletes, restores, outside changes, damage."""

import pytest

from helpers import DEAD_ID, DEAD_WHEN, dead_entry
from peerjournal.services.diary import Filters
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome


def ids(run, *args):
    result = run("diary", "list", "--ids", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def add(run, text="A walk to the shops.", *args):
    result = run("diary", "add", text, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def index_file(cache_root):
    [path] = cache_root.rglob("index.sqlite")
    return path


def test_adds_edits_deletes_and_restores_show_at_once(run, home):
    first = add(run, "First note.", "--tag", "group")
    second = add(run, "Second note.")
    assert ids(run) == [first, second]  # oldest first
    assert run("diary", "edit", second, "--add-tag", "group").exit_code == 0
    assert ids(run, "--tag", "group") == [first, second]
    assert run("diary", "delete", first, "--yes").exit_code == 0
    assert ids(run) == [second]
    assert run("diary", "restore", first).exit_code == 0
    assert ids(run, "--tag", "group") == [first, second]


def test_files_changed_behind_the_tools_back(run, home):
    entry_id = add(run, "Talked about the garden.")
    [path] = (home / "journal").rglob(f"{entry_id}.md")
    assert ids(run, "--text", "garden") == [entry_id]
    # edited in place by another program, same size and an older mtime would not fool it
    text = path.read_text().replace("garden", "library")
    path.write_text(text)
    assert ids(run, "--text", "garden") == []
    assert ids(run, "--text", "library") == [entry_id]
    # a file copied in by hand, and one removed by hand
    copy = path.with_name("20261111-1111-beef.md")
    copy.write_text(text.replace(f"id: {entry_id}", "id: 20261111-1111-beef"))
    assert sorted(ids(run)) == sorted([entry_id, "20261111-1111-beef"])
    path.unlink()
    assert ids(run) == ["20261111-1111-beef"]


def test_a_deleted_index_is_rebuilt_with_the_same_answers(run, home, cache_root):
    made = sorted(add(run, f"Note {n}.", "--tag", f"t{n % 2}") for n in range(5))
    before = (ids(run), ids(run, "--tag", "t1"), run("diary", "tags").stdout)
    path = index_file(cache_root)
    path.unlink()
    assert (ids(run), ids(run, "--tag", "t1"), run("diary", "tags").stdout) == before
    assert sorted(ids(run)) == made


@pytest.mark.parametrize(
    "damage", [b"not a database at all", b"SQLite format 3\x00" + b"\x07" * 5000, b""]
)
def test_a_corrupted_index_is_rebuilt(run, home, cache_root, damage):
    made = add(run)
    assert ids(run) == [made]
    path = index_file(cache_root)
    path.write_bytes(damage)
    assert ids(run) == [made]
    assert path.stat().st_size > len(damage)


def test_reindex_rebuilds_on_demand(run, home, cache_root):
    add(run)
    add(run, "Another.")
    result = run("reindex")
    assert result.exit_code == 0
    assert result.stdout.startswith("Indexed 2 diary entries into ")
    assert str(index_file(cache_root)) in result.stdout
    assert oct(index_file(cache_root).stat().st_mode & 0o777) == "0o600"


def test_a_broken_file_is_remembered_with_its_line_and_mended_when_fixed(run, home):
    good = add(run)
    broken = dead_entry(home, f"---\nid: {DEAD_ID}\ntitle: [oops\n---\nText.\n")
    listed = run("diary", "list", "--ids")
    assert listed.stdout.split() == [good]
    assert f"{broken}:4:" in listed.stderr or f"{broken}:3:" in listed.stderr
    again = run("diary", "list", "--ids")  # from the index now, the same warning
    assert again.stderr == listed.stderr
    broken.write_text(
        f"---\nid: {DEAD_ID}\ndate: '{DEAD_WHEN.isoformat()}'\ntitle: Fixed\n---\nText.\n"
    )
    assert run("diary", "list", "--ids").stdout.split() == [DEAD_ID, good]


def test_two_homes_keep_separate_indexes(run, home, tmp_path, cache_root):
    first = add(run, "In the first home.")
    assert ids(run) == [first]
    other = tmp_path / "other"
    assert run("--home", str(other), "init", "--name", "Jo", "--role", "peer-worker").exit_code == 0
    assert run("--home", str(other), "diary", "list", "--ids").stdout == ""
    assert len(list(cache_root.rglob("index.sqlite"))) == 2


def test_index_rows_match_the_files_they_come_from(run, home, services):
    for n in range(6):
        add(run, f"Note {n}.", "--tag", f"t{n % 3}", "--competency", "samhsa-core/I.1")
    summaries = {s.id: s for s in services.diary.summaries(Filters())}
    walked = {stored.entry.id: stored.entry for stored in EntryStore(DataHome(home)).iter()}
    assert set(summaries) == set(walked)
    for entry_id, entry in walked.items():
        row = summaries[entry_id]
        assert (row.title, list(row.tags), list(row.competencies), row.date) == (
            entry.meta.title,
            entry.meta.tags,
            entry.meta.competencies,
            entry.meta.date,
        )
