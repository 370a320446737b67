"""Command groups loaded when they run: `diary list` imports the diary's module, not all ten.

Importing every group's module (and turning its eighty-odd commands into Click commands) cost
about 25 ms a command. The root lists the groups from ``GROUPS``, with their short help, so
`peerjournal --help` imports none of them; tests/test_help.py proves each line matches the
group's own help, so the table cannot drift from the modules. Within a group, and at the
root, a command is turned into a Click command only when it runs or help lists it: Typer
reads every parameter's type hints to do that, ~0.3 ms a command.
"""

import copy
import importlib
from typing import Any

import typer
from typer import _click  # Typer 0.28 carries its own Click
from typer.core import TyperGroup
from typer.models import CommandInfo

from peerjournal.cli._errors import ReportingGroup

# name: (module, attribute, help); the help is the sub-app's own, word for word
GROUPS: dict[str, tuple[str, str, str]] = {
    "assess": (
        "peerjournal.cli.assess",
        "app",
        "Rate yourself, or a worker you supervise, against a framework.",
    ),
    "diary": ("peerjournal.cli.diary", "app", "Your diary of significant interactions."),
    "drafts": (
        "peerjournal.cli.drafts",
        "app",
        "Unfinished guided diary entries and supervision sessions, kept after every answer.",
    ),
    "frameworks": (
        "peerjournal.cli.frameworks",
        "app",
        "Competency frameworks, practice guidelines and supervision checklists.",
    ),
    "supervision": (
        "peerjournal.cli.supervision",
        "app",
        "Supervision sessions, agendas, action items and hours.",
    ),
    "privacy": (
        "peerjournal.cli.privacy_cmd",
        "app",
        "The privacy check's watch list (names) and allow list (phrases).",
    ),
    "signoffs": (
        "peerjournal.cli.signoff",
        "app",
        "Sign-offs of supervision hours: list them, check their signatures, print them, "
        "copy them out.",
    ),
    "keys": (
        "peerjournal.cli.keys",
        "app",
        "Your key for signing and sealing what you share, and the keys of people you trust.",
    ),
    "people": (
        "peerjournal.cli.people",
        "app",
        "The people of this home (you, your workers, your supervisor). Records hold a "
        "person's id, so renaming someone keeps their history.",
    ),
    "passphrase": (
        "peerjournal.cli.encryption",
        "passphrase_app",
        "The passphrase of an encrypted home: change it.",
    ),
    "trash": (
        "peerjournal.cli.holding_cmd",
        "trash_app",
        "Deleted records: list them, or delete them for good.",
    ),
    "recovery": (
        "peerjournal.cli.holding_cmd",
        "recovery_app",
        "Text kept when a save failed or was refused: list it, or delete it for good. "
        "In an encrypted home, also: a new recovery key.",
    ),
}


def load_group(name: str) -> typer.Typer:
    """The Typer app of one group, importing its module now."""
    module, attribute, _ = GROUPS[name]
    app: typer.Typer = getattr(importlib.import_module(module), attribute)
    return app


def command_name(info: CommandInfo) -> str:
    """The name Typer gives a registered command."""
    from typer.main import get_command_name

    assert info.callback is not None  # noqa: S101 - Typer requires one
    return info.name or get_command_name(info.callback.__name__)


class LazyCommands(TyperGroup):
    """A group whose commands are converted from Typer's records when first asked for."""

    pending: dict[str, CommandInfo]

    def take(self, infos: list[CommandInfo]) -> None:
        self.pending = {command_name(info): info for info in infos}
        self.order = [*self.pending, *(n for n in self.commands if n not in self.pending)]

    def converted(self, name: str) -> _click.Command | None:
        info = getattr(self, "pending", {}).pop(name, None)
        if info is None:
            return None
        from typer.main import get_command_from_info

        command = get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)
        self.commands[name] = command
        return command


class LazyGroup(LazyCommands):
    """A command group (diary, supervision, ...) converting one command per run."""

    def list_commands(self, ctx: _click.Context) -> list[str]:  # noqa: ARG002 - Click's
        return list(getattr(self, "order", self.commands))

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        return super().get_command(ctx, cmd_name) or self.converted(cmd_name)


def convert_group(app: typer.Typer, name: str) -> TyperGroup:
    """A Typer app as a Click group whose own commands are converted on first use."""
    from typer.main import get_group_from_info
    from typer.models import TyperInfo

    shell = copy.copy(app)
    shell.registered_commands = []  # the group is made without them; they wait in `pending`
    group = get_group_from_info(
        TyperInfo(shell, name=name, cls=LazyGroup),
        pretty_exceptions_short=True,
        suggest_commands=True,
        rich_markup_mode=None,  # plain help, as the root's
    )
    assert isinstance(group, LazyGroup)  # noqa: S101 - made with cls=LazyGroup
    group.take(list(app.registered_commands))
    return group


ROOT_COMMANDS: list[CommandInfo] = []  # the root's own commands, set aside by cli/__init__


class LazyRoot(LazyCommands, ReportingGroup):
    """The root group: its commands converted on first use, the groups in ``GROUPS`` too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - Click's own
        super().__init__(*args, **kwargs)
        self.take(ROOT_COMMANDS)

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        """Take ``--fresh`` after the command too (`diary list --fresh`): it is the root's."""
        end = args.index("--") if "--" in args else len(args)
        if "--fresh" in args[1:end]:
            args = ["--fresh", *(a for a in args[:end] if a != "--fresh"), *args[end:]]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: _click.Context) -> list[str]:  # noqa: ARG002 - Click's
        return sorted({*self.commands, *self.pending, *GROUPS})

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        found = super().get_command(ctx, cmd_name) or self.converted(cmd_name)
        if found is not None or cmd_name not in GROUPS:
            return found
        group = convert_group(load_group(cmd_name), cmd_name)
        self.add_command(group, cmd_name)
        return group

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The root's command list, with each group's help from the table (nothing imported)."""
        from typer._click.utils import make_default_short_help

        for name in list(self.pending):  # the root's own commands: converted for their help
            self.converted(name)
        names = [n for n in self.list_commands(ctx) if n not in self.commands or _shown(self, n)]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, self.commands[name].get_short_help_str(limit))
            if name in self.commands
            else (name, make_default_short_help(GROUPS[name][2], limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _shown(group: ReportingGroup, name: str) -> bool:
    return not group.commands[name].hidden
