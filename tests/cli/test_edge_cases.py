"""Edge cases met on the way (issue 13, part 2): odd jrnl tags, encrypted journals, a read-only
home, and links inside the home that no command reads or writes through.
"""

import errno
import os
from pathlib import Path

import pytest

from helpers import problem_lines
from peerjournal.services import diary_import
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

PHONE = "555-201-3344"

# Like jrnl's own test journal tags-216.journal: tags with '/', '+' and '#'; fictional text.
TAGS_216 = """\
[2013-06-10 15:40] Mentoring notes.
Spent years with @OS/2 and now help people learn @C++ and @C#.

[2013-06-11 09:00] A quiet morning.
Nothing to tag.
"""

LONG_A = "@" + "reflective-practice-" * 4 + "alpha"
LONG_B = "@" + "reflective-practice-" * 4 + "beta"


def stored(home: Path) -> list:
    return sorted((s.entry for s in EntryStore(DataHome(home)).iter()), key=lambda e: e.date)


def journal(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "journal.txt"
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. tags jrnl accepts ----------------------------------------------------------------------


def test_jrnl_tags_with_sharp_plus_and_slash_import(run, home, tmp_path):
    source = journal(tmp_path, TAGS_216)
    result = run("diary", "import", "jrnl", str(source))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Imported 2 entries from {source}; skipped 0")
    first = stored(home)[0]
    assert first.meta.tags == ["os/2", "c++", "csharp"]
    again = run("diary", "import", "jrnl", str(source))
    assert again.exit_code == 0, again.stderr
    assert "Imported 0 entries" in again.stdout
    assert len(stored(home)) == 2


def test_long_tags_are_cut_with_a_hash_and_stay_apart(run, home, tmp_path):
    text = f"[2026-09-01 10:00] Planning day\nThinking about {LONG_A} and {LONG_B} today.\n"
    result = run("diary", "import", "jrnl", str(journal(tmp_path, text)))
    assert result.exit_code == 0, result.stderr
    [entry] = stored(home)
    assert len(entry.meta.tags) == 2
    assert all(len(tag) <= 60 for tag in entry.meta.tags)
    assert all(tag.startswith("reflective-practice-") for tag in entry.meta.tags)
    assert entry.meta.tags[0] != entry.meta.tags[1]
    assert entry.meta.tags[0] == diary_import.import_tag(LONG_A)  # the same every run


@pytest.mark.parametrize(
    ("jrnl_tag", "stored_tag"),
    [
        ("@C#", "csharp"),
        ("@C++", "c++"),
        ("@OS/2", "os/2"),
        ("#f#", "fsharp"),
        ("@team@centre", "teamatcentre"),
        ("@a,b", "a-b"),
        ("@@", ""),
        ("@Two  Words", "two-words"),
    ],
)
def test_every_jrnl_tag_has_a_stored_spelling(jrnl_tag, stored_tag):
    assert diary_import.import_tag(jrnl_tag) == stored_tag


def test_a_json_export_with_any_tag_text_imports(run, home, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(
        '{"entries": [{"date": "2026-09-01", "time": "10:00", "title": "Group", "body": "",'
        ' "tags": ["@a,b", "@@", "#x@y", "@two words"], "starred": false}]}',
        encoding="utf-8",
    )
    result = run("diary", "import", "jrnl", str(export))
    assert result.exit_code == 0, result.stderr
    [entry] = stored(home)
    assert entry.meta.tags == ["a-b", "xaty", "two-words"]


def test_an_entry_that_cannot_be_imported_leaves_nothing_half_done(
    run, home, tmp_path, monkeypatch
):
    real = diary_import.import_tag

    def refuse_one(tag: str) -> str:
        if tag == "@c#":
            raise ValueError("a refused tag")
        return real(tag)

    monkeypatch.setattr(diary_import, "import_tag", refuse_one)
    source = journal(tmp_path, "[2013-06-09 08:00] Before.\nFine.\n\n" + TAGS_216)
    result = run("diary", "import", "jrnl", str(source))
    assert result.exit_code == 2
    assert problem_lines(result.stderr) == [
        f"peerjournal: {source}:4: entry 2 cannot be imported; nothing was imported, fix it in "
        "the journal and import again"
    ]
    assert "Mentoring" not in result.stderr
    assert stored(home) == []


def test_strict_privacy_review_still_holds_back_with_mapped_tags(run, home, tmp_path):
    text = TAGS_216 + f"\n[2026-09-02 11:00] Roster @C#\nAsk Jo to ring me on {PHONE}.\n"
    source = journal(tmp_path, text)
    result = run("diary", "import", "jrnl", str(source), "--strict")
    assert result.exit_code == 2
    assert f"{source}:7: held back:" in result.stderr
    assert result.stdout.startswith(f"Imported 2 entries from {source}")
    assert PHONE not in result.stdout + result.stderr
    loose = run("diary", "import", "jrnl", str(source))
    assert loose.exit_code == 0, loose.stderr
    assert "1 imported entry has possible identifying details" in loose.stderr
    assert len(stored(home)) == 3


# --- 2. encrypted journals ---------------------------------------------------------------------


def test_a_fernet_encrypted_journal_is_named_as_encrypted(run, home, tmp_path):
    path = tmp_path / "journal.txt"
    path.write_text("gAAAAABl" + "Zm9yZXN0LWdyZWVuLWJlbmNo" * 8 + "==\n", encoding="utf-8")
    result = run("diary", "import", "jrnl", str(path))
    assert result.exit_code == 2
    [line] = problem_lines(result.stderr)
    assert "looks like an encrypted jrnl journal" in line
    assert "jrnl --export json > journal.json" in line
    assert "--timeformat" not in line
    assert stored(home) == []


def test_jrnl_1_aes_journal_is_named_as_encrypted(run, home, tmp_path):
    path = tmp_path / "journal.txt"
    path.write_bytes(bytes(range(256)) * 2)  # an IV and whole AES blocks, not text
    result = run("diary", "import", "jrnl", str(path))
    assert result.exit_code == 2
    [line] = problem_lines(result.stderr)
    assert "looks like an encrypted jrnl journal" in line
    assert "UTF-8" not in line
    assert "NUL" not in line


def test_a_damaged_text_journal_still_gets_the_utf8_hint(run, home, tmp_path):
    path = tmp_path / "journal.txt"
    path.write_bytes(b"[2026-09-01 10:00] Day\n\xff\n")
    result = run("diary", "import", "jrnl", str(path))
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.stderr


# --- 3. a read-only home -----------------------------------------------------------------------


def refuse(code: int):
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EPERM])
def test_init_where_chmod_is_refused_says_so_in_one_line(run, isolated, monkeypatch, code):
    isolated.mkdir()
    monkeypatch.setattr(Path, "chmod", refuse(code))
    result = run("init", "--name", "Sam Rivers", "--role", "peer-worker")
    assert result.exit_code == 1
    [line] = problem_lines(result.stderr)
    assert line.startswith(f"peerjournal: {isolated}: could not make this folder private")
    assert "read-only" in line
    assert "--home" in line
    assert "unexpected" not in result.stderr


def test_init_where_mkdir_is_refused_says_so_in_one_line(run, isolated, monkeypatch):
    monkeypatch.setattr(Path, "mkdir", refuse(errno.EROFS))
    result = run("init", "--name", "Sam Rivers", "--role", "peer-worker")
    assert result.exit_code == 1
    [line] = problem_lines(result.stderr)
    assert "could not create folder" in line
    assert "read-only" in line
    assert "--home" in line
    assert "unexpected" not in result.stderr


# --- 4. links inside the home ------------------------------------------------------------------


def add(run, text: str = "A walk to the shops.") -> str:
    result = run("diary", "add", text)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def entry_file(home: Path) -> Path:
    [path] = sorted((home / "journal").glob("*/*/*.md"))
    return path


def test_doctor_names_a_linked_entry_without_opening_it(run, home, tmp_path):
    entry_id = add(run)
    path = entry_file(home)
    outside = tmp_path / "outside.md"
    outside.write_text("not an entry at all\n", encoding="utf-8")
    path.unlink()
    path.symlink_to(outside)
    result = run("doctor")
    assert result.exit_code == 1
    assert "symbolic link" in result.stdout
    assert "front matter" not in result.stdout  # the target was never parsed
    shown = run("diary", "show", entry_id)
    assert shown.exit_code == 2  # the link is not an entry
    assert "not an entry" not in shown.stdout + shown.stderr


def test_editing_a_linked_entry_never_writes_through_it(run, home, tmp_path):
    entry_id = add(run)
    path = entry_file(home)
    outside = tmp_path / "outside.md"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    result = run("diary", "edit", entry_id, "--add-tag", "extra")
    assert result.exit_code == 2  # the index never lists a link, so the id is not found
    assert len(problem_lines(result.stderr)) == 1
    assert outside.read_bytes() == before
    assert path.is_symlink()


def test_a_linked_entry_inside_the_home_is_skipped_with_a_warning(run, home, tmp_path):
    add(run)
    path = entry_file(home)
    twin = path.with_name("20260101-0900-beef.md")
    twin.symlink_to(path)
    result = run("diary", "import", "jrnl", str(journal(tmp_path, TAGS_216)))
    assert result.exit_code == 0, result.stderr
    assert f"peerjournal: warning: {twin}: is a symbolic link; not followed" in result.stderr


@pytest.mark.parametrize("folder", [".trash", "journal"])
def test_a_linked_home_folder_is_never_written_through(run, home, tmp_path, folder):
    entry_id = add(run)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = home / folder
    if target.exists():
        target.rename(tmp_path / "moved")
    target.symlink_to(outside)
    if folder == ".trash":
        result = run("diary", "delete", entry_id, "--yes")
    else:
        result = run("diary", "add", "A new day.")
    assert result.exit_code == 1, result.stdout
    [line] = problem_lines(result.stderr)
    assert f"{target}: is a symbolic link" in line
    assert list(outside.iterdir()) == []


def test_a_linked_recovery_folder_is_never_written_through(run, home, tmp_path, monkeypatch):
    from peerjournal.errors import StorageError

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (home / ".recovery").symlink_to(outside)

    def full_disk(self: EntryStore, entry: object) -> Path:
        raise StorageError("could not save: the disk is full", path=home / "journal")

    monkeypatch.setattr(EntryStore, "create", full_disk)
    result = run("diary", "add", "A new day.")
    assert result.exit_code != 0
    assert "A new day." in result.stdout  # handed back, as when .recovery cannot be written
    assert "Traceback" not in result.stderr
    assert "unexpected" not in result.stderr
    assert list(outside.iterdir()) == []


def test_a_linked_framework_file_is_named_and_not_read(run, home, tmp_path):
    outside = tmp_path / "theirs.yaml"
    outside.write_text("not: a framework\n", encoding="utf-8")
    link = home / "frameworks" / "theirs.yaml"
    link.symlink_to(outside)
    result = run("frameworks", "list")
    assert result.exit_code == 0, result.stderr
    assert f"peerjournal: warning: {link}: is a symbolic link; not followed" in result.stderr


def test_a_draft_that_is_a_link_is_named_and_never_read(run, home, tmp_path):
    from peerjournal.store.layout import DataHome

    target = tmp_path / "elsewhere.json"
    draft = (
        '{"id": "diary-20261124-143000-beef", "kind": "diary", "started": '
        '"2026-11-24T14:30:00+13:00", "setup": {}, "answers": {"title": "SENTINEL"}}'
    )
    target.write_text(draft)
    drafts = DataHome(home).drafts_dir
    drafts.mkdir(mode=0o700)
    link = drafts / "diary-20261124-143000-beef.json"
    link.symlink_to(target)
    listed = run("drafts")
    assert listed.exit_code == 0
    assert f"{link}" in listed.stderr
    assert "beef" not in listed.stdout  # not offered as a draft of this home
    assert "SENTINEL" not in listed.stdout + listed.stderr
    assert target.read_text() == draft


def test_a_linked_settings_file_is_named_and_not_read(run, home, tmp_path):
    settings = home / "settings.yaml"
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(settings.read_text(encoding="utf-8").replace("Sam", "Kit"), "utf-8")
    settings.unlink()
    settings.symlink_to(elsewhere)
    for command in (("diary", "add", "A short note."), ()):
        result = run(*command)
        assert result.exit_code == 2, command
        assert "settings.yaml" in result.stderr
        assert "symbolic link" in result.stderr
        assert "Kit" not in result.stdout + result.stderr
    assert not list((home / "journal").rglob("*.md"))


def test_showing_a_linked_entry_names_the_link(run, home, tmp_path):
    add(run)
    path = entry_file(home)
    twin = path.with_name("20260101-0900-beef.md")
    twin.symlink_to(path)
    result = run("diary", "show", "20260101-0900-beef")
    assert result.exit_code == 2
    assert f"{twin}: is a symbolic link; not followed" in result.stderr
    assert "no diary entry" not in result.stderr
    assert run("diary", "show", "20260101-0900-dead").stderr.count("no diary entry") == 1
