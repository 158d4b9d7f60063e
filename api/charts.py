"""Chart geometry for the server-rendered SVG charts (``templates/charts.html`` draws them).

Hand-drawn on purpose: the pages' Content-Security-Policy allows no inline styles or scripts,
and the charting libraries that render SVG on the server (pygal, svg.charts) put a ``<style>``
element (and pygal a script) inside every chart. Here each chart is a few rectangles with
classes from the site's stylesheet, a ``<title>`` and ``<desc>``, and a data table beside it.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 180
LEFT, BOTTOM, TOP = 36, 28, 16


@dataclass(frozen=True)
class Bar:
    """One bar: its box, its value and label, and which series it belongs to."""

    x: float
    y: float
    width: float
    height: float
    value: float | None
    label: str
    series: int = 0


@dataclass
class Chart:
    """A bar chart's boxes, axis ticks and labels, in the SVG's own units."""

    title: str
    description: str
    labels: list[str]
    series: list[str]
    rows: list[list[float | None]]
    unit: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    axis: list[tuple[float, str]] = field(default_factory=list)
    baseline: float = 0.0


def month_label(month: str) -> str:
    """``2026-11`` as ``Nov``, January with its year (``Jan 2027``)."""
    year, number = month.split("-")
    name = calendar.month_abbr[int(number)]
    return f"{name} {year}" if number == "01" else name


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bars(
    title: str,
    description: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    unit: str = "",
    top: float | None = None,
    short: int = 0,
) -> Chart:
    """A grouped bar chart: one group per label, one bar per series (``None`` draws no bar).

    ``short``: cut axis labels to this many characters (the table keeps them whole).
    """
    names = list(series)
    rows = [list(values) for values in series.values()]
    highest = max((v for row in rows for v in row if v is not None), default=0.0)
    ceiling = top if top is not None else _nice_top(highest)
    chart = Chart(title, description, list(labels), names, rows, unit)
    plot_w, plot_h = chart.width - LEFT - 8, chart.height - TOP - BOTTOM
    chart.baseline = TOP + plot_h
    slot = plot_w / max(len(labels), 1)
    inner = slot * 0.8 / max(len(names), 1)
    for i, label in enumerate(labels):
        x0 = LEFT + i * slot + slot * 0.1
        shown = label if not short or len(label) <= short else label[: short - 1].rstrip() + "…"
        chart.axis.append((LEFT + i * slot + slot / 2, shown))
        for k, row in enumerate(rows):
            value = row[i] if i < len(row) else None
            h = 0.0 if value is None else plot_h * min(value, ceiling) / ceiling
            chart.bars.append(
                Bar(
                    round(x0 + k * inner, 1),
                    round(chart.baseline - h, 1),
                    round(inner - 1, 1),
                    round(h, 1),
                    value,
                    label,
                    k,
                )
            )
    chart.ticks = [(round(chart.baseline - plot_h * f, 1), f"{ceiling * f:g}") for f in (0, 0.5, 1)]
    return chart
