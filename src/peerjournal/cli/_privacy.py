"""The command line's side of the privacy rule: ask on the terminal, stop on a cancel, keep text.

The rule itself lives in ``services.privacy_review``; here it gets its reviewer (the prompter
and the error console) and the two things only a command may do: end with an exit code, and
hand typed text back to the person when even a recovery file cannot be written.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.services.privacy_review import (
        Decision,
        FieldFinding,
        PrivacyCheck,
        PrivacyReview,
    )

StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse to save if the privacy check finds anything "
        "(the default with privacy: {strict: true} in settings.yaml).",
    ),
]


def privacy_check(context: AppContext, *, strict: bool) -> "PrivacyCheck":
    """The home's word lists; strict when --strict was given or settings.yaml says so."""
    from peerjournal.services.privacy_review import PrivacyCheck

    return PrivacyCheck.of(context.settings, strict=strict)


def privacy_review(context: AppContext, *, strict: bool, can_ask: bool = True) -> "PrivacyReview":
    """The privacy rule for one command, asking on the terminal unless nobody can answer."""
    from peerjournal.services.privacy_review import PrivacyReview

    def ask(findings: "Sequence[FieldFinding]", *, can_edit: bool) -> "Decision":
        from peerjournal.ui.entry_flow import review_findings

        return review_findings(context.prompter, context.err, findings, can_edit=can_edit)

    def retype(field: str) -> str:
        from peerjournal.ui.entry_flow import retype_field

        return retype_field(context.prompter, field)

    check = privacy_check(context, strict=strict)
    return PrivacyReview(check, ask, retype) if can_ask else PrivacyReview(check)


@contextmanager
def stop_on_cancel(context: AppContext, what: str = "nothing was saved") -> Iterator[None]:
    """A cancel after the review ends the command with exit 1: the person's choice, no error."""
    from peerjournal.errors import ReviewCancelledError

    try:
        yield
    except ReviewCancelledError:
        context.err.print(f"Cancelled; {what}.", markup=False)
        raise typer.Exit(1) from None


def keep_or_hand_back(context: AppContext, keep: Callable[[str], Path], text: str) -> None:
    """Keep typed text that could not be saved; if even that fails, print it back to the person."""
    from peerjournal.errors import PeerJournalError

    try:
        kept = keep(text)
    except PeerJournalError:
        context.err.print(
            "Could not keep a copy either; here is your text, copy it somewhere safe:",
            markup=False,
        )
        typer.echo(text)
    else:
        context.err.print(f"Your text is kept in {kept}", markup=False)
