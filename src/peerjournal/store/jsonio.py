"""JSON records (assessments, drafts) parsed one way, with the line and column of a problem."""

import json
from pathlib import Path
from typing import Any

from peerjournal.errors import RecordError


def json_object(text: str, path: Path) -> dict[str, Any]:
    """The JSON object in ``text``; anything else is a RecordError naming where it went wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(
            f"column {error.colno}: not valid JSON ({error.msg})", path=path, line=error.lineno
        ) from None
    if not isinstance(data, dict):
        raise RecordError("must be a JSON object", path=path, line=1)
    return data
