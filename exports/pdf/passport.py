"""The passport PDF: one organisation's sector MVO passport of one year, 2..5 pages.

Page 1 is the summary (facts, level badge, overall score, radar of the sections, strengths);
the following pages hold the details (topic table beside the sector median and quartiles,
improvement plan, KPIs, notes, framework references).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from exports.documents import PassportDocument, build_passport_document
from exports.pdf.actionplan import action_plan_flowables
from exports.pdf.base import ACCENT, BAND, LEVEL_COLOURS, DocumentRenderer
from exports.pdf.charts import radar_chart
from exports.text import label
from frameworks.models import Framework, SectorProfile
from scoring.models import Benchmark, Passport


class PassportRenderer(DocumentRenderer):
    """Renders a ``PassportDocument``; override a step to change one part of the layout."""

    facts_width = 100 * mm
    label_width = 42 * mm
    score_box_width = 64 * mm

    doc: PassportDocument

    def facts(self):
        value_width = self.facts_width - self.label_width
        rows = [
            [self.cell(k, self.label_width, "Muted"), self.cell(v, value_width, "Normal")]
            for k, v in self.doc.facts
        ]
        table = Table(rows, colWidths=[self.label_width, self.facts_width - self.label_width])
        normal, muted = self.styles["Normal"], self.styles["Muted"]
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (0, -1), muted.fontName, muted.fontSize, muted.leading),
                    ("TEXTCOLOR", (0, 0), (0, -1), muted.textColor),
                    ("FONT", (1, 0), (1, -1), normal.fontName, normal.fontSize, normal.leading),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                ]
            )
        )
        return table

    def score_box(self):
        """The level badge and the overall score, the passport's headline."""
        doc = self.doc
        colour = LEVEL_COLOURS.get(doc.level_id, ACCENT)
        rows = [
            [self.p(label("level", self.language), "Muted")],
            [self.p(doc.level, "Badge")],
            [self.p(label("overall", self.language), "Muted")],
            [self.p(doc.overall, "Big")],
        ]
        if doc.efqm:
            rows.append([self.p(doc.efqm, "Centre")])
        rows.append(
            [self.p(f"{label('completeness', self.language)}: {doc.completeness}", "Centre")]
        )
        table = Table(rows, colWidths=[self.score_box_width])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), BAND),
                    ("BACKGROUND", (0, 1), (0, 1), colour),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return table

    def summary(self) -> list:
        top = Table(
            [[self.facts(), self.score_box()]],
            colWidths=[self.frame_width - self.score_box_width, self.score_box_width],
        )
        top.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story = [
            top,
            Spacer(1, 3 * mm),
            self.p(f"{label('peer_group', self.language)}: {self.doc.benchmark_note}", "Muted"),
        ]
        story += self.radars()
        story += self.red_flags()
        story += self.to_check()
        story += self.legal()
        story.append(self.highlights())
        return story

    def red_flags(self) -> list:
        """S6a: the legal obligations not met, each with what the law asks and its source."""
        if not self.doc.red_flags:
            return []
        story = [self.p(label("red_flags", self.language), "Heading")]
        for _question, law, source in self.doc.red_flags:  # the law says what is asked
            story.append(self.p(f"{law} ({source})", "Small"))
        return story

    def to_check(self) -> list:
        """ "Te controleren": numbers that do not fit together (warnings, never a block)."""
        if not self.doc.to_check:
            return []
        story = [self.p(label("to_check", self.language), "Heading")]
        for question, why in self.doc.to_check:
            story.append(self.p(f"{question}: {why}", "Small"))
        return story

    def legal(self) -> list:
        """The legal thresholds at the organisation's size: information, not score."""
        if not self.doc.legal:
            return []
        story = [self.p(label("legal_notes", self.language), "Heading")]
        for law, source in self.doc.legal:
            story.append(self.p(f"{law} ({source})", "Small"))
        return story

    def radars(self) -> list:
        """The section radars of every framework side by side (one row on page 1)."""
        charts = self.doc.radars
        if not charts:
            return []
        width = self.frame_width / len(charts)
        height = 78 * mm if len(charts) == 1 else 66 * mm
        cells = [
            [self.p(chart.title, "Subheading") for chart in charts],
            [radar_chart(chart, width, height) for chart in charts],
        ]
        table = Table(cells, colWidths=[width] * len(charts))
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return [*self.heading(label("sections_chart", self.language)), table]

    def highlights(self):
        """Strengths and points for attention in two columns."""
        half = self.frame_width / 2
        columns = [
            self.topic_list(label("strengths", self.language), self.doc.strengths),
            self.topic_list(label("weak_points", self.language), self.doc.weak_points),
        ]
        table = Table([columns], colWidths=[half, half])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def topic_list(self, title: str, items: tuple[str, ...]) -> list:
        story = [self.p(title, "Heading")]
        if not items:
            return [*story, self.p(label("none", self.language), "Muted")]
        return story + [self.p(item, "Bullet") for item in items]

    def topics(self) -> list:
        story = []
        show_benchmark = any(len(t.header) > 3 for t in self.doc.topic_tables)
        for table in self.doc.topic_tables:
            if show_benchmark:
                widths = [self.frame_width - 60 * mm, 9 * mm, 13 * mm, 14 * mm, 24 * mm]
            else:
                widths = [self.frame_width - 22 * mm, 9 * mm, 13 * mm]
            story += [
                *self.heading(table.title),
                self.table(
                    table.header,
                    table.rows,
                    widths[: len(table.header)],
                    right=(1, 2, 3, 4),
                    emphasis=table.emphasis,
                    compact=True,
                ),
            ]
        return story

    def improvement(self) -> list:
        plan = self.doc.improvement
        story = [*self.heading(plan.title)]
        if not plan.rows:
            return [*story, self.p(label("none", self.language), "Muted")]
        widths = [9 * mm, 62 * mm, 13 * mm, self.frame_width - 84 * mm]
        table = self.table(
            plan.header, plan.rows, widths, right=(0, 2), emphasis=plan.emphasis, compact=True
        )
        return [*story, table]

    def action_plan(self) -> list:
        return action_plan_flowables(self, self.doc.actions)

    def comparison(self) -> list:
        """Last year's and this year's score and level, the difference, the draft warning."""
        comparison = self.doc.comparison
        if comparison is None:
            return []
        width = self.frame_width
        table = self.table(
            (label("score", self.language), ""),
            comparison.rows,
            [60 * mm, width - 60 * mm],
            compact=True,
        )
        story = [*self.heading(comparison.title), table]
        if comparison.draft_note:
            story.append(self.p(comparison.draft_note, "Muted"))
        return story

    def kpis(self) -> list:
        kpis = self.doc.kpis
        story = [*self.heading(kpis.title)]
        if not kpis.rows:
            return [*story, self.p(label("none", self.language), "Muted")]
        widths = [74 * mm, 30 * mm, 36 * mm, 34 * mm][: len(kpis.header)]
        if len(kpis.header) > len(widths):  # the sector's band beside the median
            widths = [62 * mm, 24 * mm, 30 * mm, 26 * mm, 32 * mm][: len(kpis.header)]
        return story + [self.table(kpis.header, kpis.rows, widths, right=(1, 3))]

    def notes(self) -> list:
        if not self.doc.notes:
            return []
        story = [*self.heading(label("notes", self.language))]
        for question, answer in self.doc.notes:
            story += [self.p(question, "Subheading"), self.p(answer, "Normal")]
        return story

    def references(self) -> list:
        """Framework references: the framework (bold) and its codes, split between rows."""
        if not self.doc.references:
            return []
        table = self.table(
            (label("ref_framework", self.language), label("ref_codes", self.language)),
            self.doc.references,
            [44 * mm, self.frame_width - 44 * mm],
            compact=True,
        )
        return [*self.heading(label("references", self.language)), table]

    def story(self) -> list:
        return [
            *self.summary(),
            PageBreak(),
            *self.topics(),
            *self.improvement(),
            *self.action_plan(),
            *self.comparison(),
            *self.kpis(),
            *self.notes(),
            *self.references(),
        ]


def render_passport(
    passport: Passport,
    frameworks: Mapping[str, Framework],
    profile: SectorProfile | None,
    benchmark: Benchmark | None = None,
    language: str = "nl",
    actions: Sequence[Any] | None = None,
) -> bytes:
    """The passport PDF as bytes (``language`` "nl" or "en"), with the action plan where
    ``actions`` (``exports.actionplan.PlannedAction``) are given."""
    document = build_passport_document(
        passport, frameworks, profile, benchmark, language, actions=actions
    )
    return PassportRenderer(document).render()


__all__ = ["PassportRenderer", "render_passport"]
