"""Drafts in guided commands: pick up an unfinished one, and say how to carry on after a stop."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.services.drafts import Checkpoint, DraftKind, StoredDraft

INTERRUPTED = 130  # what a shell reports for Ctrl-C


def existing_draft(
    context: AppContext,
    kind: "DraftKind",
    *,
    resume: bool,
    where: "Callable[[StoredDraft], bool] | None" = None,
) -> "Checkpoint | None":
    """The draft to carry on with: the newest with --resume, else offered when there is one."""
    from peerjournal.services.drafts import KIND_NAMES, progress

    drafts = context.services.drafts
    if resume:
        return drafts.resume(kind, where)
    latest = drafts.latest(kind, where)
    if latest is None:
        return None
    question = (
        f"You have an unfinished {KIND_NAMES[kind]} draft from {latest.started:%Y-%m-%d %H:%M} "
        f"({progress(latest)}). Carry on with it?"
    )
    if context.prompter.confirm(question, default=True):
        return drafts.checkpoint(latest)
    context.err.print(
        f"Starting a new one; draft {latest.id} stays in 'peerjournal drafts list'.", markup=False
    )
    return None


@contextmanager
def kept_on_stop(context: AppContext, checkpoint: "Checkpoint") -> Iterator[None]:
    """Ctrl-C exits 130 and any other stop says where the answers are; never the answers."""
    from peerjournal.services.drafts import RESUME_COMMANDS, is_blank

    carry_on = RESUME_COMMANDS[checkpoint.draft.kind]
    try:
        yield
    except KeyboardInterrupt:
        context.err.print()
        context.err.print(
            f"Stopped. Your answers so far are kept in draft {checkpoint.id}; "
            f"carry on with: {carry_on}",
            markup=False,
        )
        raise typer.Exit(INTERRUPTED) from None
    except BaseException:
        if is_blank(checkpoint.draft):  # nothing typed: nothing to carry on with
            context.services.drafts.discard(checkpoint.draft)
            raise
        context.err.print(
            f"Your answers are kept in draft {checkpoint.id}; carry on with: {carry_on} "
            f"(or remove it with: peerjournal drafts discard {checkpoint.id})",
            markup=False,
        )
        raise
