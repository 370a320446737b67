"""One writer at a time; a waiting writer gives up with a message; a dead holder blocks no one."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from peerjournal.errors import StorageError
from peerjournal.store.lock import home_lock

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from peerjournal.store.lock import home_lock
    with home_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(60)
    """
)


@pytest.fixture
def holder(tmp_path):
    lock_file = tmp_path / ".lock"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_file)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield lock_file, process
    process.kill()
    process.wait()
    process.stdout.close()


def test_a_held_lock_makes_a_writer_give_up_naming_the_lock_and_holder(holder):
    lock_file, process = holder
    with pytest.raises(StorageError) as caught, home_lock(lock_file, timeout=0.3):
        pass
    message = str(caught.value)
    assert str(lock_file) in message
    assert f"process {process.pid}" in message


def test_a_lock_left_by_a_killed_process_does_not_block(holder):
    lock_file, process = holder
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with home_lock(lock_file, timeout=1):
        assert lock_file.read_text().strip() == str(os.getpid())


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    lock_file = tmp_path / ".lock"
    with home_lock(lock_file, timeout=0.2), home_lock(lock_file, timeout=0.2):
        pass
    with home_lock(lock_file, timeout=0.2):
        pass


def test_lock_file_is_private(tmp_path):
    lock_file = tmp_path / "home" / ".lock"
    with home_lock(lock_file):
        pass
    assert oct(lock_file.stat().st_mode & 0o777) == "0o600"
