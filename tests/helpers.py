"""Test doubles for the seams: a scripted prompter and a fixed clock."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path


class ScriptedPrompter:
    """Answers from a list; fails the test on an unexpected question or an invalid choice."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    def _next(self, question: str) -> str:
        self.questions.append(question)
        assert self.answers, f"unexpected question: {question!r}"
        return self.answers.pop(0)

    def ask(self, question: str, *, default: str | None = None) -> str:
        answer = self._next(question)
        return default if answer == "" and default is not None else answer

    def choose(self, question: str, choices: Sequence[str], *, default: str | None = None) -> str:
        answer = self._next(question)
        if answer == "" and default is not None:
            return default
        assert answer in choices, f"{answer!r} is not one of {list(choices)}"
        return answer

    def confirm(self, question: str, *, default: bool = False) -> bool:
        answer = self._next(question)
        return default if answer == "" else answer.lower().startswith("y")


class FixedClock:
    """A clock that always says the same time, or moves only when told."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
