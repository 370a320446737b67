"""The key agent keeps keys for a home, answers only its user, and leaves no process behind."""

import base64
import json
import math
import os
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from peerjournal.errors import InputError, StorageError
from peerjournal.store.agent import (
    ask_agent,
    check_minutes,
    runtime_root,
    socket_path,
    start_agent,
    stop_agent,
)

HOME = "0123456789abcdef"
OTHER_HOME = "fedcba9876543210"
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc and SO_PEERCRED")


def some_keys(count=2):
    keys = {os.urandom(8).hex(): os.urandom(32) for _ in range(count)}
    return keys, next(iter(keys))


@pytest.fixture
def root():
    """A short folder for sockets (tmp_path can pass the AF_UNIX limit); no agent outlives it."""
    base = Path(tempfile.mkdtemp(prefix="pja", dir="/tmp"))
    folder = base / "run"
    yield folder
    for home in (HOME, OTHER_HOME):
        path = folder / f"agent-{home}.sock"
        pid = agent_pid(path)
        stop_agent(folder, home)
        if pid is not None and not wait_until(lambda pid=pid: exited(pid)):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(base)


def agent_pid(path):
    """The pid of the agent answering on ``path``, or None (SO_PEERCRED would give the pid that
    called listen(): the forked parent, long gone)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(2)
        try:
            client.connect(str(path))
            client.sendall(b"ping\n")
            client.shutdown(socket.SHUT_WR)
            reply = client.makefile("rb").read()
        except OSError:
            return None
    return json.loads(reply)["pid"]


def exited(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state in {"Z", "X"}  # a zombie has exited; only its parent (init) can reap it


def wait_until(condition, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def mode(path):
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_agent_gives_back_the_keys_it_was_started_with(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    assert ask_agent(root, HOME) == (keys, current)
    assert ask_agent(root, HOME) == (keys, current)


def test_a_second_start_replaces_the_keys_of_the_running_agent(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    pid = agent_pid(socket_path(root, HOME))
    new_keys, new_current = some_keys(3)
    start_agent(root, HOME, new_keys, new_current, 2)
    assert ask_agent(root, HOME) == (new_keys, new_current)
    assert agent_pid(socket_path(root, HOME)) == pid  # the same agent, not a second one


@linux_only
def test_lock_stops_the_agent_and_removes_its_socket(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    path = socket_path(root, HOME)
    pid = agent_pid(path)
    assert stop_agent(root, HOME) is True
    assert ask_agent(root, HOME) is None
    assert not path.exists()
    assert wait_until(lambda: exited(pid))
    assert stop_agent(root, HOME) is False


def test_nothing_running_is_none_and_not_an_error(root):
    assert ask_agent(root, HOME) is None
    assert stop_agent(root, HOME) is False
    assert not root.exists()


@linux_only
def test_an_idle_agent_forgets_the_keys_and_exits(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 0.02)  # 1.2 s
    path = socket_path(root, HOME)
    pid = agent_pid(path)
    # poll the file, not the agent: every get would reset its idle timer
    assert wait_until(lambda: not path.exists())
    assert wait_until(lambda: exited(pid))
    assert ask_agent(root, HOME) is None


def test_the_socket_is_0600_in_a_0700_folder_whatever_the_umask(root):
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    old = os.umask(0o022)
    try:
        keys, current = some_keys()
        start_agent(root, HOME, keys, current, 1)
    finally:
        os.umask(old)
    path = socket_path(root, HOME)
    assert stat.S_ISSOCK(path.lstat().st_mode)
    assert mode(path) == 0o600
    assert mode(root) == 0o700


def test_a_stale_socket_file_is_removed_and_means_not_running(root):
    root.mkdir(mode=0o700)
    path = socket_path(root, HOME)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(str(path))  # bound, never listening, then closed: what a killed agent leaves
    assert path.exists()
    assert ask_agent(root, HOME) is None
    assert not path.exists()
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)  # and a new agent starts over it
    assert ask_agent(root, HOME) == (keys, current)


def test_a_garbled_reply_means_not_running(root):
    root.mkdir(mode=0o700)
    path = socket_path(root, HOME)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as fake:
        fake.bind(str(path))
        fake.listen(1)

        def answer_nonsense():
            connection, _ = fake.accept()
            with connection:
                connection.sendall(b'{"current": "aa", "keys": {"aa": "not base64!"}}\n')

        thread = threading.Thread(target=answer_nonsense)
        thread.start()
        assert ask_agent(root, HOME) is None
        thread.join(5)


def test_a_symlinked_folder_is_refused(root, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    root.symlink_to(target)
    keys, current = some_keys()
    with pytest.raises(StorageError, match="symbolic link"):
        start_agent(root, HOME, keys, current, 1)
    assert list(target.iterdir()) == []


@pytest.mark.parametrize("home_id", ["", "0123", "0123456789ABCDEF", "0123456789abcdeg", "../x"])
def test_a_bad_home_id_is_refused(root, home_id):
    keys, current = some_keys()
    with pytest.raises(InputError, match="home id"):
        socket_path(root, home_id)
    with pytest.raises(InputError):
        start_agent(root, home_id, keys, current, 1)
    with pytest.raises(InputError):
        ask_agent(root, home_id)
    with pytest.raises(InputError):
        stop_agent(root, home_id)


def test_a_socket_path_too_long_for_af_unix_is_refused():
    with pytest.raises(StorageError, match="longer than"):
        socket_path(Path("/tmp") / ("x" * 100), HOME)


@pytest.mark.parametrize("minutes", [0, -1, 24 * 60 + 0.5, math.nan, math.inf])
def test_minutes_out_of_range_are_refused(root, minutes):
    keys, current = some_keys()
    with pytest.raises(InputError, match="--minutes must be between"):
        start_agent(root, HOME, keys, current, minutes)
    assert not root.exists()


def test_minutes_in_range_are_accepted():
    assert check_minutes(0.02) == 0.02
    assert check_minutes(24 * 60) == 24 * 60


def test_two_homes_have_independent_agents(root):
    keys, current = some_keys()
    other_keys, other_current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    start_agent(root, OTHER_HOME, other_keys, other_current, 1)
    assert ask_agent(root, HOME) == (keys, current)
    assert ask_agent(root, OTHER_HOME) == (other_keys, other_current)
    assert stop_agent(root, HOME) is True
    assert ask_agent(root, HOME) is None
    assert ask_agent(root, OTHER_HOME) == (other_keys, other_current)


@linux_only
def test_the_keys_are_not_in_the_agents_command_line_or_environment(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    pid = agent_pid(socket_path(root, HOME))
    exposed = Path(f"/proc/{pid}/cmdline").read_bytes() + Path(f"/proc/{pid}/environ").read_bytes()
    for key in keys.values():
        for form in (key, base64.b64encode(key), key.hex().encode()):
            assert form not in exposed


@linux_only
def test_the_agent_detaches_from_the_terminal_and_the_callers_folder(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    pid = agent_pid(socket_path(root, HOME))
    assert os.getsid(pid) != os.getsid(0)
    assert Path(f"/proc/{pid}/cwd").resolve() == Path("/")
    for fd in (0, 1, 2):
        assert Path(f"/proc/{pid}/fd/{fd}").resolve() == Path(os.devnull)


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_stops_the_agent_and_removes_its_socket(root, signum):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    path = socket_path(root, HOME)
    pid = agent_pid(path)
    os.kill(pid, signum)
    assert wait_until(lambda: exited(pid))
    assert not path.exists()
    assert ask_agent(root, HOME) is None


@linux_only
def test_an_agent_whose_socket_file_is_deleted_exits(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    path = socket_path(root, HOME)
    pid = agent_pid(path)
    path.unlink()
    assert wait_until(lambda: exited(pid))


def test_the_runtime_root_is_the_private_xdg_runtime_dir(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    runtime.chmod(0o700)
    cache = tmp_path / "cache"
    assert runtime_root({"XDG_RUNTIME_DIR": str(runtime)}, cache) == runtime / "peerjournal"
    assert runtime_root({}, cache) == cache / "run"
    assert runtime_root({"XDG_RUNTIME_DIR": str(tmp_path / "none")}, cache) == cache / "run"
    assert runtime_root({"XDG_RUNTIME_DIR": "relative"}, cache) == cache / "run"
    runtime.chmod(0o755)
    assert runtime_root({"XDG_RUNTIME_DIR": str(runtime)}, cache) == cache / "run"


@linux_only
@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to be another user"
)
def test_the_agent_refuses_another_user_even_when_the_file_lets_them_in(root):
    keys, current = some_keys()
    start_agent(root, HOME, keys, current, 1)
    path = socket_path(root, HOME)
    for folder in (root.parent, root):  # open the way on purpose: SO_PEERCRED is what remains
        folder.chmod(0o755)
    path.chmod(0o666)
    read_end, write_end = os.pipe()
    child = os.fork()  # not a new interpreter: nobody may not reach this one's executable
    if child == 0:
        status = 1
        try:
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(5)
                client.connect(str(path))
                try:
                    client.sendall(b"get\n")
                    client.shutdown(socket.SHUT_WR)
                    reply = client.recv(65536)
                except ConnectionResetError:  # closed with our request unread
                    reply = b""
                os.write(write_end, b"reply:" + reply)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        seen = pipe.read()
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert seen == b"reply:"  # connected, and got nothing back
    assert ask_agent(root, HOME) == (keys, current)
