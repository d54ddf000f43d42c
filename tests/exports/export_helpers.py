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
    Organisation,
    Passport,
    PeerGroup,
)
from scoring.passport import build as build_passport

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
    """A Passport of the example profile: ``scoring.score`` then ``scoring.passport.build``."""
    card = score(framework, answers, profile)
    return build_passport(
        {card.framework: card}, profile, organisation=organisation, year=year, status=status
    )


def random_framework_answers(framework: Framework, rng: random.Random) -> dict:
    """Plausible answers to every question of an (effective) framework: each type's valid
    values, some n/a where allowed, a few left open, short notes for text questions."""
    answers: dict = {}
    for question in framework.questions.values():
        if rng.random() < 0.05:
            continue
        if question.allow_na and rng.random() < 0.05:
            answers[question.id] = "n/a"
            continue
        kind = question.type
        if kind == "maturity":
            answers[question.id] = rng.randint(0, 4)
        elif kind == "yes_no":
            answers[question.id] = rng.random() < 0.6
        elif kind == "choice":
            answers[question.id] = rng.choice(question.options).id
        elif kind == "multi":
            ids = [o.id for o in question.options]
            answers[question.id] = rng.sample(ids, rng.randint(0, len(ids)))
        elif kind == "number":
            low = question.min if question.min is not None else 0.0
            high = question.max if question.max is not None else low + 1000.0
            high = min(high, low + 5000.0)
            value = rng.uniform(low, high)
            answers[question.id] = int(value) if question.integer else round(value, 2)
        elif kind == "text":
            answers[question.id] = "Toelichting: " + " ".join(
                rng.choice(["energie", "veiligheid", "opleiding", "afval", "klanten"])
                for _ in range(rng.randint(5, 30))
            )
    return answers


def real_passport(
    catalogue, profile_id: str, rng: random.Random, organisation: Organisation, **kwargs
) -> Passport:
    """A passport of a shipped sector profile (every framework it includes), scored from
    random answers: the real size of what the department exports."""
    from frameworks.compose import effective_framework

    profile = catalogue.profiles[profile_id]
    cards = {}
    for included in profile.frameworks:
        base = catalogue.frameworks[included.id]
        answers = random_framework_answers(effective_framework(base, profile), rng)
        cards[included.id] = score(base, answers, profile)
    return build_passport(cards, profile, organisation=organisation, **kwargs)


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
        sections={
            s: dist(50.0 + i % 30)
            for c in passport.scorecards.values()
            for i, s in enumerate(c.sections)
        },
        topics={
            t: dist(40.0 + i % 40)
            for c in passport.scorecards.values()
            for i, t in enumerate(c.topics)
        },
        kpis={k.kpi: dist(20.0) for k in passport.kpis},
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
