"""A2-A3: when the disk refuses a save, the old file stays byte-identical and nothing typed is lost.

The disk's refusal is injected by patching ``os.replace`` (with ``os.link``, the other way a
file is put in place), ``os.fsync`` and ``os.write`` to raise ENOSPC or EACCES. The main matrix
makes the data home refuse writes everywhere except ``.recovery/`` (as when the record's folder
is read-only or its quota is used up), so the recovery promise can be checked; a second test
makes every write fail, where the text must still not be dropped silently.
"""

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from helpers import leftover_temp_files, problem_lines, record_files, snapshot

DATA = Path(__file__).parents[1] / "data" / "frameworks"
TYPED = "We sat on the steps and talked about the move."
EDITED = "After the edit: a plan for the first week."

FAILING = {
    "replace": ("replace", "link"),
    "fsync": ("fsync",),
    "write": ("write",),
}
CODES = {"ENOSPC": errno.ENOSPC, "EACCES": errno.EACCES}
MESSAGES = {errno.ENOSPC: "the disk is full", errno.EACCES: "permission denied"}


def inject(monkeypatch, home: Path, failing: str, code: int, *, everywhere: bool = False) -> None:
    """Make the chosen os calls fail inside the home (except .recovery, unless everywhere)."""
    fd_paths: dict[int, str] = {}
    real_open, real_close = os.open, os.close

    def refused(path) -> bool:
        text = str(Path(os.fspath(path)).absolute())
        inside = text.startswith(str(home) + os.sep)
        spared = text.startswith(str(home / ".recovery")) or text == str(home / ".lock")
        return everywhere or (inside and not spared)

    def tracking_open(path, flags, mode=0o777, *, dir_fd=None):
        fd = real_open(path, flags, mode, dir_fd=dir_fd)
        fd_paths[fd] = os.fspath(path)
        return fd

    def tracking_close(fd):
        fd_paths.pop(fd, None)
        real_close(fd)

    def fail():
        raise OSError(code, os.strerror(code))

    originals = {name: getattr(os, name) for names in FAILING.values() for name in names}
    wrappers = {
        "replace": lambda src, dst, **kw: (
            fail() if refused(dst) else originals["replace"](src, dst, **kw)
        ),
        "link": lambda src, dst, **kw: (
            fail() if refused(dst) else originals["link"](src, dst, **kw)
        ),
        "fsync": lambda fd: fail() if refused(fd_paths.get(fd, "/")) else originals["fsync"](fd),
        "write": lambda fd, data: (
            fail() if refused(fd_paths.get(fd, "/")) else originals["write"](fd, data)
        ),
    }
    monkeypatch.setattr(os, "open", tracking_open)
    monkeypatch.setattr(os, "close", tracking_close)
    for name in FAILING[failing]:
        monkeypatch.setattr(os, name, wrappers[name])
    monkeypatch.setattr("time.sleep", lambda _: None)  # the replace retries need not wait


@pytest.fixture
def setup(run, home, tmp_path, fake_editor):
    """A home with an entry, a framework, an answers file and a session file."""
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    result = run("diary", "add", "A first entry about the garden.", "--title", "Garden")
    assert result.exit_code == 0, result.stderr
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 3\nw.2: 2\nf.1: na\n")
    session = tmp_path / "session.yaml"
    session.write_text("date: 2 days ago\nminutes: 30\nwellbeing: Tired but fine.\n")
    return {"entry": result.stdout.split()[-1], "a": str(answers), "session": session}


COMMANDS = {
    "diary add": lambda s: ["diary", "add", TYPED, "--title", "Steps"],
    "diary edit (editor)": lambda s: ["diary", "edit", s["entry"]],
    "diary edit --add-tag": lambda s: ["diary", "edit", s["entry"], "--add-tag", "garden"],
    "assess start --answers": lambda s: ["assess", "start", "harbour-values", "--answers", s["a"]],
    "supervision new --from": lambda s: ["supervision", "new", "--from", str(s["session"])],
    "init (settings)": lambda s: ["init", "--name", "Sam R."],
    "frameworks new": lambda s: ["frameworks", "new", "team-north"],
}
KEEPS_TYPED_TEXT = {"diary add": TYPED, "diary edit (editor)": EDITED}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("failing", sorted(FAILING))
def test_a_refused_save_changes_nothing_and_keeps_what_was_typed(
    run, home, setup, fake_editor, monkeypatch, command, code, failing
):
    fake_editor({"replace": ["A first entry about the garden.", EDITED]})
    before = snapshot(home)
    with monkeypatch.context() as patch:
        inject(patch, home, failing, CODES[code])
        result = run(*COMMANDS[command](setup))

    assert result.exit_code != 0, result.stdout
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    [line] = problem_lines(result.stderr)
    assert MESSAGES[CODES[code]] in line
    assert leftover_temp_files(home) == []
    after = snapshot(home)
    for name, (raw, _) in before.items():
        if name != ".lock":  # the lock file holds the last holder's pid
            assert after[name][0] == raw, f"{name} changed"
    new = sorted(set(after) - set(before))
    assert all(name.startswith(".recovery/") for name in new), new
    if command in KEEPS_TYPED_TEXT:
        [kept] = [home / name for name in new]
        assert KEEPS_TYPED_TEXT[command] in kept.read_text()
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert f"kept in {kept}" in result.stderr
    if command.startswith("assess"):
        assert not [p for p in record_files(home) if p.suffix == ".json"]


@pytest.mark.parametrize("failing", sorted(FAILING))
def test_when_every_write_fails_the_typed_text_is_still_not_dropped(
    run, home, setup, monkeypatch, failing
):
    before = snapshot(home)
    with monkeypatch.context() as patch:
        inject(patch, home, failing, errno.ENOSPC, everywhere=True)
        result = run("diary", "add", TYPED, "--title", "Steps")

    assert result.exit_code != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert leftover_temp_files(home) == []
    kept = [home / name for name in set(snapshot(home)) - set(before)]
    assert TYPED in result.stdout or any(TYPED in path.read_text() for path in kept)


def test_a_directory_sync_refused_after_the_rename_is_reported_truthfully(
    run, home, setup, monkeypatch
):
    """The new file is already in place: the message must not say the old one is untouched."""
    real_fsync = os.fsync

    def fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", fsync)
        result = run("diary", "edit", setup["entry"], "--add-tag", "garden")
    [line] = problem_lines(result.stderr)
    assert "previous version is untouched" not in line
    assert "saved, but the disk did not confirm it" in line
    shown = run("diary", "show", setup["entry"], "--raw")
    assert "garden" in shown.stdout, shown.stderr
