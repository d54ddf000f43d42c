"""Fixtures for the export tests: passports scored from the example framework and profile.

Passports are scored with ``scoring.score`` and assembled with ``scoring.passport.build`` where
it exists; otherwise (while the scoring package grows) the Passport is put together from the
ScoreCard directly, which is enough for the exports: they only read the models.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from frameworks.loader import load_framework, load_profile
from frameworks.models import Framework, SectorProfile
from scoring import score
from scoring.models import (
    Benchmark,
    Distribution,
    ImprovementStep,
    KpiValue,
    Organisation,
    Passport,
    PeerGroup,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def example_framework() -> Framework:
    return load_framework(FIXTURES / "example_framework.yaml")


def example_profile() -> SectorProfile:
    return load_profile(FIXTURES / "example_profile.yaml")


def random_answers(rng: random.Random, note: str | None = None) -> dict:
    """A plausible set of answers to the example framework and its sector question."""
    answers = {
        "safety_policy": rng.randint(0, 4),
        "has_prevention_advisor": rng.choice([True, False]),
        "accidents": rng.randint(0, 5),
        "training_plan": rng.choice(["none", "informal", "written"]),
        "energy_mwh": round(rng.uniform(10, 900), 1),
        "climate_plan": rng.randint(0, 4),
        "sector_charter": rng.choice([True, False]),
    }
    if answers["training_plan"] != "none":
        answers["training_topics"] = rng.sample(["safety", "digital", "language"], 2)
    if note is not None:
        answers["energy_story"] = note
    return answers


def make_passport(
    framework: Framework,
    profile: SectorProfile,
    answers: dict,
    organisation: Organisation,
    *,
    year: int = 2026,
    status: str = "submitted",
) -> Passport:
    """A Passport of the example profile, scored from ``answers``."""
    card = score(framework, answers, profile)
    steps = []
    for question, result in card.questions.items():
        if result.max > 0 and result.points < result.max and result.status != "hidden":
            topic = card.topics[result.topic]
            steps.append(
                ImprovementStep(
                    framework=card.framework,
                    question=question,
                    topic=result.topic,
                    materiality=topic.materiality,
                    gain=(result.max - result.points) * 7.5,
                    points=result.points,
                    max=result.max,
                )
            )
    steps.sort(key=lambda s: (-s.gain, -s.materiality))
    scored = [t for t in card.topics.values() if t.score is not None]
    strengths = [t.topic for t in sorted(scored, key=lambda t: -t.score)[:2]]
    weak = [t.topic for t in sorted(scored, key=lambda t: t.score)[:1]]
    fte = organisation.fte or 1.0
    energy = answers.get("energy_mwh")
    overall = card.overall
    level = "starter"
    for band in profile.levels:
        if overall is not None and overall >= band.min:
            level = band.id
    return Passport(
        profile=profile.id,
        profile_version=profile.version,
        organisation=organisation,
        year=year,
        status=status,
        overall=overall,
        level=level,
        completeness=card.completeness,
        scorecards={card.framework: card},
        strengths=strengths,
        weak_points=weak,
        improvement_plan=steps,
        kpis=[
            KpiValue(
                kpi="energy_per_fte",
                value=None if energy is None else energy / fte,
                unit="MWh/FTE",
                per_fte=True,
                raw=energy,
            )
        ],
    )


def make_benchmark(passport: Passport, n: int = 12) -> Benchmark:
    card = next(iter(passport.scorecards.values()))

    def dist(center: float) -> Distribution:
        return Distribution(n=n, mean=center, p25=center - 10, median=center, p75=center + 10)

    return Benchmark(
        group=PeerGroup(
            profile=passport.profile,
            year=passport.year or 2026,
            framework_version=card.framework_version,
            size_class="small",
            scope="size_class",
            n=n,
            k=5,
        ),
        overall=dist(55.0),
        sections={s: dist(50.0 + i) for i, s in enumerate(card.sections)},
        topics={t: dist(40.0 + 3 * i) for i, t in enumerate(card.topics)},
        kpis={"energy_per_fte": dist(20.0)},
        percentile_rank=62.5,
    )


@pytest.fixture(scope="session")
def framework() -> Framework:
    return example_framework()


@pytest.fixture(scope="session")
def profile() -> SectorProfile:
    return example_profile()


@pytest.fixture()
def passport(framework, profile) -> Passport:
    org = Organisation(name="Łódź Çelik Ürün bv", kbo="0403170701", fte=23, nace="41.001")
    return make_passport(framework, profile, random_answers(random.Random(7)), org)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
