"""Help text is documentation: every command has it, and the README mentions every command."""

from pathlib import Path

import pytest
import typer

from peerjournal.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    group = typer.main.get_command(app)

    def walk(prefix: str, command: object) -> None:
        sub = getattr(command, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(f"{prefix} {name}".strip(), child)
        else:
            found.append((prefix, command))

    walk("", group)
    return found


COMMANDS = all_commands()


def test_there_are_commands():
    names = [name for name, _ in COMMANDS]
    assert "frameworks list" in names
    assert "init" in names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name, command):
    text = getattr(command, "help", None) or ""
    assert len(text.strip()) > 10, f"'{name}' has no help text"


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_readme_mentions_every_command(name):
    assert f"peerjournal {name}" in README


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_help_option_works_for_every_command(run, name):
    result = run(*name.split(), "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
