"""Helpers for the export tests: example passports and benchmarks, and readers of rendered
PDFs (text per page, structural check, PNG render).

Passports are scored with ``scoring.score`` from the example framework and profile
(tests/fixtures); the Passport is assembled from the ScoreCard here, which is all the exports
need: they only read the models.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

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

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
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


def pdf_pages_text(pdf: bytes, layout: bool = False) -> list[str]:
    """The extracted text of every page (``layout``: keep table rows on one line)."""
    mode = "layout" if layout else "plain"
    return [
        page.extract_text(extraction_mode=mode) or "" for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def squash(text: str) -> str:
    """Text without any whitespace, for comparing wrapped paragraphs with their source."""
    return re.sub(r"\s+", "", text)


def one_decimal(value: float, language: str = "nl") -> str:
    """A score as the screen shows it, formatted independently of ``exports.text``."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "nl" else text


def require_tool(name: str) -> str:
    """The path of a command-line tool; missing is a failure in CI and a skip elsewhere."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed (CI must install it)")
        pytest.skip(f"{name} is not installed")
    return path


def qpdf_check(pdf: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``qpdf --check`` on the PDF."""
    qpdf = require_tool("qpdf")
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    return subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)


def render_png(pdf: bytes, target: Path, page: int = 1, dpi: int = 60) -> Path:
    """Render one page to PNG with poppler's pdftoppm; returns the PNG path."""
    pdftoppm = require_tool("pdftoppm")
    source = target.with_suffix(".pdf")
    source.write_bytes(pdf)
    stem = target.with_suffix("")
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")
