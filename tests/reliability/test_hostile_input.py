"""E23-E29, C14, RELIABILITY section 4: hostile files, text and paths give a clear error or are
stored safely; none crashes, hangs or loses data.

A clear error is one 'peerjournal:' line per problem naming the file, a non-zero exit and no
traceback; the hostile file itself is never changed, moved or deleted.
"""

import errno
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from helpers import entry_path, problem_lines, read_record, record_files, snapshot

MARKER_NAME = "pwned"

BILLION_LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join(['*' + chr(97 + level)] * 9)}]"
        for level in range(8)
    ]
)

HOSTILE_YAML = {
    "code execution tag": "extra: !!python/object/apply:os.system ['touch {marker}']\n",
    "alias bomb": BILLION_LAUGHS + "\n",
    "deep nesting": "deep: " + "[" * 100_000 + "\n",
    "merge key": "base: {x: 1}\nother:\n  <<: {x: 2}\n",
    "duplicate key": "title: One\ntitle: Two\n",
}
EXPECTED_WORDS = {
    "code execution tag": "python/object",
    "alias bomb": "anchors and aliases",
    "deep nesting": "nest",
    "merge key": "merge keys",
    "duplicate key": "duplicate key 'title'",
}


def clear_error(result, path: Path | str, *words: str) -> str:
    """One problem line naming ``path`` with ``words``; non-zero exit; no traceback."""
    assert result.exit_code != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = problem_lines(result.stderr)
    assert lines, result.stderr
    assert all(str(path) in line for line in lines), lines
    for word in words:
        assert any(word in line for line in lines), (word, lines)
    return "\n".join(lines)


ENTRY_FRONT = (
    "schema: 1\nid: {id}\ndate: '2026-11-02T10:00:00+00:00'\ntitle: Hostile\n"
    "setting: ''\ntags: []\ncompetencies: []\nfor_supervision: false\n"
)


def entry_file(home: Path, entry_id: str, text: str | bytes) -> Path:
    path = entry_path(home, entry_id, datetime.fromisoformat("2026-11-02T10:00:00+00:00"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def good_entry(run) -> str:
    result = run("diary", "add", "An ordinary day at the centre.", "--title", "Ordinary")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def framework_text(extra: str) -> str:
    return (
        "schema: 1\nid: hostile\ntitle: Hostile\nversion: '1'\nkind: guidelines\n"
        "audience: peer-worker\nscale: confidence-5\n"
        "source: {publisher: Harbour Peer Service (fictional), year: 2026, wording: original}\n"
        "domains:\n  - id: d\n    title: D\n    items:\n      - id: d.1\n        text: An item.\n"
        + extra
    )


# --- YAML in frameworks, settings and front matter ------------------------------------------


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_yaml_in_a_framework_file(run, home, tmp_path, case):
    marker = tmp_path / MARKER_NAME
    text = framework_text(HOSTILE_YAML[case].replace("{marker}", str(marker)))
    path = home / "frameworks" / "hostile.yaml"
    path.write_text(text)
    clear_error(run("frameworks", "validate", str(path)), path, EXPECTED_WORDS[case])
    listed = run("frameworks", "list")
    assert listed.exit_code == 0, listed.stderr
    assert f"{path}" in listed.stderr
    assert "skipped" in listed.stderr
    assert "samhsa-core" in listed.stdout  # the others still load
    assert not marker.exists()
    assert path.read_text() == text


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_yaml_in_settings(run, home, tmp_path, case):
    marker = tmp_path / MARKER_NAME
    settings = home / "settings.yaml"
    text = settings.read_text() + HOSTILE_YAML[case].replace("{marker}", str(marker)).replace(
        "title:", "name:"
    )
    settings.write_text(text)
    before = snapshot(home)
    clear_error(run("diary", "add", "Typed text."), settings, EXPECTED_WORDS[case].split()[0])
    assert not marker.exists()
    assert snapshot(home) == before or all(
        name.startswith(".recovery/") or name == ".notice-shell-history"
        for name in set(snapshot(home)) - set(before)
    )
    assert settings.read_text() == text
    info = run("info")
    assert "Traceback" not in info.stdout + info.stderr


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_yaml_in_entry_front_matter(run, home, tmp_path, case):
    good = good_entry(run)
    marker = tmp_path / MARKER_NAME
    front = ENTRY_FRONT.format(id="20261102-1000-beef")
    if case == "duplicate key":
        front = front.replace("title: Hostile\n", "title: Hostile\ntitle: Again\n")
    else:
        front += HOSTILE_YAML[case].replace("{marker}", str(marker))
    raw = f"---\n{front}---\n\nThe body.\n"
    path = entry_file(home, "20261102-1000-beef", raw)
    listed = run("diary", "list", "--ids")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.split() == [good]
    assert str(path) in listed.stderr
    clear_error(run("diary", "show", "20261102-1000-beef"), path)
    assert not marker.exists()
    assert path.read_text() == raw


def test_duplicate_keys_name_the_key_and_both_lines(run, home):
    path = home / "frameworks" / "hostile.yaml"
    path.write_text(framework_text("title: Again\n"))
    message = clear_error(run("frameworks", "validate", str(path)), path)
    assert f"{path}:15:" in message  # the second 'title', after the first on line 3
    assert "duplicate key 'title' (first on line 3)" in message


@pytest.mark.parametrize(
    ("where", "limit"), [("framework", 1), ("settings", 1), ("entry", 2)], ids=str
)
def test_oversized_files_are_refused_before_parsing(run, home, where, limit):
    padding = "# " + "x" * 1000 + "\n"
    filler = padding * (limit * 1046 + 10)  # just over the limit
    if where == "framework":
        path = home / "frameworks" / "huge.yaml"
        path.write_text(framework_text(filler))
        result = run("frameworks", "validate", str(path))
    elif where == "settings":
        path = home / "settings.yaml"
        path.write_text(path.read_text() + filler)
        result = run("diary", "add", "Typed text.")
    else:
        front = ENTRY_FRONT.format(id="20261102-1000-f00d")
        path = entry_file(home, "20261102-1000-f00d", f"---\n{front}{filler}---\nBody\n")
        result = run("diary", "show", "20261102-1000-f00d")
    size = path.stat().st_size
    clear_error(result, path, f"the limit is {limit} MiB")
    assert path.stat().st_size == size


def test_implicit_typing_traps_stay_text_or_ask_for_quotes(run, home):
    for value in ("NO", "yes", "0755", "1.10", "1:20", "~", "null"):
        result = run("diary", "add", "Text.", "--title", value, "--tag", value)
        assert result.exit_code == 0, result.stderr
        path = next(p for p in record_files(home) if p.stem == result.stdout.split()[-1])
        meta = read_record(home, path).entry.meta
        assert meta.title == value
        assert meta.tags == [value.lower()]
    result = run("diary", "add", "Text.", "--tag", "2024-01-02")
    path = next(p for p in record_files(home) if p.stem == result.stdout.split()[-1])
    assert read_record(home, path).entry.meta.tags == ["2024-01-02"]
    trap = home / "frameworks" / "trap.yaml"
    trap.write_text(framework_text("").replace("version: '1'", "version: 1.10"))
    clear_error(run("frameworks", "validate", str(trap)), trap, "quotes")
    settings = home / "settings.yaml"
    settings.write_text(settings.read_text().replace("name: Sam Rivers", "name: NO"))
    assert "NO" in run("info").stdout


# --- text ------------------------------------------------------------------------------------


def test_a_file_with_bytes_that_are_not_utf8_is_named_and_left_alone(run, home):
    good = good_entry(run)
    raw = f"---\n{ENTRY_FRONT.format(id='20261102-1000-0bad')}---\n\nCaf\xe9\n".encode("latin-1")
    path = entry_file(home, "20261102-1000-0bad", raw)
    listed = run("diary", "list", "--ids")
    assert listed.stdout.split() == [good]
    assert f"{path}:12" in listed.stderr
    assert "not valid UTF-8" in listed.stderr
    clear_error(run("diary", "show", "20261102-1000-0bad"), path, "UTF-8")
    clear_error(run("diary", "edit", "20261102-1000-0bad", "--add-tag", "x"), path)
    assert path.read_bytes() == raw


@pytest.mark.parametrize(
    "variant", ["bom", "crlf", "lone-cr-in-body", "dashes-in-body", "second-front-matter"]
)
def test_awkward_but_valid_files_read_and_survive_an_edit(run, home, variant):
    entry_id = "20261102-1000-abcd"
    front = ENTRY_FRONT.format(id=entry_id)
    body = "First line.\n\n---\n\nAfter a rule.\n"
    text = f"---\n{front}---\n\n{body}"
    if variant == "bom":
        raw = b"\xef\xbb\xbf" + text.encode()
    elif variant == "crlf":
        raw = text.replace("\n", "\r\n").encode()
    elif variant == "lone-cr-in-body":
        raw = text.replace("First line.\n", "First line.\rSecond.\n").encode()
    elif variant == "dashes-in-body":
        raw = text.encode()
    else:
        raw = (text + "---\nnot: front matter\n---\nMore.\n").encode()
    path = entry_file(home, entry_id, raw)
    shown = run("diary", "show", entry_id, "--raw")
    assert shown.exit_code == 0, shown.stderr
    assert "After a rule." in shown.stdout
    edited = run("diary", "edit", entry_id, "--add-tag", "kept")
    assert edited.exit_code == 0, edited.stderr
    entry = read_record(home, path).entry
    assert "kept" in entry.meta.tags
    assert "First line." in entry.preamble
    assert "---\n\nAfter a rule." in entry.preamble
    if variant == "second-front-matter":
        assert "---\nnot: front matter\n---\nMore." in entry.preamble
    if variant == "lone-cr-in-body":
        assert "First line.\nSecond." in entry.preamble


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("front matter is a list", b"---\n- one\n- two\n---\nBody\n"),
        ("text before the front matter", b"Dear diary\n---\ntitle: x\n---\nBody\n"),
        ("no closing line", b"---\ntitle: x\nBody\n"),
        ("NUL byte", b"---\ntitle: x\n---\nBo\x00dy\n"),
        ("empty front matter", b"---\n---\nBody\n"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_broken_entry_files_are_named_and_never_touched(run, home, name, raw):
    good = good_entry(run)
    path = entry_file(home, "20261102-1000-dead", raw)
    listed = run("diary", "list", "--ids")
    assert listed.exit_code == 0
    assert listed.stdout.split() == [good]
    assert str(path) in listed.stderr
    clear_error(run("diary", "show", "20261102-1000-dead"), path)
    clear_error(run("diary", "edit", "20261102-1000-dead", "--add-tag", "x"), path)
    assert path.read_bytes() == raw


@pytest.mark.parametrize(
    ("label", "typed", "stored"),
    [
        ("NUL", "Before\x00after the NUL.", "Before\ufffdafter the NUL."),
        ("lone CR", "One line\rand the next.", "One line\nand the next."),
        ("CRLF", "One line\r\nand the next.", "One line\nand the next."),
        ("BOM", "\ufeffStarts with a BOM.", "\ufeffStarts with a BOM."),
        ("rule", "Above\n---\nBelow", "Above\n---\nBelow"),
    ],
)
def test_typed_text_is_stored_safely(run, home, label, typed, stored):
    result = run("diary", "add", "--title", f"Typed {label}", input=typed)
    assert result.exit_code == 0, result.stderr
    [path] = record_files(home)
    entry = read_record(home, path).entry
    assert entry.preamble == stored
    assert run("diary", "list", "--ids").stdout.split() == [entry.id]


def test_a_right_to_left_override_in_a_title_is_stored_exactly(run, home):
    title = "Walk \u202eslaed\u202c home"
    result = run("diary", "add", "We walked.", "--title", title)
    assert result.exit_code == 0, result.stderr
    [path] = record_files(home)
    assert read_record(home, path).entry.meta.title == title
    assert run("diary", "list").exit_code == 0


def pipe_bytes(args: list[str], data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "peerjournal", *args],
        input=data,
        capture_output=True,
        timeout=60,
    )


def test_piped_bytes_that_are_not_utf8_keep_the_rest_of_the_text(home):
    done = pipe_bytes(["diary", "add", "--title", "Piped"], b"Caf\xe9 with Jo, \xff then home.\n")
    assert done.returncode == 0, done.stderr.decode()
    [path] = record_files(home)
    assert read_record(home, path).entry.preamble == "Caf\ufffd with Jo, \ufffd then home."


def test_piped_bytes_that_are_not_utf8_without_a_title(home):
    done = pipe_bytes(["diary", "add"], b"Caf\xe9 with Jo.\n")
    assert done.returncode == 0, done.stderr.decode()


# --- paths -----------------------------------------------------------------------------------

BAD_IDS = ["../x", "/etc/passwd", "a/b", "a\\b", ".", "..", "x\x00y", "CON", "nul.txt", "é" * 300]


@pytest.mark.parametrize("bad", BAD_IDS, ids=lambda bad: repr(bad)[:12])
def test_ids_that_are_paths_or_reserved_names_are_refused(run, home, bad):
    good_entry(run)
    before = snapshot(home)
    for command in (
        ("diary", "show", bad),
        ("diary", "edit", bad, "--add-tag", "x"),
        ("diary", "delete", bad, "--yes"),
        ("diary", "restore", bad),
        ("assess", "show", bad),
        ("supervision", "show", bad),
        ("frameworks", "new", bad),
    ):
        result = run(*command)
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert len(problem_lines(result.stderr)) == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr
    after = snapshot(home)
    after.pop(".lock"), before.pop(".lock")  # 'restore' takes the lock before looking
    assert after == before
    assert not (home.parent / "x").exists()


def test_a_journal_file_that_links_outside_the_home_is_not_written_through(run, home, tmp_path):
    from peerjournal.errors import RecordError, StorageError
    from peerjournal.store.atomic import write_atomic
    from peerjournal.store.entries import EntryStore
    from peerjournal.store.layout import DataHome

    entry_id = good_entry(run)
    [path] = record_files(home)
    outside = tmp_path / "outside.md"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    result = run("diary", "edit", entry_id, "--add-tag", "x")
    assert result.exit_code != 0
    assert len(problem_lines(result.stderr)) == 1
    assert "Traceback" not in result.stderr
    store = EntryStore(DataHome(home))
    assert store.files() == []  # skipped, never opened
    with pytest.raises(RecordError, match="symbolic link"):
        store.read(path)
    with pytest.raises(StorageError, match="symbolic link"):
        write_atomic(path, "replaced\n")
    assert path.is_symlink()
    assert outside.read_bytes() == before


def test_a_read_only_home_gives_a_clear_error_and_reading_still_works(run, home, monkeypatch):
    entry_id = good_entry(run)
    before = snapshot(home)
    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def read_only_open(path, flags, *args, **kwargs):
        if flags & writing and str(Path(os.fspath(path)).absolute()).startswith(str(home)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", read_only_open)
        for command in (
            ("diary", "add", "Typed on a read-only disk."),
            ("diary", "edit", entry_id, "--add-tag", "x"),
            ("frameworks", "new", "team-north"),
        ):
            result = run(*command)
            assert result.exit_code != 0, command
            [line] = problem_lines(result.stderr)
            assert "read-only" in line
            assert "Traceback" not in result.stderr
        listed = run("diary", "list", "--ids")
        shown = run("diary", "show", entry_id)
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.split() == [entry_id]
    assert shown.exit_code == 0, shown.stderr
    assert snapshot(home) == before


def test_a_home_made_read_only_with_chmod(run, home):
    home.chmod(0o500)
    try:
        if os.access(home, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes (the test above patches)")
        result = run("diary", "add", "Typed on a read-only home.")
        assert result.exit_code != 0
        assert "Traceback" not in result.stderr
    finally:
        home.chmod(0o700)


# --- schema versions (C20) -------------------------------------------------------------------


def test_an_entry_from_a_newer_peerjournal_can_be_shown_but_not_edited(run, home, fake_editor):
    entry_id = "20261102-1000-9999"
    raw = (
        f"---\n{ENTRY_FRONT.format(id=entry_id).replace('schema: 1', 'schema: 99')}"
        "future_field: kept as it is\n---\n\nWritten by a future version.\n"
    )
    path = entry_file(home, entry_id, raw)
    shown = run("diary", "show", entry_id)
    assert shown.exit_code == 0, shown.stderr
    assert "Written by a future version." in shown.stdout
    assert entry_id in run("diary", "list", "--ids").stdout
    before = snapshot(home)
    fake_editor({"replace": ["Written by", "Rewritten by"]})
    for command in (("diary", "edit", entry_id, "--add-tag", "x"), ("diary", "edit", entry_id)):
        result = run(*command, input="n\n")
        message = clear_error(result, path, "newer peerjournal")
        assert "schema 99" in message
    assert path.read_text() == raw
    after = snapshot(home)
    changed = {name for name in after if after[name] != before.get(name)} - {".lock"}
    # the editor opens before the refusal (the lead may move the check earlier): what was
    # typed is kept, never dropped
    assert all(name.startswith(".recovery/") for name in changed), changed
    assert all("Rewritten by" in (home / name).read_text() for name in changed)
