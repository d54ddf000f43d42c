"""The sector benchmark report for a federation: participation, distributions per section,
topic and KPI medians, and the members who consented to be named. Groups smaller than the
profile's k are never shown (the document data already leaves them out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from exports.documents import SectorReportDocument, build_sector_report
from exports.pdf.base import DocumentRenderer
from exports.pdf.charts import quartile_bars
from exports.text import label
from frameworks.models import Framework, SectorProfile

if TYPE_CHECKING:
    from scoring.benchmark import MemberPosition, SectorStatistics


class SectorReportRenderer(DocumentRenderer):
    """Renders a ``SectorReportDocument``."""

    doc: SectorReportDocument

    def header_subtitle(self) -> str:
        return dict(self.doc.facts).get(label("federation", self.language), "")

    def story(self) -> list:
        doc = self.doc
        width = self.frame_width
        story = [self.p(f"{k}: {v}") for k, v in doc.facts]
        story += [Spacer(1, 1 * mm), self.p(doc.suppressed_note, "Muted")]
        part = doc.participation
        story += [
            *self.heading(part.title),
            self.table(
                part.header,
                part.rows,
                [60 * mm]
                + [min(20 * mm, (width - 60 * mm) / max(1, len(part.header) - 1))]
                * (len(part.header) - 1),
                right=tuple(range(1, len(part.header))),
                emphasis=part.emphasis,
            ),
            *self.heading(doc.distribution.title),
        ]
        if doc.boxplots:
            story.append(quartile_bars(doc.boxplots, width))
            story.append(self.p(doc.boxplot_note, "Muted"))
        story.append(
            self.table(
                doc.distribution.header,
                doc.distribution.rows,
                [74 * mm, 16 * mm, 20 * mm, 22 * mm, 20 * mm, 22 * mm],
                right=(1, 2, 3, 4, 5),
            )
        )
        story += [
            PageBreak(),
            *self.heading(doc.topic_medians.title),
            self.table(
                doc.topic_medians.header,
                doc.topic_medians.rows,
                [width - 44 * mm, 20 * mm, 24 * mm],
                right=(1, 2),
                emphasis=doc.topic_medians.emphasis,
            ),
            *self.heading(doc.kpi_medians.title),
        ]
        if doc.kpi_medians.rows:
            story.append(
                self.table(
                    doc.kpi_medians.header,
                    doc.kpi_medians.rows,
                    [58 * mm, 26 * mm, 18 * mm, 24 * mm, 24 * mm, 24 * mm],
                    right=(2, 3, 4, 5),
                )
            )
        else:
            story.append(self.p(label("none", self.language), "Muted"))
        story += self.heading(doc.members.title)
        if doc.members.rows:
            story.append(
                self.table(
                    doc.members.header,
                    doc.members.rows,
                    [60 * mm, 28 * mm, 30 * mm, 28 * mm, 28 * mm],
                )
            )
        else:
            story.append(self.p(label("none", self.language), "Muted"))
        return story


def render_sector_report(
    profile: SectorProfile,
    frameworks: Mapping[str, Framework],
    statistics: SectorStatistics,
    *,
    year: int,
    size_class: str | None = None,
    members: Sequence[MemberPosition] = (),
    language: str = "nl",
) -> bytes:
    """The sector benchmark report PDF as bytes."""
    document = build_sector_report(
        profile,
        frameworks,
        statistics,
        year=year,
        size_class=size_class,
        members=members,
        language=language,
    )
    return SectorReportRenderer(document).render()
