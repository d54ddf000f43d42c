"""Sector KPIs (README "KPIs", issue 13 item 5): a KPI's value is the answer divided by its
declared activity figure, scaled, and judged against the sector's thresholds as a band; the
band never enters the score (S1: points come from the questions alone). Every test cites
"KPI" (the README's rule) and, where it applies, S1 or S9."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import scoring
from frameworks.loader import shipped_catalogue
from frameworks.models import Kpi
from scoring.benchmark import sector_row
from scoring.kpi import kpi_values
from scoring.models import Organisation
from scoring.passport import build

ORG = Organisation(name="Bouw NV", kbo="0123456749", fte=20.0)


@pytest.fixture(scope="module")
def catalogue():
    return shipped_catalogue()


def _passport(catalogue, profile_id, iso=None, gri=None, org=ORG):
    profile = catalogue.profiles[profile_id]
    cards = {
        "iso26000": scoring.score(catalogue.frameworks["iso26000"], iso or {}, profile),
        "gri": scoring.score(catalogue.frameworks["gri"], gri or {}, profile),
    }
    return build(cards, profile, organisation=org), cards


def _kpi(passport, kpi_id):
    return next(k for k in passport.kpis if k.kpi == kpi_id)


def test_a_frequency_rate_of_200_is_poor_and_5_good(catalogue):
    """KPI + S1: the accident frequency rate is judged against bouw's thresholds (5 is
    "good", 200 "poor"), and its question scores by value, so 200 no longer scores like 5."""
    high, high_cards = _passport(catalogue, "bouw", iso={"bouw_frequency_rate": 200})
    low, low_cards = _passport(catalogue, "bouw", iso={"bouw_frequency_rate": 5})
    assert (
        _kpi(high, "accident_frequency_rate").band,
        _kpi(low, "accident_frequency_rate").band,
    ) == (
        "poor",
        "good",
    )
    assert _kpi(high, "accident_frequency_rate").value == 200.0
    high_q = high_cards["iso26000"].questions["bouw_frequency_rate"]
    low_q = low_cards["iso26000"].questions["bouw_frequency_rate"]
    assert (high_q.points, low_q.points) == (0.0, 1.0)


def test_energy_and_scope1_per_million_euro_turnover_as_vsme_b3(catalogue):
    """KPI: bouw's energy and scope 1 are divided by the turnover question (gri_201_1_revenue)
    and scaled to one million euro, the VSME B3 intensity convention."""
    gri = {"gri_201_1_revenue": 2_500_000, "gri_302_1_energy": 150.0, "gri_305_1_scope1": 30.0}
    passport, _ = _passport(catalogue, "bouw", gri=gri)
    energy = _kpi(passport, "energy_per_turnover")
    assert (energy.per, energy.raw, energy.activity) == ("turnover", 150.0, 2_500_000.0)
    assert energy.value == pytest.approx(60.0)  # MWh per million euro
    assert _kpi(passport, "scope1_per_turnover").value == pytest.approx(12.0)


def test_transport_scope1_per_tonne_km(catalogue):
    """KPI: transport divides scope 1 by its tonne-km question, in g CO2e per tonne-km."""
    passport, _ = _passport(
        catalogue,
        "transport_logistiek",
        iso={"transport_logistiek_tonne_km": 4_000_000},
        gri={"gri_305_1_scope1": 320.0},
    )
    kpi = _kpi(passport, "scope1_per_tonne_km")
    assert (kpi.per, kpi.unit, kpi.value) == ("tonne_km", "gCO2e/tkm", pytest.approx(80.0))
    assert kpi.band == "average"  # between the (provisional) 60 and 120


def test_food_energy_and_water_per_tonne_of_product(catalogue):
    """KPI: voeding divides energy (in kWh) and water by the tonnes of finished product."""
    passport, _ = _passport(
        catalogue,
        "voeding",
        iso={"voeding_product_tonnes": 500},
        gri={"gri_302_1_energy": 250.0, "gri_303_3_water": 1500.0},
    )
    assert _kpi(passport, "energy_per_tonne").value == pytest.approx(500.0)  # kWh/t
    assert _kpi(passport, "water_per_tonne").value == pytest.approx(3.0)  # m3/t


def test_no_activity_figure_gives_no_value_never_infinity(catalogue):
    """KPI: an unanswered or zero activity figure (no turnover, 0 tonne-km) gives no value."""
    none, _ = _passport(catalogue, "bouw", gri={"gri_302_1_energy": 10.0})
    zero, _ = _passport(catalogue, "bouw", gri={"gri_302_1_energy": 10.0, "gri_201_1_revenue": 0})
    for passport in (none, zero):
        kpi = _kpi(passport, "energy_per_turnover")
        assert (kpi.raw, kpi.value, kpi.band) == (10.0, None, None)


def test_training_hours_stay_per_fte_of_the_organisation(catalogue):
    """KPI: ``per: fte`` divides by the FTE given at registration (the declared default)."""
    passport, _ = _passport(catalogue, "bouw", gri={"gri_404_1_training_hours": 400})
    assert _kpi(passport, "training_hours_per_fte").value == pytest.approx(20.0)
    unknown, _ = _passport(catalogue, "bouw", gri={"gri_404_1_training_hours": 400}, org=None)
    assert _kpi(unknown, "training_hours_per_fte").value is None


def test_the_band_does_not_enter_the_score(catalogue):
    """KPI + S1: two firms differing only in energy use (both answered) have different KPI
    values but the same overall score: a KPI's band is shown, never counted."""
    base = {"gri_201_1_revenue": 2_500_000}
    frugal, _ = _passport(catalogue, "bouw", gri={**base, "gri_302_1_energy": 150.0})
    greedy, _ = _passport(catalogue, "bouw", gri={**base, "gri_302_1_energy": 900.0})
    assert _kpi(frugal, "energy_per_turnover").value == pytest.approx(60.0)
    assert _kpi(greedy, "energy_per_turnover").value == pytest.approx(360.0)
    assert frugal.overall == greedy.overall


def test_benchmark_rows_read_the_one_kpi_value(catalogue):
    """KPI + S9: the benchmark's KPI column is the passport's value (one computation)."""
    gri = {"gri_201_1_revenue": 2_000_000, "gri_302_1_energy": 100.0}
    passport, cards = _passport(catalogue, "bouw", gri=gri)
    row = sector_row(passport, assessment=1)
    assert row["kpi:energy_per_turnover"] == pytest.approx(50.0)
    assert kpi_values(catalogue.profiles["bouw"], cards, ORG) == passport.kpis


def test_legacy_per_fte_reads_as_per_fte():
    """KPI: an older profile's ``per_fte: true`` is ``per: fte`` (a federation's file keeps
    loading)."""
    kpi = Kpi.model_validate(
        {
            "id": "e",
            "label": {"nl": "E", "en": "E"},
            "framework": "f",
            "question": "q",
            "unit": "MWh/FTE",
            "per_fte": True,
        }
    )
    assert (kpi.per, kpi.per_fte, kpi.denominator.organisation) == ("fte", True, "fte")


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"per": "turnover"}, "needs 'of'"),
        ({"of": {"organisation": "fte"}}, "set 'per' or drop 'of'"),
        ({"better": "lower", "thresholds": {"good": 50, "poor": 10, "provisional": True}}, "below"),
        (
            {"better": "higher", "thresholds": {"good": 10, "poor": 50, "provisional": True}},
            "above",
        ),
        ({"per": "tonne", "of": {"question": "q"}}, "needs its 'framework'"),
    ],
)
def test_a_kpi_declares_its_denominator_and_ordered_thresholds(extra, words):
    """KPI: a ``per`` other than fte names its activity figure, and "good" lies on the better
    side of "poor"."""
    with pytest.raises(ValidationError, match=words):
        Kpi.model_validate(
            {
                "id": "e",
                "label": {"nl": "E", "en": "E"},
                "framework": "f",
                "question": "q",
                "unit": "u",
                **extra,
            }
        )


def test_bands_follow_the_better_direction():
    """KPI: lower-is-better and higher-is-better bands, boundaries included in the outer bands."""
    label = {"nl": "K", "en": "K"}
    lower = Kpi(
        id="k",
        label=label,
        framework="f",
        question="q",
        unit="u",
        better="lower",
        thresholds={"good": 10, "poor": 50, "provisional": True},
    )
    higher = Kpi(
        id="k",
        label=label,
        framework="f",
        question="q",
        unit="u",
        better="higher",
        thresholds={"good": 80, "poor": 40, "provisional": True},
    )
    assert [lower.band(v) for v in (5, 10, 30, 50, 200)] == [
        "good",
        "good",
        "average",
        "poor",
        "poor",
    ]
    assert [higher.band(v) for v in (90, 80, 60, 40, 0)] == [
        "good",
        "good",
        "average",
        "poor",
        "poor",
    ]
    assert lower.band(None) is None
