"""The editor seam: open $VISUAL/$EDITOR on a private temporary file and read it back.

The buffer itself (a 0700 folder inside the data home, removed on every way out) belongs to
the store (``store/buffers.py``); this layer only runs the editor, so ui writes no files.
"""

import shlex
import subprocess
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from peerjournal.errors import InputError


class EditorFailedError(InputError):
    """The editor did not finish cleanly; ``text`` holds whatever the buffer had, to keep it."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


class Editor(Protocol):
    """Something that lets a person change a text and gives it back."""

    def edit(self, text: str) -> str: ...


class Buffers(Protocol):
    """Where the editor's file lives: made, read back and removed by the store, not by ui."""

    def holding(self, text: str) -> AbstractContextManager[Path]: ...

    def read_back(self, buffer: Path) -> str: ...


class SystemEditor:
    """Runs the user's editor command on a private temporary Markdown file."""

    def __init__(self, command: str | None, buffers: Buffers) -> None:
        self.command = command
        self.buffers = buffers

    @property
    def available(self) -> bool:
        return bool(self.command)

    def edit(self, text: str) -> str:
        if not self.command:
            raise InputError("no editor is set: set $VISUAL or $EDITOR (for example EDITOR=nano)")
        with self.buffers.holding(text) as buffer:
            try:
                result = subprocess.run([*shlex.split(self.command), str(buffer)], check=False)  # noqa: S603 - the user's own editor
            except OSError as error:
                raise InputError(
                    f"cannot start the editor {self.command!r} ({error.strerror})"
                ) from None
            try:
                written = self.buffers.read_back(buffer)
            except OSError as error:  # the editor removed or renamed its file
                raise EditorFailedError(
                    f"cannot read back what the editor saved ({error.strerror})", text
                ) from None
            if result.returncode != 0:
                raise EditorFailedError(
                    f"the editor exited with status {result.returncode}", written
                )
            return written
