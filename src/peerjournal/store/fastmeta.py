"""A fast reader for the front matter peerjournal itself writes, for building the index.

Building the index means reading every entry; full YAML costs about 90 microseconds a file,
most of it in PyYAML's Python constructor. The files peerjournal writes use a small, regular
subset of YAML (``key: value`` lines, ``- item`` lists, plain or single-quoted scalars), and
this reader handles exactly that subset, giving what the safe YAML loader (``yamlio``, YAML 1.2
core types) would give. Anything else (a hand edit with double quotes, a block scalar, a flow
list, indentation, a tab, a character YAML treats specially) returns None, and the caller falls
back to the full loader. What the values mean is not decided here: see ``models.entry``.
"""

import re
from typing import Any

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
# YAML 1.2 core types, as yamlio's loader resolves plain scalars
_NUMBER = re.compile(
    r"(?P<int>[-+]?(?:0|[1-9][0-9]*))"
    r"|[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?)"
)
_NUMBER_START = frozenset("-+.0123456789")
_SPECIAL: dict[str, bool | None] = {
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    "~": None, "null": None, "Null": None, "NULL": None,
}  # fmt: skip
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:]\S")
# Outside this set YAML refuses a character or reads it as a line break, a BOM or a tab: leave
# those files to the full loader rather than copy its rules for them.
_UNSURE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_DECLINE = object()  # a scalar this reader is not sure of
# Double quotes on one line: PyYAML writes them for text with emoji or control characters.
_DOUBLE = re.compile(r'"((?:[^"\\]|\\[0abtnvfre "/\\N_LP]|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}'
                     r'|\\U[0-9A-Fa-f]{8})*)"')  # fmt: skip
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
            "_": "\xa0", "L": "\u2028", "P": "\u2029"}  # fmt: skip


def read_front_matter(front: str) -> dict[str, Any] | None:
    """The front matter between the fences as YAML would read it, or None when unsure."""
    if _UNSURE.search(front):
        return None
    data: dict[str, Any] = {}
    open_key: str | None = None  # a key with nothing after the colon: a list may follow
    for line in front.split("\n"):
        if line[:2] == "- ":
            if open_key is None:
                return None
            item = _value(line[2:])
            if item is _DECLINE:
                return None
            if data[open_key] is None:
                data[open_key] = []
            data[open_key].append(item)
            continue
        match = _KEY.fullmatch(line)
        if match is None:
            if not line.strip(" ") or line.lstrip(" ")[:1] == "#":
                continue  # blank lines and comments mean nothing to YAML here
            return None
        key, raw = match.group(1), match.group(2)
        if key in data or key in _SPECIAL:
            return None  # a duplicate, or a key YAML reads as a boolean or null
        open_key = None
        if not raw:
            data[key] = None  # null, unless items follow
            open_key = key
            continue
        value = [] if raw == "[]" else _value(raw)
        if value is _DECLINE:
            return None
        data[key] = value
    return data or None  # no key at all: YAML reads null, which the full loader reports


def _value(raw: str) -> Any:  # noqa: ANN401 - a YAML scalar of any core type
    """A plain or single-quoted scalar on one line, typed as YAML would, or ``_DECLINE``."""
    if raw.startswith('"'):
        return _double_quoted(raw)
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'"):
            return _DECLINE
        inner = raw[1:-1]
        if "'" in inner.replace("''", ""):
            return _DECLINE
        return inner.replace("''", "'")
    if not _PLAIN_START.match(raw) or " #" in raw or ": " in raw or raw[-1] in " :":
        return _DECLINE
    if raw in _SPECIAL:
        return _SPECIAL[raw]
    if raw[0] in _NUMBER_START:
        number = _NUMBER.fullmatch(raw)
        if number is not None:
            return int(raw) if number.group("int") else float(raw)
    return raw


def _double_quoted(raw: str) -> Any:  # noqa: ANN401 - a str or _DECLINE
    """A double-quoted scalar on one line with YAML's escapes, or ``_DECLINE``."""
    match = _DOUBLE.fullmatch(raw)
    if match is None:
        return _DECLINE
    inner = match.group(1)
    if "\\" not in inner:
        return inner
    try:
        return _ESCAPE.sub(_unescape, inner)
    except ValueError:  # a surrogate or a code past U+10FFFF: YAML refuses it
        return _DECLINE


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2) or match.group(3)
    if code is None:
        return _ESCAPES[match.group(4)]
    value = int(code, 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise ValueError(code)
    return chr(value)
