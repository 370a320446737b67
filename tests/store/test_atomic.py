"""Writes are atomic, durable and private; a failure at any step leaves the old file whole."""

import errno
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from peerjournal.errors import InputError, StorageError
from peerjournal.store import atomic
from peerjournal.store.atomic import create_exclusive, is_temp_file, write_atomic


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_and_folders_are_private_under_a_loose_umask(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "home" / "journal" / "a-month" / "entry.md"
        write_atomic(target, "hello")
    finally:
        os.umask(old)
    assert target.read_text() == "hello"
    assert mode(target) == 0o600
    for folder in (tmp_path / "home", tmp_path / "home" / "journal", target.parent):
        assert mode(folder) == 0o700


def test_replacing_keeps_no_temp_file(tmp_path):
    target = tmp_path / "a.md"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_a_failing_step_leaves_the_old_file_byte_identical(tmp_path, monkeypatch, failing, code):
    target = tmp_path / "a.md"
    write_atomic(target, "the old text\n")
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, failing, boom)
    if failing == "replace":
        monkeypatch.setattr(atomic.time, "sleep", lambda _: None)
    with pytest.raises(StorageError) as caught:
        write_atomic(target, "the new text\n")
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
    expected = "the disk is full" if code == errno.ENOSPC else "permission denied"
    assert expected in str(caught.value)
    assert "previous version is untouched" in str(caught.value)


def test_fsync_of_file_before_replace_and_of_folder_after(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def spy_fsync(fd):
        kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        calls.append(f"fsync-{kind}")
        real_fsync(fd)

    def spy_replace(src, dst):
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", spy_fsync)
    monkeypatch.setattr(atomic.os, "replace", spy_replace)
    write_atomic(tmp_path / "a.md", "x")
    assert calls == ["fsync-file", "replace", "fsync-dir"]


def test_transient_permission_error_on_replace_is_retried(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    real_replace = os.replace
    failures = [PermissionError(errno.EACCES, "busy")] * 2

    def flaky(src, dst):
        if failures:
            raise failures.pop()
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", flaky)
    monkeypatch.setattr(atomic.time, "sleep", lambda _: None)
    write_atomic(target, "saved")
    assert target.read_text() == "saved"


def test_text_that_cannot_be_encoded_never_touches_the_file(tmp_path):
    target = tmp_path / "a.md"
    write_atomic(target, "old")
    with pytest.raises(InputError):
        write_atomic(target, "broken \udcc3 surrogate")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_symlinked_record_is_not_replaced_by_a_file(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("elsewhere")
    link = tmp_path / "home" / "a.md"
    link.parent.mkdir()
    link.symlink_to(outside)
    with pytest.raises(StorageError, match="symbolic link"):
        write_atomic(link, "new")
    assert link.is_symlink()
    assert outside.read_text() == "elsewhere"


def test_create_exclusive_never_overwrites(tmp_path):
    target = tmp_path / "new.md"
    assert create_exclusive(target, "first") is True
    assert create_exclusive(target, "second") is False
    assert target.read_text() == "first"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["new.md"]


def test_a_write_killed_between_temp_file_and_replace_leaves_the_old_file(tmp_path):
    target = tmp_path / "entry.md"
    write_atomic(target, "old and whole\n")
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from peerjournal.store import atomic
        def die(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        atomic.os.replace = die
        atomic.write_atomic(Path({str(target)!r}), "new text that never lands\\n")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == -9
    assert target.read_text() == "old and whole\n"
    leftovers = [p for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1
    assert is_temp_file(leftovers[0])
    assert mode(leftovers[0]) == 0o600
