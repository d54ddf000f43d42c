"""The VSME report as xBRL-JSON (OIM, https://xbrl.org/2021/xbrl-json) against EFRAG's taxonomy.

Each fact carries its concept, the entity (the KBO number as an EUID, the scheme EFRAG's
converter uses for "EU ID"), the period the concept's period type asks for (a duration over
the reporting period, or the instant at its end), the unit (the report's currency for
monetary items, the data type's UTR unit, ``xbrli:pure`` for decimals and percentages) and the
dimensions as the taxonomy defines them: a ``<Concept>_<Member>`` datapoint gets its explicit
member unless that member is the axis default; a table row gets its typed identifier or
explicit member. OIM periods are date-times: the end of a day is the next day's midnight.
"""

from __future__ import annotations

import datetime as dt
import json

from exports.vsme.report import VsmeReport, with_derived
from exports.vsme.taxonomy import Taxonomy, taxonomy

DOCUMENT_TYPE = "https://xbrl.org/2021/xbrl-json"
ENTITY_SCHEME = (
    "https://e-justice.europa.eu/topics/registers-business-insolvency-land/"
    "business-registers-search-company-eu_en"
)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _value(tax: Taxonomy, concept: str, value) -> str:
    """The OIM lexical value: QNames for enumerations (space-separated for sets), lower-case
    booleans, numbers as written."""
    data_type = tax.concept(concept)["dataType"]
    if data_type == "enum2:enumerationItemType":
        return _expanded(tax, value)
    if data_type == "enum2:enumerationSetItemType":
        return " ".join(sorted(_expanded(tax, member) for member in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expanded(tax: Taxonomy, qname: str) -> str:
    # enum2 values are expanded names: namespace URI + "#" + local name
    prefix, local = qname.split(":", 1)
    return f"{tax.namespaces[prefix]}#{local}"


def _fact(tax: Taxonomy, report: VsmeReport, concept: str, value, dims: dict[str, str]) -> dict:
    info = tax.concept(concept)
    start, after_end = report.period_start, report.period_end + dt.timedelta(days=1)
    period = (
        f"{_stamp(start)}/{_stamp(after_end)}"
        if info["periodType"] == "duration"
        else _stamp(after_end)
    )
    dimensions = {
        "concept": concept,
        "entity": f"scheme:{report.entity.euid}",
        "period": period,
        **dims,
    }
    unit = tax.unit(concept, report.currency)
    if unit is not None:
        dimensions["unit"] = unit
    fact = {"value": _value(tax, concept, value), "dimensions": dimensions}
    if unit is not None and not isinstance(value, bool):
        fact["decimals"] = 4 if info["dataType"] == "dtr-types:percentItemType" else 2
    return fact


def facts(report: VsmeReport) -> list[dict]:
    """The report's facts (derived totals included) as OIM fact objects, in a stable order."""
    tax = taxonomy()
    report = with_derived(report)
    out = []
    for name, value in report.facts.items():
        point = tax.resolve(name)
        if point is None:
            raise ValueError(f"{name}: not a concept of the VSME taxonomy")
        out.append(_fact(tax, report, point.concept, value, dict(point.dimensions)))
    for row in report.rows:
        axis = f"vsme:{row.axis}"
        key = row.key if axis in tax.typed_axes else row.key
        for column, value in row.values.items():
            point = tax.resolve(column)
            if point is None:
                raise ValueError(f"{row.axis}.{column}: not a concept of the VSME taxonomy")
            out.append(_fact(tax, report, point.concept, value, {axis: key}))
    return out


def xbrl_json(report: VsmeReport) -> dict:
    """The whole xBRL-JSON report document."""
    tax = taxonomy()
    fact_list = facts(report)
    used = {"xbrli", "iso4217", "utr", "vsme"}
    namespaces = {p: tax.namespaces[p] for p in sorted(used) if p in tax.namespaces}
    namespaces["scheme"] = ENTITY_SCHEME
    return {
        "documentInfo": {
            "documentType": DOCUMENT_TYPE,
            "namespaces": namespaces,
            "taxonomy": [tax.entry_point],
        },
        "facts": {f"f{number}": fact for number, fact in enumerate(fact_list, start=1)},
    }


def to_bytes(report: VsmeReport) -> bytes:
    return json.dumps(xbrl_json(report), indent=2, ensure_ascii=False).encode("utf-8")
