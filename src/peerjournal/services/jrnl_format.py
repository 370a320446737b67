"""Read jrnl journals (plain text, or a ``jrnl --format json`` export) into plain entries.

A pure parser, no files and no clock, so the import service can test every rule on strings. It
follows jrnl's own reader (github.com/jrnl-org/jrnl, v4.x: jrnl/journals/Journal.py ``_parse``,
jrnl/journals/Entry.py ``_parse_text``, ``split_title``, ``tag_regex``) wherever that reader keeps
the user's text, and departs from it where jrnl would drop or invent text, because an import must
not lose a word of someone's reflective practice:

- An entry starts at a line ``[date] title`` whose date parses with the journal's timeformat, as
  in ``_parse``. jrnl then retries a failed date with a fuzzy parser (jrnl/time.py ``parse``), so
  a body line such as ``[March 3] call back`` can start an entry in jrnl; here only the given
  formats count, and every other ``[...]`` line stays in the body.
- jrnl drops text before the first entry; here it is an error that names the line.
- jrnl reads a journal with the wrong timeformat as one entry dated now; here that is an error
  that lists the formats tried.

Error messages name lines and fields and never repeat the text (see ``peerjournal.errors``).
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from peerjournal.errors import InputError, RecordError

# jrnl 2 and 3 default to "%Y-%m-%d %H:%M"; jrnl 4 defaults to "%F %r" (jrnl/config.py,
# get_default_config), which glibc's strftime writes as "%Y-%m-%d %I:%M:%S %p".
DEFAULT_TIME_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p")
DEFAULT_TAG_SYMBOLS = "#@"  # jrnl/config.py, get_default_config: "tagsymbols": "#@"

# A JSON export entry without a time gets jrnl's default_hour / default_minute (config.py).
_DEFAULT_HOUR = 9
_DEFAULT_MINUTE = 0

# C strftime spellings that jrnl users have in jrnl.yaml ("%F %r" is jrnl 4's default; glibc's
# "%-d" drops padding) but that Python's strptime does not know. strptime accepts unpadded and
# space-padded days and any case of am/pm.
_SHORTHANDS = {
    "%F": "%Y-%m-%d",
    "%e": "%d",
    "%P": "%p",
    "%T": "%H:%M:%S",
    "%R": "%H:%M",
    "%r": "%I:%M:%S %p",
    "%D": "%m/%d/%y",
}
_DIRECTIVE = re.compile(r"%-?.", re.DOTALL)
_FORMAT_TOKEN = re.compile(r"%.|\s+|.", re.DOTALL)
# The most digits strptime reads for each numeric directive (Python's _strptime.TimeRE).
_DIGITS = {"Y": 4, "G": 4, "f": 6, "j": 3, "u": 1, "w": 1} | dict.fromkeys("dHImMSUVWy", 2)
_Format = tuple[str, re.Pattern[str] | None]  # a strptime format and its _prefilter

# Where a first sentence ends, as jrnl's Entry.SENTENCE_SPLITTER (after segtok) has it: a
# terminal, an optional closing quote, any closing brackets, then whitespace; or a CJK full stop,
# which needs no space after it.
_TERMINALS = ".!?\u2026\u203c\u203d\u2047\u2048\u2049\u22ef\ufe52\ufe57"
_CLOSING_QUOTES = "'\"\u2019\u201d"
_CJK_TERMINALS = "\uff01\uff0e\uff1f\uff61\u3002"
_SENTENCE_END = re.compile(
    f"[{re.escape(_TERMINALS)}][{re.escape(_CLOSING_QUOTES)}]?[\\])]*\\s+|[{_CJK_TERMINALS}]"
)

# jrnl's Entry.tag_regex is (?<!\S)([<symbols>][-+*#/\w]+); a tag here also needs one word
# character, so a Markdown "## Heading" does not make a tag "##".
_TAG_TAIL = r"[-+*#/\w]*\w[-+*#/\w]*"


@dataclass(frozen=True)
class JrnlEntry:
    """One jrnl entry as written in the journal."""

    date: datetime  # naive, as written; the caller attaches the local zone
    title: str
    body: str  # after the title; inner blank lines kept, trailing whitespace stripped
    tags: tuple[str, ...]  # with their symbol, lowercased, unique, in order of appearance
    starred: bool
    line: int  # 1-based line of the "[date]" line in the source; 0 for a JSON export


def parse_text(
    text: str,
    *,
    time_formats: Sequence[str] = DEFAULT_TIME_FORMATS,
    tag_symbols: str = DEFAULT_TAG_SYMBOLS,
) -> list[JrnlEntry]:
    """The entries of a plain-text jrnl journal, in file order.

    Raises RecordError (with ``line``) for text before the first entry, and InputError when no
    line starts an entry in any of ``time_formats``. Blank text has no entries.
    """
    given, formats = _formats(time_formats)
    tags = _tag_pattern(tag_symbols)
    lines = _normalise(text).split("\n")
    starts: list[tuple[int, datetime, str]] = []
    for index, line in enumerate(lines):
        if line.startswith("["):
            found = _entry_start(line, formats)
            if found is not None:
                starts.append((index, *found))
    if not starts:
        if any(line.strip() for line in lines):
            raise _no_entries(lines, given)
        return []
    for index in range(starts[0][0]):
        if lines[index].strip():
            raise _text_before_first_entry(lines[index], index + 1, given)
    entries = []
    for number, (index, date, rest) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        entries.append(_text_entry(date, rest, lines[index + 1 : end], index + 1, tags))
    return entries


def parse_json(text: str) -> list[JrnlEntry]:
    """The entries of a ``jrnl --format json`` export, in export order.

    Missing ``title``, ``body``, ``time``, ``tags`` or ``starred`` get jrnl's defaults; a missing
    or malformed ``date`` and values of the wrong type raise RecordError naming the field, and
    JSON that does not parse raises RecordError with the JSON error's line.
    """
    return _parse_json(text, DEFAULT_TAG_SYMBOLS)


def parse_any(
    text: str,
    *,
    time_formats: Sequence[str] = DEFAULT_TIME_FORMATS,
    tag_symbols: str = DEFAULT_TAG_SYMBOLS,
) -> list[JrnlEntry]:
    """A JSON export when the text starts with ``{``, a plain-text journal otherwise.

    A plain-text journal cannot start with ``{`` (that would be text before the first entry), so
    a damaged export gets the JSON error and its line rather than a plain-text error.
    """
    if _normalise(text).lstrip().startswith("{"):
        return _parse_json(text, tag_symbols)
    return parse_text(text, time_formats=time_formats, tag_symbols=tag_symbols)


# --- plain text -------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Drop a BOM; CRLF and lone CR become LF (as store.frontmatter does for records)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _formats(time_formats: Sequence[str]) -> tuple[tuple[str, ...], tuple[_Format, ...]]:
    """The formats as given (for messages) and ready to parse (shorthands expanded)."""
    given = (time_formats,) if isinstance(time_formats, str) else tuple(time_formats)
    if not given or not all(isinstance(fmt, str) and fmt.strip() for fmt in given):
        raise InputError("a time format is empty; give the journal's timeformat from jrnl.yaml")
    expanded = (_DIRECTIVE.sub(_expand, fmt) for fmt in given)
    return given, tuple((fmt, _prefilter(fmt)) for fmt in expanded)


def _expand(match: re.Match[str]) -> str:
    directive = "%" + match.group(0)[-1]  # "%-d" -> "%d"
    return _SHORTHANDS.get(directive, directive)


def _prefilter(fmt: str) -> re.Pattern[str] | None:
    """A cheap regex that every string strptime accepts for ``fmt`` matches; None if unsure.

    strptime costs microseconds per call, most of them spent failing on lines that are plainly
    not dates in this format; a mismatch here skips the call and never changes a result. Only
    numbers, am/pm and literals are modelled, with bounded repeats so no line can make it slow.
    """
    parts = []
    for piece in _FORMAT_TOKEN.findall(fmt):
        if piece == "%%":
            parts.append("%")
        elif piece == "%p":
            parts.append(".{0,16}")  # the locale's am/pm
        elif piece[0] == "%" and len(piece) == 2:
            if piece[1] not in _DIGITS:
                return None  # names, zones, locale formats: leave them to strptime
            parts.append(f" ?\\d{{1,{_DIGITS[piece[1]]}}}")
        elif piece.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _entry_start(line: str, formats: tuple[_Format, ...]) -> tuple[datetime, str] | None:
    """The date and the rest of a ``[date] rest`` line; None when it does not start an entry.

    jrnl needs a space after ``]``; a ``[date]`` line whose trailing space an editor removed also
    counts here, since its bracket holds a date in the journal's own format.
    """
    close = line.find("]", 1)
    if close < 2 or line[close + 1 : close + 2] not in ("", " "):
        return None
    blob = line[1:close]
    for fmt, prefilter in formats:  # the first format that parses wins
        if prefilter is not None and prefilter.fullmatch(blob) is None:
            continue
        try:
            date = _naive(blob, fmt)
        except ValueError:
            continue
        return date, line[close + 2 :]
    return None


def _text_entry(
    date: datetime, rest: str, following: list[str], line: int, tags: re.Pattern[str] | None
) -> JrnlEntry:
    """Build an entry from the rest of its date line and the lines up to the next entry.

    Follows ``Entry._parse_text`` and ``split_title``: a first line ending in ``*`` is starred;
    the title is the whole first line (jrnl >= 2.5, PR #958), or its first sentence when the entry
    is one unstarred line with no line break after it; an empty first line gives way to the first
    non-blank line, as ``split_title``'s ``lstrip`` does.
    """
    first = rest.strip()
    starred = first.endswith("*")
    if starred:
        first = _without_star(first)
    if not following and not starred:
        title, body = _split_first_sentence(first)
    else:
        body_lines = _drop_leading_blank(following)
        if not first and body_lines:
            first = body_lines[0].strip()
            body_lines = _drop_leading_blank(body_lines[1:])
        title, body = first, "\n".join(body_lines).rstrip()
    return JrnlEntry(date, title, body, _find_tags(f"{title}\n{body}", tags), starred, line)


def _without_star(first: str) -> str:
    """Remove jrnl's star marker (``Entry.__str__`` writes ``title + " *"``).

    jrnl strips every leading and trailing ``*`` and space from the line, which would eat
    Markdown emphasis such as ``Felt *heard*``; only a ``*`` standing on its own is removed here.
    """
    head = first[:-1]
    if head and not head[-1].isspace():
        return first
    return head.rstrip()


def _split_first_sentence(text: str) -> tuple[str, str]:
    """The first sentence and the rest, as jrnl's ``split_title`` splits text on one line."""
    match = _SENTENCE_END.search(text)
    if match is None:
        return text, ""
    return text[: match.end()].strip(), text[match.end() :].strip()


def _drop_leading_blank(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if line.strip():
            return lines[index:]
    return []


def _no_entries(lines: list[str], formats: tuple[str, ...]) -> InputError:
    tried = ", ".join(f"'{fmt}'" for fmt in formats)
    bracketed = next((n for n, line in enumerate(lines, 1) if line.startswith("[")), None)
    where = ""
    if bracketed is not None:
        where = f"; line {bracketed} starts with '[' but holds no date in these formats"
    return InputError(
        f"no jrnl entries found: no line starts with '[date] ' in the time formats tried "
        f"({tried}){where}; pass the journal's timeformat from jrnl.yaml with --timeformat"
    )


def _text_before_first_entry(line: str, number: int, formats: tuple[str, ...]) -> RecordError:
    hint = ""
    if line.startswith("["):
        tried = ", ".join(f"'{fmt}'" for fmt in formats)
        hint = f"; if it starts an entry, its date is not in the time formats tried ({tried})"
    return RecordError(
        "text before the first dated entry, which jrnl ignores; move it into an entry or delete "
        f"it so that nothing is lost{hint}",
        line=number,
    )


# --- tags -------------------------------------------------------------------------------------


def _tag_pattern(symbols: str) -> re.Pattern[str] | None:
    """The tag regex for these symbols (escaped, which jrnl does not do); None for none."""
    unique = "".join(dict.fromkeys(symbols.replace(" ", "")))
    if not unique:
        return None
    return re.compile(f"(?<!\\S)[{re.escape(unique)}]{_TAG_TAIL}")


def _find_tags(text: str, pattern: re.Pattern[str] | None) -> tuple[str, ...]:
    if pattern is None:
        return ()
    return tuple(dict.fromkeys(tag.lower() for tag in pattern.findall(text)))


# --- JSON export ------------------------------------------------------------------------------


def _parse_json(text: str, tag_symbols: str) -> list[JrnlEntry]:
    """Read the shape written by jrnl's ``JSONExporter`` (plugins/json_exporter.py)."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise RecordError(
            f"not valid JSON: {error.msg} (column {error.colno})", line=error.lineno
        ) from None
    except RecursionError:
        raise RecordError("JSON is nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise RecordError('not a jrnl JSON export: expected an object with an "entries" list')
    pattern = _tag_pattern(tag_symbols)
    return [_json_entry(item, index, pattern) for index, item in enumerate(data["entries"])]


def _json_entry(item: object, index: int, pattern: re.Pattern[str] | None) -> JrnlEntry:
    where = f"entries[{index}]"
    if not isinstance(item, dict):
        raise RecordError(f"entry {index + 1} is not a JSON object", field=where)
    title = _json_text(item, "title", index).strip()
    body = _json_text(item, "body", index).rstrip()
    starred = item.get("starred", False)
    if not isinstance(starred, bool):
        raise RecordError(f"entry {index + 1}: starred is not true or false", field=where)
    tags = _json_tags(item.get("tags"), f"{title}\n{body}", pattern, index)
    return JrnlEntry(_json_date(item, index), title, body, tags, starred, 0)


def _json_text(item: dict[str, object], key: str, index: int) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"entry {index + 1}: {key} is not text", field=f"entries[{index}].{key}")
    return value


def _json_date(item: dict[str, object], index: int) -> datetime:
    """``date`` is ``%Y-%m-%d`` and ``time`` is ``%H:%M`` in jrnl's export; seconds are lost."""
    day, time = item.get("date"), item.get("time")
    if not isinstance(day, str):
        raise RecordError(f"entry {index + 1} has no date", field=f"entries[{index}].date")
    if time is None:
        time = f"{_DEFAULT_HOUR:02d}:{_DEFAULT_MINUTE:02d}"
    if not isinstance(time, str):
        raise RecordError(f"entry {index + 1}: time is not text", field=f"entries[{index}].time")
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return _naive(f"{day.strip()} {time.strip()}", fmt)
        except ValueError:
            continue
    raise RecordError(
        f"entry {index + 1}: date and time are not YYYY-MM-DD and HH:MM",
        field=f"entries[{index}].date",
    )


def _json_tags(
    raw: object, text: str, pattern: re.Pattern[str] | None, index: int
) -> tuple[str, ...]:
    """The export's own tag list, ordered as the tags appear in the text (jrnl's is a set)."""
    found = _find_tags(text, pattern)
    if raw is None:
        return found
    if not isinstance(raw, list) or not all(isinstance(tag, str) for tag in raw):
        raise RecordError(
            f"entry {index + 1}: tags is not a list of text", field=f"entries[{index}].tags"
        )
    given = dict.fromkeys(tag.strip().lower() for tag in raw if tag.strip())
    in_text = [tag for tag in found if tag in given]
    return (*in_text, *(tag for tag in given if tag not in in_text))


def _naive(blob: str, fmt: str) -> datetime:
    """Parse a wall-clock time as written; jrnl stores no zone, the caller attaches one."""
    return datetime.strptime(blob, fmt)  # noqa: DTZ007 - naive by contract, see JrnlEntry.date
