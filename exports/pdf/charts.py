"""Charts drawn with reportlab.graphics: the section radar, quartile bars and score bars.

Each function takes the plain data of ``exports.documents`` and returns a ``Drawing`` that a
renderer places in its story like any other flowable.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from exports.documents import BoxPlot, RadarChart
from exports.pdf.base import ACCENT, ACCENT_LIGHT, FONT, INK, MUTED, RULE

MEDIAN_COLOUR = colors.HexColor("#c99a06")


@contextmanager
def _unchecked_shapes():
    """Skip reportlab's per-attribute validation of graphics shapes while we build charts
    from known-good values (it was a tenth of a passport's rendering time)."""
    before = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        yield
    finally:
        rl_config.shapeChecking = before


def _radar_drawing(chart: RadarChart, width: float, height: float = 78 * mm) -> Drawing:
    """A radar (spider) chart of section scores on a 0..100 scale, drawn with plain
    reportlab.graphics shapes: rings at 25/50/75/100, one spoke per section, the member's
    polygon filled, the peer median as a dashed outline.

    (reportlab's ``SpiderChart`` widget drew the same picture at about 40 % of the cost of a
    whole passport, because it builds and validates a label object per point and spoke.)
    """
    drawing = Drawing(width, height)
    count = len(chart.values)
    radius = min(width * 0.30, (height - 16 * mm) / 2)
    cx, cy = width / 2, 8 * mm + (height - 8 * mm) / 2
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]

    def points(values) -> list[float]:
        out: list[float] = []
        for value, angle in zip(values, angles, strict=True):
            r = radius * max(0.0, min(100.0, value)) / 100
            out += [cx + r * math.cos(angle), cy + r * math.sin(angle)]
        return out

    for ring in (25, 50, 75, 100):
        drawing.add(
            Polygon(
                points([ring] * count),
                fillColor=None,
                strokeColor=RULE,
                strokeWidth=0.4 if ring < 100 else 0.7,
            )
        )
    for angle, text in zip(angles, chart.labels, strict=True):
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        drawing.add(Line(cx, cy, x, y, strokeColor=RULE, strokeWidth=0.4))
        lx = cx + (radius + 3 * mm) * math.cos(angle)
        ly = cy + (radius + 3 * mm) * math.sin(angle) - 2
        anchor = (
            "middle" if abs(math.cos(angle)) < 0.2 else ("start" if math.cos(angle) > 0 else "end")
        )
        drawing.add(
            String(lx, ly, text, fontName=FONT, fontSize=6.2, fillColor=INK, textAnchor=anchor)
        )
    fill = colors.Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.25)
    drawing.add(Polygon(points(chart.values), fillColor=fill, strokeColor=ACCENT, strokeWidth=1.4))
    if chart.median is not None:
        outline = points(chart.median)
        drawing.add(
            PolyLine(
                outline + outline[:2],
                strokeColor=MEDIAN_COLOUR,
                strokeWidth=1.1,
                strokeDashArray=(3, 2),
            )
        )
    x = 2 * mm
    for index, text in enumerate(chart.legend):
        colour = ACCENT if index == 0 else MEDIAN_COLOUR
        drawing.add(Rect(x, 1.5 * mm, 5 * mm, 2 * mm, fillColor=colour, strokeColor=None))
        drawing.add(
            String(x + 6.5 * mm, 1.5 * mm, text, fontName=FONT, fontSize=6.5, fillColor=INK)
        )
        x += 28 * mm
    return drawing


def _score_bars(bars: tuple[tuple[str, float | None], ...], width: float) -> Drawing:
    """Horizontal 0..100 bars, one per row (the Start-to-MVO result per core subject)."""
    row = 7 * mm
    label_width = 62 * mm
    bar_width = width - label_width - 14 * mm
    drawing = Drawing(width, row * len(bars) + 2 * mm)
    for index, (text, score) in enumerate(bars):
        y = drawing.height - (index + 1) * row
        short = text if len(text) <= 40 else text[:39] + "…"
        drawing.add(String(0, y + 1.5 * mm, short, fontName=FONT, fontSize=7.5, fillColor=INK))
        drawing.add(
            Rect(
                label_width,
                y + 0.8 * mm,
                bar_width,
                4 * mm,
                fillColor=ACCENT_LIGHT,
                strokeColor=None,
            )
        )
        if score is not None:
            drawing.add(
                Rect(
                    label_width,
                    y + 0.8 * mm,
                    bar_width * score / 100,
                    4 * mm,
                    fillColor=ACCENT,
                    strokeColor=None,
                )
            )
    return drawing


def _quartile_bars(plots: tuple[BoxPlot, ...], width: float) -> Drawing:
    """Box plots without whiskers: the p25..p75 box, the median line and the mean dot."""
    row = 7 * mm
    label_width = 62 * mm
    axis_width = width - label_width - 6 * mm
    height = row * len(plots) + 8 * mm
    drawing = Drawing(width, height)
    for tick in range(0, 101, 20):
        x = label_width + axis_width * tick / 100
        drawing.add(Line(x, 6 * mm, x, height, strokeColor=RULE, strokeWidth=0.3))
        drawing.add(
            String(
                x,
                2 * mm,
                str(tick),
                fontName=FONT,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for index, plot in enumerate(plots):
        y = height - (index + 1) * row
        short = plot.label if len(plot.label) <= 40 else plot.label[:39] + "…"
        drawing.add(String(0, y + 1.8 * mm, short, fontName=FONT, fontSize=7.5, fillColor=INK))

        def at(value: float) -> float:
            return label_width + axis_width * max(0.0, min(100.0, value)) / 100

        drawing.add(
            Rect(
                at(plot.p25),
                y + 0.8 * mm,
                max(at(plot.p75) - at(plot.p25), 0.5),
                4.4 * mm,
                fillColor=ACCENT_LIGHT,
                strokeColor=ACCENT,
                strokeWidth=0.6,
            )
        )
        drawing.add(
            Line(
                at(plot.median),
                y + 0.4 * mm,
                at(plot.median),
                y + 5.6 * mm,
                strokeColor=ACCENT,
                strokeWidth=1.6,
            )
        )
        drawing.add(
            Rect(
                at(plot.mean) - 0.8 * mm,
                y + 2.2 * mm,
                1.6 * mm,
                1.6 * mm,
                fillColor=MEDIAN_COLOUR,
                strokeColor=None,
            )
        )
    return drawing


def radar_drawing(chart: RadarChart, width: float, height: float = 78 * mm) -> Drawing:
    """A radar (spider) chart of section scores (see ``_radar_drawing``)."""
    with _unchecked_shapes():
        return _radar_drawing(chart, width, height)


def score_bars(bars: tuple[tuple[str, float | None], ...], width: float) -> Drawing:
    """Horizontal 0..100 score bars (see ``_score_bars``)."""
    with _unchecked_shapes():
        return _score_bars(bars, width)


def quartile_bars(plots: tuple[BoxPlot, ...], width: float) -> Drawing:
    """Quartile box plots (see ``_quartile_bars``)."""
    with _unchecked_shapes():
        return _quartile_bars(plots, width)
