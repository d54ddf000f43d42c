"""Like with like across framework versions (README S9; issue #13 item 10).

The passport's comparison with last year says when last year was answered on another
framework version, and a sector's trend compares one version per year and marks the change.
"""

from __future__ import annotations

import pandas as pd
import pytest

from exports.documents import build_passport_document
from scoring import score
from scoring.benchmark import sector_statistics, version_changes, year_versions
from scoring.models import Organisation
from scoring.passport import build

ORG = Organisation(name="Bouwbedrijf A&B", kbo="0123456749", fte=8)
ANSWERS = {"safety_policy": 2, "climate_plan": 2, "training_plan": "informal"}


def _on_version(passport, version: str):
    cards = {
        f: c.model_copy(update={"framework_version": version})
        for f, c in passport.scorecards.items()
    }
    return passport.model_copy(update={"scorecards": cards})


def test_a_comparison_across_versions_should_say_which_version_it_compares_with(example, profile):
    last = _on_version(
        build({"example": score(example, ANSWERS, profile)}, profile, year=2025), "0.9"
    )
    now = build(
        {"example": score(example, ANSWERS, profile)},
        profile,
        year=2026,
        previous=last,
        organisation=ORG,
    )
    assert now.change.version_changes == {"example": ("0.9", example.version)}
    rows = dict(build_passport_document(now, {"example": example}, profile).comparison.rows)
    assert rows["Kaderversie"].startswith(
        f"vergelijking met versie 0.9 (dit jaar versie {example.version})"
    )
    english = dict(
        build_passport_document(now, {"example": example}, profile, language="en").comparison.rows
    )
    assert english["Framework version"].startswith("compared with version 0.9")


def test_a_comparison_on_the_same_version_should_not_mention_versions(example, profile):
    last = build({"example": score(example, ANSWERS, profile)}, profile, year=2025)
    now = build({"example": score(example, ANSWERS, profile)}, profile, year=2026, previous=last)
    assert now.change.version_changes == {}
    rows = dict(build_passport_document(now, {"example": example}, profile).comparison.rows)
    assert "Kaderversie" not in rows


def _table(rows):
    return pd.DataFrame(
        [
            {
                "assessment": i,
                "profile": "p",
                "year": y,
                "framework_version": v,
                "status": "submitted",
                "size_class": "small",
                "overall": o,
            }
            for i, (y, v, o) in enumerate(rows)
        ]
    )


def test_a_sector_year_should_compare_one_version_and_the_trend_mark_the_change():
    """2025: five on 1.0; 2026: five on 1.1 and two late on 1.0 (scored 0, which would drag
    the median down if mixed in). The 2026 cells hold the five on 1.1 only."""
    table = _table(
        [(2025, "1.0", 40.0 + i) for i in range(5)]
        + [(2026, "1.1", 60.0 + i) for i in range(5)]
        + [(2026, "1.0", 0.0), (2026, "1.0", 0.0)]
    )
    assert year_versions(table) == {2025: "1.0", 2026: "1.1"}
    stats = sector_statistics(table, profile="p", k=5)
    cell = stats.cell(2026)
    assert (cell.n, cell.framework_version) == (5, "1.1")
    assert cell.overall.median == pytest.approx(62.0)
    assert stats.cell(2025).framework_version == "1.0"
    trend = [stats.cell(y) for y in stats.years]
    assert version_changes(trend) == {2026: ("1.0", "1.1")}


def test_version_1_10_should_count_as_newer_than_1_9():
    table = _table([(2026, "1.9", 1.0), (2026, "1.10", 2.0)])
    assert year_versions(table) == {2026: "1.10"}
