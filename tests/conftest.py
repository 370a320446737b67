"""Isolation for every test, a fixed clock and zone, and a `run` fixture for the real command.

No test reads the real clock, the machine's zone or the user's cache: `run` hands the command a
context with the `clock` fixture, the `zone` fixture and a cache folder under tmp_path.
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from helpers import NOW, ZONE, FixedClock
from peerjournal.cli import app
from peerjournal.cli._context import AppContext


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every location peerjournal could use at tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("PEERJOURNAL_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at this width; keep assertions stable
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return home


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
    return lambda: AppContext(clock=clock, zone=zone, cache_root=cache_root)


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
