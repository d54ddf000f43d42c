"""The shared machinery of every PDF renderer: fonts, one stylesheet, page frames, footers.

Modelled on pretix's invoice renderer: one class with small overridable steps (fonts,
stylesheet, page template, first-page and later-page callbacks, the story), geometry in mm
constants, "page x of y" drawn after layout, and bytes out. User text goes through ``escape``
before it becomes a ``Paragraph``, because Paragraph parses markup. Output is deterministic
(``invariant=1``: fixed creation date and document id), so equal input gives equal bytes.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
)

from exports.appearance import LEVEL_COLOURS as APPEARANCE_COLOURS
from exports.pdf.datatable import DataTable, DataTableStyle
from exports.text import label

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "MVOSans"
FONT_BOLD = "MVOSans-Bold"

#: Colours of the product (Flemish yellow-green accent on dark slate).
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b6e4f")
ACCENT_LIGHT = colors.HexColor("#d8efe6")
RULE = colors.HexColor("#cbd2d9")
BAND = colors.HexColor("#f0f4f8")
CONCEPT = colors.Color(0.85, 0.1, 0.1, alpha=0.18)

#: The level colours of ``exports.appearance`` (the screen reads the same definition).
LEVEL_COLOURS = {level: colors.HexColor(hex_) for level, hex_ in APPEARANCE_COLOURS.items()}

_fonts_registered = False


class _CachedFlate:
    """reportlab's FlateDecode stream filter, remembering the compressed bytes of the last
    few contents (the embedded font subsets repeat from one passport to the next)."""

    pdfname = "FlateDecode"

    def __init__(self, limit: int = 64) -> None:
        self._cache: dict[bytes, bytes] = {}
        self._limit = limit

    def encode(self, content: bytes | str) -> bytes:
        if isinstance(content, str):
            content = content.encode("utf8")
        compressed = self._cache.get(content)
        if compressed is None:
            if len(self._cache) >= self._limit:
                self._cache.clear()
            compressed = self._cache[content] = zlib.compress(content)
        return compressed

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


_FLATE = _CachedFlate()


class _EmbeddedFace(TTFontFace):
    """The font file, remembering its subsets: every passport embeds the same few subsets
    of DejaVu Sans (the characters in the order of first use), so each subset is built and
    compressed once per process instead of once per document. Same bytes as reportlab's."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self._subsets: dict[tuple[int, ...], bytes] = {}

    def makeSubset(self, subset):  # noqa: N802 (reportlab's name)
        key = tuple(subset)
        data = self._subsets.get(key)
        if data is None:
            if len(self._subsets) >= 64:
                self._subsets.clear()
            data = self._subsets[key] = super().makeSubset(subset)
        return data

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 (reportlab's name)
        reference = super().addSubsetObjects(doc, fontname, subset)
        font_file = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if font_file is not None and font_file.filters == [pdfdoc.PDFZCompress]:
            font_file.filters = [_FLATE]
        return reference


class EmbeddedFont(TTFont):
    """A TrueType font with a fast path for printable ASCII text.

    reportlab maps every character of every string to its code in the document's font
    subset in a Python loop (``splitString``), the largest single cost of drawing a
    passport's tables. With ``asciiReadable`` (reportlab's default) printable ASCII is
    pre-assigned to its own code in subset 0, so such text is its own encoding: the fast path
    returns exactly what the loop would, and the PDF bytes stay the same.
    """

    @property
    def ascii_identity(self) -> bool:
        """Printable ASCII is its own encoding in subset 0 (``DataTable`` relies on it)."""
        return bool(self._asciiReadable)

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.face = _EmbeddedFace(filename)

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 (reportlab's name)
        if self._asciiReadable and isinstance(text, str) and text.isascii() and text.isprintable():
            if doc not in self.state:
                self.state[doc] = TTFont.State(self._asciiReadable, self)
            return [(0, text.encode("ascii"))] if text else []
        return super().splitString(text, doc, encoding)


def register_fonts() -> None:
    """Register the embedded DejaVu Sans (covers Łódź, Çelik, Ürün, ...) once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    pdfmetrics.registerFont(EmbeddedFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(EmbeddedFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    _fonts_registered = True


def escape(text: object) -> str:
    """User text made safe for Paragraph markup: ``<b>A & B</b>`` prints literally; line
    breaks are kept."""
    return _xml_escape(str(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def _numbered_canvas(footer: str, language: str, concept: bool):
    """A canvas class that remembers every page and writes "page x of y" once the total is
    known (the standard two-pass trick: layout first, then number)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                if concept:
                    self._draw_concept_mark(language)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(
                Renderer.margin_left,
                Renderer.footer_y + 4 * mm,
                width - Renderer.margin_right,
                Renderer.footer_y + 4 * mm,
            )
            self.setFont(FONT, 7)
            self.setFillColor(MUTED)
            self.drawString(Renderer.margin_left, Renderer.footer_y, footer)
            self.drawRightString(
                width - Renderer.margin_right,
                Renderer.footer_y,
                label("page_of", language, page=self._pageNumber, pages=total),
            )
            self.restoreState()

        def _draw_concept_mark(self, language: str) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(CONCEPT)
            self.setFont(FONT_BOLD, 96)
            self.translate(width / 2, height / 2)
            self.rotate(45)
            self.drawCentredString(0, -30, label("concept_mark", language))
            self.restoreState()

    return NumberedCanvas


_STYLESHEETS: dict[type, tuple[StyleSheet1, dict[str, object]]] = {}


class Renderer:
    """Base of the PDF renderers. Subclasses implement ``story`` and may override any step."""

    pagesize = A4
    margin_left = 18 * mm
    margin_right = 18 * mm
    margin_top = 18 * mm
    margin_bottom = 20 * mm
    header_height = 24 * mm
    later_header_height = 10 * mm
    footer_y = 10 * mm

    def __init__(self, language: str = "nl") -> None:
        self.language = language
        register_fonts()
        # The stylesheet (and the ready-made fragment of each style, see ``p``) is built once
        # per renderer class and process, not per document: ``stylesheet`` must depend on the
        # class only. The styles are shared, so a renderer must not change them.
        cached = _STYLESHEETS.get(type(self))
        if cached is None:
            cached = _STYLESHEETS[type(self)] = (self.stylesheet(), {})
        self.styles, self._fragments = cached

    # -- steps a subclass may override -------------------------------------------------------

    def stylesheet(self) -> StyleSheet1:
        """One stylesheet of named paragraph styles, used by every flowable of the document."""
        sheet = StyleSheet1()
        base = ParagraphStyle(
            "Normal", fontName=FONT, fontSize=9, leading=11.5, textColor=INK, splitLongWords=1
        )
        sheet.add(base)
        sheet.add(ParagraphStyle("Small", parent=base, fontSize=7.5, leading=9.5))
        sheet.add(ParagraphStyle("Muted", parent=base, fontSize=8, leading=10, textColor=MUTED))
        sheet.add(ParagraphStyle("Cell", parent=base, fontSize=8, leading=9.8))
        sheet.add(ParagraphStyle("CellSmall", parent=base, fontSize=7, leading=8.2))
        sheet.add(
            ParagraphStyle(
                "CellSmallBold", parent=base, fontName=FONT_BOLD, fontSize=7, leading=8.2
            )
        )
        sheet.add(
            ParagraphStyle("CellRight", parent=base, fontSize=8, leading=9.8, alignment=TA_RIGHT)
        )
        sheet.add(
            ParagraphStyle("CellBold", parent=base, fontName=FONT_BOLD, fontSize=8, leading=9.8)
        )
        sheet.add(
            ParagraphStyle(
                "CellHead",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=7.5,
                leading=9.5,
                textColor=colors.white,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Title",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=17,
                leading=21,
                textColor=ACCENT,
                spaceAfter=2 * mm,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Heading",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=11.5,
                leading=14,
                textColor=ACCENT,
                spaceBefore=4 * mm,
                spaceAfter=1.5 * mm,
                keepWithNext=0,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Subheading",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=9.5,
                leading=12,
                spaceBefore=2 * mm,
                spaceAfter=1 * mm,
                keepWithNext=0,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Big",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=26,
                leading=30,
                textColor=INK,
                alignment=TA_CENTER,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Badge",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=12,
                leading=15,
                textColor=colors.white,
                alignment=TA_CENTER,
            )
        )
        sheet.add(ParagraphStyle("Centre", parent=base, alignment=TA_CENTER))
        sheet.add(
            ParagraphStyle(
                "Bullet", parent=base, leftIndent=4 * mm, bulletIndent=0, spaceAfter=0.8 * mm
            )
        )
        return sheet

    def document(self, buffer: io.BytesIO, title: str) -> BaseDocTemplate:
        """The page template: a first page below the header band, later pages below a thin
        running header; both with the footer area kept free."""
        width, height = self.pagesize
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin_left,
            rightMargin=self.margin_right,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=title,
            author="MVO-paspoort",
            creator="MVO-paspoort",
            producer="MVO-paspoort (reportlab)",
            invariant=1,
        )

        def frame(frame_id: str, header_height: float) -> Frame:
            return Frame(
                self.margin_left,
                self.margin_bottom,
                width - self.margin_left - self.margin_right,
                height - self.margin_top - self.margin_bottom - header_height,
                id=frame_id,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        first = frame("first", self.header_height)
        later = frame("later", self.later_header_height)
        doc.addPageTemplates(
            [
                PageTemplate(
                    id="First",
                    frames=[first],
                    onPage=self.on_first_page,
                    autoNextPageTemplate="Later",
                ),
                PageTemplate(id="Later", frames=[later], onPage=self.on_later_page),
            ]
        )
        return doc

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.margin_left - self.margin_right

    def header_title(self) -> str:
        return label("passport_title", self.language)

    def header_subtitle(self) -> str:
        return ""

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The header band of page 1: product name, document title, subtitle."""
        width, height = self.pagesize
        top = height - self.margin_top
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(self.margin_left, top - 2 * mm, 40 * mm, 2 * mm, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawString(self.margin_left, top - 10 * mm, self.header_title())
        canvas.setFont(FONT, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.margin_left, top - 16 * mm, self.header_subtitle())
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_left, top - 20 * mm, width - self.margin_right, top - 20 * mm)
        canvas.restoreState()

    def on_later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """A thin running header on later pages: title left, subtitle right."""
        width, height = self.pagesize
        top = height - self.margin_top
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.margin_left, top - 4 * mm, self.header_title())
        canvas.drawRightString(width - self.margin_right, top - 4 * mm, self.header_subtitle())
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(self.margin_left, top - 6 * mm, width - self.margin_right, top - 6 * mm)
        canvas.restoreState()

    def story(self) -> list:
        """The flowables of the document, in reading order."""
        raise NotImplementedError

    def footer_text(self) -> str:
        return ""

    def concept(self) -> bool:
        return False

    def title(self) -> str:
        return self.header_title()

    # -- helpers ------------------------------------------------------------------------------

    def p(self, text: object, style: str = "Normal") -> Paragraph:
        """A paragraph of user or data text, shown literally (never parsed as markup).

        Text without line breaks skips reportlab's markup parser altogether: the paragraph
        gets one ready-made fragment in the style's font (several times faster, and safe by
        construction). Text with line breaks is escaped and keeps its breaks as ``<br/>``.
        """
        text = str(text)
        st = self.styles[style]
        if "\n" in text or "\r" in text:
            return Paragraph(escape(text), st)
        template = self._fragments.get(style)
        if template is None:
            template = self._fragments[style] = Paragraph("x", st).frags[0]
        return Paragraph(text, st, frags=[template.clone(text=text)])

    def heading(self, text: object, space: float = 22 * mm) -> list:
        """A section heading, moved to the next page where less than ``space`` is left
        (a conditional break instead of keep-with-next, so that long tables still split)."""
        return [CondPageBreak(space), self.p(text, "Heading")]

    def cell(self, text: str, width: float, style: str = "Cell"):
        """A table cell: a plain string where it fits on one line (fast, and never parsed as
        markup), an escaped Paragraph where it must wrap."""
        st = self.styles[style]
        if "\n" not in text and stringWidth(text, st.fontName, st.fontSize) <= width - 6.5:
            return text
        return self.p(text, style)

    def table(
        self,
        header: tuple[str, ...],
        rows: tuple[tuple[str, ...], ...],
        widths: list[float],
        *,
        right: tuple[int, ...] = (),
        emphasis: frozenset[int] = frozenset(),
        compact: bool = False,
    ) -> DataTable:
        """A data table with a coloured header row repeated on every page; ``emphasis`` rows
        are group headings; ``compact`` uses a smaller font for long tables."""
        cell = self.styles["CellSmall" if compact else "Cell"]
        style = DataTableStyle(
            font=FONT,
            bold=FONT_BOLD,
            size=cell.fontSize,
            leading=cell.leading,
            head_size=7.5 if not compact else 7,
            padding=1.1 if compact else 2.0,
            text=INK,
            head_text=colors.white,
            head_background=ACCENT,
            emphasis_background=ACCENT_LIGHT,
            rule=RULE,
        )
        return DataTable(
            header, list(rows), widths, style, right=frozenset(right), emphasis=emphasis
        )

    def render(self) -> bytes:
        """The PDF as bytes."""
        buffer = io.BytesIO()
        doc = self.document(buffer, self.title())
        doc.build(
            self.story(),
            canvasmaker=_numbered_canvas(self.footer_text(), self.language, self.concept()),
        )
        return buffer.getvalue()


class DocumentRenderer(Renderer):
    """A renderer of one document object (``exports.documents``) that carries its language,
    title, organisation, footer and concept mark; subclasses add the story."""

    def __init__(self, document) -> None:
        super().__init__(document.language)
        self.doc = document

    def header_title(self) -> str:
        return self.doc.title

    def header_subtitle(self) -> str:
        return getattr(self.doc, "organisation", "")

    def footer_text(self) -> str:
        return self.doc.footer

    def concept(self) -> bool:
        return bool(getattr(self.doc, "concept", False))
