"""The single error handler: every failure becomes one line on stderr and an exit code."""

from typing import Any

import typer
from typer.core import TyperGroup

from peerjournal.errors import PeerJournalError, RecordProblemsError


class ReportingGroup(TyperGroup):
    """Root group; sees failures from every sub-app, so no command catches errors itself."""

    # typer.Context is what Typer passes; the base class names Click's own Context type
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # noqa: ANN401
        try:
            return super().invoke(ctx)
        except RecordProblemsError as error:
            for problem in error.problems:
                report(str(problem))
            raise typer.Exit(error.exit_code) from None
        except PeerJournalError as error:
            report(str(error))
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt, BrokenPipeError):
            raise  # usage errors, deliberate exits and Ctrl-C keep Typer's own handling
        except Exception as error:
            if _debug(ctx):
                raise
            report(
                f"unexpected {type(error).__name__}; nothing was changed after the failure "
                "(run again with --debug to see the traceback)"
            )
            raise typer.Exit(1) from None


def report(message: str) -> None:
    """Print one error line on stderr; markup off so '[...]' in a path stays literal."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"peerjournal: {message}", markup=False
    )


def _debug(ctx: typer.Context) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))
