"""What waits in ``.trash/`` (deleted records) and ``.recovery/`` (text that could not be saved).

Both folders only grow: a delete moves a record to the trash so it can be restored, and a failed
save keeps the typed text. These are the rules for seeing what is there and, when the person
asks, destroying it for good. Items are described by id, kind, date and size; their text is
about real people and is read only when its owner asks to see one (``text``).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from peerjournal.clock import Zone
from peerjournal.errors import InputError, NotFoundError, RecordError
from peerjournal.store.discard import held_files, remove_for_good
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock

__all__ = ["BinName", "Held", "Holding"]

BinName = Literal["trash", "recovery"]
TRASH_KINDS = (  # the first folder (relative to the trash) that names a record's kind
    (("journal",), "diary entry"),
    (("assessments",), "assessment"),
    (("supervision", "sessions"), "supervision session"),
    (("supervision", "agreements"), "supervision agreement"),
    (("supervision",), "supervision record"),
)
UNSAVED = re.compile(r"^unsaved-(?P<kind>[a-z-]+?)-\d{8}-\d{6}-[0-9a-f]+$")


@dataclass(frozen=True)
class Held:
    """One item in the trash or the recovery folder, described without its contents."""

    id: str
    kind: str
    changed: datetime  # when the file was last written, in the home's zone
    size: int
    path: Path


class Holding:
    """List and empty one home's trash and recovery folders."""

    def __init__(self, home: DataHome, *, zone: Zone = None) -> None:
        self._home = home
        self._zone = zone

    def folder(self, which: BinName) -> Path:
        return self._home.trash_dir if which == "trash" else self._home.recovery_dir

    def items(self, which: BinName) -> list[Held]:
        """Everything waiting, oldest change first."""
        folder = self.folder(which)
        found = [
            Held(
                id=held.path.stem,
                kind=_kind(which, held.path.relative_to(folder)),
                changed=held.changed.astimezone(self._zone),
                size=held.size,
                path=held.path,
            )
            for held in held_files(folder)
        ]
        return sorted(found, key=lambda item: (item.changed, item.id))

    def chosen(self, which: BinName, ids: Sequence[str] = ()) -> list[Held]:
        """The items ``ids`` name (an id or a unique start of one), or all of them."""
        everything = self.items(which)
        if not ids:
            return everything
        picked: dict[Path, Held] = {}
        for wanted in ids:
            key = wanted.strip()
            if not key:
                raise InputError("an id cannot be empty")
            exact = [item for item in everything if item.id == key]
            matches = exact or [item for item in everything if item.id.startswith(key)]
            if not matches:
                raise NotFoundError(f"nothing in the {which} with id {key!r}")
            if len(matches) > 1:
                raise InputError(
                    f"{key!r} matches {len(matches)} items in the {which}; give more of the id"
                )
            picked[matches[0].path] = matches[0]
        return sorted(picked.values(), key=lambda item: (item.changed, item.id))

    def text(self, which: BinName, wanted: str) -> str:
        """What one kept item says, opened if the home is encrypted (asked for by its owner)."""
        from peerjournal.store.vault import read_private
        from peerjournal.store.yamlio import decode

        (item,) = self.chosen(which, [wanted])
        try:
            return decode(read_private(item.path), item.path)
        except OSError as error:
            raise RecordError(f"cannot read ({error.strerror})", path=item.path) from None

    def destroy(self, which: BinName, items: Sequence[Held]) -> int:
        """Delete these items for good; returns how many were deleted."""
        with home_lock(self._home.lock_file):
            remove_for_good(self.folder(which), [item.path for item in items])
        return len(items)


def _kind(which: BinName, relative: Path) -> str:
    if which == "trash":
        parts = relative.parts[:-1]
        for prefix, kind in TRASH_KINDS:
            if parts[: len(prefix)] == prefix:
                return kind
        return "file"
    if ".conflict-" in relative.name:
        return "conflict copy"
    match = UNSAVED.match(relative.stem)
    if match:
        return f"unsaved {match.group('kind').replace('-', ' ')}"
    return "file"
