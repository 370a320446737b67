"""The ``peerjournal`` command: a root Typer app with one sub-app per command group.

Command modules import services, pydantic and yaml inside the command functions, so ``--help``
and ``--version`` start fast (tests/test_startup.py keeps this true).
"""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from peerjournal import __version__
from peerjournal.cli import (
    assess,
    diary,
    doctor,
    drafts,
    frameworks,
    holding_cmd,
    people,
    privacy_cmd,
    report,
    setup,
    supervision,
)
from peerjournal.cli._context import AppContext
from peerjournal.cli._errors import ReportingGroup

app = typer.Typer(
    cls=ReportingGroup,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,  # plain help: it prints twice as fast as rich panels
    help="Keep a private reflective diary, rate yourself against peer-work frameworks, "
    "and prepare supervision. Everything stays in local files.",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"peerjournal {__version__}")
        raise typer.Exit


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Data home folder to use. Default: $PEERJOURNAL_HOME, then 'home:' in the "
            "config file, then the platform's data folder.",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an unexpected error.")
    ] = False,
    version: Annotated[  # noqa: ARG001 - handled by its eager callback
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Keep a private reflective diary, rate yourself against frameworks, prepare supervision.

    Run with no command for the home screen: what happened lately and the next step to take.
    """
    given = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
    ctx.obj = given.with_options(home, debug=debug)
    if ctx.invoked_subcommand is None:
        from peerjournal.cli.setup import home_screen

        home_screen(ctx.obj)


setup.register(app)
report.register(app)
doctor.register(app)
app.add_typer(assess.app, name="assess")
app.add_typer(diary.app, name="diary")
app.add_typer(drafts.app, name="drafts")
app.add_typer(frameworks.app, name="frameworks")
app.add_typer(supervision.app, name="supervision")
app.add_typer(privacy_cmd.app, name="privacy")
app.add_typer(people.app, name="people")
app.add_typer(holding_cmd.trash_app, name="trash")
app.add_typer(holding_cmd.recovery_app, name="recovery")


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="peerjournal")
    except BrokenPipeError:
        # the reader went away (`peerjournal diary list | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
