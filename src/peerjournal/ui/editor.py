"""The editor seam: open $VISUAL/$EDITOR on a private temporary file and read it back.

The buffer lives in a 0700 folder inside the data home (never a shared /tmp) and is removed on
every way out: normal exit, a failing editor, a missing editor, Ctrl-C.
"""

import os
import shlex
import subprocess
import tempfile
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


class SystemEditor:
    """Runs the user's editor command on a private temporary Markdown file."""

    def __init__(self, command: str | None, private_dir: Path) -> None:
        self.command = command
        self.private_dir = private_dir

    @property
    def available(self) -> bool:
        return bool(self.command)

    def edit(self, text: str) -> str:
        if not self.command:
            raise InputError("no editor is set: set $VISUAL or $EDITOR (for example EDITOR=nano)")
        _private_folder(self.private_dir)
        fd, name = tempfile.mkstemp(dir=self.private_dir, prefix="edit-", suffix=".md")
        buffer = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            try:
                result = subprocess.run([*shlex.split(self.command), str(buffer)], check=False)  # noqa: S603 - the user's own editor
            except OSError as error:
                raise InputError(
                    f"cannot start the editor {self.command!r} ({error.strerror})"
                ) from None
            try:
                written = buffer.read_bytes().decode("utf-8", errors="replace")
            except OSError as error:  # the editor removed or renamed its file
                raise EditorFailedError(
                    f"cannot read back what the editor saved ({error.strerror})", text
                ) from None
            if result.returncode != 0:
                raise EditorFailedError(
                    f"the editor exited with status {result.returncode}", written
                )
            return written
        finally:
            buffer.unlink(missing_ok=True)


def _private_folder(path: Path) -> None:
    """Create ``path`` and missing parents as 0700 (mkdir's own mode obeys the umask)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
    path.chmod(0o700)
