"""Isolation for every test, a fixed clock and zone, and a `run` fixture for the real command.

No test reads the real clock, the machine's zone or the user's cache: `run` hands the command a
context with the `clock` fixture, the `zone` fixture and a cache folder under tmp_path.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from helpers import NOW, ZONE, FixedClock
from peerjournal.cli import app
from peerjournal.cli._context import AppContext
from peerjournal.store.keyfile import KdfParams


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runtime_dir: Path) -> Path:
    """Point every location peerjournal could use at tmp_path (and a short runtime folder)."""
    home = tmp_path / "home"
    monkeypatch.setenv("PEERJOURNAL_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at this width; keep assertions stable
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("PEERJOURNAL_PASSPHRASE_FILE", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_dir))
    return home


@pytest.fixture
def runtime_dir() -> Iterator[Path]:
    """$XDG_RUNTIME_DIR of the test: short (a socket path has ~100 bytes), 0700, and emptied.

    Any key agent a test started is stopped at the end, and no key stays open in the process.
    """
    folder = Path(tempfile.mkdtemp(prefix="pjrun-", dir="/tmp"))  # a private 0700 folder
    try:
        yield folder
    finally:
        from peerjournal.store.agent import stop_agent
        from peerjournal.store.vault import forget_all

        forget_all()
        for socket in (folder / "peerjournal").glob("agent-*.sock"):
            stop_agent(folder / "peerjournal", socket.stem.removeprefix("agent-"))
        shutil.rmtree(folder, ignore_errors=True)


CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)  # Argon2id's cost in tests only


Runner = Callable[..., Result]


@pytest.fixture
def zone() -> ZoneInfo:
    """The zone every command of a test runs in, whatever the machine's zone."""
    return ZONE


@pytest.fixture
def clock() -> FixedClock:
    """The time every command of a test sees, a second later at each reading; or set `clock.now`."""
    return FixedClock(NOW, tick=timedelta(seconds=1))


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    """The cache folder (the index) of every command of a test, under tmp_path.

    The same folder platformdirs gives a `peerjournal` subprocess under the isolated
    XDG_CACHE_HOME, so in-process and real-terminal commands of one test share one index.
    """
    return tmp_path / "xdg_cache_home" / "peerjournal"


@pytest.fixture
def context(clock: FixedClock, zone: ZoneInfo, cache_root: Path) -> Callable[[], AppContext]:
    """A fresh composition root with the test's clock, zone and cache, for each invocation."""
    return lambda: AppContext(
        clock=clock,
        zone=zone,
        cache_root=cache_root,
        runtime_root=Path(os.environ["XDG_RUNTIME_DIR"]) / "peerjournal",
        kdf=CHEAP_KDF,
    )


@pytest.fixture
def run(context: Callable[[], AppContext]) -> Runner:
    """Run `peerjournal ARGS...`, optionally typing `input`; stdout and stderr stay apart."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(app, list(args), input=input, obj=context())

    return invoke


@pytest.fixture
def services(home: Path, context: Callable[[], AppContext]):
    """The services of the test's home, built by the composition root with the test's seams."""
    built = context()
    built.home_option = home
    return built.services


@pytest.fixture
def home(isolated: Path, run: Runner) -> Path:
    """A data home set up for a fictional peer worker."""
    result = run("init", "--name", "Sam Rivers", "--role", "peer-worker")
    assert result.exit_code == 0, result.stderr
    return isolated


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Set $EDITOR to a scripted editor; call it with the steps for its next runs."""
    import json
    import shlex
    import sys

    script = tmp_path / "editor-script.json"
    seen = tmp_path / "editor-seen"
    editor = Path(__file__).parent / "data" / "fake_editor.py"
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(editor))}")
    monkeypatch.setenv("PJ_EDITOR_SCRIPT", str(script))
    monkeypatch.setenv("PJ_EDITOR_SEEN", str(seen))

    def program(*steps: dict) -> Path:
        script.write_text(json.dumps(list(steps)), encoding="utf-8")
        return seen

    return program


@pytest.fixture
def harbour(home: Path) -> Path:
    """The fictional two-domain framework with its own 1-3 scale, in the test's home."""
    import shutil

    shutil.copy(Path(__file__).parent / "data" / "frameworks" / "harbour-values.yaml",
                home / "frameworks")  # fmt: skip
    return home
