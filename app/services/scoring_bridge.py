"""The services' one door into the scoring engine (``scoring.score``, ``scoring.passport``).

Submit, passports and benchmarks call these functions only, so the store never depends on the
engine's internals. Note that ``scoring.score`` makes the framework effective for the profile
itself: it is given the *base* framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frameworks.models import Framework, SectorProfile
from scoring.models import Organisation, Passport, ScoreCard


def scorecard(
    framework: Framework,
    profile: SectorProfile | None,
    answers: Mapping[str, Any],
    employees: float | None = None,
) -> ScoreCard:
    """The ScoreCard of ``answers`` for the base ``framework`` under ``profile`` (S1..S8) of
    an organisation with ``employees`` FTE (None: unknown; 0 hides the employee questions)."""
    import scoring

    return scoring.score(framework, answers, profile, employees=employees)


def scorecards(
    framework: Framework,
    profile: SectorProfile | None,
    answers: Mapping[Any, Mapping[str, Any]],
    employees: Mapping[Any, float | None] | None = None,
) -> dict[Any, ScoreCard]:
    """``scorecard`` of many assessments at once (assessment -> answers; ``employees``:
    assessment -> FTE), through the batch scorer: the same cards."""
    from scoring.batch import score_cards

    return score_cards(framework, answers, profile, employees=employees)


def passport(
    scorecards: Mapping[str, ScoreCard],
    profile: SectorProfile | None,
    *,
    organisation: Organisation | None,
    year: int,
    status: str,
    previous: Passport | None = None,
    frameworks: Mapping[str, Framework] | None = None,
) -> Passport:
    """The passport built from the score cards of one organisation and year (S6, S7); with
    the (effective) ``frameworks`` of the cards it also lists the plausibility warnings."""
    from scoring import passport as passport_module

    return passport_module.build(
        scorecards,
        profile,
        organisation=organisation,
        year=year,
        status=status,
        previous=previous,
        frameworks=frameworks,
    )
