"""Words and number formats the exports print, in Dutch (Flemish) first and English second.

Every export formats numbers through ``format_score`` and ``format_number`` so that the PDF,
the spreadsheet and the screen show the same figure (S8: scores are kept unrounded and only
display rounds, to one decimal). Labels live in one table so a translation is one edit.
"""

from __future__ import annotations

import math

#: label id -> language -> text. Dutch is the product's first language.
LABELS: dict[str, dict[str, str]] = {
    "passport_title": {"nl": "MVO-paspoort", "en": "CSR passport"},
    "scan_title": {"nl": "Start-to-MVO: resultaat van de scan", "en": "Start-to-MVO: scan result"},
    "sector_report_title": {"nl": "Sectorbenchmark", "en": "Sector benchmark"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "kbo": {"nl": "Ondernemingsnummer (KBO)", "en": "Enterprise number (KBO)"},
    "sector": {"nl": "Sector", "en": "Sector"},
    "federation": {"nl": "Federatie", "en": "Federation"},
    "year": {"nl": "Jaar", "en": "Year"},
    "status": {"nl": "Status", "en": "Status"},
    "status_submitted": {"nl": "ingediend", "en": "submitted"},
    "status_draft": {"nl": "concept (niet ingediend)", "en": "draft (not submitted)"},
    "size_class": {"nl": "Grootteklasse", "en": "Size class"},
    "level": {"nl": "Niveau", "en": "Level"},
    "level_concept": {
        "nl": "Concept: nog niet alle verplichte vragen beantwoord",
        "en": "Concept: required questions still open",
    },
    "level_capped": {
        "nl": "begrensd: een materieel thema scoort onder de drempel",
        "en": "capped: a material topic scores below the threshold",
    },
    "overall": {"nl": "Totaalscore", "en": "Overall score"},
    "efqm_points": {"nl": "EFQM-punten", "en": "EFQM points"},
    "completeness": {"nl": "Volledigheid", "en": "Completeness"},
    "no_score": {"nl": "geen score", "en": "no score"},
    "summary": {"nl": "Samenvatting", "en": "Summary"},
    "sections_chart": {"nl": "Score per onderdeel", "en": "Score per section"},
    "you": {"nl": "uw score", "en": "your score"},
    "median": {"nl": "Mediaan", "en": "Median"},
    "quartiles": {"nl": "Kwartielen (p25-p75)", "en": "Quartiles (p25-p75)"},
    "topics": {"nl": "Scores per thema", "en": "Scores per topic"},
    "topic": {"nl": "Thema", "en": "Topic"},
    "section": {"nl": "Onderdeel", "en": "Section"},
    "score": {"nl": "Score", "en": "Score"},
    "materiality": {"nl": "Mat.", "en": "Mat."},
    "peer_group": {"nl": "Vergelijkingsgroep", "en": "Peer group"},
    "peer_size_class": {
        "nl": "zelfde sector, jaar en grootteklasse ({size}), n = {n}",
        "en": "same sector, year and size class ({size}), n = {n}",
    },
    "peer_sector": {
        "nl": "zelfde sector en jaar (alle grootteklassen), n = {n}",
        "en": "same sector and year (all size classes), n = {n}",
    },
    "too_few": {
        "nl": "te weinig deelnemers om te vergelijken (minder dan {k})",
        "en": "too few participants to compare (fewer than {k})",
    },
    "no_benchmark": {"nl": "geen benchmark beschikbaar", "en": "no benchmark available"},
    "percentile_rank": {"nl": "Percentielrang", "en": "Percentile rank"},
    "strengths": {"nl": "Sterke punten", "en": "Strengths"},
    "weak_points": {"nl": "Aandachtspunten", "en": "Points for attention"},
    "none": {"nl": "geen", "en": "none"},
    "improvement_plan": {"nl": "Verbeterplan", "en": "Improvement plan"},
    "step": {"nl": "Stap", "en": "Step"},
    "question": {"nl": "Vraag", "en": "Question"},
    "gain": {"nl": "Winst", "en": "Gain"},
    "advice": {"nl": "Advies", "en": "Advice"},
    "kpis": {"nl": "Kerncijfers (KPI's)", "en": "Key figures (KPIs)"},
    "kpi": {"nl": "Kerncijfer", "en": "Key figure"},
    "value": {"nl": "Waarde", "en": "Value"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "not_answered": {"nl": "niet ingevuld", "en": "not given"},
    "notes": {"nl": "Toelichting", "en": "Notes"},
    "references": {"nl": "Verwijzingen naar kaders", "en": "Framework references"},
    "ref_framework": {"nl": "Kader", "en": "Framework"},
    "ref_codes": {"nl": "Verwijzingen", "en": "References"},
    "ref_iso": {"nl": "ISO 26000-clausules", "en": "ISO 26000 clauses"},
    "ref_gri": {"nl": "GRI-standaarden", "en": "GRI standards"},
    "ref_sdg": {"nl": "Duurzame ontwikkelingsdoelen (SDG)", "en": "Sustainable Development Goals"},
    "ref_vsme": {"nl": "VSME-datapunten", "en": "VSME datapoints"},
    "ref_efqm": {"nl": "EFQM-criteria", "en": "EFQM criteria"},
    "versions": {"nl": "Kaders", "en": "Frameworks"},
    "page_of": {"nl": "pagina {page} van {pages}", "en": "page {page} of {pages}"},
    "concept_mark": {"nl": "CONCEPT", "en": "CONCEPT"},
    "change": {"nl": "Ten opzichte van {year}", "en": "Compared with {year}"},
    "scan_results": {"nl": "Resultaat per kernthema", "en": "Result per core subject"},
    "core_subject": {"nl": "Kernthema", "en": "Core subject"},
    "first_steps": {"nl": "Uw eerste drie stappen", "en": "Your first three steps"},
    "next": {"nl": "Waar nu naartoe?", "en": "Where to go next?"},
    "next_text": {
        "nl": "Deze scan is een eerste kennismaking. Vul het volledige MVO-paspoort van uw "
        "sector in: het gaat dieper op elk thema in, geeft een niveau, een verbeterplan en "
        "een vergelijking met collega-bedrijven.",
        "en": "This scan is a first introduction. Complete the full CSR passport of your "
        "sector: it goes deeper into every topic and gives a level, an improvement plan and a "
        "comparison with peer companies.",
    },
    "suggested_passports": {"nl": "Passende sectorpaspoorten", "en": "Matching sector passports"},
    "participation": {"nl": "Deelname", "en": "Participation"},
    "participants": {"nl": "Deelnemers", "en": "Participants"},
    "distribution": {"nl": "Spreiding per onderdeel", "en": "Distribution per section"},
    "topic_medians": {"nl": "Mediaan per thema", "en": "Median per topic"},
    "kpi_medians": {"nl": "Kerncijfers: mediaan", "en": "Key figures: median"},
    "members": {"nl": "Leden die instemden met vermelding", "en": "Members who consented"},
    "suppressed": {"nl": "< {k}", "en": "< {k}"},
    "suppressed_note": {
        "nl": "Groepen met minder dan {k} deelnemers worden niet getoond.",
        "en": "Groups with fewer than {k} participants are not shown.",
    },
    "total": {"nl": "Totaal", "en": "Total"},
    "band": {"nl": "Kwartielband", "en": "Quartile band"},
    "below_p25": {"nl": "onder p25", "en": "below p25"},
    "p25_median": {"nl": "p25 - mediaan", "en": "p25 - median"},
    "median_p75": {"nl": "mediaan - p75", "en": "median - p75"},
    "above_p75": {"nl": "boven p75", "en": "above p75"},
    "micro": {"nl": "micro (<10 VTE)", "en": "micro (<10 FTE)"},
    "small": {"nl": "klein (<50 VTE)", "en": "small (<50 FTE)"},
    "medium": {"nl": "middelgroot (<250 VTE)", "en": "medium (<250 FTE)"},
    "large": {"nl": "groot", "en": "large"},
    "unknown": {"nl": "onbekend", "en": "unknown"},
}


def label(key: str, language: str, **values: object) -> str:
    """The label ``key`` in ``language`` (Dutch where missing), with ``{placeholders}`` filled."""
    texts = LABELS[key]
    text = texts.get(language) or texts["nl"]
    return text.format(**values) if values else text


def format_number(value: float | None, language: str, decimals: int = 1) -> str:
    """A number for display: one decimal by default, decimal comma in Dutch, "-" for None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        # 1,234.5 -> 1.234,5 (Flemish notation)
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def format_score(value: float | None, language: str) -> str:
    """A 0..100 score rounded to one decimal (S8), or "geen score"/"no score" for None."""
    if value is None:
        return label("no_score", language)
    return format_number(value, language, 1)


def format_percent(share: float | None, language: str) -> str:
    """A 0..1 share as a percentage without decimals ("85 %")."""
    if share is None:
        return "-"
    return f"{format_number(100 * share, language, 0)} %"
