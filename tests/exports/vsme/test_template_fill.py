"""The fast xlsx fill (issue 12, item 4): EFRAG's template read once per process and filled
straight in its sheet XML must read back, cell by cell on every sheet, exactly like the
openpyxl fill it replaces (the blank's cached values for every formula cell, then the plan of
writes), keep Excel's own dropdowns, and leave no formula and no calculation chain."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import pytest

from exports.vsme import template
from tests.exports.vsme_helpers import sample_report


def _open(data: bytes):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def _openpyxl_fill(report) -> bytes:
    """The previous fill: openpyxl loads the template, every formula cell gets the value Excel
    cached, then the same plan of writes."""
    workbook = template._load()
    for (sheet, coordinate), value in template._cached_values().items():
        workbook[sheet][coordinate].value = value
    for (sheet, coordinate), value in template.plan(report).items():
        workbook[sheet][coordinate].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _values(workbook) -> dict[tuple[str, str], object]:
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }


@pytest.fixture(scope="module")
def filled() -> bytes:
    return template.fill(sample_report())


def test_the_xml_fill_should_read_back_exactly_as_the_openpyxl_fill(filled):
    """Should give every cell of every sheet the value the openpyxl fill gives it."""
    fast, slow = _values(_open(filled)), _values(_open(_openpyxl_fill(sample_report())))
    assert len(fast) > 1000
    differing = {k: (fast.get(k), slow.get(k)) for k in fast.keys() | slow.keys()}
    differing = {k: v for k, v in differing.items() if v[0] != v[1]}
    assert not differing, sorted(differing.items())[:20]
    assert fast[("General Information", "D13")] == "2026-12-31"


def test_the_filled_file_should_keep_excels_dropdowns_and_hold_no_formula(filled):
    """Should keep the sheets' data validations (also Excel's x14 ones, which openpyxl would
    drop), and hold no formula and no calcChain.xml for Excel to recalculate from."""
    with (
        zipfile.ZipFile(template.TEMPLATE_FILE) as blank,
        zipfile.ZipFile(io.BytesIO(filled)) as done,
    ):
        assert template.CALC_CHAIN not in done.namelist()
        assert "calcChain" not in done.read("[Content_Types].xml").decode()
        assert set(done.namelist()) == set(blank.namelist()) - {template.CALC_CHAIN}
        sheets = [n for n in blank.namelist() if n.startswith("xl/worksheets/sheet")]
        x14 = 0
        for name in sheets:
            before, after = blank.read(name).decode(), done.read(name).decode()
            assert before.count("<dataValidation ") == after.count("<dataValidation ")
            assert before.count("<x14:dataValidation ") == after.count("<x14:dataValidation ")
            x14 += after.count("<x14:dataValidation ")
            assert not re.search(r"<f[ >]", after), name
        assert x14 > 0  # the template has Excel-only dropdowns, and they survive


def test_a_cell_the_blank_does_not_hold_should_be_inserted_in_row_and_column_order():
    ns = template.MAIN_NS
    xml = (
        f'<worksheet xmlns="{ns}"><sheetData>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="D2"><v>4</v></c></row>'
        '<row r="5"><c r="B5" t="b"><v>0</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    out = template._fill_sheet(
        xml, {"C2": "drie", "B5": True, "AA4": 2.5, "A1": " spaties ", "A2": None}
    ).decode()
    cells = re.findall(r'<c r="([A-Z]+\d+)"', out)
    assert cells == ["A1", "A2", "C2", "D2", "AA4", "B5"]
    assert re.findall(r'<row r="(\d+)"', out) == ["1", "2", "4", "5"]
    assert '<c r="A2"/>' in out  # cleared
    assert '<c r="B5" t="b"><v>1</v></c>' in out
    assert 'xml:space="preserve"> spaties </t>' in out


def test_text_a_cell_cannot_hold_should_be_refused_naming_the_cell():
    report = sample_report().model_copy(update={"entity": sample_report().entity.model_copy(
        update={"name": "Bouw\x07Co"}
    )})  # fmt: skip
    with pytest.raises(template.TemplateError, match="D3"):
        template.fill(report)
