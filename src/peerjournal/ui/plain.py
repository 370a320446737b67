"""Tables and lines as plain text, with colour only on a colour terminal: no rich to import.

The everyday commands (`diary list`, `diary tags`, `diary evidence`, the home screen) print
tables; rich costs about 20 ms to import, a third of their whole budget, and adds nothing a
few lines of layout cannot do. rich stays for what needs it: Markdown, prompts, progress bars.
Colour follows the same conventions rich does: only on a terminal, never with ``NO_COLOR``
set or ``TERM=dumb``, always with ``FORCE_COLOR``.
"""

import os
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple, TextIO

Justify = Literal["left", "right", "center"]

BOLD_UNDERLINE = "1;4"
BOLD = "1"
CYAN = "36"
BOLD_CYAN = "1;36"
DIM = "2"
YELLOW = "33"


class Column(NamedTuple):
    """One table column: its header, how cells sit, and whether long cells wrap."""

    header: str
    justify: Justify = "left"
    wrap: bool = True
    style: str = ""  # an SGR code, e.g. CYAN


class Terminal(NamedTuple):
    """Where output goes: how wide it is and whether it takes colour."""

    width: int = 80
    colour: bool = False

    @classmethod
    def of(cls, stream: TextIO, environ: Mapping[str, str] | None = None) -> "Terminal":
        env = os.environ if environ is None else environ
        tty = _isatty(stream)
        columns = env.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            width = int(columns)
        elif tty:
            try:
                width = os.get_terminal_size(stream.fileno()).columns
            except (OSError, ValueError):
                width = 80
        else:
            width = 80
        if env.get("FORCE_COLOR"):
            colour = True
        else:
            colour = tty and "NO_COLOR" not in env and env.get("TERM", "") != "dumb"
        return cls(width=max(width, 20), colour=colour)

    def style(self, text: str, code: str) -> str:
        """``text`` in the SGR style ``code`` on a colour terminal, as it is elsewhere."""
        if not code or not self.colour or not text:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def cell_width(text: str) -> int:
    """Columns a string takes on a terminal: wide East Asian characters count two."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


Cell = str | tuple[str, str]  # text, or (text, SGR style) for a cell that stands out


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    terminal: Terminal,
    *,
    row_styles: Sequence[str] | None = None,
    title: str | None = None,
) -> str:
    """Rows under a header, one space of padding each side of a cell, fitted to the width.

    Columns that may wrap give up room, widest first, until the table fits; their cells then
    wrap at word boundaries (a word longer than its column is broken).
    """
    texts_of = [[cell if isinstance(cell, str) else cell[0] for cell in row] for row in rows]
    styles_of = [["" if isinstance(cell, str) else cell[1] for cell in row] for row in rows]
    widths = _fit(columns, texts_of, terminal.width)
    lines: list[str] = []
    if title is not None:
        lines.append(title)
    header = [terminal.style(c.header, BOLD_UNDERLINE) for c in columns]
    lines.append(_line([c.header for c in columns], header, columns, widths))
    for number, row in enumerate(texts_of):
        extra = row_styles[number] if row_styles is not None else ""
        cells = [_wrapped(text, width) if c.wrap else [text] for c, text, width in
                 zip(columns, row, widths, strict=True)]  # fmt: skip
        for depth in range(max(len(cell) for cell in cells)):
            texts = [cell[depth] if depth < len(cell) else "" for cell in cells]
            shown = texts
            if terminal.colour:  # no styling work at all for a pipe or NO_COLOR
                shown = [
                    terminal.style(text, own or extra or column.style)
                    for column, text, own in zip(columns, texts, styles_of[number], strict=True)
                ]
            lines.append(_line(texts, shown, columns, widths))
    return "".join(f"{line}\n" for line in lines)


def _fit(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    natural = [
        max([cell_width(column.header), *(cell_width(row[i]) for row in rows)])
        for i, column in enumerate(columns)
    ]
    widths = list(natural)
    room = width - 2 * len(columns)
    while sum(widths) > room:
        flexible = [i for i, c in enumerate(columns) if c.wrap and widths[i] > 8]
        if not flexible:
            break
        widest = max(flexible, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _wrapped(text: str, width: int) -> list[str]:
    """Words onto lines of at most ``width`` columns; a longer word is broken.

    A plain greedy wrap, not textwrap's: a 500-row search result wraps ~500 cells, and this
    does it in a third of the time.
    """
    measure = len if text.isascii() else cell_width  # ASCII: a character is a column
    if measure(text) <= width:
        return [text]
    lines: list[str] = []
    current, used = "", 0
    for word in text.split():
        size = measure(word)
        while size > width:
            if current:
                lines.append(current)
                current, used = "", 0
            lines.append(word[:width])
            word = word[width:]
            size = measure(word)
        if not current:
            current, used = word, size
        elif used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
        else:
            lines.append(current)
            current, used = word, size
    if current:
        lines.append(current)
    return lines or [""]


def _line(
    texts: Sequence[str], shown: Sequence[str], columns: Sequence[Column], widths: Sequence[int]
) -> str:
    parts = []
    for text, styled, column, width in zip(texts, shown, columns, widths, strict=True):
        gap = max(width - (len(text) if text.isascii() else cell_width(text)), 0)
        if column.justify == "right":
            parts.append(" " * gap + styled)
        elif column.justify == "center":
            parts.append(" " * (gap // 2) + styled + " " * (gap - gap // 2))
        else:
            parts.append(styled + " " * gap)
    return (" " + "  ".join(parts)).rstrip()
