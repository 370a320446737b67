"""The user folders found without platformdirs are the ones platformdirs gives."""

import sys

import platformdirs
import pytest

from peerjournal.config import APP_NAME, config_file, default_cache_root, default_home

CASES = [
    {},
    {"XDG_CACHE_HOME": "/srv/cache", "XDG_CONFIG_HOME": "/srv/config", "XDG_DATA_HOME": "/d"},
    {"XDG_CACHE_HOME": "relative/cache", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": " "},
    {"HOME": "/home/kit/"},
    {"HOME": "relative-home"},
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fast path is Linux's")
@pytest.mark.parametrize("env", CASES, ids=range(len(CASES)))
def test_the_folders_agree_with_platformdirs(monkeypatch, tmp_path, env):
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_cache_root() == platformdirs.user_cache_path(APP_NAME)
    assert config_file() == platformdirs.user_config_path(APP_NAME) / "config.yaml"
    assert default_home() == platformdirs.user_data_path(APP_NAME)
