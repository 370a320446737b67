"""Command groups loaded when they run: `diary list` imports the diary's module, not all ten.

Importing every group's module (and turning its eighty-odd commands into Click commands) cost
about 25 ms a command. The root lists the groups from ``GROUPS``, with their short help, so
`peerjournal --help` imports none of them; tests/test_help.py proves each line matches the
group's own help, so the table cannot drift from the modules.
"""

import importlib

import typer
from typer import _click  # Typer 0.28 carries its own Click

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
    "people": (
        "peerjournal.cli.people",
        "app",
        "The people of this home (you, your workers, your supervisor). Records hold a "
        "person's id, so renaming someone keeps their history.",
    ),
    "trash": (
        "peerjournal.cli.holding_cmd",
        "trash_app",
        "Deleted records: list them, or delete them for good.",
    ),
    "recovery": (
        "peerjournal.cli.holding_cmd",
        "recovery_app",
        "Text kept when a save failed or was refused: list it, or delete it for good.",
    ),
}


def load_group(name: str) -> typer.Typer:
    """The Typer app of one group, importing its module now."""
    module, attribute, _ = GROUPS[name]
    app: typer.Typer = getattr(importlib.import_module(module), attribute)
    return app


class LazyRoot(ReportingGroup):
    """The root group: its own commands at once, the groups in ``GROUPS`` on first use."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        """Take ``--fresh`` after the command too (`diary list --fresh`): it is the root's."""
        end = args.index("--") if "--" in args else len(args)
        if "--fresh" in args[1:end]:
            args = ["--fresh", *(a for a in args[:end] if a != "--fresh"), *args[end:]]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *GROUPS})

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in GROUPS:
            return found
        from typer.main import get_group_from_info
        from typer.models import TyperInfo

        group = get_group_from_info(
            TyperInfo(load_group(cmd_name), name=cmd_name),
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=None,  # plain help, as the root's
        )
        self.add_command(group, cmd_name)
        return group

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The root's command list, with each group's help from the table (nothing imported)."""
        from typer._click.utils import make_default_short_help

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
