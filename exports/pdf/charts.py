"""Charts drawn with reportlab.graphics: the section radar, quartile bars and score bars.

Each function takes the plain data of ``exports.documents`` and returns a ``Drawing`` that a
renderer places in its story like any other flowable.
"""

from __future__ import annotations

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from exports.documents import BoxPlot, RadarChart
from exports.pdf.base import ACCENT, ACCENT_LIGHT, FONT, INK, MUTED, RULE

MEDIAN_COLOUR = colors.HexColor("#c99a06")


def radar_drawing(chart: RadarChart, width: float, height: float = 78 * mm) -> Drawing:
    """A spider chart of section scores (0..100), the peer median as a second, dashed line."""
    drawing = Drawing(width, height)
    spider = SpiderChart()
    size = min(width * 0.55, height - 22 * mm)
    spider.x = (width - size) / 2
    spider.y = 10 * mm
    spider.width = size
    spider.height = size
    # Grey rings at 50 and 100 come first: they draw the scale and fix the outer radius at 100
    # (SpiderChart normalises to the largest value it is given).
    count = len(chart.values)
    data = [[100.0] * count, [50.0] * count, list(chart.values)]
    if chart.median is not None:
        data.append(list(chart.median))
    spider.data = data
    spider.labels = list(chart.labels)
    for ring in (0, 1):
        spider.strands[ring].strokeColor = RULE
        spider.strands[ring].fillColor = None
        spider.strands[ring].strokeWidth = 0.5
    spider.strands[2].strokeColor = ACCENT
    spider.strands[2].fillColor = colors.Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.25)
    spider.strands[2].strokeWidth = 1.5
    if chart.median is not None:
        spider.strands[3].strokeColor = MEDIAN_COLOUR
        spider.strands[3].fillColor = None
        spider.strands[3].strokeWidth = 1.2
        spider.strands[3].strokeDashArray = (3, 2)
    spider.spokes.strokeColor = RULE
    spider.spokeLabels.fontName = FONT
    spider.spokeLabels.fontSize = 6.5
    spider.spokeLabels.fillColor = INK
    drawing.add(spider)
    # Legend below the chart.
    x = width / 2 - 30 * mm
    for index, text in enumerate(chart.legend):
        colour = ACCENT if index == 0 else MEDIAN_COLOUR
        drawing.add(Rect(x, 2 * mm, 6 * mm, 2.2 * mm, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 8 * mm, 2 * mm, text, fontName=FONT, fontSize=7, fillColor=INK))
        x += 34 * mm
    return drawing


def score_bars(bars: tuple[tuple[str, float | None], ...], width: float) -> Drawing:
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


def quartile_bars(plots: tuple[BoxPlot, ...], width: float) -> Drawing:
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
