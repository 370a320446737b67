"""Text that could not be saved, kept in ``.recovery/`` so nothing a person typed is lost.

One place for every kind of record, so the files share one naming rule (``doctor`` lists them by
it) and none ever overwrites another.
"""

import secrets
from datetime import datetime
from pathlib import Path

from peerjournal.errors import StorageError
from peerjournal.store.atomic import create_exclusive
from peerjournal.store.layout import DataHome


def keep_unsaved(home: DataHome, kind: str, text: str, when: datetime) -> Path:
    """A new private file ``unsaved-KIND-STAMP-XXXX.md`` holding ``text``.

    Raises StorageError when even that fails; the caller then hands the text back to the person.
    """
    for _ in range(20):
        path = home.recovery_dir / f"unsaved-{kind}-{when:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}.md"
        if create_exclusive(path, text, within=home.root):
            return path
    raise StorageError("could not find a free name for a recovery file", path=home.recovery_dir)
