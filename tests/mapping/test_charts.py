import itertools
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from core import charts


def test_nice_ticks_cover_the_range_with_round_steps():
    ticks = charts.nice_ticks(3.2, 18.7, 5)
    assert ticks[0] <= 3.2 and ticks[-1] >= 18.7
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert steps == {5.0}


def test_nice_ticks_survive_a_flat_series():
    ticks = charts.nice_ticks(7, 7)
    assert ticks[0] < 7 < ticks[-1]


def test_line_chart_breaks_the_line_where_a_value_is_missing():
    chart = charts.line_chart(
        [{"label": "A", "points": [(2000, 1), (2001, None), (2002, 3), (2003, 4)]}],
        chart_id="c",
        title="T",
    )
    path = chart["series"][0]["path"]
    assert path.count("M") == 2 and path.count("L") == 1
    assert [p["year"] for p in chart["series"][0]["points"]] == [2000, 2002, 2003]
    assert not chart["empty"]


def test_line_chart_without_values_is_empty():
    chart = charts.line_chart([{"label": "A", "points": [(2000, None)]}], chart_id="c", title="T")
    assert chart["empty"]


def test_coordinates_use_a_decimal_point_whatever_the_language():
    with translation.override("es"):
        chart = charts.line_chart(
            [{"label": "A", "points": [(2000, Decimal("1.5")), (2003, Decimal("2.25"))]}],
            chart_id="c",
            title="T",
            decimals=2,
        )
        html = render_to_string("includes/_svg_line_chart.html", {"chart": chart})
    number = r"-?\d+(\.\d+)?"
    assert re.fullmatch(rf"M{number},{number} L{number},{number}", chart["series"][0]["path"])
    assert 'role="img"' in html and 'aria-labelledby="c-title"' in html
    assert ": 2,25</title>" in html  # the value label is localised (Spanish decimal comma)


def test_bar_chart_sorts_largest_first_and_leaves_out_missing_values():
    chart = charts.bar_chart(
        [
            {"label": "Small", "value": Decimal("2")},
            {"label": "None", "value": None},
            {"label": "Big", "value": Decimal("9")},
        ],
        chart_id="b",
        title="Bars",
    )
    assert [bar["label"] for bar in chart["bars"]] == ["Big", "Small"]
    assert float(chart["bars"][0]["width"]) > float(chart["bars"][1]["width"])
    html = render_to_string("includes/_svg_bar_chart.html", {"chart": chart})
    assert '<title id="b-title">Bars</title>' in html
    assert "None" not in html


def test_bar_chart_handles_negative_values_from_the_zero_line():
    chart = charts.bar_chart(
        [{"label": "Up", "value": 3}, {"label": "Down", "value": -2}], chart_id="b", title="T"
    )
    zero = float(chart["zero_x"])
    down = chart["bars"][1]
    assert float(down["x"]) < zero
    assert abs(float(down["x"]) + float(down["width"]) - zero) < 0.1


def test_sparkline_has_no_axes():
    chart = charts.sparkline([(2000, 1), (2001, 2)], chart_id="s", title="T")
    assert chart["compact"] and chart["x_ticks"] == [] and chart["y_ticks"] == []
