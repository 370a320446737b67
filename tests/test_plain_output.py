"""Plain-text tables: what a person sees in a narrow terminal, a pipe, or a colour terminal."""

import io

from peerjournal.ui.plain import CYAN, Column, Terminal, cell_width, table

COLUMNS = (Column("id", wrap=False, style=CYAN), Column("title"), Column("n", justify="right"))
ROWS = [("20261124-1430-ab12", "A long walk by the river with the Tuesday group", "12")]


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_table_fits_the_width_by_wrapping_the_columns_that_may_wrap() -> None:
    text = table(COLUMNS, ROWS, Terminal(width=50))
    lines = text.splitlines()
    assert all(cell_width(line) <= 50 for line in lines)
    assert lines[1].startswith(" 20261124-1430-ab12  A long walk")
    words = " ".join(part for line in lines[1:] for part in line.split() if part not in
                     ("20261124-1430-ab12", "12"))  # fmt: skip
    assert words == "A long walk by the river with the Tuesday group"
    assert lines[1].endswith(" 12")  # right-justified, on the first line of its row


def test_a_wide_table_that_fits_is_not_wrapped() -> None:
    lines = table(COLUMNS, ROWS, Terminal(width=200)).splitlines()
    assert len(lines) == 2
    assert lines[0].split() == ["id", "title", "n"]


def test_colour_only_on_a_colour_terminal() -> None:
    assert not Terminal.of(io.StringIO(), {}).colour  # a pipe
    assert Terminal.of(FakeTty(), {"TERM": "xterm"}).colour
    assert not Terminal.of(FakeTty(), {"TERM": "xterm", "NO_COLOR": "1"}).colour
    assert not Terminal.of(FakeTty(), {"TERM": "dumb"}).colour
    assert Terminal.of(io.StringIO(), {"FORCE_COLOR": "1"}).colour
    coloured = table(COLUMNS, ROWS, Terminal(width=200, colour=True))
    assert "\x1b[36m20261124-1430-ab12\x1b[0m" in coloured
    assert "\x1b[" not in table(COLUMNS, ROWS, Terminal(width=200, colour=False))


def test_the_width_comes_from_columns_then_the_terminal() -> None:
    assert Terminal.of(io.StringIO(), {"COLUMNS": "132"}).width == 132
    assert Terminal.of(io.StringIO(), {}).width == 80


def test_wide_characters_count_two_columns() -> None:
    assert cell_width("日本") == 4
    assert cell_width("Rēwena") == 6
    rows = [("x", "日本語のテキスト", "1")]
    lines = table(COLUMNS, rows, Terminal(width=200)).splitlines()
    assert lines[1].endswith(" 1")
