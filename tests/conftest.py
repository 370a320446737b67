"""Isolation for every test, and a `run` fixture that invokes the real command."""

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from peerjournal.cli import app


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
def run() -> Runner:
    """Run `peerjournal ARGS...`, optionally typing `input`; stdout and stderr stay apart."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(app, list(args), input=input)

    return invoke


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
