"""One narrow door for questions, so an interactive flow can be driven by a script in tests."""

import sys
from collections.abc import Callable, Sequence
from typing import Protocol

from rich.console import Console
from rich.prompt import Confirm, Prompt
from rich.text import Text

from peerjournal.errors import InputError


class Prompter(Protocol):
    """What an interactive flow may ask; a terminal or a test script answers."""

    def ask(self, question: str, *, default: str | None = None) -> str: ...

    def choose(
        self, question: str, choices: Sequence[str], *, default: str | None = None
    ) -> str: ...

    def confirm(self, question: str, *, default: bool = False) -> bool: ...

    def ask_lines(
        self, question: str, *, begun: str = "", keep: Callable[[str], None] | None = None
    ) -> str: ...


class RichPrompter:
    """Asks on the terminal with rich; prompts go to stderr so stdout stays pipeable."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def ask(self, question: str, *, default: str | None = None) -> str:
        try:
            if default is None:
                return Prompt.ask(question, console=self._console)
            return Prompt.ask(
                question, console=self._console, default=default, show_default=bool(default)
            )
        except EOFError:
            raise _ended(question) from None

    def choose(self, question: str, choices: Sequence[str], *, default: str | None = None) -> str:
        try:
            if default is None:
                return Prompt.ask(question, console=self._console, choices=list(choices))
            return Prompt.ask(
                question, console=self._console, choices=list(choices), default=default
            )
        except EOFError:
            raise _ended(question) from None

    def confirm(self, question: str, *, default: bool = False) -> bool:
        try:
            return Confirm.ask(question, console=self._console, default=default)
        except EOFError:
            raise _ended(question) from None

    def ask_lines(
        self, question: str, *, begun: str = "", keep: Callable[[str], None] | None = None
    ) -> str:
        """Several lines, so a pasted paragraph stays in its section; an empty line ends it.

        ``begun`` is text typed before a stop, shown and carried on from; ``keep`` is given the
        text so far after every line, so a stop loses no line already typed.
        """
        self._console.print(
            Text.assemble(question, (f" {LINES_HINT}", "dim")), markup=False, highlight=False
        )
        lines: list[str] = begun.splitlines()
        for line in lines:
            self._console.print(f"  {line}", markup=False, highlight=False)
        while True:
            try:
                line = self._console.input("  ")
            except EOFError:  # Ctrl-D at a terminal ends the section too
                if not lines and not sys.stdin.isatty():
                    raise _ended(question) from None  # the input itself has ended
                break
            if not line.strip():
                break
            lines.append(line.rstrip())
            if keep is not None:
                keep("\n".join(lines))
        return "\n".join(lines)


def lines_question(
    prompter: Prompter, question: str
) -> Callable[[str, Callable[[str], None]], str]:
    """A several-line question as a draft's ``recall_lines`` asks it (begun text, keep)."""
    return lambda begun, keep: prompter.ask_lines(question, begun=begun, keep=keep)


LINES_HINT = "(as many lines as you like; an empty line or Ctrl-D ends)"


def _ended(question: str) -> InputError:
    return InputError(f"input ended before an answer to {question!r}")


def ask_secret(question: str) -> str:
    """A passphrase read from the terminal, never echoed; Ctrl-D ends the command cleanly."""
    import getpass

    try:
        return getpass.getpass(question, stream=sys.stderr)
    except EOFError:
        raise _ended(question) from None
