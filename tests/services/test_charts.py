"""SVG charts: every document is parsed back and its marks measured, for fixed and random input."""

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerjournal.services.charts import Bar, bar_chart, column_chart

NS = "{http://www.w3.org/2000/svg}"
XMLNS = 'xmlns="http://www.w3.org/2000/svg"'
TRICKY = 'Boundaries & <dual> "roles"'


def parse(svg):
    return ET.fromstring(svg)


def marks(root, tag, kind):
    return [e for e in root.iter(f"{NS}{tag}") if e.get("class") == kind]


def texts(root, kind):
    return ["".join(e.itertext()) for e in marks(root, "text", kind)]


def number(element, name):
    return float(element.get(name))


def cleaned(text):
    """What the charts promise to keep of a label: XML-unsafe and control characters as U+FFFD."""
    return "".join(
        "\ufffd"
        if (ord(c) < 0x20 and c not in "\t\n\r")
        or 0x7F <= ord(c) <= 0x9F
        or 0xD800 <= ord(c) <= 0xDFFF
        or c in "\ufffe\uffff"
        else c
        for c in text
    )


def all_charts(title=TRICKY):
    return {
        "bar": bar_chart(title, [Bar("Hope", 3.0), Bar(TRICKY, None)], minimum=1, maximum=5),
        "column": column_chart(title, [Bar("2024-01", 4.0)], unit="h", target=6.0),
        "bar-empty": bar_chart(title, [], minimum=1, maximum=5),
        "column-empty": column_chart(title, []),
    }


# the document ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(all_charts()))
def test_every_chart_is_a_standalone_accessible_document(kind):
    svg = all_charts()[kind]
    assert svg.startswith(f"<svg {XMLNS}")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == TRICKY
    assert root.find(f"{NS}title").text == TRICKY
    assert len(root.findall(f"{NS}title")) == 1
    assert root.get("font-family") == "system-ui, sans-serif"
    width, height = float(root.get("width")), float(root.get("height"))
    assert width > 0
    assert height > 0
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


@pytest.mark.parametrize("kind", sorted(all_charts()))
def test_nothing_reaches_outside_the_document(kind):
    svg = all_charts()[kind]
    assert svg.count(XMLNS) == 1
    rest = svg.replace(XMLNS, "")  # the namespace is a name, never fetched
    for banned in ("http", "href", "<script", "<style", "<?xml", "url(", "@import", " id="):
        assert banned not in rest
    assert "\n\n" not in svg  # a blank line would end an HTML block in Markdown


def test_no_script_even_when_a_label_asks_for_one():
    svg = bar_chart("<script>x</script>", [Bar("<script>y</script>", 2)], minimum=1, maximum=5)
    assert "<script" not in svg
    assert marks(parse(svg), "rect", "bar")[0].get("data-label") == "<script>y</script>"


@pytest.mark.parametrize("kind", sorted(all_charts()))
def test_text_is_escaped_and_round_trips(kind):
    svg = all_charts()[kind]
    assert "&amp;" in svg
    assert "&lt;dual&gt;" in svg
    assert "&quot;roles&quot;" in svg
    assert TRICKY not in svg
    assert "".join(parse(svg).find(f"{NS}text").itertext()) == TRICKY  # the drawn title


# bar_chart ------------------------------------------------------------------------------------


def test_one_bar_per_rated_item_with_its_value():
    bars = [Bar("Connection", 3.0), Bar("Hope", None), Bar(TRICKY, 4.25), Bar("Ethics", 5)]
    root = parse(bar_chart("Means", bars, minimum=1, maximum=5))
    rects = marks(root, "rect", "bar")
    assert [r.get("data-label") for r in rects] == ["Connection", TRICKY, "Ethics"]
    assert [r.get("data-value") for r in rects] == ["3.00", "4.25", "5.00"]
    assert texts(root, "bar-label") == ["Connection", "Hope", TRICKY, "Ethics"]
    assert texts(root, "bar-value") == ["3.00", "4.25", "5.00"]


def test_bar_widths_are_proportional_from_the_minimum():
    bars = [Bar("one", 1), Bar("three", 3), Bar("five", 5), Bar("two", 2)]
    one, three, five, two = marks(parse(bar_chart("t", bars, minimum=1, maximum=5)), "rect", "bar")
    assert {number(r, "x") for r in (one, three, five, two)} == {number(one, "x")}
    assert number(one, "width") == 0
    assert number(five, "width") > 0
    assert number(three, "width") == pytest.approx(number(five, "width") / 2, abs=0.01)
    assert number(two, "width") == pytest.approx(number(five, "width") / 4, abs=0.01)


def test_bars_are_stacked_top_to_bottom_in_order():
    bars = [Bar(str(i), i) for i in range(1, 6)]
    rects = marks(parse(bar_chart("t", bars, minimum=1, maximum=5)), "rect", "bar")
    ys = [number(r, "y") for r in rects]
    assert ys == sorted(ys)
    assert len(set(ys)) == 5


def test_values_outside_the_scale_are_clamped_but_reported():
    bars = [Bar("low", -2), Bar("high", 7.5), Bar("top", 5)]
    low, high, top = marks(parse(bar_chart("t", bars, minimum=1, maximum=5)), "rect", "bar")
    assert low.get("data-value") == "-2.00"
    assert number(low, "width") == 0
    assert high.get("data-value") == "7.50"
    assert number(high, "width") == number(top, "width")


def test_an_unrated_item_says_so_and_has_no_bar():
    root = parse(bar_chart("t", [Bar("Hope", None)], minimum=1, maximum=5))
    assert marks(root, "rect", "bar") == []
    assert texts(root, "no-data") == ["no ratings"]
    assert texts(root, "bar-label") == ["Hope"]


def test_unit_follows_the_drawn_value():
    root = parse(bar_chart("t", [Bar("a", 2.5)], minimum=0, maximum=10, unit="h"))
    assert texts(root, "bar-value") == ["2.50 h"]
    root = parse(bar_chart("t", [Bar("a", 25)], minimum=0, maximum=100, unit="%"))
    assert texts(root, "bar-value") == ["25.00%"]


def test_long_labels_are_cut_in_the_drawing_only():
    label = "A very long domain title that goes well past forty characters"
    root = parse(bar_chart("t", [Bar(label, 2)], minimum=1, maximum=5))
    (drawn,) = texts(root, "bar-label")
    assert drawn.endswith("\u2026")
    assert len(drawn) <= 40
    assert label.startswith(drawn[:-1])
    assert marks(root, "rect", "bar")[0].get("data-label") == label


def test_control_characters_become_replacement_characters():
    label = "a\x00b\x1bc\td\ne\x85f\ud800g\uffff"
    root = parse(bar_chart(label, [Bar(label, 2)], minimum=1, maximum=5))
    expected = "a\ufffdb\ufffdc\td\ne\ufffdf\ufffdg\ufffd"
    assert marks(root, "rect", "bar")[0].get("data-label") == expected
    assert root.get("aria-label") == expected
    assert root.find(f"{NS}title").text == expected
    assert texts(root, "bar-label") == ["a\ufffdb\ufffdc d e\ufffdf\ufffdg\ufffd"]


def test_height_grows_with_the_number_of_bars():
    heights = [
        float(
            parse(
                bar_chart("t", [Bar(f"item {i}", 3) for i in range(n)], minimum=1, maximum=5)
            ).get("height")
        )
        for n in (1, 2, 10, 62)
    ]
    assert heights == sorted(heights)
    assert len(set(heights)) == 4
    assert heights[-1] < 62 * 40  # still sensible


def test_bar_chart_axis_shows_the_scale():
    root = parse(bar_chart("t", [Bar("a", 3)], minimum=1, maximum=5))
    assert texts(root, "tick") == ["1", "2", "3", "4", "5"]


# column_chart ---------------------------------------------------------------------------------


def test_columns_rise_from_zero_in_proportion():
    columns = [Bar("Jan", 2), Bar("Feb", None), Bar("Mar", 4), Bar("Apr", 0)]
    root = parse(column_chart("Hours", columns, unit="h"))
    jan, mar, apr = marks(root, "rect", "column")
    assert [c.get("data-label") for c in (jan, mar, apr)] == ["Jan", "Mar", "Apr"]
    assert [c.get("data-value") for c in (jan, mar, apr)] == ["2.00", "4.00", "0.00"]
    assert number(jan, "height") == pytest.approx(number(mar, "height") / 2, abs=0.01)
    assert number(apr, "height") == 0
    bases = {round(number(c, "y") + number(c, "height"), 2) for c in (jan, mar, apr)}
    assert len(bases) == 1
    assert texts(root, "column-value") == ["2.00 h", "4.00 h", "0.00 h"]
    assert texts(root, "no-data") == ["no data"]
    assert texts(root, "x-label") == ["Jan", "Feb", "Mar", "Apr"]
    assert marks(root, "line", "target") == []


def test_counts_are_drawn_as_whole_numbers():
    root = parse(
        column_chart("Entries", [Bar("Jan", 3), Bar("Feb", 1), Bar("Mar", 0)], counts=True)
    )
    assert texts(root, "column-value") == ["3", "1", "0"]
    measured = parse(column_chart("Hours", [Bar("Jan", 1.5)], counts=True))
    assert texts(measured, "column-value") == ["1.50"]  # not a whole number: kept as measured


def test_a_target_above_the_columns_sets_the_scale():
    root = parse(column_chart("Hours", [Bar("Jan", 2), Bar("Feb", 4)], target=8))
    jan, feb = marks(root, "rect", "column")
    (target,) = marks(root, "line", "target")
    assert target.get("data-value") == "8.00"
    base = number(feb, "y") + number(feb, "height")
    full = base - number(target, "y1")
    assert number(target, "y1") == number(target, "y2")
    assert number(feb, "height") == pytest.approx(full / 2, abs=0.01)
    assert number(jan, "height") == pytest.approx(full / 4, abs=0.01)
    assert texts(root, "target-label") == ["target: 8.00"]


def test_a_target_below_the_tallest_column_sits_in_proportion():
    root = parse(column_chart("Hours", [Bar("Jan", 5), Bar("Feb", 10)], unit="h", target=4))
    jan, feb = marks(root, "rect", "column")
    (target,) = marks(root, "line", "target")
    base = number(feb, "y") + number(feb, "height")
    assert base - number(target, "y1") == pytest.approx(number(feb, "height") * 0.4, abs=0.01)
    assert number(jan, "height") == pytest.approx(number(feb, "height") / 2, abs=0.01)
    assert texts(root, "target-label") == ["target: 4.00 h"]


def test_negative_columns_are_drawn_flat_and_all_zero_is_fine():
    root = parse(column_chart("t", [Bar("a", -3), Bar("b", 0)]))
    a, b = marks(root, "rect", "column")
    assert a.get("data-value") == "-3.00"
    assert number(a, "height") == number(b, "height") == 0


def test_many_columns_widen_the_chart():
    few = parse(column_chart("t", [Bar(f"m{i}", i) for i in range(12)]))
    many = parse(column_chart("t", [Bar(f"2024-{i:02d}", i) for i in range(62)]))
    assert float(many.get("width")) > float(few.get("width"))
    assert len(marks(many, "rect", "column")) == 62


# all charts -----------------------------------------------------------------------------------


def test_output_is_deterministic():
    def build():
        return (
            bar_chart("t", [Bar(TRICKY, 3.333), Bar("b", None)], minimum=1, maximum=5, unit="x"),
            column_chart("t", (Bar("a", 1 / 3),), target=2 / 3),
        )

    assert build() == build()


def test_coordinates_have_at_most_two_decimals():
    svg = bar_chart("t", [Bar("a", 1 / 3), Bar("b", 2 / 7)], minimum=0, maximum=1 / 9 * 10)
    root = parse(svg)
    for element in root.iter():
        for name in ("x", "y", "width", "height", "cx", "cy", "x1", "y1", "x2", "y2"):
            value = element.get(name)
            if value is not None and not value.endswith("%"):
                assert len(value.partition(".")[2]) <= 2


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart("Means", [], minimum=1, maximum=5),
        column_chart("Hours", []),
        column_chart("Hours", [], target=5),
    ],
)
def test_empty_input_says_no_data(svg):
    root = parse(svg)
    assert texts(root, "no-data") == ["no data"]
    assert root.find(f"{NS}title").text in {"Means", "Progress", "Hours"}
    assert not any(e.get("class") in {"bar", "column", "series", "point"} for e in root.iter())


@pytest.mark.parametrize(("minimum", "maximum"), [(5, 1), (3, 3), (math.nan, 5), (1, math.inf)])
def test_a_scale_must_run_upwards(minimum, maximum):
    with pytest.raises(ValueError, match="minimum < maximum"):
        bar_chart("t", [Bar("a", 2)], minimum=minimum, maximum=maximum)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_values_must_be_finite(bad):
    with pytest.raises(ValueError, match="cannot draw"):
        bar_chart("t", [Bar("a", bad)], minimum=1, maximum=5)
    with pytest.raises(ValueError, match="cannot draw"):
        column_chart("t", [Bar("a", bad)])
    with pytest.raises(ValueError, match="cannot draw"):
        column_chart("t", [Bar("a", 1)], target=bad)


# any input ------------------------------------------------------------------------------------

values = st.none() | st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
bars = st.lists(st.builds(Bar, st.text(), values), max_size=70)


def assert_sane_geometry(root):
    for element in root.iter():
        for name in ("x", "y", "width", "height", "cx", "cy", "x1", "y1", "x2", "y2"):
            value = element.get(name)
            if value is not None and not value.endswith("%"):
                assert math.isfinite(float(value))
        for name in ("width", "height"):
            value = element.get(name)
            if value is not None and not value.endswith("%"):
                assert float(value) >= 0


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(),
    bars=bars,
    minimum=st.floats(min_value=-100, max_value=100),
    span=st.floats(min_value=0.01, max_value=1000),
    unit=st.text(max_size=5),
)
def test_bar_chart_of_any_text_and_values_parses(title, bars, minimum, span, unit):
    root = parse(bar_chart(title, bars, minimum=minimum, maximum=minimum + span, unit=unit))
    assert root.get("aria-label") == cleaned(title)
    valued = [bar for bar in bars if bar.value is not None]
    rects = marks(root, "rect", "bar")
    assert [r.get("data-label") for r in rects] == [cleaned(bar.label) for bar in valued]
    assert [float(r.get("data-value")) for r in rects] == [
        pytest.approx(bar.value, abs=0.006) for bar in valued
    ]
    assert len(marks(root, "text", "bar-label")) == len(bars)
    assert len(marks(root, "text", "no-data")) == (len(bars) - len(valued) if bars else 1)
    assert all(len(text) <= 40 for text in texts(root, "bar-label"))
    assert_sane_geometry(root)


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(),
    columns=bars,
    target=values,
    unit=st.text(max_size=5),
)
def test_column_chart_of_any_text_and_values_parses(title, columns, target, unit):
    root = parse(column_chart(title, columns, unit=unit, target=target))
    valued = [column for column in columns if column.value is not None]
    rects = marks(root, "rect", "column")
    assert [r.get("data-label") for r in rects] == [cleaned(c.label) for c in valued]
    assert len(marks(root, "line", "target")) == (1 if columns and target is not None else 0)
    heights = [number(r, "height") for r in rects]
    if heights:
        assert max(heights) <= 240
    assert_sane_geometry(root)
