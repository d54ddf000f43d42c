"""The fast xlsx fill (issue 12, item 4): EFRAG's template read once per process and filled
straight in its sheet XML must read back, in every input cell of every sheet, exactly like
an openpyxl fill of the same plan of writes, keep Excel's own dropdowns and its formulas,
and leave no calculation chain. The formula cells' cached values: ``test_formulas.py``."""

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
    """The same plan of writes into the input cells, through openpyxl."""
    workbook = template._load()
    for (sheet, coordinate), value in template.plan(report).items():
        if workbook[sheet][coordinate].data_type != "f":
            workbook[sheet][coordinate].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _formula_cells(data: bytes) -> set[tuple[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {
        (ws.title, c.coordinate)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


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
    """Should give every input cell of every sheet the value the openpyxl fill gives it
    (a formula cell the report's figure replaces is an input cell too)."""
    slow_data = _openpyxl_fill(sample_report())
    formula_cells = _formula_cells(filled) | _formula_cells(slow_data)
    fast, slow = _values(_open(filled)), _values(_open(slow_data))
    assert len(fast) > 1000
    differing = {k: (fast.get(k), slow.get(k)) for k in fast.keys() | slow.keys()}
    differing = {k: v for k, v in differing.items() if v[0] != v[1] and k not in formula_cells}
    assert not differing, sorted(differing.items())[:20]
    assert fast[("General Information", "D13")] == "2026-12-31"


def test_the_filled_file_should_keep_excels_dropdowns_and_its_formulas(filled):
    """Should keep the sheets' data validations (also Excel's x14 ones, which openpyxl would
    drop) and the formulas, and hold no calcChain.xml (Excel rebuilds it on load)."""
    with (
        zipfile.ZipFile(template.TEMPLATE_FILE) as blank,
        zipfile.ZipFile(io.BytesIO(filled)) as done,
    ):
        assert template.CALC_CHAIN not in done.namelist()
        assert "calcChain" not in done.read("[Content_Types].xml").decode()
        assert set(done.namelist()) == set(blank.namelist()) - {template.CALC_CHAIN}
        sheets = [n for n in blank.namelist() if n.startswith("xl/worksheets/sheet")]
        x14 = formulas = 0
        for name in sheets:
            before, after = blank.read(name).decode(), done.read(name).decode()
            assert before.count("<dataValidation ") == after.count("<dataValidation ")
            assert before.count("<x14:dataValidation ") == after.count("<x14:dataValidation ")
            x14 += after.count("<x14:dataValidation ")
            assert len(re.findall(r"<f[ >]", after)) <= len(re.findall(r"<f[ >]", before))
            formulas += len(re.findall(r"<f[ >]", after))
        assert x14 > 0  # the template has Excel-only dropdowns, and they survive
        assert formulas > 3000


def test_a_cell_the_blank_does_not_hold_should_be_inserted_in_row_and_column_order():
    ns = template.MAIN_NS
    xml = (
        f'<worksheet xmlns="{ns}"><sheetData>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="D2"><v>4</v></c></row>'
        '<row r="5"><c r="B5" t="b"><v>0</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    writes = {"C2": "drie", "B5": True, "AA4": 2.5, "A1": " spaties ", "A2": None}
    out = template._fill_sheet(xml, {k: (v, False) for k, v in writes.items()}).decode()
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
