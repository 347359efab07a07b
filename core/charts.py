"""Small server-side chart helpers: they compute the geometry of inline-SVG charts and return
plain dicts that `templates/includes/_svg_line_chart.html` and `_svg_bar_chart.html` draw.

No domain imports and no formatting: numbers stay numbers (the templates localise them with
`floatformat`), labels stay the caller's strings. Every chart is drawn next to a data table
by its caller; the SVG is a picture of that table, not a replacement for it.
"""

import math

# Colour-blind-safe palette (Okabe–Ito), each at least 3:1 against white; series also differ
# by marker shape and dash so colour is never the only cue.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#7a6a00", "#56517a", "#8c2d04"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square", "diamond"]


def _c(number: float) -> str:
    """A coordinate as SVG text: always a decimal point, whatever the page's language."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, r: float = 4.0) -> str:
    """Path data of a point marker centred on (x, y)."""
    if shape == "square":
        return f"M{_c(x - r)},{_c(y - r)}h{_c(2 * r)}v{_c(2 * r)}h{_c(-2 * r)}Z"
    if shape == "diamond":
        d = r + 1
        return f"M{_c(x)},{_c(y - d)}L{_c(x + d)},{_c(y)}L{_c(x)},{_c(y + d)}L{_c(x - d)},{_c(y)}Z"
    if shape == "triangle":
        return f"M{_c(x)},{_c(y - r - 1)}L{_c(x + r + 1)},{_c(y + r)}L{_c(x - r - 1)},{_c(y + r)}Z"
    return (
        f"M{_c(x - r)},{_c(y)}a{_c(r)},{_c(r)} 0 1,0 {_c(2 * r)},0"
        f"a{_c(r)},{_c(r)} 0 1,0 {_c(-2 * r)},0Z"
    )


def _number(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (about `count` of them)."""
    if high < low:
        low, high = high, low
    if high == low:
        spread = abs(high) or 1.0
        low, high = low - spread / 2, high + spread / 2
    raw_step = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
        if len(ticks) > 50:  # safety net for pathological input
            break
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _number_format(decimals: int) -> str:
    # `floatformat` argument: fixed decimals with the locale's thousands grouping.
    return f"{max(int(decimals), 0)}g"


def line_chart(
    series: list[dict],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    decimals: int = 1,
    width: int = 640,
    height: int = 260,
    compact: bool = False,
) -> dict:
    """A time-series chart. `series` is a list of {"label": str, "points": [(year, value)]};
    a value of None leaves a gap in the line. With `compact` (a sparkline) there are no axes.

    Coordinates come back as text with a decimal point; values stay numbers for the
    template to localise.
    """
    pad = (4, 6, 6, 6) if compact else (64, 18, 12, 34)  # left, right, top, bottom
    left, right = pad[0], width - pad[1]
    top, bottom = pad[2], height - pad[3]
    years = sorted({int(year) for item in series for year, _ in item["points"]})
    numbers = [
        number
        for item in series
        for _, value in item["points"]
        if (number := _number(value)) is not None
    ]
    chart = {
        "id": chart_id,
        "title": title,
        "description": description,
        "width": width,
        "height": height,
        "compact": compact,
        "decimals": decimals,
        "number_format": _number_format(decimals),
        "axis": {
            "left": _c(left),
            "right": _c(right),
            "bottom": _c(bottom),
            "label_x": _c(left - 8),
            "label_y": _c(height - 10),
        },
        "x_ticks": [],
        "y_ticks": [],
        "series": [],
        "empty": not numbers,
    }
    if not numbers:
        return chart
    ticks = nice_ticks(min(numbers), max(numbers), 5)
    low, high = ticks[0], ticks[-1]
    first, last = years[0], years[-1]

    def x_of(year):
        if first == last:
            return (left + right) / 2
        return left + (year - first) * (right - left) / (last - first)

    def y_of(number):
        return bottom - (number - low) * (bottom - top) / ((high - low) or 1)

    if not compact:
        chart["y_ticks"] = [{"y": _c(y_of(tick)), "value": tick} for tick in ticks]
        step = max(1, math.ceil(len(years) / 8))  # at most about eight year labels
        shown = years[::step]
        if years[-1] not in shown:
            shown.append(years[-1])
        chart["x_ticks"] = [{"x": _c(x_of(year)), "label": year} for year in shown]
    radius = 2.5 if compact else 4.0
    for index, item in enumerate(series):
        shape = MARKERS[index % len(MARKERS)]
        points, commands, pen_down = [], [], False
        for year, value in sorted(item["points"], key=lambda point: point[0]):
            number = _number(value)
            if number is None:
                pen_down = False
                continue
            x, y = x_of(int(year)), y_of(number)
            commands.append(f"{'L' if pen_down else 'M'}{_c(x)},{_c(y)}")
            pen_down = True
            points.append(
                {"year": int(year), "value": value, "marker": _marker(shape, x, y, radius)}
            )
        chart["series"].append(
            {
                "label": item["label"],
                "colour": PALETTE[index % len(PALETTE)],
                "dash": DASHES[index % len(DASHES)],
                "marker": shape,
                "path": " ".join(commands),
                "points": points,
            }
        )
    return chart


def sparkline(points, *, chart_id: str, title: str, description: str = "", decimals: int = 1):
    """A small one-series line chart without axes, for cards and profile rows. Only the
    latest point has a marker (with its value as a tooltip): the caller's table holds every
    value, and a page may draw dozens of sparklines."""
    chart = line_chart(
        [{"label": title, "points": points}],
        chart_id=chart_id,
        title=title,
        description=description,
        decimals=decimals,
        width=160,
        height=40,
        compact=True,
    )
    for line in chart.get("series", []):
        line["points"] = line["points"][-1:]
    return chart


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    items: list[dict],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    decimals: int = 1,
    width: int = 640,
    bar_height: int = 22,
    gap: int = 8,
    label_width: int = 170,
    sort: bool = True,
) -> dict:
    """A horizontal bar chart, largest value first. `items` is a list of
    {"label": str, "value": number, "highlight": bool}; items without a value are left out
    (a missing number is not a zero: the caller says so in words).
    """
    rows = [dict(item) for item in items if _number(item.get("value")) is not None]
    if sort:
        rows.sort(key=lambda item: -_number(item["value"]))
    value_width = 90
    left, right = label_width, width - value_width
    numbers = [_number(item["value"]) for item in rows]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    span = (high - low) or 1.0

    def x_of(number):
        return left + (number - low) * (right - left) / span

    zero = x_of(0.0)
    bars = []
    for index, item in enumerate(rows):
        number = _number(item["value"])
        y = index * (bar_height + gap) + gap
        start, end = sorted((zero, x_of(number)))
        bars.append(
            {
                "label": item["label"],
                "short_label": _shorten(item["label"], 24),
                "value": item["value"],
                "highlight": bool(item.get("highlight")),
                "x": _c(start),
                "y": _c(y),
                "width": _c(max(end - start, 1)),
                "height": _c(bar_height),
                "text_y": _c(y + bar_height / 2),
                "value_x": _c(max(end, zero) + 6),
            }
        )
    height = len(bars) * (bar_height + gap) + gap
    return {
        "id": chart_id,
        "title": title,
        "description": description,
        "width": width,
        "height": height,
        "decimals": decimals,
        "number_format": _number_format(decimals),
        "label_x": _c(label_width - 8),
        "zero_x": _c(zero),
        "bars": bars,
        "empty": not bars,
    }
