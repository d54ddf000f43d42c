"""Benchmarks: peer groups with the k-anonymity fallback, distributions and mid-ranks, and the
federation's view.

Covers S9 (same profile, year, framework version and size class; fewer than k -> sector; still
fewer -> nothing shown; n, mean, p25, median, p75 and a mid-rank, never min or max; only
submitted assessments) and S10 (names only of consenting members).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.benchmark import (
    compare,
    federation_view,
    percentile_rank,
    sector_statistics,
)
from scoring.models import Distribution


def scores_table(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (assessment, profile, fte, status, overall, consent)."""
    table = pd.DataFrame(
        rows, columns=["assessment", "profile", "fte", "status", "overall", "consent"]
    )
    table["year"] = 2025
    table["framework_version"] = "1.0"
    table["organisation"] = "Org " + table["assessment"].astype(str)
    table["topic:safety"] = table["overall"] / 2
    return table


def distribution(values, k):
    """The all-sizes overall figure of one year's values, through the one statistics path."""
    table = pd.DataFrame({"profile": "p", "year": 2025, "fte": 3.0, "overall": list(values)})
    cell = sector_statistics(table, profile="p", k=k).cell(2025)
    return cell.overall if cell is not None else None


def test_distribution_shows_n_mean_quartiles_and_never_min_or_max():
    """S9: n, mean, p25, median, p75 (linear interpolation); no min or max field at all."""
    dist = distribution([10, 20, 30, 40, 100], k=5)
    assert dist == Distribution(n=5, mean=40, p25=20, median=30, p75=40)
    assert "min" not in Distribution.model_fields and "max" not in Distribution.model_fields


def test_distribution_below_k_is_not_shown():
    """S9: fewer than k values: None."""
    assert distribution([1, 2, 3, 4], k=5) is None
    assert distribution([1, 2, 3, 4, np.nan], k=5) is None  # empty values do not count


def test_percentile_rank_is_the_mid_rank():
    """S9: 100 * (below + equal / 2) / n: 40 among [10, 20, 40, 40, 50] is 2 below, 2 equal."""
    assert percentile_rank([10, 20, 40, 40, 50], 40) == pytest.approx(100 * (2 + 1) / 5)
    assert percentile_rank([10, 20, 30], 5) == 0
    assert percentile_rank([10, 20, 30], 35) == 100


def group_rows(profile, fte, count, start, status="submitted", consent=False):
    return [
        (f"{profile}-{start + i}", profile, fte, status, float(10 * (i + 1)), consent)
        for i in range(count)
    ]


def test_peer_group_is_the_size_class_when_it_has_k_members():
    """S9: 5 micro and 5 small members in the same profile and year: scope size_class, n 5."""
    table = scores_table(group_rows("bouw", 3, 5, 0) + group_rows("bouw", 30, 5, 10))
    bench = compare(table, "bouw-2")
    assert (bench.group.scope, bench.group.size_class, bench.group.n) == ("size_class", "micro", 5)
    assert bench.overall.median == 30
    assert bench.percentile_rank == pytest.approx(50)
    assert bench.topics["safety"].median == 15


def test_peer_group_widens_to_the_sector_below_k():
    """S9: only 2 small members, 7 in the sector: scope sector, n 7."""
    table = scores_table(group_rows("bouw", 3, 5, 0) + group_rows("bouw", 30, 2, 10))
    bench = compare(table, "bouw-10")
    assert (bench.group.scope, bench.group.size_class, bench.group.n) == ("sector", None, 7)


def test_a_class_of_k_is_withheld_where_the_sector_minus_it_would_single_out_the_rest():
    """S9 complementary suppression: 5 micro and 2 small; micro (n 5) beside the sector (n 7)
    would give the sum of the two small ones, so micro is withheld and both see the sector."""
    table = scores_table(group_rows("bouw", 3, 5, 0) + group_rows("bouw", 30, 2, 10))
    bench = compare(table, "bouw-2")
    assert (bench.group.scope, bench.group.size_class, bench.group.n) == ("sector", None, 7)


def test_a_draft_sees_a_quartile_band_and_no_rank():
    """S9: a draft is placed only in one of four quartile bands, never by percentile rank."""
    table = scores_table(group_rows("bouw", 3, 5, 0) + group_rows("bouw", 3, 1, 10, "draft"))
    bench = compare(table, "bouw-10")
    assert bench.percentile_rank is None and bench.band == "below_p25"
    assert compare(table, "bouw-2").percentile_rank is not None


def test_too_few_in_the_sector_shows_nothing():
    """S9: 4 submitted in the sector (k = 5): scope none, no statistics, no rank."""
    table = scores_table(group_rows("bouw", 3, 4, 0) + group_rows("voeding", 3, 9, 0))
    bench = compare(table, "bouw-1")
    assert bench.group.scope == "none"
    assert (bench.overall, bench.topics, bench.percentile_rank) == (None, {}, None)


def test_only_submitted_assessments_count():
    """S9: drafts are not peers: 4 submitted + 3 drafts is below k."""
    table = scores_table(group_rows("bouw", 3, 4, 0) + group_rows("bouw", 3, 3, 10, status="draft"))
    assert compare(table, "bouw-10").group.scope == "none"


def test_other_year_or_framework_version_is_another_group():
    """S9: same profile but another framework version is not a peer."""
    table = scores_table(group_rows("bouw", 3, 5, 0))
    table.loc[0, "framework_version"] = "2.0"
    assert compare(table, "bouw-1").group.scope == "none"


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 8), min_size=1, max_size=6),
    ftes=st.lists(st.sampled_from([3.0, 20.0, 100.0, 300.0]), min_size=6, max_size=6),
    drafts=st.integers(0, 3),
    k=st.integers(3, 6),
    values=st.lists(st.floats(0, 100), min_size=60, max_size=60),
)
def test_a_group_below_k_is_never_shown(sizes, ftes, drafts, k, values):
    """S9: whatever the groups, a shown benchmark has at least k submitted peers, its
    statistics come from >= k values."""
    rows = []
    for index, size in enumerate(sizes):
        rows += group_rows(f"p{index % 3}", ftes[index], size, 100 * index)
    rows += group_rows("p0", 3.0, drafts, 9000, status="draft")
    if not rows:
        return
    table = scores_table(rows)
    table["overall"] = values[: len(table)]
    table["topic:safety"] = table["overall"] / 2
    table = table.reset_index(drop=True)
    for _, row in table.iterrows():
        bench = compare(table, row["assessment"], k=k)
        if bench.group.scope == "none":
            assert bench.overall is None and bench.topics == {} and bench.percentile_rank is None
            continue
        assert bench.group.n >= k and bench.overall.n >= k
        assert all(d.n >= k for d in bench.topics.values())


def test_federation_names_only_consenting_members():
    """S10: consenting members by name; the others only in the aggregates and a count."""
    rows = group_rows("bouw", 3, 4, 0, consent=True) + group_rows("bouw", 30, 3, 10)
    view = federation_view(scores_table(rows), profile="bouw", year=2025)
    assert view.shown and view.submitted == 7
    assert [m.organisation for m in view.members] == [f"Org bouw-{i}" for i in range(4)]
    assert view.anonymous == 3
    assert view.overall.n == 7  # non-consenting members count inside the aggregate
    assert view.by_size_class.keys() == set()  # 4 micro and 3 small: both below k


def test_federation_view_below_k_shows_nothing():
    """S9/S10: 4 submitted (k = 5): no statistics, no names and no count below k."""
    rows = group_rows("bouw", 3, 4, 0, consent=True) + group_rows("bouw", 3, 2, 10, "draft")
    view = federation_view(scores_table(rows), profile="bouw", year=2025)
    assert (view.shown, view.submitted, view.drafts) == (False, None, 2)  # n withheld
    assert view.members == [] and view.overall is None


def test_scores_row_from_passports_feeds_the_benchmark(example, profile):
    """S9: passports turned into score rows give the same group statistics as their overalls."""
    from scoring import score
    from scoring.benchmark import scores_row
    from scoring.models import Organisation
    from scoring.passport import build

    rows = []
    for level in range(5):
        card = score(example, {"safety_policy": level, "energy_mwh": 10.0 * (level + 1)}, profile)
        org = Organisation(name=f"Org {level}", kbo="0123456749", fte=4)
        passport = build(
            {"example": card}, profile, organisation=org, year=2025, status="submitted"
        )
        rows.append(scores_row(passport, assessment=f"a{level}", consent=level == 0))
    table = pd.DataFrame(rows)
    bench = compare(table, "a2")
    assert (bench.group.scope, bench.group.size_class) == ("size_class", "micro")
    assert bench.overall.median == pytest.approx(float(np.median(table["overall"])))
    assert bench.kpis["energy_per_fte"].median == pytest.approx(30.0 / 4)
    assert bench.topics["safety"].n == 5
