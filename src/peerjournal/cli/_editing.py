"""The editor loop shared by every command that opens $EDITOR: nothing typed is ever lost."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.errors import PeerJournalError
    from peerjournal.ui.editor import SystemEditor

T = TypeVar("T")


def system_editor(context: AppContext) -> "SystemEditor":
    """$VISUAL or $EDITOR, with its buffer in the home's private folder."""
    from peerjournal.ui.editor import SystemEditor

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    return SystemEditor(command, context.services.editor_buffers)


def edit_until_valid(
    context: AppContext, text: str, parse: Callable[[str], T], keep: Callable[[str], Path]
) -> T:
    """Open the editor until what comes back parses.

    A failing editor or text that does not parse is kept by ``keep`` (a private recovery file)
    and its path printed; problems are shown by line, and the person may edit again.
    """
    from peerjournal.errors import PeerJournalError, RecordProblemsError
    from peerjournal.ui.editor import EditorFailedError

    editor = system_editor(context)
    while True:
        try:
            text = editor.edit(text)
        except EditorFailedError as failure:
            kept = keep(failure.text)
            raise EditorFailedError(f"{failure.message}; your text is kept in {kept}", "") from None
        try:
            return parse(text)
        except PeerJournalError as problem:
            kept = keep(text)
            problems = problem.problems if isinstance(problem, RecordProblemsError) else [problem]
            for item in problems:
                context.err.print(f"peerjournal: {buffer_location(item)}", markup=False)
            context.err.print(f"Your text is kept in {kept}", markup=False)
            if not context.prompter.confirm("Edit again?", default=True):
                raise typer.Exit(2) from None


def buffer_location(problem: "PeerJournalError") -> str:
    """An editor problem names the line in the buffer, not a file the person cannot see."""
    where = f"line {problem.line}: " if problem.line else ""
    field = f"{problem.field}: " if problem.field else ""
    return f"{where}{field}{problem.message}"
