"""Sector KPIs: the one computation of a KPI's value and band (issue 13 item 5).

A KPI (``frameworks.models.Kpi``) reads a number answer, divides it by its declared activity
figure (``Kpi.denominator``: a number question of an included framework, or the
organisation's FTE), multiplies by ``scale`` and is judged against the sector's thresholds as a
band (good / average / poor). The passport calls ``kpi_values``; the benchmark's KPI
distributions and every export read the passport's values, so they cannot disagree. A KPI's
band never enters the score (README "KPIs"): points come from the questions alone (S1).
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

from frameworks.models import Kpi, SectorProfile
from scoring.models import KpiValue, Organisation, ScoreCard


def _answer(scorecards: Mapping[str, ScoreCard], framework: str, question: str) -> float | None:
    """The answered number of ``question`` (None for unanswered, hidden, n/a, weet niet)."""
    card = scorecards.get(framework)
    score = card.questions.get(question) if card is not None else None
    if score is None or score.status != "answered":
        return None
    value = score.value
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    return float(value)


def kpi_value(
    kpi: Kpi, scorecards: Mapping[str, ScoreCard], organisation: Organisation | None
) -> KpiValue:
    """One KPI of one assessment: raw answer, activity figure, value and band."""
    raw = _answer(scorecards, kpi.framework, kpi.question)
    denominator = kpi.denominator
    activity = None
    if denominator is None:
        value = raw
    else:
        if denominator.organisation == "fte":
            activity = organisation.fte if organisation is not None else None
        else:
            activity = _answer(scorecards, denominator.framework, denominator.question)
        # A zero activity figure (0 FTE, 0 tonne-km) gives no ratio rather than infinity.
        value = raw / activity if raw is not None and activity else None
    if value is not None:
        value *= kpi.scale
    return KpiValue(
        kpi=kpi.id,
        value=value,
        unit=kpi.unit,
        per_fte=kpi.per_fte,
        per=kpi.per,
        raw=raw,
        activity=activity,
        band=kpi.band(value),
    )


def kpi_values(
    profile: SectorProfile | None,
    scorecards: Mapping[str, ScoreCard],
    organisation: Organisation | None,
) -> list[KpiValue]:
    """Every KPI of the profile, in its order (none without a profile)."""
    if profile is None:
        return []
    return [kpi_value(kpi, scorecards, organisation) for kpi in profile.kpis]
