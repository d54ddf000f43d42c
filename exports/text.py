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
    "level_gated": {
        "nl": "begrensd: een wettelijke verplichting is niet nagekomen",
        "en": "capped: a legal obligation is not met",
    },
    "red_flags": {
        "nl": "Wettelijke verplichtingen niet nagekomen",
        "en": "Legal obligations not met",
    },
    "find_out": {"nl": "zoek uit", "en": "find out"},
    "dont_know_count": {"nl": "{count} × weet niet", "en": "{count} × don't know"},
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
        "nl": "zelfde sector, jaar en grootteklasse: {size}; n = {n}",
        "en": "same sector, year and size class: {size}; n = {n}",
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
    "plan_gain": {"nl": "+{gain} punten op de totaalscore", "en": "+{gain} points overall"},
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
    "change_previous": {"nl": "Score {year}", "en": "Score {year}"},
    "change_current": {"nl": "Score {year}", "en": "Score {year}"},
    "change_delta": {"nl": "Verschil", "en": "Difference"},
    "change_draft": {
        "nl": "Let op: {year} is nog een concept, {completeness} ingevuld. De vergelijking "
        "met {previous} kan nog veranderen.",
        "en": "Note: {year} is still a draft, {completeness} complete. The comparison with "
        "{previous} may still change.",
    },
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
    "boxplot_note": {
        "nl": "Het vak loopt van p25 tot p75 (de middelste helft van de deelnemers), de "
        "lijn in het vak is de mediaan, de stippellijn of het blokje het gemiddelde. Er zijn "
        "geen snorharen: minimum en maximum worden nooit getoond.",
        "en": "The box runs from p25 to p75 (the middle half of the participants), the line "
        "in the box is the median, the dotted line or the small square the mean. There are no "
        "whiskers: minimum and maximum are never shown.",
    },
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
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
    # Column headers of the XLSX/CSV exports and manifest.csv (people read these; the
    # machine-readable ids keep their own "_id" columns).
    "col_organisation": {"nl": "Organisatie", "en": "Organisation"},
    "col_kbo": {"nl": "KBO-nummer", "en": "KBO number"},
    "col_profile": {"nl": "Sectorprofiel", "en": "Sector profile"},
    "col_profile_version": {"nl": "Versie profiel", "en": "Profile version"},
    "col_year": {"nl": "Jaar", "en": "Year"},
    "col_status": {"nl": "Status", "en": "Status"},
    "col_size_class": {"nl": "Grootteklasse", "en": "Size class"},
    "col_size_class_id": {"nl": "size_class_id", "en": "size_class_id"},
    "col_overall": {"nl": "Totaalscore (0-100)", "en": "Overall score (0-100)"},
    "col_level": {"nl": "Niveau", "en": "Level"},
    "col_level_id": {"nl": "level_id", "en": "level_id"},
    "col_capped": {"nl": "Begrensd", "en": "Capped"},
    "col_completeness": {"nl": "Volledigheid (%)", "en": "Completeness (%)"},
    "col_efqm": {"nl": "EFQM-punten", "en": "EFQM points"},
    "col_frameworks": {"nl": "Kaders", "en": "Frameworks"},
    "col_framework": {"nl": "Kader", "en": "Framework"},
    "col_framework_version": {"nl": "Versie kader", "en": "Framework version"},
    "col_section_id": {"nl": "section_id", "en": "section_id"},
    "col_topic_id": {"nl": "topic_id", "en": "topic_id"},
    "col_clause": {"nl": "Clausule", "en": "Clause"},
    "col_title": {"nl": "Titel", "en": "Title"},
    "col_score": {"nl": "Score (0-100)", "en": "Score (0-100)"},
    "col_weight": {"nl": "Gewicht (aandeel van 1)", "en": "Weight (share of 1)"},
    "col_materiality": {"nl": "Materialiteit (0-3)", "en": "Materiality (0-3)"},
    "col_applicable": {"nl": "Van toepassing (vragen)", "en": "Applicable (questions)"},
    "col_answered": {"nl": "Beantwoord (vragen)", "en": "Answered (questions)"},
    "col_kpi_id": {"nl": "kpi_id", "en": "kpi_id"},
    "col_kpi": {"nl": "Kerncijfer", "en": "Key figure"},
    "col_value": {"nl": "Waarde (in eenheid)", "en": "Value (in unit)"},
    "col_unit": {"nl": "Eenheid", "en": "Unit"},
    "col_per_fte": {"nl": "Per VTE", "en": "Per FTE"},
    "col_raw": {"nl": "Ruwe waarde", "en": "Raw value"},
    "col_file": {"nl": "Bestand", "en": "File"},
    "col_sha256": {"nl": "sha256", "en": "sha256"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    # the action plan (exports/actionplan.py)
    "action_plan": {"nl": "Actieplan", "en": "Action plan"},
    "action": {"nl": "Actie", "en": "Action"},
    "action_owner": {"nl": "Eigenaar", "en": "Owner"},
    "action_deadline": {"nl": "Deadline", "en": "Deadline"},
    "action_status": {"nl": "Status", "en": "Status"},
    "action_cost": {"nl": "Kost", "en": "Cost"},
    "action_scheme": {"nl": "Steunmaatregel", "en": "Support scheme"},
    "action_change": {
        "nl": "Scoreverschil thema sinds {year}",
        "en": "Topic score change since {year}",
    },
    "action_status_planned": {"nl": "gepland", "en": "planned"},
    "action_status_in_progress": {"nl": "bezig", "en": "in progress"},
    "action_status_done": {"nl": "klaar", "en": "done"},
    "action_carried": {"nl": "overgedragen uit {year}", "en": "carried over from {year}"},
    "action_own": {"nl": "eigen actie", "en": "own action"},
    "action_none": {
        "nl": "Nog geen acties: kies stappen uit het verbeterplan of voeg een eigen actie toe.",
        "en": "No actions yet: pick steps from the improvement plan or add your own action.",
    },
    "action_schemes_note": {
        "nl": "Steunmaatregelen zoals gecontroleerd op {date}; de instantie beslist over de steun.",
        "en": "Support schemes as checked on {date}; the agency decides on the support.",
    },
}

#: Units of numbers and KPIs (as the frameworks and profiles write them) -> language -> text.
#: A unit that is the same in both languages ("%", "EUR", "MWh") needs no entry.
UNITS: dict[str, dict[str, str]] = {
    "count": {"nl": "aantal", "en": "count"},
    "count/FTE": {"nl": "aantal/VTE", "en": "count/FTE"},
    "hours": {"nl": "uren", "en": "hours"},
    "hours/FTE": {"nl": "uren/VTE", "en": "hours/FTE"},
    "per million hours": {"nl": "per miljoen gewerkte uren", "en": "per million hours worked"},
    "employees per FTE supervisor": {
        "nl": "medewerkers per VTE begeleider",
        "en": "employees per FTE supervisor",
    },
    "FTE": {"nl": "VTE", "en": "FTE"},
    "MWh/FTE": {"nl": "MWh/VTE", "en": "MWh/FTE"},
    "m3/FTE": {"nl": "m³/VTE", "en": "m³/FTE"},
    "m3": {"nl": "m³", "en": "m³"},
    "tCO2e/FTE": {"nl": "ton CO2e/VTE", "en": "tCO2e/FTE"},
    "tCO2e": {"nl": "ton CO2e", "en": "tCO2e"},
    "tonnes": {"nl": "ton", "en": "tonnes"},
    "ratio": {"nl": "verhouding", "en": "ratio"},
    "kWh/m2": {"nl": "kWh/m²", "en": "kWh/m²"},
    "l/100 km": {"nl": "l/100 km", "en": "l/100 km"},
}


def unit_label(unit: str | None, language: str) -> str:
    """A unit as shown in ``language`` (the unit itself where no translation is needed)."""
    if not unit:
        return ""
    texts = UNITS.get(unit)
    return (texts.get(language) or texts["nl"]) if texts else unit


def display_score(value: float | None) -> float | None:
    """A score rounded to one decimal for an export meant for people (S8: stored unrounded;
    JSON keeps the exact value)."""
    return None if value is None else round(value, 1)


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
