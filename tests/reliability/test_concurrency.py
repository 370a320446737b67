"""B9-B12: processes writing at once lose nothing, and a held lock is a clear, bounded wait."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import leftover_temp_files, problem_lines, read_record, record_files, snapshot

DATA = Path(__file__).parents[1] / "data" / "frameworks"

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from peerjournal.cli import app
    count, tag, go = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    for number in range(count):
        argv = ["diary", "add", f"Entry {number} from {tag}: a talk on the bench.", "--tag", tag]
        try:
            app(argv, prog_name="peerjournal")
        except SystemExit as stop:
            if stop.code:
                sys.exit(f"{tag}: add {number} failed with status {stop.code}")
    """
)

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from peerjournal.store.lock import home_lock
    with home_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(120)
    """
)

# An $EDITOR that adds a line to the buffer, says it has the file open, and waits to be released.
SLOW_EDITOR = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    buffer = Path(sys.argv[1])
    text = buffer.read_text(encoding="utf-8")
    text = text.rstrip("\\n") + "\\n\\n" + os.environ["PJ_LINE"] + "\\n"
    buffer.write_text(text, encoding="utf-8")
    Path(os.environ["PJ_OPENED"]).write_text("open")
    release = Path(os.environ["PJ_RELEASE"])
    while not release.exists():
        time.sleep(0.01)
    """
)


_started: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test():
    yield
    while _started:
        process = _started.pop()
        if process.poll() is None:
            process.kill()
        process.communicate()


def peerjournal(*args: str, **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "peerjournal", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )
    _started.append(process)
    return process


def warm_index(run) -> None:
    """Bring the diary index up to date first; see the index race test at the end."""
    assert run("diary", "list").exit_code == 0


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def add_entry(run, text="A quiet afternoon at the drop-in.") -> str:
    result = run("diary", "add", text, "--title", "Drop-in")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def two_writers_add(home: Path, tmp_path: Path, count: int) -> None:
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(count), tag, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("writer-a", "writer-b")
    ]
    _started.extend(writers)
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready"
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
    files = [path for path in record_files(home) if path.relative_to(home).parts[0] == "journal"]
    assert len(files) == 2 * count
    entries = [read_record(home, path).entry for path in files]
    assert len({entry.id for entry in entries}) == 2 * count
    texts = {(entry.meta.tags[0], entry.preamble) for entry in entries}
    expected = {
        (tag, f"Entry {number} from {tag}: a talk on the bench.")
        for tag in ("writer-a", "writer-b")
        for number in range(count)
    }
    assert texts == expected
    assert leftover_temp_files(home) == []


def test_two_processes_adding_entries_at_once_keep_every_one(home, run, tmp_path):
    add_entry(run)  # the one-time shell-history notice is behind us
    (home / "journal").mkdir(exist_ok=True)
    for path in record_files(home):
        path.unlink()
    two_writers_add(home, tmp_path, count=40)


@pytest.mark.slow
def test_two_processes_adding_two_hundred_entries_each_keep_all_four_hundred(home, run, tmp_path):
    add_entry(run)
    for path in record_files(home):
        path.unlink()
    two_writers_add(home, tmp_path, count=200)
    print("\nconcurrent adds: 2 writers x 200 entries -> 400 distinct, parseable entries")  # noqa: T201


def read_stderr_until(process: subprocess.Popen, marker: str) -> str:
    seen = []
    while True:
        line = process.stderr.readline()
        assert line, f"the process ended before saying {marker!r}: {''.join(seen)}"
        seen.append(line)
        if marker in line:
            return "".join(seen)


def test_two_processes_answering_one_draft_lose_no_answer(home, run):
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    started = run("assess", "start", "harbour-values", input="q\n")
    assert started.exit_code == 0, started.stderr
    [draft] = [path for path in record_files(home) if path.suffix == ".json"]
    warm_index(run)
    first = peerjournal("assess", "resume", draft.stem, stdin=subprocess.PIPE)
    second = peerjournal("assess", "resume", draft.stem, stdin=subprocess.PIPE)
    for process in (first, second):  # both have read the draft before either answers
        read_stderr_until(process, "Resuming assessment")
    _, err_first = first.communicate("3\nGreeted a newcomer by name.\nq\n", timeout=60)
    assert first.returncode == 0, err_first
    _, err_second = second.communicate("1\nForgot to follow up.\nq\n", timeout=60)

    saved = read_record(home, draft).assessment
    assert saved.responses["w.1"].rating == 3
    assert saved.responses["w.1"].note == "Greeted a newcomer by name."
    assert second.returncode != 0, err_second
    # piped answers are not echoed, so the error follows the last prompt on its line
    [line] = [
        text[text.index("peerjournal: ") :]
        for text in err_second.splitlines()
        if "peerjournal: " in text
    ]
    assert str(draft) in line
    assert "changed by another command" in line
    [copy] = (home / ".recovery").glob(f"{draft.stem}.conflict-*.json")
    assert str(copy) in line
    kept = json.loads(copy.read_text())
    assert kept["responses"]["w.1"]["rating"] == 1
    assert kept["responses"]["w.1"]["note"] == "Forgot to follow up."
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert "Traceback" not in err_second


@pytest.fixture
def slow_editor(tmp_path):
    script = tmp_path / "slow_editor.py"
    script.write_text(SLOW_EDITOR)
    return f"{sys.executable} {script}"


def start_editing(command: list[str], editor: str, tmp_path: Path, name: str, line: str):
    env = {
        **os.environ,
        "EDITOR": editor,
        "PJ_LINE": line,
        "PJ_OPENED": str(tmp_path / f"{name}.opened"),
        "PJ_RELEASE": str(tmp_path / f"{name}.release"),
    }
    return peerjournal(*command, env=env)


@pytest.mark.parametrize("kind", ["supervision", "diary"])
def test_two_processes_editing_one_record_keep_both_texts(home, run, tmp_path, slow_editor, kind):
    if kind == "supervision":
        session = tmp_path / "session.yaml"
        session.write_text("date: 2 days ago\nminutes: 45\nwellbeing: Steady.\n")
        result = run("supervision", "new", "--from", str(session))
        assert result.exit_code == 0, result.stderr
        record_id = result.stdout.split()[3]
    else:
        record_id = add_entry(run)
    [path] = [p for p in record_files(home) if p.stem == record_id]
    warm_index(run)
    first_line, second_line = "Rowan's note: we agreed a plan.", "Sam's note: I felt heard."
    first = start_editing([kind, "edit", record_id], slow_editor, tmp_path, "a", first_line)
    second = start_editing([kind, "edit", record_id], slow_editor, tmp_path, "b", second_line)
    wait_for(tmp_path / "a.opened", first)
    wait_for(tmp_path / "b.opened", second)
    (tmp_path / "a.release").touch()
    _, err_first = first.communicate(timeout=60)
    assert first.returncode == 0, err_first
    (tmp_path / "b.release").touch()
    _, err_second = second.communicate(timeout=60)

    assert first_line in path.read_text()
    assert second_line not in path.read_text()
    assert second.returncode != 0
    [line] = problem_lines(err_second)
    assert "changed by another command" in line
    copies = list((home / ".recovery").glob(f"{record_id}.conflict-*.md"))
    assert [copy for copy in copies if second_line in copy.read_text()], err_second
    assert "Traceback" not in err_second


@pytest.fixture
def hold_lock(home):
    """Start a process that holds the home's lock; it is killed at the end of the test."""
    started = []

    def start() -> tuple[Path, subprocess.Popen]:
        lock_file = home / ".lock"
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(lock_file)], stdout=subprocess.PIPE, text=True
        )
        started.append(process)
        assert process.stdout.readline().strip() == "held"
        return lock_file, process

    yield start
    for process in started:
        process.kill()
        process.wait()
        process.stdout.close()


def test_a_held_lock_makes_writers_give_up_in_bounded_time_changing_nothing(home, run, hold_lock):
    entry_id = add_entry(run)
    warm_index(run)
    lock_file, process = hold_lock()
    before = snapshot(home)
    started = time.monotonic()
    editing = peerjournal("diary", "edit", entry_id, "--add-tag", "late")
    adding = peerjournal("diary", "add", "Typed while locked out.")  # both wait at once
    _, edit_err = editing.communicate(timeout=60)
    waited = time.monotonic() - started
    _, add_err = adding.communicate(timeout=60)

    assert editing.returncode != 0
    assert waited < 10, f"waited {waited:.1f} s for the lock"
    assert len(problem_lines(edit_err)) == 1, edit_err
    [line] = problem_lines(edit_err)
    assert str(lock_file) in line
    assert f"process {process.pid}" in line
    assert "Traceback" not in edit_err + add_err

    assert adding.returncode != 0
    [line] = problem_lines(add_err)
    assert f"process {process.pid}" in line
    changed = {name for name, value in snapshot(home).items() if before.get(name) != value}
    assert all(name.startswith(".recovery/") for name in changed), changed
    [kept] = [home / name for name in changed]
    assert str(kept) in add_err
    assert "Typed while locked out." in kept.read_text()

    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after_kill = run("diary", "edit", entry_id, "--add-tag", "late")
    assert after_kill.exit_code == 0, after_kill.stderr
    [path] = [p for p in record_files(home) if p.stem == entry_id]
    assert "late" in read_record(home, path).entry.meta.tags


def test_two_commands_refreshing_the_diary_index_at_once_both_succeed(run, home, cache_root):
    """Deterministic form of a race seen with two `diary edit` processes started together."""
    from peerjournal.store.index import Index, index_path
    from peerjournal.store.layout import DataHome

    add_entry(run)
    data_home = DataHome(home)
    path = index_path(data_home, cache_root)
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    first, second = Index(data_home, path), Index(data_home, path)
    first.connect()
    real = second.connect()

    class Interleaved:
        """The second process's connection: the first commits just before it begins."""

        def execute(self, sql, *args):
            if sql.startswith("BEGIN"):
                first.refresh()
            return real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real, name)

    second._db = Interleaved()
    try:
        second.refresh()
    finally:
        second._db = real
        first.close()
        second.close()
