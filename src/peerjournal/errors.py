"""Failures the user can act on, and the exit code each one carries.

Messages point at the data (file, line, field) and never repeat it: a diary holds other people's
stories, and an error message can end up in a terminal log or a bug report.
"""

from pathlib import Path


class PeerJournalError(Exception):
    """A failure whose message is written for the user, not for a developer."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.path and self.line else self.path
        parts = [str(part) for part in (location, self.field) if part]
        return ": ".join([*parts, self.message])


class InputError(PeerJournalError):
    """The command line or an answer was wrong; changing the input fixes it."""

    exit_code = 2


class NotFoundError(InputError):
    """An id, framework or item reference that matches nothing."""


class RecordError(PeerJournalError):
    """A framework or record on disk does not parse or does not validate."""

    exit_code = 2


class RecordProblemsError(RecordError):
    """Several problems in one file, reported together so the author can fix them all at once."""

    def __init__(self, problems: list[RecordError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, field=first.field)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class StorageError(PeerJournalError):
    """The disk refused: full, read-only, permissions, or a lock held too long."""

    exit_code = 1


class PrivacyRefusedError(InputError):
    """Strict mode, or no one to ask, refused a save because of possible identifying details."""


class ReviewCancelledError(PeerJournalError):
    """The person cancelled after the privacy review; nothing was saved, by their choice."""
