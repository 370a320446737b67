"""Which data home to use, and why.

The order is --home, then PEERJOURNAL_HOME, then the config file, then platformdirs. The answer
carries the rule that chose it, so `info` can say where it came from.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

ENV_HOME = "PEERJOURNAL_HOME"
APP_NAME = "peerjournal"


class HomeChoice(NamedTuple):
    """A data home path and the rule that chose it."""

    path: Path
    source: str


def config_file() -> Path:
    """The machine's pointer file (``home: PATH``), in platformdirs' user config folder."""
    folder = _xdg_folder("XDG_CONFIG_HOME", ".config")
    if folder is None:
        from platformdirs import user_config_path

        folder = user_config_path(APP_NAME)
    return folder / "config.yaml"


def default_home() -> Path:
    """Where records live when nothing else is said."""
    folder = _xdg_folder("XDG_DATA_HOME", ".local/share")
    if folder is None:
        from platformdirs import user_data_path

        folder = user_data_path(APP_NAME)
    return folder


def default_cache_root() -> Path:
    """The user cache folder, where the rebuildable index of each home lives."""
    folder = _xdg_folder("XDG_CACHE_HOME", ".cache")
    if folder is None:
        from platformdirs import user_cache_path

        folder = user_cache_path(APP_NAME)
    return folder


def _xdg_folder(variable: str, default: str) -> Path | None:
    """The folder platformdirs gives on Linux, found without importing it.

    Importing platformdirs costs ~2.5 ms on every command, for what on Linux is the XDG rule:
    the variable when it holds an absolute path, else ``$HOME/<default>``. Anything else (a
    relative HOME, another system) is left to platformdirs; tests/test_config.py checks the
    two agree.
    """
    if sys.platform != "linux":
        return None
    value = os.environ.get(variable, "")
    if Path(value).is_absolute():
        return Path(value) / APP_NAME
    home = os.environ.get("HOME", "")
    if not Path(home).is_absolute():
        return None
    return Path(home) / default / APP_NAME


def resolve_home(option: Path | None, env: Mapping[str, str], config: Path) -> HomeChoice:
    """Apply the precedence rules; pure apart from reading the config file if there is one."""
    if option is not None:
        return HomeChoice(_absolute(option), "--home option")
    if env.get(ENV_HOME):
        return HomeChoice(_absolute(Path(env[ENV_HOME])), f"{ENV_HOME} environment variable")
    configured = _home_from_config(config)
    if configured is not None:
        return HomeChoice(configured, f"config file {config}")
    return HomeChoice(default_home(), "platform default")


def _home_from_config(config: Path) -> Path | None:
    if not config.is_file():
        return None
    from peerjournal.errors import RecordError
    from peerjournal.store import yamlio

    doc = yamlio.load_file(config)
    if doc.data is None:
        return None
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("home", ""), str):
        raise RecordError("expected 'home: PATH'", path=config, line=1, field="home")
    home = doc.data.get("home")
    if not home:
        return None
    path = Path(home).expanduser()
    return path if path.is_absolute() else (config.parent / path).absolute()


def _absolute(path: Path) -> Path:
    return path.expanduser().absolute()
