"""The VSME report as a PDF an SME can send a customer or bank (Dutch or English).

The document's *data* (``vsme_document``: the datapoints per disclosure B1-B11 / C1-C9 with
the taxonomy's label, value and unit, the calculation trail, the EFRAG credit and the note on
the value-chain cap) is a plain object; ``VsmeRenderer`` only lays it out with the shared
``DocumentRenderer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm

from exports.pdf.base import DocumentRenderer
from exports.text import EXPORTS, format_kbo
from exports.vsme.report import VsmeReport, with_derived
from exports.vsme.taxonomy import taxonomy

TEXT = {
    "nl": {
        "title": "VSME-duurzaamheidsrapport",
        "period": "Rapportageperiode {start} tot {end} · KBO {kbo} · valuta {currency}",
        "datapoint": "Datapunt",
        "value": "Waarde",
        "unit": "Eenheid",
        "computed": "Wat berekend werd en hoe",
        "source": {"calculator": "calculator", "template": "totaal van de template"},
        "ask": "Wat een klant of bank mag vragen",
        "ask_text": (
            "Volgens de Aanbeveling van de Europese Commissie van 30 juli 2025 en de Omnibus "
            "van 2026 is de VSME het maximum aan duurzaamheidsinformatie dat grote "
            "ondernemingen en banken van een kmo in hun waardeketen mogen vragen (de "
            "'value-chain cap'). Vragen die verder gaan dan de Basis- en de Uitgebreide module "
            "mag een kmo weigeren."
        ),
        "credit": (
            "Opgesteld volgens de Voluntary Sustainability Reporting Standard for non-listed "
            "SMEs (VSME) van EFRAG; datapunten en labels uit de VSME-taxonomie 2026-05-01 van "
            "EFRAG (MIT-licentie, Copyright (c) 2025 EFRAG). EFRAG wordt medegefinancierd door "
            "de Europese Unie via het Single Market Programme."
        ),
        "yes": "ja",
        "no": "nee",
        "other": "Overige",
    },
    "en": {
        "title": "VSME sustainability report",
        "period": "Reporting period {start} to {end} · KBO {kbo} · currency {currency}",
        "datapoint": "Datapoint",
        "value": "Value",
        "unit": "Unit",
        "computed": "What was computed and how",
        "source": {"calculator": "calculator", "template": "template total"},
        "ask": "What a customer or bank may ask",
        "ask_text": (
            "Under the European Commission Recommendation of 30 July 2025 and the 2026 "
            "Omnibus, the VSME is the most sustainability information large undertakings and "
            "banks may ask of an SME in their value chain (the 'value-chain cap'). An SME may "
            "decline requests beyond the Basic and Comprehensive modules."
        ),
        "credit": (
            "Prepared under EFRAG's Voluntary Sustainability Reporting Standard for non-listed "
            "SMEs (VSME); datapoints and labels from EFRAG's VSME taxonomy 2026-05-01 (MIT "
            "licence, Copyright (c) 2025 EFRAG). EFRAG is co-funded by the European Union "
            "through the Single Market Programme."
        ),
        "yes": "yes",
        "no": "no",
        "other": "Other",
    },
}
UNIT_TEXT = {"utr:MWh": "MWh", "utr:tCO2e": "t CO2e", "utr:t": "t", "utr:m3": "m³", "utr:ha": "ha"}


@dataclass(frozen=True)
class VsmeSection:
    code: str  # "B3"
    rows: tuple[tuple[str, str, str], ...]  # (label, value, unit)


@dataclass(frozen=True)
class VsmeDocument:
    """What the PDF says."""

    language: str
    title: str
    organisation: str
    period: str
    footer: str
    sections: tuple[VsmeSection, ...]
    trail: tuple[tuple[str, str, str], ...]  # (label, formula, source)
    ask: str
    credit: str
    concept: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


def _disclosure(concept: str) -> str:
    for reference in taxonomy().concept(concept).get("references", []):
        for key, value in reference.get("parts", []):
            if key == "ref:Number":
                return value
    return ""


def _sort_key(code: str) -> tuple:
    return (code[:1] or "Z", int(code[1:]) if code[1:].isdigit() else 99)


def _format(value, concept: str, language: str, currency: str) -> tuple[str, str]:
    tax = taxonomy()
    info = tax.concept(concept)
    text = TEXT[language]
    data_type = info["dataType"]
    if isinstance(value, bool):
        return (text["yes"] if value else text["no"]), ""
    if data_type == "enum2:enumerationItemType":
        return tax.label(value, language), ""
    if data_type == "enum2:enumerationSetItemType":
        return "; ".join(tax.label(m, language) for m in value), ""
    if data_type == "dtr-types:percentItemType":
        return f"{float(value) * 100:.1f}".replace(".", "," if language == "nl" else "."), "%"
    unit = tax.unit(concept, currency) or ""
    if isinstance(value, int | float):
        shown = f"{value:,.6g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
        if language == "nl":
            shown = shown.replace(",", " ").replace(".", ",")
        unit = UNIT_TEXT.get(
            unit, unit.replace("iso4217:", "").replace("utr:", "").replace("xbrli:pure", "")
        )
        return shown, unit
    return str(value), ""


def _source_text(step, language: str) -> str:
    """Where a step's factor came from, and whether it was verified (``factors.yaml``)."""
    shown = TEXT[language]["source"].get(step.source, step.source)
    if step.verified is None:
        return shown
    mark = "vsme_factor_verified" if step.verified else "vsme_factor_unverified"
    return f"{shown} · {EXPORTS.translate(mark, language)}"


def vsme_document(report: VsmeReport, language: str = "nl") -> VsmeDocument:
    """The content of the PDF for a report."""
    tax = taxonomy()
    text = TEXT[language]
    report = with_derived(report)
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for name, value in report.facts.items():
        point = tax.resolve(name)
        label = tax.label(point.concept, language)
        if point.member:
            label = f"{label} ({tax.label(point.member, language)})"
        shown, unit = _format(value, point.concept, language, report.currency)
        grouped.setdefault(_disclosure(point.concept) or text["other"], []).append(
            (label, shown, unit)
        )
    for row in report.rows:
        for column, value in row.values.items():
            point = tax.resolve(column)
            shown, unit = _format(value, point.concept, language, report.currency)
            grouped.setdefault(_disclosure(point.concept) or text["other"], []).append(
                (f"{tax.label(point.concept, language)} [{row.key}]", shown, unit)
            )
    sections = tuple(
        VsmeSection(code, tuple(rows))
        for code, rows in sorted(grouped.items(), key=lambda i: _sort_key(i[0]))
    )
    trail = tuple(
        (
            tax.label(tax.resolve(step.datapoint).concept, language)
            if tax.resolve(step.datapoint)
            else step.datapoint,
            step.formula,
            _source_text(step, language),
        )
        for step in report.trail
    )
    return VsmeDocument(
        language=language,
        title=text["title"],
        organisation=report.entity.name,
        period=text["period"].format(
            start=report.period_start.isoformat(),
            end=report.period_end.isoformat(),
            kbo=format_kbo(report.entity.kbo),
            currency=report.currency,
        ),
        footer=f"VSME · {report.entity.name} · {report.year}",
        sections=sections,
        trail=trail,
        ask=text["ask_text"],
        credit=text["credit"],
    )


class VsmeRenderer(DocumentRenderer):
    """Lays out a ``VsmeDocument``."""

    def story(self) -> list:
        doc: VsmeDocument = self.doc
        text = TEXT[doc.language]
        width = self.frame_width
        widths = [width * 0.62, width * 0.24, width * 0.14]
        story = [self.p(doc.period, "Muted"), self.p(doc.credit, "Small")]
        for section in doc.sections:
            story += self.heading(section.code)
            story.append(
                self.table(
                    (text["datapoint"], text["value"], text["unit"]),
                    section.rows,
                    widths,
                )
            )
        if doc.trail:
            story += self.heading(text["computed"])
            story.append(
                self.table(
                    (text["datapoint"], "", ""),
                    doc.trail,
                    [width * 0.4, width * 0.45, width * 0.15],
                )
            )
        story += self.heading(text["ask"], space=30 * mm)
        story.append(self.p(doc.ask))
        return story


def render(report: VsmeReport, language: str = "nl") -> bytes:
    """The VSME report PDF as bytes."""
    return VsmeRenderer(vsme_document(report, language)).render()
