"""Consoles built per invocation, so they read COLUMNS and NO_COLOR at run time."""

from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def make_consoles() -> tuple[Console, Console]:
    """Standard output for results; standard error for prompts, warnings and errors."""
    out = Console(highlight=False)
    # soft_wrap: an error stays one line at any width
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    return out, err


def warn(err: Console, message: str) -> None:
    """One warning line on stderr; the text is never read as rich markup."""
    err.print(f"peerjournal: warning: {message}", markup=False, style="yellow")


class IndexProgress:
    """A progress bar for building the index, shown only for big jobs on a terminal."""

    MIN_FILES = 500

    def __init__(self, console: Console) -> None:
        self._console = console
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_FILES or not self._console.is_terminal:
            return
        if self._bar is None:
            from rich.progress import Progress  # only a big index build pays for it

            self._bar = Progress(console=self._console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task("Indexing the diary", total=total)
        assert self._task is not None  # noqa: S101 - set together with the bar
        self._bar.update(self._task, completed=done)
        if done >= total:
            self._bar.stop()
            self._bar = None
