"""The single error handler: every failure becomes one line on stderr and an exit code."""

import re
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from peerjournal.errors import PeerJournalError, RecordProblemsError

SHARE_EXTRA = ("cryptography", "pyrage", "bcrypt")  # the optional 'share' extra
SHARE_EXTRA_MISSING = (
    "sharing and keys need the optional 'share' extra; run: pip install 'peerjournal[share]'"
)


class ReportingGroup(TyperGroup):
    """Root group; sees failures from every sub-app, so no command catches errors itself."""

    # typer.Context is what Typer passes; the base class names Click's own Context type
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # noqa: ANN401
        try:
            result = super().invoke(ctx)
        except RecordProblemsError as error:
            warn_skipped(ctx, error.problems)
            for problem in error.problems:
                report(str(problem))
            raise typer.Exit(error.exit_code) from None
        except PeerJournalError as error:
            warn_skipped(ctx, [error])
            report(str(error))
            raise typer.Exit(error.exit_code) from None
        except typer.Exit:
            warn_skipped(ctx)  # a deliberate exit (lint found something) still names them
            raise
        except (typer.Abort, typer.TyperException, KeyboardInterrupt, BrokenPipeError):
            raise  # usage errors and Ctrl-C keep Typer's own handling
        except Exception as error:  # noqa: BLE001 - the last resort: a line, not a traceback
            if isinstance(error, ModuleNotFoundError) and _share_module(error):
                report(SHARE_EXTRA_MISSING)  # keys and bundles without cryptography or pyrage
                raise typer.Exit(2) from None
            if _debug(ctx):
                sys.stderr.write(scrubbed_traceback(error))
                raise typer.Exit(1) from None
            report(
                f"unexpected {type(error).__name__}; nothing was changed after the failure "
                "(run again with --debug to see the traceback)"
            )
            raise typer.Exit(1) from None
        warn_skipped(ctx)
        _look_after(ctx)
        return result


def _share_module(error: ModuleNotFoundError) -> bool:
    return (error.name or "").split(".")[0] in SHARE_EXTRA


def warn_skipped(ctx: typer.Context, reported: Sequence[PeerJournalError] = ()) -> None:
    """Name on stderr every file the command's reads skipped, whatever its output form.

    Done here, once, for every command: no command can forget, and ``--json`` or ``--ids``
    output on stdout stays clean. A file the error itself is about is not named twice.
    """
    from peerjournal.cli._context import AppContext

    context = ctx.find_root().obj
    if not isinstance(context, AppContext) or "services" not in context.__dict__:
        return  # the command read nothing through the services
    from peerjournal.ui.console import warn

    for kind, message in context.services.notices():
        warn(message, kind)
    already = {str(problem) for problem in reported}
    for problem in context.services.skipped():
        if str(problem) not in already:
            warn(f"{problem} (skipped)")


def _look_after(ctx: typer.Context) -> None:
    """In-process runs (tests) do the index's periodic full look here; see ``_after``."""
    from peerjournal.cli._context import AppContext

    context = ctx.find_root().obj
    if isinstance(context, AppContext) and not context.detach:
        from peerjournal.cli._after import after_command

        after_command(context)


def report(message: str) -> None:
    """Print one error line on stderr, as it is ('[...]' in a path stays literal)."""
    sys.stderr.write(f"peerjournal: {message}\n")


def _debug(ctx: typer.Context) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))


def scrubbed_traceback(error: BaseException) -> str:
    """A traceback for --debug that shows where things failed but never the data involved.

    Exception messages can quote their input: pydantic prints ``input_value=...`` (a diary
    title), ``datetime`` quotes the string it could not parse. A traceback ends up in bug
    reports, so each message keeps its words but loses quoted values and pydantic inputs.
    """
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        cause = current.__cause__
        if cause is None and not current.__suppress_context__:
            cause = current.__context__
        current = cause
    parts: list[str] = []
    for exc in reversed(chain):
        if parts:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
        kind = type(exc)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {_scrubbed_message(exc)}\n")
    return "".join(parts)


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"')


def _scrubbed_message(error: BaseException) -> str:
    errors = getattr(error, "errors", None)
    if type(error).__name__ == "ValidationError" and callable(errors):
        found = errors(include_url=False, include_input=False, include_context=False)
        return "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(top)'}: {item['type']}"
            for item in found
        )
    return _QUOTED.sub("'…'", str(error))
