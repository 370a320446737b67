"""Consoles built per invocation, so they read COLUMNS and NO_COLOR at run time."""

from rich.console import Console


def make_consoles() -> tuple[Console, Console]:
    """Standard output for results; standard error for prompts, warnings and errors."""
    out = Console(highlight=False)
    # soft_wrap: an error stays one line at any width
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    return out, err


def warn(err: Console, message: str) -> None:
    """One warning line on stderr; the text is never read as rich markup."""
    err.print(f"peerjournal: warning: {message}", markup=False, style="yellow")
