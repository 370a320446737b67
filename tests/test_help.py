"""Help text is documentation: every command has it, and the README mentions every command."""

from pathlib import Path

import pytest
import typer

from peerjournal.cli import app
from peerjournal.cli._groups import GROUPS, load_group

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, object]]:
    """Every command, the lazily loaded groups and commands included (asking loads them)."""
    found: list[tuple[str, object]] = []
    root = typer.main.get_command(app)

    def walk(prefix: str, command: object) -> None:
        if hasattr(command, "list_commands"):
            context = typer.Context(command)
            for name in command.list_commands(context):
                walk(f"{prefix} {name}".strip(), command.get_command(context, name))
        else:
            found.append((prefix, command))

    walk("", root)
    return found


COMMANDS = all_commands()


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_the_root_lists_each_group_with_the_groups_own_help(name):
    """`peerjournal --help` reads the table so as to import no group; the table must agree."""
    own = load_group(name).info.help
    assert GROUPS[name][2] == own


def test_root_help_lists_every_group_without_importing_it(run):
    listed = run("--help").stdout.split("Commands:")[1]
    for name in GROUPS:
        assert f"  {name} " in listed


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
