"""Data exports of passports: XLSX (a sheet per level of detail), CSV and JSON with a schema.

The department's tables are built once (``score_tables``) and written to whichever format is
asked, so the spreadsheet, the CSV and the screen agree; an anonymised ``Audience`` drops names,
replaces KBO numbers by a keyed per-year pseudonym (HMAC-SHA256), gives the size class instead
of the FTE, NACE at division level and no free-text answers. A federation's data is
``sector_sheets`` / ``sector_json`` over the published cells of ``scoring.benchmark`` (S9) and
the consenting members the app's disclosure module hands over (S10); nothing here decides
consent.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any

from exports import safety
from exports.documents import effective_frameworks, level_label
from exports.text import display_score, label, unit_label
from frameworks.loader import passport_models
from frameworks.models import Framework, SectorProfile, size_class
from scoring.models import Passport

if TYPE_CHECKING:
    from scoring.benchmark import MemberPosition, SectorStatistics

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Audience:
    """Who receives the department's export: everything by name, or anonymised with the
    deployment's pseudonym ``secret`` (``app.services.disclosure.deployment_secret``)."""

    anonymise: bool = False
    secret: bytes = b""


@dataclass(frozen=True)
class Sheet:
    """One level of detail: a name, a header (with units) and rows of plain values."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def pseudonym(kbo: str, year: int | None, secret: bytes) -> str:
    """The per-year pseudonym of a KBO number: HMAC-SHA256 keyed with the deployment secret,
    so it cannot be reversed by hashing every valid KBO number, and rows of two years cannot
    be linked. The one recipe every anonymised export uses."""
    if not secret:
        raise ValueError("a pseudonym needs the deployment secret (MVO_SECRET)")
    return hmac.new(secret, f"{kbo}:{year}".encode(), hashlib.sha256).hexdigest()[:16]


def _who(passport: Passport, audience: Audience) -> tuple[str, str]:
    org = passport.organisation
    if org is None:
        return "", ""
    if audience.anonymise:
        return "", pseudonym(org.kbo, passport.year, audience.secret)
    return org.name, org.kbo


#: The organisation columns of every sheet (label ids of ``exports.text``): people read the
#: size class as a label, a program reads ``size_class_id``.
ORG_COLUMNS = (
    "col_organisation",
    "col_kbo",
    "col_profile",
    "col_profile_version",
    "col_year",
    "col_status",
    "col_size_class",
    "col_size_class_id",
)
#: The English header of the organisation columns (as ``score_tables(language="en")``).
ORG_HEADER = tuple(label(column, "en") for column in ORG_COLUMNS)


def _header(language: str, *columns: str) -> tuple[str, ...]:
    return tuple(label(column, language) for column in (*ORG_COLUMNS, *columns))


def score_tables(
    passports: Iterable[Passport],
    frameworks: Mapping[str, Framework],
    profiles: Mapping[str, SectorProfile],
    audience: Audience = Audience(),
    language: str = "nl",
    archived: Mapping[tuple[str, str, str], Framework | SectorProfile] | None = None,
) -> list[Sheet]:
    """The sheets "organisations", "sections", "topics" and "kpis" of the department's
    export (one row per passport and item; no FTE, no NACE, no answers). Titles come from the
    versions each passport was scored on (``archived``: the earlier versions, as on
    ``Catalogue.archived``; ``frameworks.loader.passport_models``)."""
    organisations = Sheet(
        "organisations",
        _header(
            language,
            "col_overall",
            "col_level",
            "col_level_id",
            "col_capped",
            "col_completeness",
            "col_efqm",
            "col_frameworks",
        ),
    )
    sections = Sheet(
        "sections",
        _header(
            language,
            "col_framework",
            "col_framework_version",
            "col_section_id",
            "col_title",
            "col_score",
            "col_weight",
            "col_efqm",
        ),
    )
    topics = Sheet(
        "topics",
        _header(
            language,
            "col_framework",
            "col_topic_id",
            "col_clause",
            "col_title",
            "col_materiality",
            "col_score",
            "col_applicable",
            "col_answered",
        ),
    )
    kpis = Sheet(
        "kpis",
        _header(
            language,
            "col_kpi_id",
            "col_kpi",
            "col_value",
            "col_unit",
            "col_per_fte",
            "col_raw",
            "col_kpi_per",
            "col_kpi_activity",
            "col_kpi_band",
        ),
    )
    catalogue = SimpleNamespace(frameworks=frameworks, profiles=profiles, archived=archived or {})
    looked_up: dict[tuple, tuple[dict[str, Framework], SectorProfile | None]] = {}
    for passport in passports:
        key = (
            passport.profile,
            passport.profile_version,
            tuple(sorted((c.framework, c.framework_version) for c in passport.scorecards.values())),
        )
        if key not in looked_up:
            base, at_version = passport_models(catalogue, passport)
            looked_up[key] = (effective_frameworks(base, at_version), at_version)
        fws, profile = looked_up[key]
        name, kbo = _who(passport, audience)
        fte = passport.organisation.fte if passport.organisation else None
        base = (
            name,
            kbo,
            passport.profile,
            passport.profile_version,
            passport.year,
            label(f"status_{passport.status}", language),
            label(size_class(fte), language),
            size_class(fte),
        )
        efqm = next(
            (c.efqm_points for c in passport.scorecards.values() if c.efqm_points is not None), None
        )
        organisations.rows.append(
            (
                *base,
                display_score(passport.overall),
                level_label(profile, passport.level, language),
                passport.level,
                passport.capped,
                display_score(100 * passport.completeness),
                display_score(efqm),
                " ".join(
                    f"{c.framework} {c.framework_version}" for c in passport.scorecards.values()
                ),
            )
        )
        for card in passport.scorecards.values():
            fw = fws.get(card.framework)
            for section_id, section in card.sections.items():
                title = (
                    next(
                        (s.title.get(language) for s in fw.sections if s.id == section_id),
                        section_id,
                    )
                    if fw
                    else section_id
                )
                sections.rows.append(
                    (
                        *base,
                        card.framework,
                        card.framework_version,
                        section_id,
                        title,
                        display_score(section.score),
                        section.weight,
                        display_score(section.efqm_points),
                    )
                )
            for topic_id, topic in card.topics.items():
                model = fw.topics.get(topic_id) if fw else None
                topics.rows.append(
                    (
                        *base,
                        card.framework,
                        topic_id,
                        model.clause if model else None,
                        model.title.get(language) if model else topic_id,
                        topic.materiality,
                        display_score(topic.score),
                        topic.applicable,
                        topic.answered,
                    )
                )
        kpi_labels = {k.id: k.label.get(language) for k in profile.kpis} if profile else {}
        for value in passport.kpis:
            kpis.rows.append(
                (
                    *base,
                    value.kpi,
                    kpi_labels.get(value.kpi, value.kpi),
                    value.value,
                    unit_label(value.unit, language),
                    value.per_fte,
                    value.raw,
                    value.per,
                    value.activity,
                    label(f"kpi_band_{value.band}", language) if value.band else None,
                )
            )
    return [organisations, sections, topics, kpis]


#: The columns of the federation's "aggregates" sheet (label ids of ``exports.text``): people
#: read the labels, a program reads the ``*_id`` columns.
SECTOR_COLUMNS = (
    "col_year",
    "col_size_class",
    "col_size_class_id",
    "col_participants",
    "col_detail",
    "col_detail_id",
    "col_item",
    "col_item_id",
    "col_values_n",
    "col_mean",
    "col_p25",
    "col_median",
    "col_p75",
)
#: The columns of the "members" sheet.
MEMBER_COLUMNS = (
    "col_organisation",
    "col_kbo",
    "col_size_class",
    "col_size_class_id",
    "col_band",
    "col_band_id",
    "col_level",
    "col_level_id",
)
#: What each level of detail is called (label ids of ``exports.text``).
DETAIL_LABELS = {
    "participants": "participants",
    "overall": "overall",
    "section": "section",
    "topic": "topic",
    "kpi": "kpi",
}


def _kpi_figure(value: float | None) -> float | None:
    """A key figure for people: three significant digits (a KPI such as 0.0123 tCO2e/FTE
    would read 0.0 at one decimal, as a score does)."""
    return None if value is None else float(f"{value:.3g}")


def _has(fw: Framework, kind: str, item_id: str) -> bool:
    if kind == "sections":
        return any(s.id == item_id for s in fw.sections)
    return item_id in fw.topics


def _item_title(
    kind: str, item: str, fws: Mapping[str, Framework], profile: SectorProfile | None, language: str
) -> str:
    """A section, topic or KPI of the sector as people read it (its id where unknown)."""
    if kind == "overall":
        return label("overall", language)
    if kind == "kpi":
        kpi = next((k for k in profile.kpis if k.id == item), None) if profile else None
        return kpi.label.get(language) if kpi is not None else item
    framework_id, _sep, item_id = item.partition(":")
    fw = fws.get(framework_id) if item_id else None
    if fw is None:  # a bare id (one framework): the framework that has it
        item_id = item
        found = "sections" if kind == "section" else "topics"
        fw = next((f for f in fws.values() if _has(f, found, item)), None)
        if fw is None:
            return item
    if kind == "section":
        section = next((s for s in fw.sections if s.id == item_id), None)
        title = section.title.get(language) if section is not None else item_id
        clause = section.clause if section is not None else None
    else:
        topic = fw.topics.get(item_id)
        title = topic.title.get(language) if topic is not None else item_id
        clause = topic.clause if topic is not None else None
    return f"{clause} {title}" if clause else title


def sector_sheets(
    statistics: SectorStatistics,
    members: Sequence[MemberPosition] = (),
    *,
    frameworks: Mapping[str, Framework] | None = None,
    profile: SectorProfile | None = None,
    language: str = "nl",
) -> list[Sheet]:
    """The federation's data: "aggregates" (per year and size class, "all" for all sizes: n,
    empty where withheld, then n, mean, p25, median, p75 per item; never min or max) and
    "members" (the consenting members handed over, with level and quartile band).

    Headers, size classes, levels of detail and item titles are in ``language`` (titles from
    the profile's ``frameworks``); the ids stay beside them in ``*_id`` columns. Figures are
    rounded to one decimal for people (S8; ``sector_json`` stays exact)."""
    frameworks = frameworks or {}
    if profile is not None:
        frameworks = {i.id: frameworks[i.id] for i in profile.frameworks if i.id in frameworks}
    fws = effective_frameworks(frameworks, profile)
    aggregates = Sheet("aggregates", tuple(label(c, language) for c in SECTOR_COLUMNS))
    all_sizes = label("all_sizes", language)
    for cell in statistics.cells:
        size = all_sizes if cell.size_class == "all" else label(cell.size_class, language)
        base = (cell.year, size, cell.size_class, cell.n)
        detail = label(DETAIL_LABELS["participants"], language)
        aggregates.rows.append(
            (*base, detail, "participants", "", "", None, None, None, None, None)
        )
        items = [("overall", {"overall": cell.overall} if cell.overall else {})]
        items += [("section", cell.sections), ("topic", cell.topics), ("kpi", cell.kpis)]
        for kind, dists in items:
            detail = label(DETAIL_LABELS[kind], language)
            for item, d in dists.items():
                aggregates.rows.append(
                    (
                        *base,
                        detail,
                        kind,
                        _item_title(kind, item, fws, profile, language),
                        item,
                        d.n,
                        *(
                            _kpi_figure(v) if kind == "kpi" else display_score(v)
                            for v in (d.mean, d.p25, d.median, d.p75)
                        ),
                    )
                )
    people = Sheet(
        "members",
        tuple(label(c, language) for c in MEMBER_COLUMNS),
        [
            (
                m.organisation,
                m.kbo,
                label(m.size_class or "unknown", language),
                m.size_class,
                label(m.band, language) if m.band else None,
                m.band,
                level_label(profile, m.level, language) if m.level else None,
                m.level,
            )
            for m in members
        ],
    )
    return [aggregates, people]


def sector_json(
    statistics: SectorStatistics,
    members: Sequence[MemberPosition] = (),
    *,
    year: int,
    size_class: str | None = None,
) -> bytes:
    """The federation's data as JSON: ``cells`` with ``year``, ``size_class`` ("all" for all
    sizes) and ``n`` (null where withheld) beside the statistics, and the named ``members``."""
    document = {
        "profile": statistics.profile,
        "k": statistics.k,
        "year": year,
        "size_class": size_class or "all",
        "cells": [cell.model_dump(mode="json") for cell in statistics.cells],
        "members": [m.model_dump(mode="json", exclude={"assessment"}) for m in members],
    }
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook, one worksheet per sheet, bold frozen header, filter on the header.
    Written in openpyxl's write-only mode (rows stream out; memory stays flat). Text is
    always a string cell, neutralised where it would start a formula (``exports.safety``)."""
    from openpyxl import Workbook  # noqa: PLC0415 (only this format needs it)
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        for index, title in enumerate(sheet.header, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(title) + 2))
        if sheet.header:
            last = get_column_letter(len(sheet.header))
            ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
        head = []
        for title in sheet.header:
            cell = _text_cell(ws, title)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        text = _Texts(ws)
        for row in sheet.rows:
            ws.append([text(v) if isinstance(v, str) else v for v in row])
    workbook.properties.creator = "MVO-paspoort"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(ws, value: str, *, neutralised: bool = False):
    """A string cell whatever the text looks like (never a formula or an error value), its
    text neutralised by ``exports.safety`` (OWASP CSV injection)."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    cell = WriteOnlyCell(ws, value=value if neutralised else safety.xlsx_text(value))
    cell.data_type = "s"
    return cell


class _Texts:
    """The text of each string value as ``to_xlsx`` appends it, worked out once per distinct
    string (ids, statuses and titles repeat on every row). Plain neutralised text is appended
    as a str: openpyxl stores a str that does not start with "=" as a string, and a
    neutralised one never does; only an error literal such as "#N/A" needs a cell object
    (three times as slow) to stay a string."""

    def __init__(self, ws) -> None:
        from openpyxl.cell.cell import ERROR_CODES  # noqa: PLC0415

        self.ws = ws
        self.errors = ERROR_CODES
        self.known: dict[str, str] = {}

    def __call__(self, value: str):
        text = self.known.get(value)
        if text is None:
            text = self.known[value] = safety.xlsx_text(value)
        return _text_cell(self.ws, text, neutralised=True) if text in self.errors else text


def scores_per_organisation(sheets: Sequence[Sheet]) -> Sheet:
    """One wide row per passport: the organisation columns, overall, level, completeness, then
    a column per section and per topic (``<framework>.<id>``), scores 0..100."""
    by_name = {s.name: s for s in sheets}
    orgs = by_name["organisations"]
    width = len(ORG_COLUMNS)
    columns: dict[str, None] = {}
    values: dict[tuple, dict[str, Any]] = {}
    for sheet, kind in ((by_name["sections"], "section"), (by_name["topics"], "topic")):
        for row in sheet.rows:
            base = row[:width]
            framework, item = row[width], row[width + (2 if kind == "section" else 1)]
            score = row[width + (4 if kind == "section" else 5)]
            column = f"{kind}:{framework}.{item}"
            columns.setdefault(column)
            values.setdefault(base, {})[column] = score
    # overall, level, level_id, completeness (the organisations sheet's columns w..w+4)
    kept = (width, width + 1, width + 2, width + 4)
    header = (*orgs.header[:width], *(orgs.header[i] for i in kept), *columns)
    rows = []
    for row in orgs.rows:
        base = row[:width]
        extra = values.get(base, {})
        rows.append((*base, *(row[i] for i in kept), *(extra.get(c) for c in columns)))
    return Sheet("scores", header, rows)


def to_csv(sheet: Sheet) -> bytes:
    """A CSV (UTF-8, comma, decimal point, empty for no score, CRLF rows as RFC 4180 says) of
    one sheet; text that would start a formula is neutralised (``exports.safety.cell``).
    CRLF rows make the writer quote a field holding a bare CR, which "\\n" rows did not."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safety.row(sheet.header))
    for row in sheet.rows:
        writer.writerow(["" if v is None else safety.cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def passport_schema() -> dict[str, Any]:
    """The JSON Schema of one passport, generated from the ``Passport`` model."""
    schema = Passport.model_json_schema(mode="serialization")
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def passports_schema() -> dict[str, Any]:
    """The JSON Schema of a list of passports (what ``passports_json`` writes)."""
    schema = Passport.model_json_schema(mode="serialization")
    defs = schema.pop("$defs", {})
    defs["Passport"] = schema
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "Passports",
        "type": "array",
        "items": {"$ref": "#/$defs/Passport"},
        "$defs": defs,
    }


def passport_json(passport: Passport) -> bytes:
    """One passport as JSON (``Passport.model_dump_json``)."""
    return passport.model_dump_json(indent=2).encode("utf-8")


def anonymised_passport(passport: Passport, secret: bytes) -> Passport:
    """The passport without name, KBO (a keyed pseudonym instead), municipality or FTE, NACE
    at division level (2 digits), and without free-text answers (a text is never scored, S1:
    an unscored string answer is dropped)."""
    org = passport.organisation
    update: dict[str, Any] = {}
    if org is not None:
        update["organisation"] = org.model_copy(
            update={
                "name": "",
                "kbo": pseudonym(org.kbo, passport.year, secret),
                "municipality": None,
                "fte": None,
                "nace": (org.nace or "")[:2] or None,
            }
        )
    cards = {}
    for key, card in passport.scorecards.items():
        questions = {
            q: score.model_copy(update={"value": None})
            if score.max == 0 and isinstance(score.value, str)
            else score
            for q, score in card.questions.items()
        }
        cards[key] = card.model_copy(update={"questions": questions})
    update["scorecards"] = cards
    return passport.model_copy(update=update)


def write_passports_json(
    passports: Iterable[Passport], handle: IO[bytes], audience: Audience = Audience()
) -> int:
    """Write a JSON array of the passports (anonymised if asked) to ``handle``, one passport at
    a time; returns how many were written."""
    count = 0
    handle.write(b"[")
    for p in passports:
        if audience.anonymise:
            p = anonymised_passport(p, audience.secret)
        handle.write(b",\n" if count else b"\n")
        handle.write(p.model_dump_json().encode("utf-8"))
        count += 1
    handle.write(b"\n]\n")
    return count


def passports_json(passports: Iterable[Passport], audience: Audience = Audience()) -> bytes:
    """A JSON array of the passports (anonymised if asked)."""
    buffer = io.BytesIO()
    write_passports_json(passports, buffer, audience)
    return buffer.getvalue()
