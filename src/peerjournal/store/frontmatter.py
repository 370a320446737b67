r"""Markdown files with YAML front matter: split, join, and the entry body's sections.

Line breaks are split on "\n" only. ``str.splitlines`` would also break on U+0085, U+2028 and a
lone CR, silently changing text that people wrote.
"""

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from peerjournal.errors import RecordError
from peerjournal.store import yamlio
from peerjournal.store.validate import parse_model

FENCE = "---"
_HEADING = re.compile(r"^## (.+?)\s*$")
MAX_RECORD_BYTES = 2 * 1024 * 1024


def split(text: str, path: Path | None = None) -> tuple[yamlio.YamlDocument, str]:
    """Return the parsed front matter and the body of a record's text."""
    text = normalise_newlines(text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise RecordError("does not start with a '---' front matter line", path=path, line=1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            front = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            doc = yamlio.load_text(front, path=path, first_line=2)
            if not isinstance(doc.data, dict):
                raise RecordError("front matter must be a mapping of fields", path=path, line=2)
            return doc, body
    raise RecordError("front matter has no closing '---' line", path=path, line=1)


def join(fields: dict[str, Any], body: str) -> str:
    """A record's full text: front matter, then the body, ending in one newline.

    A NUL or an undecodable byte (a lone surrogate from piped text that was not UTF-8) becomes
    U+FFFD: written as it is, the first would make the file unreadable and the second cannot
    be written at all, and either would cost the person the rest of what they typed.
    """
    body = storable(body).strip("\n")
    text = f"{FENCE}\n{yamlio.dump(fields)}{FENCE}\n"
    return text + (f"\n{body}\n" if body else "")


def storable(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD, so it can be saved and read."""
    return _UNSTORABLE.sub("\ufffd", text)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def split_sections(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a body at ``## heading`` lines into free text and (heading, text) pairs."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match:
            sections.append((match.group(1), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return _tidy(preamble), [(heading, _tidy(lines)) for heading, lines in sections]


def join_sections(preamble: str, sections: list[tuple[str, str]]) -> str:
    """The inverse of split_sections for tidy text."""
    parts = [preamble] if preamble else []
    parts.extend(
        f"## {heading}\n\n{text}" if text else f"## {heading}" for heading, text in sections
    )
    return "\n\n".join(parts)


def _tidy(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so a Windows editor or a stray CR cannot split text oddly."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


ModelT = TypeVar("ModelT", bound=BaseModel)


def parse_record(raw: bytes, path: Path, model: type[ModelT]) -> tuple[ModelT, str]:
    """Decode, split and validate a Markdown record (a newer schema still reads, for showing)."""
    doc, body = split(yamlio.decode(raw, path), path)
    return parse_model(doc, model, what="front matter"), body


def refuse_newer(written: int, supported: int, path: Path) -> None:
    """A record from a newer peerjournal can be shown but never rewritten by this one."""
    if written > supported:
        raise RecordError(
            f"written by a newer peerjournal (schema {written}, this one knows {supported}); "
            "it can be shown but not changed: upgrade peerjournal to change it",
            path=path,
        )
