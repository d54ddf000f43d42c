"""Data exports (issue 6, part 3): XLSX with a sheet per level of detail (frozen header, units
in the headers), CSV of scores per organisation, JSON of passports that validates against the
JSON Schema generated from the models; consent (S10) and k respected for a federation.
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
    assert workbook.sheetnames == ["organisations", "sections", "topics", "kpis", "aggregates"]
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A2"
    header = [c.value for c in workbook["organisations"][1]]
    assert "overall (score 0-100)" in header and "completeness (%)" in header
    assert "value (in unit)" in [c.value for c in workbook["kpis"][1]]
    assert workbook["organisations"].max_row == 1 + len(passports)
    overall = header.index("overall (score 0-100)")
    first = [c.value for c in workbook["organisations"][2]]
    assert first[0] == "Lid 0 Çelik"
    assert first[overall] == pytest.approx(passports[0].overall)  # S8: unrounded
    topics = workbook["topics"]
    assert topics.max_row == 1 + sum(len(p.scorecards["example"].topics) for p in passports)


def test_federation_gets_rows_only_of_consenting_members(passports, framework, profile):
    """S10: other members appear only inside aggregates."""
    consented = frozenset({passports[1].organisation.kbo, passports[4].organisation.kbo})
    sheets = _tables(passports, framework, profile, Audience("federation", consented, k=5))
    orgs = {s.name: s for s in sheets}["organisations"]
    assert sorted(r[0] for r in orgs.rows) == ["Lid 1 Çelik", "Lid 4 Çelik"]
    for sheet in sheets[:4]:
        assert {r[1] for r in sheet.rows} <= consented


def test_aggregates_leave_out_groups_smaller_than_k(passports, framework, profile):
    sheets = _tables(passports, framework, profile, Audience("federation", frozenset(), k=5))
    aggregates = {s.name: s for s in sheets}["aggregates"]
    assert aggregates.rows, "7 submitted passports make groups of 7 >= k"
    assert all(row[5] >= 5 for row in aggregates.rows)
    few = _tables(passports[:4], framework, profile, Audience("federation", frozenset(), k=5))
    assert {s.name: s for s in few}["aggregates"].rows == []


def test_anonymised_export_drops_names_and_pseudonymises_kbo(passports, framework, profile):
    sheets = _tables(passports, framework, profile, Audience(anonymise=True))
    orgs = sheets[0]
    assert {r[0] for r in orgs.rows} == {""}
    assert orgs.rows[0][1] == pseudonym(passports[0].organisation.kbo, 2026)
    assert all(r[1] != p.organisation.kbo for r, p in zip(orgs.rows, passports, strict=True))


def test_csv_has_one_row_of_scores_per_organisation(passports, framework, profile):
    sheet = scores_per_organisation(_tables(passports, framework, profile))
    rows = list(csv.DictReader(io.StringIO(to_csv(sheet).decode("utf-8"))))
    assert len(rows) == len(passports)
    row = rows[2]
    card = passports[2].scorecards["example"]
    assert row["kbo"] == passports[2].organisation.kbo
    assert float(row["overall (score 0-100)"]) == pytest.approx(passports[2].overall)
    assert float(row["topic:example.safety"]) == pytest.approx(card.topics["safety"].score)
    assert float(row["section:example.people"]) == pytest.approx(card.sections["people"].score)


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
    consented = frozenset({passports[0].organisation.kbo})
    fed = json.loads(passports_json(passports, Audience("federation", consented)))
    jsonschema.validate(fed, schema)
    assert [p["organisation"]["kbo"] for p in fed] == [passports[0].organisation.kbo]
    anon = json.loads(passports_json(passports, Audience(anonymise=True)))
    jsonschema.validate(anon, schema)
    assert all(p["organisation"]["name"] == "" for p in anon)
