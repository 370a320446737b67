"""The index's own guards: stamps that see put-back mtimes, an owner, rows that must add up."""

import sqlite3
from pathlib import Path

from peerjournal.store.index import INDEX_VERSION, Index, disagreement
from peerjournal.store.index_rows import folder_files, folder_signature
from peerjournal.store.layout import DataHome


def test_a_stamp_holds_size_mtime_inode_and_ctime_from_one_stat(tmp_path: Path) -> None:
    entry = tmp_path / "20261124-1430-ab12.md"
    entry.write_text("---\nid: x\n---\n", encoding="utf-8")
    stat = entry.stat()
    assert folder_files(str(tmp_path)) == {
        str(entry): (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)
    }


def test_the_folder_signature_changes_with_the_inode_or_ctime_alone() -> None:
    one = {"/j/2026/11/a.md": (120, 5_000, 77, 9_000)}
    assert folder_signature(one) != folder_signature({"/j/2026/11/a.md": (120, 5_000, 78, 9_000)})
    assert folder_signature(one) != folder_signature({"/j/2026/11/a.md": (120, 5_000, 77, 9_001)})


def test_an_index_of_an_older_version_or_another_owner_is_rebuilt(tmp_path: Path) -> None:
    home = DataHome(tmp_path / "home")
    (home.root).mkdir()
    index = Index(home, tmp_path / "cache" / "index.sqlite")
    index.refresh()
    index.close()
    db = sqlite3.connect(index.path)
    db.execute("UPDATE meta SET value = '/somewhere/else' WHERE key = 'home'")
    db.commit()
    db.close()
    assert index.check() == ["the index was made for another home; it will be rebuilt"]
    again = Index(home, index.path)
    again.refresh()
    assert again.healed == "made for another home"
    assert again.connect().execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    assert again.check() == []


def test_rows_must_add_up_to_the_files() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE files (path TEXT, error TEXT)")
    db.execute("CREATE TABLE entries (id TEXT)")
    db.executemany("INSERT INTO files VALUES (?, ?)", [("a", None), ("b", "bad date")])
    db.execute("INSERT INTO entries VALUES ('a')")
    assert disagreement(db, 2) is None
    assert disagreement(db, 3) == "it lists 2 entry files where the folders hold 3"
    db.execute("DELETE FROM entries")
    assert disagreement(db, 2) == "it holds 0 entries for 1 readable files"


def test_an_index_path_that_is_a_folder_is_read_in_memory(tmp_path: Path) -> None:
    home = DataHome(tmp_path / "home")
    home.root.mkdir()
    path = tmp_path / "cache" / "index.sqlite"
    path.mkdir(parents=True)
    index = Index(home, path)
    assert index.refresh().files == 0
    assert index.unwritable is not None
    assert index.blocked() == "a folder is in the way"
    assert path.is_dir()
