"""The index's own guards: stamps that see put-back mtimes, an owner, rows that must add up."""

import sqlite3
from pathlib import Path

from peerjournal.store.index import INDEX_VERSION, Index, disagreement
from peerjournal.store.index_rows import folder_files
from peerjournal.store.index_scan import folder_stamp
from peerjournal.store.layout import DataHome


def test_a_stamp_holds_size_mtime_inode_and_ctime_from_one_stat(tmp_path: Path) -> None:
    entry = tmp_path / "20261124-1430-ab12.md"
    entry.write_text("---\nid: x\n---\n", encoding="utf-8")
    stat = entry.stat()
    assert folder_files(str(tmp_path)) == {
        str(entry): (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)
    }


def test_a_folder_stamp_sees_a_new_file_even_when_the_mtime_is_put_back(tmp_path: Path) -> None:
    import os

    before = folder_stamp(str(tmp_path))
    assert before is not None
    (tmp_path / "20261124-1430-ab12.md").write_text("x", encoding="utf-8")
    mtime = before[0]
    os.utime(tmp_path, ns=(mtime, mtime))  # as `touch -r` would put it back
    after = folder_stamp(str(tmp_path))
    assert after is not None
    assert after[0] == mtime
    assert after[1] != before[1]  # the ctime moved on, and it cannot be set back


def test_a_linked_folder_has_no_stamp(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert folder_stamp(str(tmp_path / "link")) is None


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
    db.execute("CREATE TABLE folders (path TEXT, level INTEGER, files INTEGER)")
    db.execute("CREATE TABLE files (path TEXT, error TEXT)")
    db.execute("CREATE TABLE entries (id TEXT)")
    db.execute("INSERT INTO folders VALUES ('/j/2026/11', 2, 2)")
    db.executemany("INSERT INTO files VALUES (?, ?)", [("a", None), ("b", "bad date")])
    db.execute("INSERT INTO entries VALUES ('a')")
    assert disagreement(db) == (None, 2)
    db.execute("UPDATE folders SET files = 3")
    assert disagreement(db)[0] == "it lists 2 entry files where the folders hold 3"
    db.execute("UPDATE folders SET files = 2")
    db.execute("DELETE FROM entries")
    assert disagreement(db)[0] == "it holds 0 entries for 1 readable files"


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


def test_kept_tag_and_reference_counts_follow_every_change(tmp_path: Path) -> None:
    """Counts kept per tag and reference equal counting the links, after adds, edits, deletes."""
    from datetime import datetime, timedelta, timezone

    from peerjournal.models.entry import DiaryEntry, EntryMeta
    from peerjournal.store.entries import EntryStore
    from peerjournal.store.index import totals_disagreement

    home = DataHome(tmp_path / "home")
    home.root.mkdir()
    store = EntryStore(home)
    index = Index(home, tmp_path / "cache" / "index.sqlite")
    zone = timezone(timedelta(hours=13))
    paths = []
    for number, (tags, refs) in enumerate(
        [(["group", "kitchen"], ["samhsa-core/I.1"]), (["group"], ["SAMHSA-core/i.1", "x/y"])]
    ):
        meta = EntryMeta(
            id=f"20261101-09{number:02d}-ab1{number}",
            date=datetime(2026, 11, 1, 9, number, tzinfo=zone),
            title=f"Entry {number}",
            tags=tags,
            competencies=refs,
        )
        paths.append(store.create(DiaryEntry(meta=meta)))
    index.refresh()
    assert index.tag_counts() == [("group", 2), ("kitchen", 1)]
    assert index.ref_counts() == {"samhsa-core/i.1": 2, "x/y": 1}
    paths[0].write_text(paths[0].read_text().replace("- kitchen", "- garden"), encoding="utf-8")
    paths[1].unlink()
    index.refresh(full=True)
    assert index.tag_counts() == [("garden", 1), ("group", 1)]
    assert index.ref_counts() == {"samhsa-core/i.1": 1}
    assert totals_disagreement(index.connect()) is None
    index.connect().execute("UPDATE tag_totals SET n = 5 WHERE tag = 'group'")
    assert totals_disagreement(index.connect()) is not None


def test_the_own_digests_equal_hashlibs() -> None:
    """The cache folder's name must not change with the digest module that made it."""
    import hashlib

    from peerjournal.store.digest import blake2b_hex, sha256_hex

    for data in (b"", b"/home/sam/peerjournal", "Rēwena".encode()):
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
        assert blake2b_hex(data, 16) == hashlib.blake2b(data, digest_size=16).hexdigest()
