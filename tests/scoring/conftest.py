"""Fixtures and hypothesis strategies for the scoring tests: the example framework and profile,
a framework with chained conditions of every kind, and strategies for valid answers.

Everything is handed to tests as (session) fixtures rather than imported, so the tests run the
same under any pytest import mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import strategies as st

from frameworks.compose import effective_framework
from frameworks.models import (
    DONT_KNOW,
    ChoiceQuestion,
    Framework,
    MaturityQuestion,
    MultiQuestion,
    NumberQuestion,
    SectorProfile,
    TextQuestion,
    YesNoQuestion,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

EXAMPLE = Framework.model_validate(
    yaml.safe_load((FIXTURES / "example_framework.yaml").read_text(encoding="utf-8"))
)
PROFILE = SectorProfile.model_validate(
    yaml.safe_load((FIXTURES / "example_profile.yaml").read_text(encoding="utf-8"))
)

# Conditions on every referenced type (yes_no "no", maturity gte, number gte, multi "any",
# choice, text), a chain (c -> b -> a), weights, an unscored yes/no, and EFQM points; "weet
# niet" on a yes/no and a choice, and questions about employees (e, h) that others depend on.
CONDITIONS_YAML = """
id: conditions
version: "2.0"
title: {nl: Voorwaarden, en: Conditions}
description: {nl: Test., en: Test.}
derivation:
  statement: {nl: Test., en: Test.}
  sources: [{name: EFQM, edition: "2013"}]
points_total: 1000
sections:
  - id: one
    title: {nl: Een, en: One}
    weight: 30
    topics:
      - id: alpha
        title: {nl: Alfa, en: Alpha}
        questions:
          - {id: a, type: yes_no, text: {nl: a, en: a}, allow_na: true, allow_dont_know: true}
          - {id: b, type: maturity, text: {nl: b, en: b}, visible_if: {question: a, in: ["no"]}}
          - {id: c, type: number, unit: "%", min: 0, max: 100, text: {nl: c, en: c},
             visible_if: {question: b, gte: 2}, thresholds: [{gte: 10, points: 1}, {gte: 50, points: 3}]}
          - {id: d, type: maturity, weight: 3, text: {nl: d, en: d}, visible_if: {question: c, gte: 20}}
      - id: beta
        title: {nl: Beta, en: Beta}
        questions:
          - id: e
            type: multi
            about_employees: true
            text: {nl: e, en: e}
            allow_na: true
            options:
              - {id: x, label: {nl: x, en: x}, points: 2}
              - {id: y, label: {nl: y, en: y}, points: 2}
              - {id: z, label: {nl: z, en: z}, points: 0}
          - {id: f, type: maturity, weight: 0.5, text: {nl: f, en: f}, visible_if: {question: e, in: [x, z]}}
          - {id: g, type: yes_no, points: 0, text: {nl: g, en: g}}
  - id: two
    title: {nl: Twee, en: Two}
    weight: 70
    topics:
      - id: gamma
        title: {nl: Gamma, en: Gamma}
        questions:
          - id: h
            type: choice
            about_employees: true
            allow_dont_know: true
            text: {nl: h, en: h}
            options:
              - {id: low, label: {nl: laag, en: low}, points: 0}
              - {id: mid, label: {nl: mid, en: mid}, points: 1.5}
              - {id: top, label: {nl: top, en: top}, points: 2}
          - {id: i, type: yes_no, points: 2.5, text: {nl: i, en: i}, visible_if: {question: h, in: [mid, top]}}
          - {id: j, type: text, text: {nl: j, en: j}}
          - {id: k, type: maturity, required: true, text: {nl: k, en: k}, visible_if: {question: j, in: [ja]}}
      - id: delta
        title: {nl: Delta, en: Delta}
        questions:
          - {id: l, type: maturity, allow_na: true, text: {nl: l, en: l}, visible_if: {question: a, in: [true]}}
"""
CONDITIONS = Framework.model_validate(yaml.safe_load(CONDITIONS_YAML))


@pytest.fixture(scope="session")
def example() -> Framework:
    return EXAMPLE


@pytest.fixture(scope="session")
def profile() -> SectorProfile:
    return PROFILE


@pytest.fixture(scope="session")
def conditions() -> Framework:
    """A framework with chained conditions of every kind and EFQM points (2 sections)."""
    return CONDITIONS


@pytest.fixture(scope="session")
def cases() -> dict:
    """Framework and profile pairs the properties run over."""
    return CASES


@pytest.fixture(scope="session")
def values_of():
    """``values_of(question)``: a hypothesis strategy of valid values ("n/a" where allowed)."""
    return value_strategy


@pytest.fixture(scope="session")
def answers_strategy():
    """``answers_strategy(framework, profile)``: a hypothesis strategy of valid answers."""
    return answers_for


def value_strategy(question) -> st.SearchStrategy:
    """Valid values of one question, "n/a" where allowed."""
    if isinstance(question, MaturityQuestion):
        values = st.integers(0, 4)
    elif isinstance(question, YesNoQuestion):
        values = st.booleans()
    elif isinstance(question, ChoiceQuestion):
        values = st.sampled_from([o.id for o in question.options])
    elif isinstance(question, MultiQuestion):
        values = st.lists(
            st.sampled_from([o.id for o in question.options]), unique=True, max_size=4
        )
    elif isinstance(question, NumberQuestion):
        low = question.min if question.min is not None else -1e6
        high = question.max if question.max is not None else 1e6
        if question.integer:
            values = st.integers(int(low), int(min(high, 1e6)))
        else:
            values = st.floats(low, high, allow_nan=False, allow_infinity=False)
    elif isinstance(question, TextQuestion):
        values = st.sampled_from(["", "ja", "nee", "tekst"])
    else:  # pragma: no cover - the union has no other types
        raise AssertionError(question)
    if question.allow_na:
        values = values | st.just("n/a")
    if question.allow_dont_know:
        values = values | st.just(DONT_KNOW)
    return values


@st.composite
def answers_for(draw, framework: Framework, profile: SectorProfile | None = None) -> dict:
    """A valid answers dict: each question absent, None, or a valid value."""
    effective = effective_framework(framework, profile)
    answers = {}
    for qid, question in effective.questions.items():
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue
        if choice == 1:
            answers[qid] = None
        else:
            answers[qid] = draw(value_strategy(question))
    return answers


CASES = {
    "example": (EXAMPLE, None),
    "example+profile": (EXAMPLE, PROFILE),
    "conditions": (CONDITIONS, None),
}
