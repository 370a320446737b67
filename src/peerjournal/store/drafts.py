"""Drafts of guided flows on disk: one private JSON file each under ``drafts/``.

A draft is rewritten atomically after every answer, so Ctrl-C, a closed terminal or a crash
loses at most the answer being typed. Drafts hold typed text: 0600 files in 0700 folders, like
every record.
"""

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from peerjournal.errors import RecordError, StorageError
from peerjournal.store import yamlio
from peerjournal.store.atomic import create_exclusive, write_atomic
from peerjournal.store.jsonio import json_object
from peerjournal.store.layout import DataHome
from peerjournal.store.records import linked_part, not_followed
from peerjournal.store.vault import read_private

DRAFT_SCHEMA = 1
SUFFIX = ".json"
MAX_BYTES = 4 * 1024 * 1024
_ID = re.compile(r"^[a-z]+-\d{8}-\d{6}-[0-9a-f]{4}$")


@dataclass
class StoredDraft:
    """A draft's answers so far, the setup it was started with, and its file."""

    id: str
    kind: str
    started: datetime
    setup: dict[str, Any]
    answers: dict[str, Any]
    path: Path
    last: str = ""
    # several-line answers typed in part: kept line by line, so a stop loses no finished line
    begun: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> str:
        data = {
            "schema": DRAFT_SCHEMA,
            "id": self.id,
            "kind": self.kind,
            "started": self.started.isoformat(),
            "last": self.last,
            "setup": self.setup,
            "answers": self.answers,
        }
        if self.begun:
            data["begun"] = self.begun
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@dataclass
class DraftStore:
    """Create, rewrite, read and remove drafts; unreadable files are collected, not raised."""

    home: DataHome
    broken: list[RecordError] = field(default_factory=list)

    def create(self, kind: str, started: datetime, setup: dict[str, Any]) -> StoredDraft:
        """A new draft file with a name nobody else holds."""
        folder = self.home.drafts_dir
        for _ in range(20):
            draft_id = f"{kind}-{started:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
            draft = StoredDraft(draft_id, kind, started, setup, {}, folder / f"{draft_id}{SUFFIX}")
            if create_exclusive(draft.path, draft.as_json(), within=self.home.root):
                return draft
        raise StorageError("could not find a free name for a draft", path=folder)

    def save(self, draft: StoredDraft) -> None:
        """Rewrite the draft whole, atomically."""
        write_atomic(draft.path, draft.as_json(), within=self.home.root)

    def remove(self, draft: StoredDraft) -> None:
        """Delete a draft file; one already gone is fine."""
        try:
            draft.path.unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(
                f"could not remove the draft ({error.strerror})", path=draft.path
            ) from None

    def iter(self) -> list[StoredDraft]:
        """Every readable draft, oldest first; broken files go to ``broken``."""
        folder = self.home.drafts_dir
        if not folder.is_dir():
            return []
        found: list[StoredDraft] = []
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            if path.name.startswith("."):
                continue  # a temporary file of a write in progress
            try:
                found.append(self.read(path))
            except RecordError as problem:
                self.broken.append(problem)
        return sorted(found, key=lambda draft: draft.started)

    def read(self, path: Path) -> StoredDraft:
        link = linked_part(path, self.home.drafts_dir)
        if link is not None or self.home.drafts_dir.is_symlink():
            raise not_followed(link or self.home.drafts_dir)  # never read through a link
        try:
            if path.stat().st_size > MAX_BYTES:
                raise RecordError("is too big to be a draft", path=path)
            text = yamlio.decode(read_private(path), path)
        except OSError as error:
            raise RecordError(f"cannot be read ({error.strerror})", path=path) from None
        data = json_object(text, path)
        try:
            draft_id = str(data["id"])
            if not _ID.match(draft_id) or not isinstance(data["setup"], dict):
                raise ValueError
            begun = data.get("begun") or {}
            if not isinstance(data["answers"], dict) or not isinstance(begun, dict):
                raise ValueError
            return StoredDraft(
                id=draft_id,
                kind=str(data["kind"]),
                started=datetime.fromisoformat(str(data["started"])),
                setup=data["setup"],
                answers=data["answers"],
                path=path,
                last=str(data.get("last") or ""),
                begun={str(key): str(text) for key, text in begun.items()},
            )
        except (KeyError, TypeError, ValueError):
            raise RecordError("is not a peerjournal draft", path=path) from None
