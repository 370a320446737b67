"""Consoles built per invocation, so they read COLUMNS and NO_COLOR at run time.

rich is imported only when a console is first used (prompts, Markdown, progress bars): a
warning line or an index refresh on a command that prints plain text never pays for it.
"""

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from peerjournal.ui.plain import YELLOW, Terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


def make_consoles() -> "tuple[Console, Console]":
    """Standard output for results; standard error for prompts, warnings and errors."""
    from rich.console import Console

    out = Console(highlight=False)
    # soft_wrap: an error stays one line at any width
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    return out, err


def say(message: str, style: str = "") -> None:
    """One line on stderr, as it is (never read as markup), styled on a colour terminal only.

    Written straight to standard error, so a message costs no rich import.
    """
    sys.stderr.write(Terminal.of(sys.stderr).style(message, style) + "\n")


def warn(message: str, kind: str = "warning") -> None:
    """One ``peerjournal: warning: ...`` line (or another kind, such as 'notice'), in yellow."""
    say(f"peerjournal: {kind}: {message}", YELLOW)


class IndexProgress:
    """A progress bar for building the index, shown only for big jobs on a terminal."""

    MIN_FILES = 500

    def __init__(self, console: "Callable[[], Console]") -> None:
        self._console = console  # made only when a bar is shown
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_FILES or not sys.stderr.isatty():
            return
        if self._bar is None:
            from rich.progress import Progress  # only a big index build pays for it

            self._bar = Progress(console=self._console(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("Indexing the diary", total=total)
        assert self._task is not None  # noqa: S101 - set together with the bar
        self._bar.update(self._task, completed=done)
        if done >= total:
            self._bar.stop()
            self._bar = None
