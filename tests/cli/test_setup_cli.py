"""`peerjournal init` and `peerjournal info`, and where the data home comes from."""

import stat

import pytest

from helpers import NOW, entry_path
from peerjournal.config import resolve_home


def test_init_asks_for_name_and_role_when_not_given(run, isolated):
    result = run("init", input="Rowan Vale\nsupervisor\n")
    assert result.exit_code == 0, result.stderr
    assert "Your name" in result.stderr
    assert "Your role" in result.stderr
    settings = (isolated / "settings.yaml").read_text()
    assert "name: Rowan Vale" in settings
    assert "role: supervisor" in settings
    assert f"Data home ready at {isolated}" in result.stdout


def test_init_reasks_an_invalid_role(run, isolated):
    result = run("init", input="Rowan Vale\nboss\npeer-worker\n")
    assert result.exit_code == 0
    assert "role: peer-worker" in (isolated / "settings.yaml").read_text()


def test_init_with_options_asks_nothing_and_makes_private_folders(run, isolated):
    result = run("init", "--name", "Sam", "--role", "peer-worker")
    assert result.exit_code == 0
    assert result.stderr == ""
    for folder in (
        isolated,
        isolated / "journal",
        isolated / "assessments",
        isolated / "supervision",
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((isolated / "settings.yaml").stat().st_mode) == 0o600


def test_init_again_changes_name_and_keeps_other_settings(run, home):
    settings_file = home / "settings.yaml"
    settings_file.write_text(settings_file.read_text() + "favourite_colour: teal\n")
    result = run("init", "--name", "Sam R.")
    assert result.exit_code == 0
    text = settings_file.read_text()
    assert "name: Sam R." in text
    assert "role: peer-worker" in text
    assert "favourite_colour: teal" in text


def test_init_rejects_an_unknown_role_option(run, isolated):
    result = run("init", "--name", "Sam", "--role", "manager")
    assert result.exit_code == 2
    assert result.stderr == "peerjournal: --role must be one of: peer-worker, supervisor\n"
    assert not isolated.exists()


def test_init_when_input_ends_is_one_line(run, isolated):
    result = run("init", input="")
    assert result.exit_code == 2
    assert result.stderr.endswith("peerjournal: input ended before an answer to 'Your name'\n")


def test_info_shows_home_source_and_counts(run, home):
    folder = entry_path(home, "one", NOW).parent
    folder.mkdir(parents=True)
    (folder / "one.md").write_text("x")
    (folder / ".one.md.1.tmp").write_text("x")
    result = run("info")
    assert result.exit_code == 0
    assert str(home) in result.stdout
    assert "PEERJOURNAL_HOME environment variable" in result.stdout
    assert "Sam Rivers (peer-worker)" in result.stdout
    lines = {
        line.split()[0] + " " + line.split()[1]: line
        for line in result.stdout.splitlines()
        if len(line.split()) > 2
    }
    assert lines["diary entries"].split()[-1] == "1"


def test_info_on_a_home_not_yet_set_up(run, isolated):
    result = run("info")
    assert result.exit_code == 0
    assert "not set up yet" in result.stdout
    assert not isolated.exists()


def test_home_option_beats_the_environment(run, tmp_path):
    other = tmp_path / "other"
    result = run("--home", str(other), "init", "--name", "Sam", "--role", "peer-worker")
    assert result.exit_code == 0
    assert (other / "settings.yaml").exists()
    assert "--home option" in run("--home", str(other), "info").stdout


def test_a_loose_home_gets_a_warning(run, home):
    home.chmod(0o755)
    result = run("info")
    assert result.exit_code == 0
    assert f"peerjournal: warning: {home} can be read by other users" in result.stderr


@pytest.mark.parametrize(
    ("option", "env", "config_text", "expected_source"),
    [
        ("/opt/a", {"PEERJOURNAL_HOME": "/opt/b"}, "home: /opt/c\n", "--home option"),
        (
            None,
            {"PEERJOURNAL_HOME": "/opt/b"},
            "home: /opt/c\n",
            "PEERJOURNAL_HOME environment variable",
        ),
        (None, {}, "home: /opt/c\n", "config file"),
        (None, {}, None, "platform default"),
    ],
)
def test_home_precedence(tmp_path, option, env, config_text, expected_source):
    from pathlib import Path

    config = tmp_path / "config.yaml"
    if config_text is not None:
        config.write_text(config_text)
    choice = resolve_home(Path(option) if option else None, env, config)
    assert choice.source.startswith(expected_source)
    if expected_source == "config file":
        assert choice.path == Path("/opt/c")


def test_a_broken_config_file_is_one_clear_line(run, tmp_path, monkeypatch):
    monkeypatch.delenv("PEERJOURNAL_HOME")
    config = tmp_path / "xdg_config_home" / "peerjournal" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("home: [nope\n")
    result = run("info")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"peerjournal: {config}:2:")
