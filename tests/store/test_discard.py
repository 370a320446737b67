"""Removal for good stays inside its folder and never follows a link out of it."""

import pytest

from peerjournal.errors import StorageError
from peerjournal.store.discard import held_files, remove_for_good


def test_links_are_not_listed_and_files_outside_are_refused(tmp_path):
    folder = tmp_path / ".trash"
    (folder / "journal" / "a-month").mkdir(parents=True)
    inside = folder / "journal" / "a-month" / "e.md"
    inside.write_text("x")
    outside = tmp_path / "precious.md"
    outside.write_text("keep me")
    (folder / "link.md").symlink_to(outside)
    assert [held.path for held in held_files(folder)] == [inside]
    with pytest.raises(StorageError):
        remove_for_good(folder, [outside])
    with pytest.raises(StorageError):
        remove_for_good(folder, [folder / "link.md"])  # resolves outside the folder
    assert outside.read_text() == "keep me"
    remove_for_good(folder, [inside])
    assert not (folder / "journal").exists()  # emptied folders go too, the folder stays
    assert folder.is_dir()
