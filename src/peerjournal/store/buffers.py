"""Private editor buffers: a 0700 folder inside the data home, never a shared /tmp.

A buffer exists only while the editor has it open and is removed on every way out (normal
exit, a failing editor, a missing editor, Ctrl-C), so a person's words are never left behind.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peerjournal.store.atomic import PRIVATE_DIR, ensure_private_dir


class EditorBuffers:
    """Where the editor's temporary files live, and how they are written, read and removed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def holding(self, text: str) -> Iterator[Path]:
        """A private Markdown file holding ``text`` for as long as the block runs."""
        ensure_private_dir(self.folder, within=self.folder.parent)  # never a linked .tmp
        self.folder.chmod(PRIVATE_DIR)  # an existing folder left open by a copy is closed again
        fd, name = tempfile.mkstemp(dir=self.folder, prefix="edit-", suffix=".md")
        buffer = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            yield buffer
        finally:
            buffer.unlink(missing_ok=True)

    def read_back(self, buffer: Path) -> str:
        """What the editor saved; undecodable bytes become U+FFFD rather than an error."""
        return buffer.read_bytes().decode("utf-8", errors="replace")
