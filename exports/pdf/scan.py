"""The Start-to-MVO scan report: 1..2 pages with the result per ISO 26000 core subject, the
first three steps to take, and where to go next (the full sector passport)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from exports.documents import ScanDocument, build_scan_document
from exports.pdf.actionplan import action_plan_flowables
from exports.pdf.base import DocumentRenderer
from exports.pdf.charts import score_bars
from exports.text import label
from frameworks.models import Framework, SectorProfile
from scoring.models import Passport


class ScanRenderer(DocumentRenderer):
    """Renders a ``ScanDocument``."""

    doc: ScanDocument

    def story(self) -> list:
        doc = self.doc
        story = [self.p(f"{k}: {v}", "Normal") for k, v in doc.facts]
        story += [
            Spacer(1, 2 * mm),
            self.p(f"{label('overall', self.language)}: {doc.overall}", "Subheading"),
            *self.heading(doc.results.title),
            score_bars(doc.bars, self.frame_width),
            Spacer(1, 2 * mm),
            self.table(
                doc.results.header,
                doc.results.rows,
                [self.frame_width - 30 * mm, 30 * mm],
                right=(1,),
            ),
            *self.heading(label("first_steps", self.language)),
        ]
        if not doc.steps:
            story.append(self.p(label("none", self.language), "Muted"))
        for number, (topic, advice) in enumerate(doc.steps, start=1):
            story += [self.p(f"{number}. {topic}", "Subheading"), self.p(advice, "Normal")]
        if doc.to_check:  # numbers that do not fit together (warnings, never a block)
            story += self.heading(label("to_check", self.language))
            story += [self.p(f"{question}: {why}", "Small") for question, why in doc.to_check]
        story += action_plan_flowables(self, doc.actions)
        story += [*self.heading(label("next", self.language)), self.p(doc.next_text)]
        if doc.suggested:
            story.append(self.p(label("suggested_passports", self.language), "Subheading"))
            story += [self.p(f"• {name}", "Bullet") for name in doc.suggested]
        return story


def render_scan(
    passport: Passport,
    framework: Framework,
    language: str = "nl",
    profiles: Sequence[SectorProfile] = (),
    actions: Sequence[Any] | None = None,
) -> bytes:
    """The Start-to-MVO scan report PDF as bytes, with the action plan where ``actions``
    (``exports.actionplan.PlannedAction``) are given."""
    document = build_scan_document(passport, framework, language, profiles, actions=actions)
    return ScanRenderer(document).render()
