"""Fill EFRAG's VSME Digital Template 1.3.0 with a ``VsmeReport``: xlsx bytes out.

EFRAG's converter reads the workbook with openpyxl ``data_only=True``: it reads the *cached
values* of formula cells and evaluates nothing, so a formula cell without a cached value
reads as empty (the period dates, and the converter aborts). So no formula is left: every
formula cell holds a value, the report's own figure where the cell is a datapoint the report
holds (calculated totals included, ``report.with_derived``), the period dates and headings
computed here, and otherwise the value Excel cached in EFRAG's blank template (``-`` for an
empty total, the label texts). The filled file reads the same with and without a
recalculation; it keeps EFRAG's sheets, dropdowns, Licence sheet and Introduction footer.

Speed: the blank template is read once per process (``_blank``: its zip members, each sheet
with its formulas dropped and cached values kept, every named range resolved to its cells).
A fill is a plan of cell writes (``plan``) applied straight to the XML of the sheets it
touches; the other members are zipped as they are. openpyxl is used only to read a filled
file back (``range_cells``, ``read_named_range``), as EFRAG's converter does.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass
from functools import cache

import openpyxl
from lxml import etree
from openpyxl.workbook.workbook import Workbook

from exports.vsme import formulas
from exports.vsme.report import VsmeReport, with_derived
from exports.vsme.taxonomy import DATA_DIR, taxonomy

TEMPLATE_FILE = DATA_DIR / "VSME-Digital-Template-1.3.0.xlsx"
TEMPLATE_VERSION = "1.3.0"
GI = "General Information"
#: The identifier scheme in the template's dropdown; the converter maps "euid" to the EUID URI.
ENTITY_SCHEME = "EU ID"

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_C, _F, _V, _IS, _T, _ROW = (f"{{{MAIN_NS}}}{tag}" for tag in ("c", "f", "v", "is", "t", "row"))
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
WORKBOOK, WORKBOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
CONTENT_TYPES, CALC_CHAIN = "[Content_Types].xml", "xl/calcChain.xml"
#: The label of a unit in the template's unit dropdowns (``enum_ListHectM2``,
#: ``enum_ListUnitMeasurement``): the converter reads a ``<Concept>_unit`` cell and reports a
#: number whose unit cell is empty as "Numeric concepts require a unit".
UNIT_LABELS = {
    "utr:ha": "hectares (ha)",
    "utr:m2": "squared meters (m2)",
    "utr:t": "metric tonnes (t)",
    "utr:kg": "kilograms (kg)",
    "utr:m3": "cubic meters (m3)",
}
_COORDINATE = re.compile(r"^([A-Z]+)(\d+)$")
# What XML 1.0 cannot hold (openpyxl refuses the same characters)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TemplateError(ValueError):
    """A fact the template has no place for."""


def _load(data_only: bool = False) -> Workbook:
    with warnings.catch_warnings():
        # openpyxl drops the x14 data-validation extension on read; EFRAG's dropdowns on the
        # main sheets are plain data validations and survive.
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(TEMPLATE_FILE, data_only=data_only)


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


# --------------------------------------------------------------------------- the blank
@dataclass(frozen=True)
class _Blank:
    """EFRAG's template, read once per process: every zip member's bytes (``calcChain.xml``
    gone, ``fullCalcOnLoad`` set, every formula kept), the cells of every named range, the
    cells holding a boolean, and the headings that carry the period ("from - to -")."""

    members: dict[str, bytes]
    times: dict[str, tuple[int, int, int, int, int, int]]
    sheet_paths: dict[str, str]
    ranges: dict[str, tuple[str, tuple[tuple[str, ...], ...]]]
    booleans: frozenset[tuple[str, str]]
    headings: dict[tuple[str, str], str]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split(coordinate: str) -> tuple[int, int]:
    """``"D12"`` -> (row 12, column 4)."""
    match = _COORDINATE.match(coordinate)
    return int(match.group(2)), _column_number(match.group(1))


def _area(ref: str) -> tuple[tuple[str, ...], ...]:
    """``$D$20:$E$22`` -> the coordinates row by row."""
    first, _, last = ref.replace("$", "").partition(":")
    top, left = _split(first)
    bottom, right = _split(last or first)
    return tuple(
        tuple(f"{_column_letters(c)}{r}" for c in range(left, right + 1))
        for r in range(top, bottom + 1)
    )


def _destination(text: str) -> tuple[str, str] | None:
    """``'General Information'!$D$3`` -> (sheet, ref); None for anything else (#REF!, lists
    of areas, constants)."""
    sheet, bang, ref = text.rpartition("!")
    if not bang or "," in ref or "#" in text:
        return None
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, ref


@cache
def _blank() -> _Blank:
    with zipfile.ZipFile(TEMPLATE_FILE) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
        times = {info.filename: info.date_time for info in archive.infolist()}
    members.pop(CALC_CHAIN, None)
    rels = etree.fromstring(members[WORKBOOK_RELS])
    for rel in list(rels):
        if rel.get("Target", "").endswith("calcChain.xml"):
            rels.remove(rel)
    members[WORKBOOK_RELS] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    types = etree.fromstring(members[CONTENT_TYPES])
    for override in list(types):
        if override.get("PartName") == "/" + CALC_CHAIN:
            types.remove(override)
    members[CONTENT_TYPES] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    workbook = etree.fromstring(members[WORKBOOK])
    # Excel (and LibreOffice where it honours it) recalculates every formula when the file
    # opens; a reader that does not recalculate reads the cached values ``fill`` computed.
    calc = workbook.find(f"{{{MAIN_NS}}}calcPr")
    if calc is None:
        calc = etree.SubElement(workbook, f"{{{MAIN_NS}}}calcPr")
    calc.set("fullCalcOnLoad", "1")
    members[WORKBOOK] = etree.tostring(
        workbook, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    sheet_paths = {
        sheet.get("name"): "xl/" + targets[sheet.get(f"{{{REL_NS}}}id")].removeprefix("/xl/")
        for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet")
    }
    ranges = {}
    for defined in workbook.iter(f"{{{MAIN_NS}}}definedName"):
        if defined.get("localSheetId") is not None:
            continue
        destination = _destination(defined.text or "")
        if destination is not None and destination[0] in sheet_paths:
            ranges[defined.get("name")] = (destination[0], _area(destination[1]))
    booleans, headings = set(), {}
    for title, path in sheet_paths.items():
        root = etree.fromstring(members[path])
        for cell in root.iter(_C):
            kind = cell.get("t")
            if kind == "b":
                booleans.add((title, cell.get("r")))
            elif kind == "str":
                value = cell.find(_V)
                if value is not None and value.text and "from - to -" in value.text:
                    headings[(title, cell.get("r"))] = value.text
    return _Blank(members, times, sheet_paths, ranges, frozenset(booleans), headings)


def _cells(name: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    found = _blank().ranges.get(name)
    if found is None:
        raise TemplateError(f"{name}: not a named range of the VSME Digital Template")
    return found


# --------------------------------------------------------------------------- what to write
Writes = dict[tuple[str, str], object]


def _write_fact(writes: Writes, name: str, value) -> None:
    tax = taxonomy()
    point = tax.resolve(name)
    if point is None or name not in _blank().ranges:
        raise TemplateError(
            f"{name}: not a datapoint of the VSME Digital Template {TEMPLATE_VERSION}"
        )
    sheet, cells = _cells(name)
    content = _cell_value(name, point.concept, value)
    if not isinstance(content, list):
        writes[(sheet, cells[0][0])] = content
        return
    flat = [row[0] for row in cells] if len(cells) > 1 else list(cells[0])
    if all((sheet, c) in _blank().booleans for c in flat):
        # a checkbox set: TRUE at the position of each chosen member
        members = tax.enumeration_members(point.concept)
        for position, cell in enumerate(flat):
            writes[(sheet, cell)] = position < len(members) and members[position] in value
        return
    if len(content) > len(flat):
        raise TemplateError(f"{name}: {len(content)} values, the template has {len(flat)} cells")
    for cell, text in zip(flat, content, strict=False):
        writes[(sheet, cell)] = text


@cache
def _dropdown_texts() -> dict[str, str]:
    """The text of every entry of the template's dropdown lists (``enum_*`` ranges) by its
    stripped text, where the two differ: EFRAG's waste list indents each waste code with four
    spaces, and its validation (``LEN(LEFT(D323, FIND("-", D323) - 1)) = 13``) calls a code
    without them an ERROR."""
    wb = _load(data_only=True)
    texts = {}
    for name, (sheet, cells) in _blank().ranges.items():
        if name.startswith("enum_"):
            for value in (wb[sheet][c].value for row in cells for c in row):
                if isinstance(value, str) and value != value.strip():
                    texts.setdefault(value.strip(), value)
    return texts


#: Input cells the template computes a datapoint from, with no named range of their own:
#: (sheet, cell) of the input, the datapoint computed from it, and the datapoint it is
#: divided by. ``D152 = D151 / NumberOfEmployees``; its validation asks for D151.
_COMPUTED_FROM = {
    "PercentageOfEmployeesCoveredByCollectiveBargainingAgreements": (
        ("Social Disclosures", "D151"),
        "NumberOfEmployees",
    ),
}


def _write_inputs(writes: Writes, report: VsmeReport) -> None:
    """The input cell of a percentage the template computes (number of employees covered by
    collective agreements = percentage x employees), so its own check sees it filled."""
    for name, (cell, base) in _COMPUTED_FROM.items():
        share, total = report.facts.get(name), report.facts.get(base)
        if isinstance(share, int | float) and isinstance(total, int | float):
            writes[cell] = round(share * total, 2)


def _write_units(writes: Writes, report: VsmeReport) -> None:
    """The unit cell of every reported number that has one (``TotalSealedArea_unit``): the
    report holds numbers in the taxonomy's unit, so the cell names that unit."""
    tax = taxonomy()
    for name, value in report.facts.items():
        unit_range = f"{name}_unit"
        if unit_range not in _blank().ranges or isinstance(value, bool):
            continue
        point = tax.resolve(name)
        label = UNIT_LABELS.get(tax.unit(point.concept, report.currency) or "")
        if label is not None:
            sheet, cells = _cells(unit_range)
            writes[(sheet, cells[0][0])] = label


def _write_rows(writes: Writes, report: VsmeReport) -> None:
    tax = taxonomy()
    used: dict[str, int] = {}
    for row in report.rows:
        if row.axis not in _blank().ranges:
            raise TemplateError(f"{row.axis}: not a table of the VSME Digital Template")
        index = used.get(row.axis, 0)
        used[row.axis] = index + 1
        sheet, key_cells = _cells(row.axis)
        if index >= len(key_cells):
            raise TemplateError(f"{row.axis}: more than {len(key_cells)} rows")
        typed = f"vsme:{row.axis}" in tax.typed_axes or row.axis.endswith("TypedAxis")
        label = row.key if typed else tax.label(row.key)
        writes[(sheet, key_cells[index][0])] = _dropdown_texts().get(label, label)
        for column, value in row.values.items():
            point = tax.resolve(column)
            if point is None or column not in _blank().ranges:
                raise TemplateError(f"{row.axis}.{column}: not a column of the template")
            column_sheet, cells = _cells(column)
            writes[(column_sheet, cells[index][0])] = _cell_value(column, point.concept, value)
            unit_range = f"{column}_unit"
            label = UNIT_LABELS.get(tax.unit(point.concept, report.currency) or "")
            if unit_range in _blank().ranges and label is not None:
                unit_sheet, unit_cells = _cells(unit_range)
                writes.setdefault((unit_sheet, unit_cells[index][0]), label)


def _write_report_inputs(writes: Writes, report: VsmeReport) -> None:
    start, end = report.period_start.isoformat(), report.period_end.isoformat()
    writes[(GI, "D3")] = report.entity.name
    writes[(GI, "D4")] = ENTITY_SCHEME
    writes[(GI, "E4")] = report.entity.euid
    writes[(GI, "D5")] = report.currency
    for row, day in ((6, report.period_start), (10, report.period_end)):
        writes[(GI, f"D{row}")] = day.year
        writes[(GI, f"D{row + 1}")] = day.month
        writes[(GI, f"D{row + 2}")] = day.day
    writes[(GI, "D9")], writes[(GI, "D13")] = start, end
    tech = "Technical Sheet"
    writes[(tech, "B1")], writes[(tech, "B2")], writes[(tech, "B3")] = (
        f"{start} - {end}",
        start,
        end,
    )


def plan(report: VsmeReport) -> Writes:
    """Every cell the filled template holds beyond EFRAG's blank (with its cached values):
    ``{(sheet, coordinate): value}`` for the report (derived totals included), the period
    headings and the report-level inputs. A fact the template has no place for is refused."""
    report = with_derived(report)
    writes: Writes = {}
    start, end = report.period_start.isoformat(), report.period_end.isoformat()
    for key, text in _blank().headings.items():
        writes[key] = text.replace("from - to -", f"from {start} to {end}")
    _write_report_inputs(writes, report)
    for name, value in report.facts.items():
        _write_fact(writes, name, value)
    _write_units(writes, report)
    _write_inputs(writes, report)
    _write_rows(writes, report)
    return writes


# --------------------------------------------------------------------------- writing the xml
def _set(cell, value, *, keep_formula: bool = False) -> None:
    """Write ``value`` into a cell; ``keep_formula``: as the cached value of its formula
    (text as ``t="str"``, an error as ``t="e"``), else as a constant (the formula dropped)."""
    formula = cell.find(_F)
    keep_formula = keep_formula and formula is not None
    for child in list(cell):
        if child.tag in (_V, _IS) or (child.tag == _F and not keep_formula):
            cell.remove(child)
    if not keep_formula:
        cell.attrib.pop("cm", None)
    cell.attrib.pop("t", None)
    if value is None:
        return
    if keep_formula and isinstance(value, formulas.XlError):
        cell.set("t", "e")
        etree.SubElement(cell, _V).text = value.code
        return
    if keep_formula and isinstance(value, str):
        if _ILLEGAL.search(value):
            raise TemplateError(f"{cell.get('r')}: the text holds control characters")
        cell.set("t", "str")
        node = etree.SubElement(cell, _V)
        node.text = value
        if value != value.strip():
            node.set(_SPACE, "preserve")
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, _V).text = "1" if value else "0"
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise TemplateError(f"{cell.get('r')}: {value} is not a number a cell can hold")
        # 16 significant digits, as openpyxl writes them (Excel keeps 15): 38.2 + 9.6 reads
        # back as 47.8, not 47.800000000000004
        etree.SubElement(cell, _V).text = f"{value:.16g}"
    else:
        text = str(value)
        if _ILLEGAL.search(text):
            raise TemplateError(f"{cell.get('r')}: the text holds control characters")
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, _IS)
        node = etree.SubElement(inline, _T)
        node.text = text
        if text != text.strip():
            node.set(_SPACE, "preserve")


def _fill_sheet(xml: bytes, writes: dict[str, tuple[object, bool]]) -> bytes:
    """The sheet with ``writes``: coordinate -> (value, keep the cell's formula)."""
    root = etree.fromstring(xml)
    data = root.find(f"{{{MAIN_NS}}}sheetData")
    rows = {int(r.get("r")): r for r in data}
    for coordinate, (value, keep) in sorted(writes.items(), key=lambda item: _split(item[0])):
        number, column = _split(coordinate)
        row = rows.get(number)
        if row is None:
            row = etree.Element(_ROW, r=str(number))
            after = [n for n in rows if n < number]
            if after:
                rows[max(after)].addnext(row)
            else:
                data.insert(0, row)
            rows[number] = row
        row.attrib.pop("spans", None)
        cell = None
        for existing in row:
            at = _split(existing.get("r"))[1]
            if at == column:
                cell = existing
                break
            if at > column:
                cell = etree.Element(_C, r=coordinate)
                existing.addprevious(cell)
                break
        if cell is None:
            cell = etree.SubElement(row, _C, r=coordinate)
        formula = cell.find(_F)
        if formula is not None and formula.get("t") == "shared" and formula.get("ref"):
            keep = True  # the master of a shared formula: other cells read its text
        _set(cell, value, keep_formula=keep)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass(frozen=True)
class FillStats:
    """What ``fill`` did with the template's formula cells: ``formula_cells`` in all,
    ``evaluated`` by ``exports.vsme.formulas`` (their cached values are this report's),
    ``unsupported`` left with the value EFRAG's blank cached (cell -> why), ``overridden``
    formula cells whose computed value differed from the report's figure (the report's
    figure is written as a constant, the formula dropped), ``changed`` cached values that
    differ from the blank's."""

    formula_cells: int
    evaluated: int
    unsupported: dict[tuple[str, str], str]
    overridden: dict[tuple[str, str], tuple[object, object]]
    changed: int


@cache
def _book() -> formulas.Book:
    return formulas.load_book(TEMPLATE_FILE)


@cache
def _blank_values() -> dict[tuple[str, int, int], object]:
    """Every formula cell evaluated for the blank template (equal to what Excel cached)."""
    return formulas.evaluate(_book(), {}).values


def prepare() -> None:
    """Load once per process what every fill needs (the blank's parts, its parsed formulas and
    their blank values, several seconds), so a server can do it before the first SME downloads."""
    _blank()
    _blank_values()


def _input(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _same(a, b) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        if isinstance(a, bool) or isinstance(b, bool):
            return a is b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if a in (None, "") and b in (None, ""):
        return True
    return a == b


def _key(sheet: str, coordinate: str) -> tuple[str, int, int]:
    row, column = _split(coordinate)
    return sheet, row, column


def _coordinate(key: tuple[str, int, int]) -> tuple[str, str]:
    return key[0], f"{_column_letters(key[2])}{key[1]}"


def fill_with_stats(report: VsmeReport) -> tuple[bytes, FillStats]:
    """The Digital Template filled with the report, and what became of its formulas.

    EFRAG's workbook is read once per process (``_blank``, ``_book``). The plan's writes to
    input cells are the inputs; every formula cell is evaluated for them in Python
    (``exports.vsme.formulas``) and keeps its formula with the computed value cached, so a
    reader that does not recalculate (EFRAG's converter) reads this report's totals,
    percentages, period dates and validation statuses. A formula cell the plan writes (a
    total, a heading, a period date) keeps its formula when it computes the report's own
    figure, and holds the report's figure as a constant otherwise. Only sheets with a
    changed cell are rewritten (in their XML); the other members are zipped as they are."""
    blank, book = _blank(), _book()
    inputs, expected = {}, {}
    for (sheet, coordinate), value in plan(report).items():
        key = _key(sheet, coordinate)
        (expected if key in book.formulas else inputs)[key] = _input(value)
    # the formula cells the plan writes first (with what they depend on), then every cell
    # with the report's own figure in place of each formula that computes another value
    computed = formulas.evaluate(book, inputs, only=expected).values
    overrides = {k: v for k, v in expected.items() if not _same(computed.get(k), v)}
    result = formulas.evaluate(book, {**inputs, **overrides})
    before = _blank_values()
    by_sheet: dict[str, dict[str, tuple[object, bool]]] = {}
    changed = 0
    for key, value in result.values.items():
        if not _same(value, before.get(key)) or type(value) is not type(before.get(key)):
            sheet, coordinate = _coordinate(key)
            by_sheet.setdefault(sheet, {})[coordinate] = (value, True)
            changed += 1
    for key, value in {**inputs, **overrides}.items():
        sheet, coordinate = _coordinate(key)
        by_sheet.setdefault(sheet, {})[coordinate] = (value, False)
    changed_members = {
        blank.sheet_paths[s]: _fill_sheet(blank.members[blank.sheet_paths[s]], w)
        for s, w in by_sheet.items()
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in blank.members.items():
            # each member keeps the blank's date and time: the same report, the same bytes
            info = zipfile.ZipInfo(name, date_time=blank.times.get(name, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, changed_members.get(name, data), compresslevel=1)
    stats = FillStats(
        formula_cells=len(book.formulas),
        evaluated=len(result.values),
        unsupported={_coordinate(k): why for k, why in result.unsupported.items()},
        overridden={
            _coordinate(k): (v, result.values.get(k, before.get(k))) for k, v in overrides.items()
        },
        changed=changed,
    )
    return buffer.getvalue(), stats


def fill(report: VsmeReport) -> bytes:
    """The Digital Template filled with the report (derived totals included), as xlsx bytes,
    its formulas kept with this report's values cached (``fill_with_stats``)."""
    return fill_with_stats(report)[0]


def read_named_range(wb: Workbook, name: str) -> list:
    """The values of a named range in a workbook opened with ``data_only=True``."""
    return [cell.value for row in range_cells(wb, name) for cell in row]


def period_dates(report: VsmeReport) -> tuple[dt.date, dt.date]:
    return report.period_start, report.period_end
