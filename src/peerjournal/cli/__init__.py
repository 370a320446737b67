"""The ``peerjournal`` command: a root Typer app with one sub-app per command group.

Command modules import services, pydantic and yaml inside the command functions, and a group's
module is imported only when one of its commands runs (``_groups``), so ``--help``,
``--version`` and the everyday commands start fast (tests/test_startup.py keeps this true).
"""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from peerjournal import __version__
from peerjournal.cli import doctor, encryption, report, setup, share
from peerjournal.cli._context import AppContext
from peerjournal.cli._groups import ROOT_COMMANDS, LazyRoot

app = typer.Typer(
    cls=LazyRoot,
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
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Compare every diary file with the index before answering (it sees edits "
            "made inside files by other programs at once). Also accepted after the command.",
        ),
    ] = False,
    passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--passphrase-file",
            help="For an encrypted home: read the passphrase from the first line of this file "
            "instead of asking (scripts). Default: $PEERJOURNAL_PASSPHRASE_FILE.",
            show_default=False,
        ),
    ] = None,
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
    ctx.obj = given.with_options(home, debug=debug, fresh=fresh, passphrase_file=passphrase_file)
    given.forget_keys()  # every command starts locked: keys come from the agent or are asked
    if ctx.invoked_subcommand is None:
        from peerjournal.cli.setup import home_screen

        home_screen(ctx.obj)


setup.register(app)
report.register(app)
doctor.register(app)
share.register(app)
encryption.register(app)
# the root's commands are converted one at a time, when asked for (see _groups)
ROOT_COMMANDS.extend(app.registered_commands)
app.registered_commands = []


def main() -> None:
    """Console-script entry point: run the command, flush, look after the index, exit.

    The interpreter's own teardown (freeing every module and object) is skipped with
    ``os._exit`` once everything is written and flushed: it cost about 20 ms a command.
    """
    context = AppContext(detach=True)
    try:
        app(prog_name="peerjournal", obj=context)
        code = 0
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BrokenPipeError:
        code = 141
    code = _flush(code)
    from peerjournal.cli._after import after_command

    after_command(context.derived or context)
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def _flush(code: int) -> int:
    """Flush what the command printed; a reader that went away (`| head`) ends quietly."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            # the reader went away (`peerjournal diary list | head`): stop quietly, as Unix
            # tools do, with nothing more written to the closed pipe
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            code = 141 if stream is sys.stdout and code == 0 else code
    return code
