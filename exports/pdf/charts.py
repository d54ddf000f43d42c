"""Charts drawn with reportlab.graphics: the section radar, quartile bars and score bars.

Each function takes the plain data of ``exports.documents`` and returns a flowable (a
``Drawing``, or for the radar a flowable that draws straight onto the canvas) that a renderer
places in its story.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from exports.appearance import RADAR_MEDIAN_COLOUR, label_lines, radar_angles
from exports.documents import BoxPlot, RadarChart
from exports.pdf.base import ACCENT, ACCENT_LIGHT, FONT, INK, MUTED, RULE

MEDIAN_COLOUR = colors.HexColor(RADAR_MEDIAN_COLOUR)


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


class RadarChartFlowable(Flowable):
    """A radar (spider) chart of section scores on a 0..100 scale, drawn straight onto the
    canvas: rings at 25/50/75/100, one spoke per section, the member's polygon filled, the
    peer median as a dashed outline, and a legend.

    (reportlab's ``SpiderChart`` widget drew the same picture at about 40 % of the cost of a
    whole passport; a ``Drawing`` of plain shapes still cost a sixth of it, most of that in
    renderPDF's per-shape state handling. The canvas calls below draw the same shapes.)
    """

    def __init__(self, chart: RadarChart, width: float, height: float = 78 * mm) -> None:
        super().__init__()
        self.chart = chart
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        chart, canvas = self.chart, self.canv
        width, height = self.width, self.height
        count = len(chart.values)
        # room for the widest label line on either side, so that no label runs off the chart
        widest = max(
            (stringWidth(line, FONT, 6.2) for t in chart.labels for line in label_lines(t)),
            default=0.0,
        )
        radius = max(12 * mm, min(width / 2 - widest - 5 * mm, (height - 22 * mm) / 2))
        cx, cy = width / 2, 8 * mm + (height - 8 * mm) / 2
        angles = radar_angles(count)
        cosines = [math.cos(angle) for angle in angles]
        sines = [math.sin(angle) for angle in angles]

        def outline(values, close: bool = True):
            path = canvas.beginPath()
            for index, value in enumerate(values):
                r = radius * max(0.0, min(100.0, value)) / 100
                x, y = cx + r * cosines[index % count], cy + r * sines[index % count]
                if index == 0:
                    path.moveTo(x, y)
                else:
                    path.lineTo(x, y)
            if close:
                path.close()
            return path

        canvas.saveState()
        canvas.setStrokeColor(RULE)
        for ring in (25, 50, 75, 100):
            canvas.setLineWidth(0.4 if ring < 100 else 0.7)
            canvas.drawPath(outline([ring] * count), stroke=1, fill=0)
        canvas.setLineWidth(0.4)
        spokes = canvas.beginPath()
        for cos, sin in zip(cosines, sines, strict=True):
            spokes.moveTo(cx, cy)
            spokes.lineTo(cx + radius * cos, cy + radius * sin)
        canvas.drawPath(spokes, stroke=1, fill=0)
        canvas.setFont(FONT, 6.2)
        canvas.setFillColor(INK)
        leading = 7.0
        for cos, sin, text in zip(cosines, sines, chart.labels, strict=True):
            lines = label_lines(text)
            lx = cx + (radius + 3 * mm) * cos
            # the block of lines grows away from the chart: up at the top, down at the bottom
            top = cy + (radius + 3 * mm) * sin - 2
            if sin > 0.2:
                top += leading * (len(lines) - 1)
            elif abs(sin) <= 0.2:
                top += leading * (len(lines) - 1) / 2
            for number, line in enumerate(lines):
                ly = top - number * leading
                if abs(cos) < 0.2:
                    canvas.drawCentredString(lx, ly, line)
                elif cos > 0:
                    canvas.drawString(lx, ly, line)
                else:
                    canvas.drawRightString(lx, ly, line)
        canvas.setFillColor(colors.Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.25))
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.4)
        canvas.drawPath(outline(chart.values), stroke=1, fill=1)
        if chart.median is not None:
            median = outline([*chart.median, chart.median[0]], close=False)
            canvas.setStrokeColor(MEDIAN_COLOUR)
            canvas.setLineWidth(1.1)
            canvas.setDash(3, 2)
            canvas.drawPath(median, stroke=1, fill=0)
            canvas.setDash()
        x = 2 * mm
        canvas.setFont(FONT, 6.5)
        for index, text in enumerate(chart.legend):
            canvas.setFillColor(ACCENT if index == 0 else MEDIAN_COLOUR)
            canvas.rect(x, 1.5 * mm, 5 * mm, 2 * mm, stroke=0, fill=1)
            canvas.setFillColor(INK)
            canvas.drawString(x + 6.5 * mm, 1.5 * mm, text)
            x += 28 * mm
        canvas.restoreState()


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


def radar_chart(chart: RadarChart, width: float, height: float = 78 * mm) -> Flowable:
    """A radar (spider) chart of section scores (see ``RadarChartFlowable``)."""
    return RadarChartFlowable(chart, width, height)


def score_bars(bars: tuple[tuple[str, float | None], ...], width: float) -> Drawing:
    """Horizontal 0..100 score bars (see ``_score_bars``)."""
    with _unchecked_shapes():
        return _score_bars(bars, width)


def quartile_bars(plots: tuple[BoxPlot, ...], width: float) -> Drawing:
    """Quartile box plots (see ``_quartile_bars``)."""
    with _unchecked_shapes():
        return _quartile_bars(plots, width)
