"""Data exports (issue 6, part 3): XLSX with a sheet per level of detail (frozen header, units
in the headers), CSV of scores per organisation, JSON of passports that validates against the
JSON Schema generated from the models; the anonymised export keyed and without FTE, full NACE
or free text; the federation's sector data only from published cells (S9) and the consenting
members handed over (S10).
"""

from __future__ import annotations

import csv
import io
import json
import random

import jsonschema
import pytest
from export_helpers import make_passport, random_answers
from openpyxl import load_workbook

from exports import data as sector_data
from exports.data import (
    Audience,
    passport_json,
    passport_schema,
    passports_json,
    passports_schema,
    pseudonym,
    score_tables,
    scores_per_organisation,
    to_csv,
    to_xlsx,
)
from scoring.models import Organisation, Passport


@pytest.fixture(scope="module")
def passports(framework, profile) -> list[Passport]:
    rng = random.Random(11)
    return [
        make_passport(
            framework,
            profile,
            random_answers(rng),
            Organisation(name=f"Lid {i} Çelik", kbo=f"04031707{i:02d}", fte=5 + 10 * i),
        )
        for i in range(7)
    ]


def _tables(passports, framework, profile, audience=Audience()):
    return score_tables(passports, {framework.id: framework}, {profile.id: profile}, audience)


def test_xlsx_has_a_sheet_per_level_of_detail_with_frozen_headers_and_units(
    passports, framework, profile
):
    workbook = load_workbook(io.BytesIO(to_xlsx(_tables(passports, framework, profile))))
    assert workbook.sheetnames == ["organisations", "sections", "topics", "kpis"]
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A2"
    header = [c.value for c in workbook["organisations"][1]]
    assert "Totaalscore (0-100)" in header and "Volledigheid (%)" in header
    assert "Waarde (in eenheid)" in [c.value for c in workbook["kpis"][1]]
    assert workbook["organisations"].max_row == 1 + len(passports)
    overall = header.index("Totaalscore (0-100)")
    first = [c.value for c in workbook["organisations"][2]]
    assert first[0] == "Lid 0 Çelik"
    # S8: stored unrounded; a sheet meant for people shows one decimal (JSON stays exact)
    assert first[overall] == round(passports[0].overall, 1)
    topics = workbook["topics"]
    assert topics.max_row == 1 + sum(len(p.scorecards["example"].topics) for p in passports)


SECRET = b"test-secret"


def _statistics(passports, k=5):
    import pandas as pd

    from scoring.benchmark import scores_row, sector_statistics

    table = pd.DataFrame([scores_row(p, assessment=i) for i, p in enumerate(passports)])
    return sector_statistics(table, profile=passports[0].profile, k=k)


def test_sector_sheets_show_only_published_cells(passports):
    """S9: every figure of the federation's aggregates comes from a group of at least k."""
    aggregates, members = sector_data.sector_sheets(_statistics(passports))
    assert aggregates.rows and members.rows == []
    n, n_values = aggregates.header.index("Deelnemers (n)"), aggregates.header.index("n (waarden)")
    assert all(r[n_values] is None or r[n_values] >= 5 for r in aggregates.rows)
    few = sector_data.sector_sheets(_statistics(passports[:4]))[0]
    assert all(r[n] in (None, 0) and r[n_values] is None for r in few.rows)


def test_anonymised_export_drops_names_and_pseudonymises_kbo(passports, framework, profile):
    sheets = _tables(passports, framework, profile, Audience(anonymise=True, secret=SECRET))
    orgs = sheets[0]
    assert {r[0] for r in orgs.rows} == {""}
    assert orgs.rows[0][1] == pseudonym(passports[0].organisation.kbo, 2026, SECRET)
    assert all(r[1] != p.organisation.kbo for r, p in zip(orgs.rows, passports, strict=True))


def test_csv_has_one_row_of_scores_per_organisation(passports, framework, profile):
    sheet = scores_per_organisation(_tables(passports, framework, profile))
    rows = list(csv.DictReader(io.StringIO(to_csv(sheet).decode("utf-8"))))
    assert len(rows) == len(passports)
    row = rows[2]
    card = passports[2].scorecards["example"]
    assert row["KBO-nummer"] == passports[2].organisation.kbo
    assert float(row["Totaalscore (0-100)"]) == round(passports[2].overall, 1)
    assert float(row["topic:example.safety"]) == round(card.topics["safety"].score, 1)
    assert float(row["section:example.people"]) == round(card.sections["people"].score, 1)


def test_passport_json_validates_against_the_generated_schema(passports):
    schema = passport_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(passport_json(passports[0]))
    jsonschema.validate(data, schema)
    assert Passport.model_validate(data) == passports[0]


def test_schema_rejects_a_passport_without_a_level(passports):
    data = json.loads(passport_json(passports[0]))
    del data["level"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, passport_schema())


def test_json_list_of_passports_validates_and_respects_the_audience(passports):
    schema = passports_schema()
    everything = json.loads(passports_json(passports))
    jsonschema.validate(everything, schema)
    assert len(everything) == len(passports)
    anon = json.loads(passports_json(passports, Audience(anonymise=True, secret=SECRET)))
    jsonschema.validate(anon, schema)
    assert all(p["organisation"]["name"] == "" for p in anon)
    assert all(p["organisation"]["fte"] is None for p in anon)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_sector_sheets_speak_the_language_keep_ids_and_round_scores(
    passports, framework, profile, language
):
    """Issue 11: the federation's sheets have headers, size classes, levels of detail and item
    titles in the chosen language, the machine ids in their own ``*_id`` columns, and scores
    to one decimal in XLSX and CSV (the JSON stays exact)."""
    import pandas as pd

    from scoring.benchmark import sector_row, sector_statistics

    table = pd.DataFrame([sector_row(p, assessment=i) for i, p in enumerate(passports)])
    statistics = sector_statistics(table, profile=passports[0].profile, k=5)
    aggregates, members = sector_data.sector_sheets(
        statistics, frameworks={framework.id: framework}, profile=profile, language=language
    )
    header = aggregates.header
    expected = {
        "nl": ("Jaar", "Grootteklasse", "size_class_id", "Deelnemers (n)", "Detailniveau"),
        "en": ("Year", "Size class", "size_class_id", "Participants (n)", "Level of detail"),
    }[language]
    assert header[:5] == expected
    assert {"detail_id", "item_id"} <= set(header)
    assert not {"size_class", "n", "item", "mean", "level of detail"} & set(header)
    rows = [dict(zip(header, row, strict=True)) for row in aggregates.rows]
    size, detail = header[1], header[4]
    item = header[header.index("item_id") - 1]
    by_id = {(r["size_class_id"], r["detail_id"], r["item_id"]): r for r in rows}
    everyone = by_id[("all", "topic", f"{framework.id}:safety")]
    assert everyone[size] == {"nl": "alle grootteklassen", "en": "all size classes"}[language]
    assert everyone[detail] == {"nl": "Thema", "en": "Topic"}[language]
    assert everyone[item] == f"6.4.6 {framework.topics['safety'].title.get(language)}"
    cell = statistics.cell(statistics.years[0])
    exact = cell.topics[f"{framework.id}:safety"]
    mean = header[header.index("item_id") + 2]
    assert everyone[mean] == round(exact.mean, 1)
    assert everyone[mean] != exact.mean or exact.mean == round(exact.mean, 1)
    for r in rows:
        if r["detail_id"] in ("overall", "section", "topic"):
            assert all(v is None or round(v, 1) == v for v in list(r.values())[-4:]), (
                r
            )  # one decimal
    figures = json.loads(sector_data.sector_json(statistics, year=cell.year))["cells"]
    exact_json = next(c for c in figures if c["size_class"] == "all")
    assert exact_json["topics"][f"{framework.id}:safety"]["mean"] == exact.mean
    csv_rows = list(csv.reader(io.StringIO(to_csv(aggregates).decode("utf-8"))))
    assert tuple(csv_rows[0][:5]) == expected
    assert (
        members.header[:4]
        == {
            "nl": ("Organisatie", "KBO-nummer", "Grootteklasse", "size_class_id"),
            "en": ("Organisation", "KBO number", "Size class", "size_class_id"),
        }[language]
    )
