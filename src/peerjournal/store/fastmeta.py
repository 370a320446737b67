"""A fast reader for the front matter peerjournal itself writes, for building the index.

Building the index means reading every entry; full YAML costs about 90 microseconds a file,
most of it in PyYAML's Python constructor. The files peerjournal writes use a small, regular
subset of YAML (``key: value`` lines, ``- item`` lists, plain or single-quoted scalars), and
this reader handles exactly that subset. Anything else (a hand edit with double quotes, a block
scalar, a flow list, indentation, a value YAML would read as a number or a boolean where text
is expected) returns None, and the caller falls back to the full safe YAML loader.
"""

import re
from typing import Any

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$")
_NOT_TEXT = re.compile(  # what the YAML 1.2 core schema would not read as a string
    r"^(?:true|True|TRUE|false|False|FALSE|~|null|Null|NULL|[-+]?(?:0|[1-9][0-9]*)"
    r"|[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?))$"
)
_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]|^[-?:][^\s]")
_TEXT_KEYS = ("id", "date", "title")
_LIST_KEYS = ("tags", "competencies", "discussed_in")


def read_front_matter(lines: list[str]) -> dict[str, Any] | None:
    """The index's fields from front-matter lines, or None when full YAML is needed."""
    data: dict[str, Any] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith("- "):
            if current is None:
                return None
            item = _scalar(line[2:])
            if item is None or _NOT_TEXT.match(line[2:]):
                return None
            current.append(item)
            continue
        match = _KEY.match(line)
        if match is None:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            return None
        key, raw = match.group(1), match.group(2)
        if key in data:
            return None  # a duplicate key: let the full loader report it
        current = None
        if raw is None or raw == "":
            current = []
            data[key] = current
            continue
        if raw == "[]":
            data[key] = []
            continue
        value = _scalar(raw)
        if value is None:
            return None
        if key in _TEXT_KEYS and raw[0] != "'" and _NOT_TEXT.match(raw):
            return None
        data[key] = _typed(value) if raw[0] != "'" else value
    for key in _LIST_KEYS:
        if key in data and not isinstance(data[key], list):
            return None
    return data


def _scalar(raw: str) -> str | None:
    """A plain or single-quoted scalar on one line, or None for anything fancier."""
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'"):
            return None
        inner = raw[1:-1]
        if "'" in inner.replace("''", ""):
            return None
        return inner.replace("''", "'")
    if not _PLAIN_START.match(raw) or " #" in raw or ": " in raw or raw.endswith((" ", ":")):
        return None
    return raw


def _typed(value: str) -> Any:  # noqa: ANN401 - a YAML scalar of any core type
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if value in ("~", "null", "Null", "NULL"):
        return None
    return value
