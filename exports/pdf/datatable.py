"""A fast, page-splitting data table flowable for long tables of short texts.

reportlab's ``Table`` lays out every cell as a flowable, which made the topic tables the
largest cost of a passport. ``DataTable`` draws strings straight onto the canvas: each cell
is wrapped once (``wrap_text``, so long topic titles still wrap), rows split across
pages with the header repeated, numbers can be right-aligned, and heading rows are shaded.
Text is drawn with ``drawString``, never parsed as markup, so user text needs no escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

_WIDTHS: dict[tuple[str, str, float], float] = {}
_WIDTHS_LIMIT = 200_000


def measure(text: str, font: str, size: float) -> float:
    """``stringWidth`` remembered per process: a batch prints the same topic titles and
    score strings thousands of times."""
    key = (text, font, size)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) >= _WIDTHS_LIMIT:
            _WIDTHS.clear()
        width = _WIDTHS[key] = stringWidth(text, font, size)
    return width


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap measuring each word once (reportlab's ``simpleSplit`` measures the
    growing line for every word, which is quadratic on a long cell such as the GRI codes);
    a word wider than the cell is cut by characters. Line breaks in the text are kept."""
    space = measure(" ", font, size)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = measure(word, font, size)
            if w > width:  # cut an over-long word into pieces that fit
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                piece = ""
                for char in word:
                    if measure(piece + char, font, size) > width and piece:
                        lines.append(piece)
                        piece = ""
                    piece += char
                line, used = [piece], measure(piece, font, size)
                continue
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [word], w
            else:
                used += (space if line else 0.0) + w
                line.append(word)
        lines.append(" ".join(line))
    return lines


_CELLS: dict[tuple[str, str, float, float, bool], tuple[tuple[str, float], ...]] = {}
_CELLS_LIMIT = 20_000
_CELLS_TEXT_LIMIT = 300  # longer texts (the reference codes, user text) are not remembered


def _shown(line: str) -> str | None:
    """The PDF text operator showing ``line`` in subset 0 of a font whose printable ASCII is
    its own encoding (``EmbeddedFont``), or None where the line needs the font's encoder."""
    if line and line.isascii() and line.isprintable():
        return f"({escapePDF(line.encode('ascii'))}) Tj"
    return None


def cell_lines(
    text: str, font: str, size: float, room: float, right: bool
) -> tuple[tuple[str, float, str | None], ...]:
    """The lines of a cell ``room`` points wide, each with its width where the cell is
    right-aligned (else 0.0) and its ready-made text operator (see ``_shown``); short cells
    are remembered per process, since a batch prints the same topic titles and score
    strings in every passport."""
    key = (text, font, size, room, right)
    lines = _CELLS.get(key)
    if lines is not None:
        return lines
    measured = measure(text, font, size) if "\n" not in text else room + 1
    if measured <= room:
        # one line; keep its width for right alignment (measured once)
        lines = ((text, measured if right else 0.0, _shown(text)),)
    else:
        lines = tuple(
            (line, measure(line, font, size) if right else 0.0, _shown(line))
            for line in wrap_text(text, font, size, room)
        )
    if len(text) <= _CELLS_TEXT_LIMIT:
        if len(_CELLS) >= _CELLS_LIMIT:
            _CELLS.clear()
        _CELLS[key] = lines
    return lines


@dataclass(frozen=True)
class DataTableStyle:
    """Fonts, sizes and colours of a ``DataTable`` (taken from the renderer's stylesheet)."""

    font: str
    bold: str
    size: float
    leading: float
    head_size: float
    padding: float
    text: Color
    head_text: Color
    head_background: Color
    emphasis_background: Color
    rule: Color


class DataTable(Flowable):
    """Header + rows of strings with fixed column widths; splits between rows."""

    def __init__(
        self,
        header: tuple[str, ...],
        rows: list[tuple[str, ...]],
        widths: list[float],
        style: DataTableStyle,
        *,
        right: frozenset[int] = frozenset(),
        emphasis: frozenset[int] = frozenset(),
        _layouts: tuple | None = None,
    ) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.style = style
        self.right = right
        self.emphasis = emphasis
        if _layouts is not None:  # a part of a split table: rows are laid out already
            self._head, self._body = _layouts
        else:
            self._head = self._layout(header, style.bold, style.head_size)
            self._body = [
                self._layout(row, style.bold if i in emphasis else style.font, style.size)
                for i, row in enumerate(rows)
            ]
        self.width = sum(widths)

    def _layout(self, row: tuple[str, ...], font: str, size: float):
        """The wrapped lines of each cell and the row's height."""
        pad = self.style.padding
        right = self.right
        cells = []
        for column, (text, width) in enumerate(zip(row, self.widths, strict=False)):
            cells.append(cell_lines(str(text), font, size, width - 2 * pad - 1, column in right))
        lines = max(len(c) for c in cells) if cells else 1
        leading = self.style.leading * (size / self.style.size)
        return font, size, cells, lines * leading + 2 * pad

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self._head[3] + sum(r[3] for r in self._body)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used = self._head[3]
        count = 0
        for row in self._body:
            if used + row[3] > avail_height:
                break
            used += row[3]
            count += 1
        if count == 0 or count == len(self.rows):
            return []
        first = {i for i in self.emphasis if i < count}
        rest = {i - count for i in self.emphasis if i >= count}
        return [
            DataTable(
                self.header,
                self.rows[:count],
                self.widths,
                self.style,
                right=self.right,
                emphasis=frozenset(first),
                _layouts=(self._head, self._body[:count]),
            ),
            DataTable(
                self.header,
                self.rows[count:],
                self.widths,
                self.style,
                right=self.right,
                emphasis=frozenset(rest),
                _layouts=(self._head, self._body[count:]),
            ),
        ]

    def draw(self) -> None:
        """Backgrounds and rules first, then every string through one text object (one
        BT..ET block per table instead of one per cell: most of the cost of a cell)."""
        canvas = self.canv
        st = self.style
        rows = [(self._head, st.head_background, st.head_text)]
        rows += [
            (layout, st.emphasis_background if i in self.emphasis else None, st.text)
            for i, layout in enumerate(self._body)
        ]
        canvas.saveState()
        canvas.setStrokeColor(st.rule)
        canvas.setLineWidth(0.25)
        y = self.height
        for index, (layout, background, _) in enumerate(rows):
            height = layout[3]
            if background is not None:
                canvas.setFillColor(background)
                canvas.rect(0, y - height, self.width, height, stroke=0, fill=1)
            y -= height
            if index > 0:
                canvas.line(0, y, self.width, y)
        text = canvas.beginText()
        # The text operators are written straight into the text object, as reportlab's
        # setTextOrigin + textOut would write them (same bytes), without textOut's width
        # measurement and per-call font lookups: drawing the cells was a fifth of a passport.
        code = text._code
        doc = canvas._doc
        escape = canvas._escape
        y = self.height
        current = None
        for (font_name, size, cells, height), _, colour in rows:
            if current != (font_name, size, colour):
                text.setFont(font_name, size)
                text.setFillColor(colour)
                current = (font_name, size, colour)
                font = getFont(font_name)
                ascii_identity = getattr(font, "ascii_identity", False)
                tail = f" {fp_str(size)} Tf {fp_str(text._leading)} TL"
            leading = st.leading * (size / st.size)
            x = 0.0
            for column, (lines, width) in enumerate(zip(cells, self.widths, strict=False)):
                baseline = y - st.padding - size
                for line, line_width, shown in lines:
                    if column in self.right:
                        left = x + width - st.padding - line_width
                    else:
                        left = x + st.padding
                    if shown is not None and ascii_identity and text._curSubset == 0:
                        code.append(f"1 0 0 1 {fp_str(left, baseline)} Tm {shown}")
                        baseline -= leading
                        continue
                    code.append(f"1 0 0 1 {fp_str(left, baseline)} Tm")
                    parts = font.splitString(line, doc)
                    if not parts:
                        code.append("")  # as textOut("") writes it: the same bytes
                    for subset, encoded in parts:
                        if subset != text._curSubset:
                            code.append(font.getSubsetInternalName(subset, doc) + tail)
                            text._curSubset = subset
                        code.append(f"({escape(encoded)}) Tj")
                    baseline -= leading
                x += width
            y -= height
        canvas.drawText(text)
        canvas.restoreState()
