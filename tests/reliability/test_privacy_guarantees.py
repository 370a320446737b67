"""F31-F34: private permissions, a warning for a loose home, no diary text in error output, and
editor buffers that never outlive the command.
"""

import errno
import os
import stat
from pathlib import Path

import pytest

from helpers import leftover_temp_files, populate, problem_lines, record_files

SENTINEL = "SENTINEL-7f3a"
BODY = f"Met at the bus stop. {SENTINEL} said the week was hard."
TITLE = f"Bus stop {SENTINEL}"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_everything_created_is_private_under_a_loose_umask(
    run, isolated, tmp_path, cache_root, fake_editor, loose_umask
):
    home = isolated
    assert run("init", "--name", "Sam Rivers", "--role", "peer-worker").exit_code == 0
    ids = populate(run, home, tmp_path)
    fake_editor({"replace": ["## What happened\n", "## What happened\n\nIn the editor.\n"]})
    steps = [
        ("diary", "add", "--editor"),
        ("diary", "edit", ids["first"], "--add-tag", "edited"),
        ("diary", "delete", ids["third"], "--yes"),
        ("diary", "restore", ids["third"]),
        ("diary", "delete", ids["second"], "--yes"),
        ("assess", "delete", ids["supervisor"], "--yes"),
        ("diary", "export", "--json", "--out", str(home / "exports" / "diary.json")),
        ("report", "diary", "--out", str(home / "reports" / "diary.md"), "--format", "md"),
        ("supervision", "prep", "--out", str(home / "agendas" / "next.md")),
        ("init", "--name", "Sam R."),
    ]
    for step in steps:
        result = run(*step, input="y\n")
        assert result.exit_code == 0, (step, result.stderr)
    loose = []
    roots = [home, cache_root]  # the diary index lives in the cache folder
    assert list(cache_root.rglob("index.sqlite"))
    for root in roots:
        for path in [root, *root.rglob("*")]:
            if path.is_symlink():
                continue
            wanted = 0o700 if path.is_dir() else 0o600
            if root != home and path in (root,):
                continue  # the cache folder itself belongs to the user, not to peerjournal
            if mode(path) != wanted:
                loose.append(f"{path.relative_to(tmp_path)} {oct(mode(path))}")
    assert loose == []
    kinds = {path.relative_to(home).parts[0] for path in home.rglob("*") if path.is_file()}
    assert {"journal", "assessments", "supervision", "frameworks", ".trash"} <= kinds


@pytest.mark.parametrize(
    "command",
    [(), ("info",), ("diary", "list"), ("frameworks", "list"), ("diary", "add", "A note.")],
    ids=lambda command: " ".join(command) or "home screen",
)
def test_a_home_others_can_read_gets_a_warning_naming_it(run, home, command):
    home.chmod(0o755)
    result = run(*command)
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert any(str(home) in line and "other users" in line for line in warnings), result.stderr


def no_sentinel(*texts: str) -> None:
    for text in texts:
        assert SENTINEL not in text, text


def test_a_refused_entry_keeps_its_text_private(run, home):
    result = run("diary", "add", BODY + " Mail: someone@example.org", "--title", TITLE, "--strict")
    assert result.exit_code != 0
    no_sentinel(result.stdout, result.stderr)
    [kept] = (home / ".recovery").iterdir()
    assert SENTINEL in kept.read_text()
    assert mode(kept) == 0o600


def test_a_failed_save_says_nothing_of_the_text_and_leaves_no_copy_behind(run, home, monkeypatch):
    real_replace, real_link = os.replace, os.link

    def refuse(src, dst, **kwargs):
        if "journal" in os.fspath(dst):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return (real_link if "journal" in os.fspath(src) else real_replace)(src, dst, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "link", refuse)
        result = run("diary", "add", BODY, "--title", TITLE)
    assert result.exit_code != 0
    no_sentinel(result.stdout, result.stderr)
    assert leftover_temp_files(home) == []
    stray = [
        path
        for path in home.rglob("*")
        if path.is_file() and ".recovery" not in path.parts and SENTINEL in path.read_text()
    ]
    assert stray == []


def test_a_forced_exception_with_debug_shows_a_traceback_without_the_text(run, home, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the disk controller stopped answering")

    with monkeypatch.context() as patch:
        patch.setattr(os, "link", explode)
        result = run("--debug", "diary", "add", BODY, "--title", TITLE)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError" in result.stderr
    no_sentinel(result.stdout, result.stderr)


def test_a_validation_error_in_debug_mode_does_not_echo_its_input(run, home, monkeypatch):
    """pydantic puts input_value=... in its message; --debug must not print a diary title."""
    from peerjournal.models.entry import EntryMeta
    from peerjournal.services import diary

    def invalid(self, draft):
        return EntryMeta.model_validate({"id": "x", "date": "now", "title": [draft.title]})

    with monkeypatch.context() as patch:
        patch.setattr(diary.Diary, "prepare", invalid)
        result = run("--debug", "diary", "add", BODY, "--title", TITLE)
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert "ValidationError" in result.stderr
    no_sentinel(result.stderr, result.stdout)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("date: '", f"date: '{SENTINEL}"),
        ("tags: []", f"tags: {SENTINEL}"),
        ("title: Bus", f"title: [{SENTINEL}"),
        ("for_supervision: false", f"for_supervision: {SENTINEL}"),
    ],
    ids=["date", "tags", "unclosed", "bool"],
)
def test_validation_errors_from_the_editor_never_quote_the_text(run, home, fake_editor, old, new):
    added = run("diary", "add", BODY, "--title", TITLE)
    entry_id = added.stdout.split()[-1]
    fake_editor({"replace": [old, new]})
    result = run("diary", "edit", entry_id, input="n\n")
    assert result.exit_code != 0
    assert problem_lines(result.stderr)
    no_sentinel(result.stdout, result.stderr)


def test_a_broken_file_and_lint_never_show_the_text(run, home):
    added = run("diary", "add", BODY + " Call 555-123-4567.", "--title", TITLE, input="keep\n")
    assert added.exit_code == 0, added.stderr
    [path] = record_files(home)
    broken = path.with_name("20261102-1000-dead.md")
    broken.write_text(path.read_text().replace(f"title: {TITLE}", f'title: "{TITLE}'))
    listed = run("diary", "list")
    assert str(broken) in listed.stderr
    no_sentinel(listed.stderr)
    linted = run("diary", "lint")
    assert linted.exit_code == 1
    assert "phone" in linted.stdout
    no_sentinel(linted.stdout, linted.stderr)


# --- editor buffers ----------------------------------------------------------------------------


def editor_buffers(home: Path) -> list[Path]:
    folder = home / ".tmp"
    return sorted(folder.iterdir()) if folder.exists() else []


def assert_buffer_gone(home: Path, seen: Path) -> None:
    buffer = Path((seen / "last-buffer-path").read_text())
    assert buffer.parent == home / ".tmp"
    assert mode(buffer.parent) == 0o700
    assert not buffer.exists()
    assert editor_buffers(home) == []


def test_editor_buffer_is_private_and_removed_after_a_normal_edit(run, home, fake_editor):
    seen = fake_editor({"replace": ["## What happened\n", "## What happened\n\nFine.\n"]})
    assert run("diary", "add", "--editor").exit_code == 0
    assert_buffer_gone(home, seen)


def test_editor_buffer_is_removed_after_a_failing_editor(run, home, fake_editor):
    seen = fake_editor({"write": "{buffer}\nHalf a thought", "exit": 3})
    result = run("diary", "add", "--editor")
    assert result.exit_code != 0
    assert_buffer_gone(home, seen)


def test_editor_buffer_is_removed_after_a_parse_error(run, home, fake_editor):
    seen = fake_editor({"replace": ["---\n", "---\ntitle: [unclosed\n"]})
    result = run("diary", "add", "--editor", input="n\n")
    assert result.exit_code != 0
    assert_buffer_gone(home, seen)


def test_editor_buffer_is_removed_when_the_editor_is_missing(run, home, monkeypatch, tmp_path):
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    result = run("diary", "add", "--editor")
    assert result.exit_code != 0
    assert "cannot start the editor" in result.stderr
    assert editor_buffers(home) == []


def test_editor_buffer_is_removed_after_ctrl_c(run, home, monkeypatch):
    from peerjournal.ui import editor

    opened = []

    def interrupted(argv, **kwargs):
        opened.append(Path(argv[-1]))
        raise KeyboardInterrupt

    monkeypatch.setenv("EDITOR", "vi")
    with monkeypatch.context() as patch:
        patch.setattr(editor.subprocess, "run", interrupted)
        result = run("diary", "add", "--editor")
    assert result.exit_code != 0
    [buffer] = opened
    assert buffer.parent == home / ".tmp"
    assert not buffer.exists()
    assert editor_buffers(home) == []
