"""Changing entries: edit with options or the editor, delete to the trash, restore."""

import pytest

from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome


def add(run, *args, text="Helped set up the art room."):
    result = run("diary", "add", text, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def read(home, entry_id):
    return EntryStore(DataHome(home)).find(entry_id)


def test_edit_options_change_tags_competencies_and_mark(run, home):
    entry_id = add(run, "--tag", "group", "--competency", "samhsa-core/I.1")
    result = run(
        "diary", "edit", entry_id, "--add-tag", "Art Room", "--remove-tag", "group",
        "--add-competency", "samhsa-core/ii.2", "--remove-competency", "samhsa-core/I.1",
        "--for-supervision",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Updated diary entry {entry_id}\n"
    meta = read(home, entry_id).entry.meta
    assert meta.tags == ["art-room"]
    assert meta.competencies == ["samhsa-core/II.2"]
    assert meta.for_supervision is True
    assert meta.updated is not None


def test_edit_refuses_unknown_things_and_changes_nothing(run, home):
    entry_id = add(run, "--tag", "group")
    path = read(home, entry_id).path
    before = path.read_bytes()
    for args, message in [
        (["--remove-tag", "nope"], "the entry has no tag 'nope'"),
        (["--add-competency", "samhsa-core/Z.9"], "framework 'samhsa-core' has no item 'Z.9'"),
    ]:
        result = run("diary", "edit", entry_id, *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"peerjournal: {message}")
    assert run("diary", "edit", "20000101", "--add-tag", "x").exit_code == 2
    assert path.read_bytes() == before


def test_unknown_fields_and_sections_survive_edits(run, home, fake_editor):
    entry_id = add(run)
    path = read(home, entry_id).path
    text = path.read_text()
    text = text.replace("schema: 1\n", "schema: 1\nmood_colour: teal\n")
    path.write_text(text + "\n## My own heading\n\nKept as written.\n")
    assert run("diary", "edit", entry_id, "--add-tag", "art").exit_code == 0
    fake_editor({"replace": ["Helped set up", "Helped tidy"]})
    result = run("diary", "edit", entry_id)
    assert result.exit_code == 0, result.stderr
    after = path.read_text()
    assert "mood_colour: teal" in after
    assert "## My own heading\n\nKept as written." in after
    assert "Helped tidy the art room." in after
    assert "tags:\n- art\n" in after


def test_editing_to_an_empty_buffer_does_not_delete(run, home, fake_editor):
    entry_id = add(run)
    path = read(home, entry_id).path
    before = path.read_bytes()
    fake_editor({"write": "---\ndate: 2026-11-20T10:00:00+13:00\nid: x\n---\n"})
    result = run("diary", "edit", entry_id, input="n\n")
    assert result.exit_code == 2
    assert "the entry is empty" in result.stderr
    assert path.read_bytes() == before


def test_an_edit_over_a_file_changed_meanwhile_keeps_both_versions(run, home, services):
    from peerjournal.errors import StorageError

    entry_id = add(run)
    diary = services.diary
    stored = diary.get(entry_id)  # read before another command changes the file
    path = stored.path
    path.write_text(path.read_text().replace("art room", "music room"))
    mine = stored.entry.model_copy(deep=True)
    mine.preamble = "My own edit."
    with pytest.raises(StorageError, match="your version is kept in"):
        diary.update(stored, mine)
    assert "music room" in path.read_text()
    [conflict] = (home / ".recovery").iterdir()
    assert "My own edit." in conflict.read_text()


def test_delete_asks_and_restore_brings_back_the_same_bytes(run, home):
    entry_id = add(run)
    path = read(home, entry_id).path
    before = path.read_bytes()
    refused = run("diary", "delete", entry_id, input="n\n")
    assert refused.exit_code == 1
    assert path.exists()
    result = run("diary", "delete", entry_id, input="y\n")
    assert result.exit_code == 0
    assert not path.exists()
    assert run("diary", "list", "--ids").stdout == ""
    trashed = home / ".trash" / path.relative_to(home)
    assert trashed.read_bytes() == before
    restored = run("diary", "restore", entry_id[:12])
    assert restored.exit_code == 0
    assert path.read_bytes() == before
    assert run("diary", "list", "--ids").stdout == f"{entry_id}\n"


def test_delete_yes_for_scripts_and_unknown_ids(run, home):
    entry_id = add(run)
    assert run("diary", "delete", entry_id, "--yes").exit_code == 0
    again = run("diary", "delete", entry_id, "--yes")
    assert (again.exit_code, again.stderr) == (
        2,
        f"peerjournal: no diary entry with id '{entry_id}'\n",
    )
    missing = run("diary", "restore", "nothing-here")
    assert missing.stderr == "peerjournal: no deleted diary entry with id 'nothing-here'\n"


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/b", "", "x\x00y"])
def test_ids_that_are_paths_are_refused(run, home, bad):
    result = run("diary", "show", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("peerjournal: ")
