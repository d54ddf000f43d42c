"""Fill EFRAG's VSME Digital Template 1.3.0 with a ``VsmeReport``: xlsx bytes out.

EFRAG's converter reads the workbook with openpyxl ``data_only=True``: it reads the *cached
values* of formula cells and evaluates nothing, and a workbook saved by openpyxl carries no
cached values, so its period dates (formula cells) read as empty and the converter aborts.
So every formula cell is replaced by its value: the report's own figure where the cell is a
datapoint the report holds (calculated totals included, ``report.with_derived``), the period
dates and headings computed here, and otherwise the value Excel cached in EFRAG's blank
template (``-`` for an empty total, the label texts in the chosen language). The filled file
thus reads the same with and without a recalculation; it keeps EFRAG's sheets, dropdowns,
Licence sheet and Introduction footer, but no live formulas.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from functools import cache

import openpyxl
from openpyxl.workbook.workbook import Workbook

from exports.vsme.report import VsmeReport, with_derived
from exports.vsme.taxonomy import DATA_DIR, taxonomy

TEMPLATE_FILE = DATA_DIR / "VSME-Digital-Template-1.3.0.xlsx"
TEMPLATE_VERSION = "1.3.0"
GI = "General Information"
#: The identifier scheme in the template's dropdown; the converter maps "euid" to the EUID URI.
ENTITY_SCHEME = "EU ID"


class TemplateError(ValueError):
    """A fact the template has no place for."""


def _load(data_only: bool = False) -> Workbook:
    with warnings.catch_warnings():
        # openpyxl drops the x14 data-validation extension on read; EFRAG's dropdowns on the
        # main sheets are plain data validations and survive.
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(TEMPLATE_FILE, data_only=data_only)


@cache
def _cached_values() -> dict[tuple[str, str], object]:
    """What Excel cached for every formula cell of the blank template."""
    formulas, values = _load(), _load(data_only=True)
    cached = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cached[(ws.title, cell.coordinate)] = values[ws.title][cell.coordinate].value
    return cached


def range_cells(wb: Workbook, name: str) -> list[list]:
    """The cells of a named range, row by row."""
    defined = wb.defined_names[name]
    sheet, ref = next(iter(defined.destinations))
    cells = wb[sheet][ref.replace("$", "")]
    if not isinstance(cells, tuple):
        return [[cells]]
    if cells and not isinstance(cells[0], tuple):
        return [list(cells)]
    return [list(row) for row in cells]


def _cell_value(name: str, concept: str, value):
    """The cell content(s) for a fact: labels for enumerations, positions for checkboxes."""
    tax = taxonomy()
    data_type = tax.concept(concept)["dataType"]
    if data_type.startswith("enum2:"):
        members = [value] if data_type == "enum2:enumerationItemType" else list(value)
        allowed = set(tax.enumeration_members(concept))
        unknown = [m for m in members if m not in allowed]
        if unknown:
            raise TemplateError(f"{name}: {', '.join(unknown)} is not an option of {concept}")
        labels = [tax.label(m) for m in members]
        return labels[0] if data_type == "enum2:enumerationItemType" else labels
    return value


def _write_fact(wb: Workbook, name: str, value) -> None:
    tax = taxonomy()
    point = tax.resolve(name)
    if point is None or name not in wb.defined_names:
        raise TemplateError(
            f"{name}: not a datapoint of the VSME Digital Template {TEMPLATE_VERSION}"
        )
    cells = range_cells(wb, name)
    content = _cell_value(name, point.concept, value)
    if not isinstance(content, list):
        cells[0][0].value = content
        return
    flat = [row[0] for row in cells] if len(cells) > 1 else cells[0]
    if all(isinstance(c.value, bool) for c in flat):
        # a checkbox set: TRUE at the position of each chosen member
        members = tax.enumeration_members(point.concept)
        for position, cell in enumerate(flat):
            cell.value = position < len(members) and members[position] in value
        return
    if len(content) > len(flat):
        raise TemplateError(f"{name}: {len(content)} values, the template has {len(flat)} cells")
    for cell, text in zip(flat, content, strict=False):
        cell.value = text


def _write_rows(wb: Workbook, report: VsmeReport) -> None:
    tax = taxonomy()
    used: dict[str, int] = {}
    for row in report.rows:
        if row.axis not in wb.defined_names:
            raise TemplateError(f"{row.axis}: not a table of the VSME Digital Template")
        index = used.get(row.axis, 0)
        used[row.axis] = index + 1
        key_cells = range_cells(wb, row.axis)
        if index >= len(key_cells):
            raise TemplateError(f"{row.axis}: more than {len(key_cells)} rows")
        typed = f"vsme:{row.axis}" in tax.typed_axes or row.axis.endswith("TypedAxis")
        key_cells[index][0].value = row.key if typed else tax.label(row.key)
        for column, value in row.values.items():
            point = tax.resolve(column)
            if point is None or column not in wb.defined_names:
                raise TemplateError(f"{row.axis}.{column}: not a column of the template")
            cells = range_cells(wb, column)
            cells[index][0].value = _cell_value(column, point.concept, value)


def _write_report_inputs(wb: Workbook, report: VsmeReport) -> None:
    gi = wb[GI]
    start, end = report.period_start.isoformat(), report.period_end.isoformat()
    gi["D3"] = report.entity.name
    gi["D4"] = ENTITY_SCHEME
    gi["E4"] = report.entity.euid
    gi["D5"] = report.currency
    for row, day in ((6, report.period_start), (10, report.period_end)):
        gi.cell(row, 4).value = day.year
        gi.cell(row + 1, 4).value = day.month
        gi.cell(row + 2, 4).value = day.day
    gi["D9"], gi["D13"] = start, end
    tech = wb["Technical Sheet"]
    tech["B1"], tech["B2"], tech["B3"] = f"{start} - {end}", start, end


def fill(report: VsmeReport) -> bytes:
    """The Digital Template filled with the report (derived totals included), as xlsx bytes."""
    report = with_derived(report)
    wb = _load()
    start, end = report.period_start.isoformat(), report.period_end.isoformat()
    for (sheet, coordinate), value in _cached_values().items():
        if isinstance(value, str) and "from - to -" in value:
            value = value.replace("from - to -", f"from {start} to {end}")
        wb[sheet][coordinate].value = value
    _write_report_inputs(wb, report)
    for name, value in report.facts.items():
        _write_fact(wb, name, value)
    _write_rows(wb, report)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_named_range(wb: Workbook, name: str) -> list:
    """The values of a named range in a workbook opened with ``data_only=True``."""
    return [cell.value for row in range_cells(wb, name) for cell in row]


def period_dates(report: VsmeReport) -> tuple[dt.date, dt.date]:
    return report.period_start, report.period_end
