"""SVG charts for reports: bars of domain means and columns of hours.

Reports are Markdown or one self-contained HTML file that must open offline, be printed and
still read years later, so a chart is a plain SVG string built here without dependencies and
without anything that reaches outside it: no scripts, links, web fonts or images. Inline SVGs
share their page, so there are no ids to clash and no <style> element to leak into it: only
presentation attributes. Every value is also written as text beside its mark, and series
differ by dash pattern as well as colour, so a chart reads in black and white.

User text (titles, labels, names) is escaped. Characters that XML 1.0 cannot carry, and
control characters other than tab, newline and carriage return, become U+FFFD, so any string
gives a well-formed document. Marks carry a class and data- attributes with the real values
(clamped only where drawn) for the tests and the report's own checks. Output is deterministic,
with coordinates rounded to 2 decimals and no blank lines, so it can sit inline in Markdown.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

_NAMESPACE = "http://www.w3.org/2000/svg"
_FONT = "system-ui, sans-serif"
_INK = "#1a1a1a"
_MUTED = "#555555"
_GRID = "#d0d0d0"
_BAR = "#2f5d8a"
_PALETTE = ("#1f4e79", "#a14a00", "#1b6e4b", "#8e2459", "#4b3a8c", "#3d4650", "#0e6170", "#7a1f1f")
_DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4")
_WIDTH = 720
_TOP = 44  # below the drawn title
_LABEL_CHARS = 40
_TITLE_CHARS = 80
_CHAR_WIDTH = 6.6  # an average at font size 12, for layout estimates only
_ROW = 24  # bar chart: one row per bar
_PLOT_HEIGHT = 240  # column charts
_MIN_STEP = 28.0  # column charts: the least room per x label before widening

_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


@dataclass(frozen=True)
class Bar:
    """One bar or column; None draws an empty slot."""

    label: str
    value: float | None


def bar_chart(
    title: str, bars: Sequence[Bar], *, minimum: float, maximum: float, unit: str = ""
) -> str:
    """Horizontal bars, one per item, on a fixed scale from minimum to maximum (e.g. 1..5)."""
    _check_scale(minimum, maximum)
    _check_values(bar.value for bar in bars)
    if not bars:
        return _empty(title)
    left, plot_width = 300.0, 330.0
    bottom = _TOP + len(bars) * _ROW
    height = bottom + 36
    span = maximum - minimum
    body = _heading(title)
    for tick in _ticks(minimum, maximum):
        x = left + plot_width * (tick - minimum) / span
        body.append(_tag("line", class_="grid", x1=x, y1=_TOP - 4, x2=x, y2=bottom, stroke=_GRID))
        body.append(_tag("text", _n(tick), class_="tick", x=x, y=bottom + 16, text_anchor="middle"))
    for row, bar in enumerate(bars):
        y = _TOP + row * _ROW
        body.append(_tag("text", _short(bar.label), class_="bar-label", x=12, y=y + 16))
        if bar.value is None:
            body.append(
                _tag(
                    "text",
                    "no ratings",
                    class_="no-data",
                    x=left + 6,
                    y=y + 16,
                    fill=_MUTED,
                    font_style="italic",
                )
            )
            continue
        width = plot_width * (_clamp(bar.value, minimum, maximum) - minimum) / span
        body.append(
            _tag(
                "rect",
                class_="bar",
                data_label=bar.label,
                data_value=_value(bar.value),
                x=left,
                y=y + 4,
                width=width,
                height=16,
                fill=_BAR,
            )
        )
        text = _with_unit(bar.value, unit)
        body.append(_tag("text", text, class_="bar-value", x=left + width + 6, y=y + 16))
    body.append(_tag("line", class_="axis", x1=left, y1=_TOP - 4, x2=left, y2=bottom, stroke=_INK))
    return _document(title, _WIDTH, height, body)


def column_chart(
    title: str,
    columns: Sequence[Bar],
    *,
    unit: str = "",
    target: float | None = None,
    counts: bool = False,
) -> str:
    """Vertical columns from zero (e.g. supervision hours by month), optional dashed target line."""
    _check_values(column.value for column in columns)
    _check_values([target])
    if not columns:
        return _empty(title)
    values = [column.value for column in columns if column.value is not None]
    highest = max([*values, *([] if target is None else [target])], default=0.0)
    highest = highest if highest > 0 else 1.0  # nothing above zero: an empty 0..1 scale
    ticks = _ticks(0.0, highest)
    left, step = _layout([column.label for column in columns], ticks)
    texts = [_label(value, unit, counts) for value in values]
    widest = max((len(text) for text in texts), default=0) * _CHAR_WIDTH * 10 / 12
    upright = widest + 4 > step  # value labels turn upright when they would not fit across
    top = _TOP + (widest + 8 if upright else 16)
    bottom = top + _PLOT_HEIGHT
    width = left + step * len(columns) + 24
    body = _heading(title)
    body += _y_axis(ticks, 0.0, highest, left, width - 24, bottom)
    labels_end, labels = _x_labels([column.label for column in columns], left, step, bottom)
    body += labels
    breadth = min(step * 0.6, 48.0)
    for index, column in enumerate(columns):
        middle = left + step * (index + 0.5)
        if column.value is None:
            body.append(_upright_text("no data", "no-data", middle, bottom - 4, upright=step < 48))
            continue
        height = _PLOT_HEIGHT * _clamp(column.value, 0.0, highest) / highest
        body.append(
            _tag(
                "rect",
                class_="column",
                data_label=column.label,
                data_value=_value(column.value),
                x=middle - breadth / 2,
                y=bottom - height,
                width=breadth,
                height=height,
                fill=_BAR,
            )
        )
        text = _label(column.value, unit, counts)
        body.append(_upright_text(text, "column-value", middle, bottom - height - 5, upright))
    end = labels_end
    if target is not None:
        y = bottom - _PLOT_HEIGHT * _clamp(target, 0.0, highest) / highest
        line: dict[str, str | float] = {
            "stroke": _INK,
            "stroke_width": 1.5,
            "stroke_dasharray": "6 4",
        }
        right = left + step * len(columns)
        body.append(
            _tag(
                "line",
                class_="target",
                data_value=_value(target),
                x1=left,
                y1=y,
                x2=right,
                y2=y,
                **line,
            )
        )
        end += 26
        swatch = {"x1": left, "y1": end - 4, "x2": left + 28, "y2": end - 4}
        body.append(_tag("line", class_="legend-swatch", **swatch, **line))
        text = f"target: {_with_unit(target, unit)}"
        body.append(_tag("text", text, class_="target-label", x=left + 36, y=end))
    return _document(title, width, end + 12, body)


def _check_scale(minimum: float, maximum: float) -> None:
    if not (math.isfinite(minimum) and math.isfinite(maximum) and minimum < maximum):
        raise ValueError(f"a chart scale needs minimum < maximum, not {minimum}..{maximum}")


def _check_values(values: Iterable[float | None]) -> None:
    for value in values:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"a chart cannot draw the value {value}")


def _document(title: str, width: float, height: float, body: Sequence[str]) -> str:
    attributes = _attributes(
        xmlns=_NAMESPACE,
        width=width,
        height=height,
        viewBox=f"0 0 {_n(width)} {_n(height)}",
        role="img",
        aria_label=title,
        font_family=_FONT,
        font_size=12,
        fill=_INK,
    )
    background = _tag("rect", class_="background", width="100%", height="100%", fill="#ffffff")
    return "\n".join([f"<svg {attributes}>", _tag("title", title), background, *body, "</svg>"])


def _empty(title: str) -> str:
    """A chart with nothing to show still says what it would have shown."""
    return _document(title, _WIDTH, 110, [*_heading(title), _no_data(_WIDTH / 2, 76)])


def _heading(title: str) -> list[str]:
    text = _short(title, _TITLE_CHARS)
    return [_tag("text", text, class_="chart-title", x=12, y=24, font_size=15, font_weight=600)]


def _no_data(x: float, y: float) -> str:
    return _tag("text", "no data", class_="no-data", x=x, y=y, text_anchor="middle", fill=_MUTED)


def _y_axis(
    ticks: Sequence[float], low: float, span: float, left: float, right: float, bottom: float
) -> list[str]:
    """Grid lines and values up the left of a line or column chart."""
    lines = []
    for tick in ticks:
        y = bottom - _PLOT_HEIGHT * (tick - low) / span
        lines.append(_tag("line", class_="grid", x1=left, y1=y, x2=right, y2=y, stroke=_GRID))
        lines.append(_tag("text", _n(tick), class_="tick", x=left - 6, y=y + 4, text_anchor="end"))
    lines.append(_tag("line", class_="axis", x1=left, y1=bottom, x2=right, y2=bottom, stroke=_INK))
    return lines


def _x_labels(
    labels: Sequence[str], left: float, step: float, bottom: float
) -> tuple[float, list[str]]:
    """Labels under each slot, slanted when they would not fit; also where they end."""
    reach = _slant(labels, step)
    texts = []
    for index, text in enumerate(_short(label) for label in labels):
        x, y = left + step * (index + 0.5), bottom + 18
        if reach:
            texts.append(
                _tag(
                    "text",
                    text,
                    class_="x-label",
                    x=x,
                    y=y,
                    text_anchor="end",
                    transform=f"rotate(-45 {_n(x)} {_n(y)})",
                )
            )
        else:
            texts.append(_tag("text", text, class_="x-label", x=x, y=y, text_anchor="middle"))
    return bottom + 18 + reach, texts


def _upright_text(text: str, kind: str, x: float, y: float, upright: bool) -> str:
    """Small text above a column, turned to read upwards when the column is narrow."""
    look = {"fill": _MUTED, "font_style": "italic"} if kind == "no-data" else {}
    if upright:
        return _tag(
            "text",
            text,
            class_=kind,
            x=x + 4,
            y=y,
            font_size=10,
            transform=f"rotate(-90 {_n(x + 4)} {_n(y)})",
            **look,
        )
    return _tag("text", text, class_=kind, x=x, y=y, font_size=10, text_anchor="middle", **look)


def _layout(labels: Sequence[str], ticks: Sequence[float]) -> tuple[float, float]:
    """The left margin and the room per x label of a line or column chart.

    The margin fits the longest tick value, and the first label when labels are slanted. The room
    is the usual width shared out, or more (so a wider chart) when there are many labels.
    """
    left = max(48.0, 16 + max(len(_n(tick)) for tick in ticks) * _CHAR_WIDTH)
    step = max(_MIN_STEP, (_WIDTH - left - 24) / len(labels))
    return max(left, _slant(labels, step) - step / 2 + 12), step


def _slant(labels: Sequence[str], step: float) -> float:
    """How far slanted x labels reach across and down; 0 when they fit upright."""
    widest = max(len(_short(label)) for label in labels) * _CHAR_WIDTH
    return widest * 0.71 if widest + 6 > step else 0.0


def _ticks(low: float, high: float) -> list[float]:
    """Round values from low to high, about five steps apart."""
    raw = (high - low) / 5
    if not (math.isfinite(raw) and raw > 0):  # a span too small or too large to divide
        return [low, high]
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9)
    ticks = [(first + k) * step for k in range(12)]
    return [min(tick, high) for tick in ticks if tick <= high + step * 1e-9] or [low, high]


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    """Text to draw: whitespace runs as one space, cut with an ellipsis past `limit` characters."""
    text = " ".join(_INVALID.sub("\ufffd", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _value(value: float) -> str:
    """A value with 2 decimals, as data-value and as drawn text."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _with_unit(value: float, unit: str) -> str:
    if not unit:
        return _value(value)
    return f"{_value(value)}{'' if unit.startswith('%') else ' '}{unit}"


def _label(value: float, unit: str, counts: bool) -> str:
    """The drawn label: a count is a whole number ('3', never '3.00'); a measure has 2 decimals."""
    if counts and float(value).is_integer():
        return f"{int(value)}{' ' + unit if unit else ''}"
    return _with_unit(value, unit)


def _n(number: float) -> str:
    """A coordinate: at most 2 decimals, no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _escape(text: str) -> str:
    """Text safe in XML content and double-quoted attributes, and unchanged when parsed back."""
    return escape(_INVALID.sub("\ufffd", text), _ENTITIES)


def _attributes(**attributes: str | float) -> str:
    """Attributes from keywords: a trailing _ is dropped and other _ become -."""
    return " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{_escape(v) if isinstance(v, str) else _n(v)}"'
        for key, v in attributes.items()
    )


def _tag(name: str, text: str | None = None, /, **attributes: str | float) -> str:
    head = f"{name} {_attributes(**attributes)}" if attributes else name
    return f"<{head}/>" if text is None else f"<{head}>{_escape(text)}</{name}>"
