"""``score_many`` scores a long table exactly like ``score`` scores each assessment.

Covers S1..S5 (same rules, vectorised), S2 (conditions and N/A as matrices) and S8 (unrounded:
equal to 1e-9).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import AnswerProblemCode, InvalidAnswers, batch, score
from scoring.batch import score_many

CASE_NAMES = ["example", "example+profile", "conditions"]


def long_table(answer_sets: list[dict]) -> pd.DataFrame:
    rows = [
        (index, qid, value)
        for index, answers in enumerate(answer_sets)
        for qid, value in answers.items()
    ]
    return pd.DataFrame(rows, columns=["assessment", "question", "value"])


def assert_row_equals_card(row: pd.Series, card) -> None:
    def check(got, expected):
        if expected is None:
            assert math.isnan(got)
        else:
            assert got == pytest.approx(expected, abs=1e-9)

    check(row["overall"], card.overall)
    check(row["completeness"], card.completeness)
    assert row["required_open"] == len(card.required_open)
    assert row["dont_know"] == card.dont_know
    for sid, section in card.sections.items():
        check(row[f"section:{sid}"], section.score)
    for tid, topic in card.topics.items():
        check(row[f"topic:{tid}"], topic.score)
    if card.efqm_points is not None:
        check(row["efqm_points"], card.efqm_points)


@pytest.mark.parametrize("read_path", ["pair-table", "per-question", "objects-by-value"])
@pytest.mark.parametrize("case", CASE_NAMES)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_score_many_equals_score(cases, answers_strategy, monkeypatch, case, read_path, data):
    """S1-S5: every row of score_many equals score() of that assessment to 1e-9, whichever of
    its ways of reading values it takes (a table of distinct values, per question, or many
    distinct objects merged by value, as JSON-decoded values arrive); also with "weet niet"
    answers (S3) and organisations of 0, some or an unknown number of employees (S2)."""
    if read_path == "per-question":
        monkeypatch.setattr(batch, "_PAIR_TABLE_LIMIT", 0)
    if read_path == "objects-by-value":
        monkeypatch.setattr(batch, "_DISTINCT_OBJECTS_LIMIT", 0)
    framework, profile = cases[case]
    answer_sets = data.draw(st.lists(answers_strategy(framework, profile), min_size=1, max_size=8))
    table = long_table(answer_sets)
    if data.draw(st.booleans()):
        table = table.sample(frac=1.0, random_state=data.draw(st.integers(0, 1000)))
    employees = {
        i: data.draw(st.sampled_from([None, 0, 0.0, 3, 12.5])) for i in range(len(answer_sets))
    }
    result = score_many(framework, table, profile, employees=employees)
    present = sorted(set(table["assessment"]))
    assert sorted(result.index) == present
    for index in present:
        card = score(framework, answer_sets[index], profile, employees=employees[index])
        assert_row_equals_card(result.loc[index], card)


def test_categorical_question_column_and_string_ids(example):
    """S1: a categorical question column and string assessment ids give the same scores."""
    answer_sets = [
        {"safety_policy": 3, "has_prevention_advisor": True, "training_plan": "written"},
        {"safety_policy": 1, "accidents": "n/a", "climate_plan": 2, "energy_mwh": 3.5},
    ]
    table = long_table(answer_sets)
    table["assessment"] = table["assessment"].map({0: "a-0", 1: "a-1"})
    table["question"] = table["question"].astype("category")
    result = score_many(example, table)
    for index, answers in zip(["a-0", "a-1"], answer_sets, strict=True):
        assert_row_equals_card(result.loc[index], score(example, answers))


def test_numeric_value_column_reads_yes_no_as_1_and_0(example):
    """S1: in a numeric value column yes/no is written 1/0 (the only difference to score())."""
    table = pd.DataFrame(
        {
            "assessment": [7, 7, 7, 8],
            "question": ["safety_policy", "has_prevention_advisor", "energy_mwh", "safety_policy"],
            "value": [3.0, 1.0, 12.5, np.nan],
        }
    )
    result = score_many(example, table)
    assert_row_equals_card(
        result.loc[7],
        score(example, {"safety_policy": 3, "has_prevention_advisor": True, "energy_mwh": 12.5}),
    )
    assert_row_equals_card(result.loc[8], score(example, {}))


def test_every_invalid_row_is_reported_with_its_assessment(example):
    """S1/S2: all problems together, each naming its assessment; a bool is no maturity level."""
    table = pd.DataFrame(
        {
            "assessment": [1, 1, 2, 2, 3, 3],
            "question": [
                "safety_policy",
                "nope",
                "safety_policy",
                "has_prevention_advisor",
                "training_plan",
                "training_plan",
            ],
            "value": [True, 1, "n/a", 1, "written", "written"],
        }
    )
    with pytest.raises(InvalidAnswers) as caught:
        score_many(example, table)
    assert [(p.assessment, p.question, p.code) for p in caught.value.problems] == [
        (1, "safety_policy", AnswerProblemCode.WRONG_TYPE),
        (1, "nope", AnswerProblemCode.UNKNOWN_QUESTION),
        (2, "safety_policy", AnswerProblemCode.NA_NOT_ALLOWED),
        (2, "has_prevention_advisor", AnswerProblemCode.WRONG_TYPE),
        (3, "training_plan", AnswerProblemCode.DUPLICATE_ANSWER),
    ]


def test_hidden_value_in_the_table_does_not_count(example):
    """S2: a multi answer whose condition is false is hidden in the batch too."""
    table = long_table([{"training_plan": "none", "training_topics": ["safety", "digital"]}])
    assert score_many(example, table).loc[0, "topic:training"] == 0.0


@pytest.mark.parametrize("shuffled", [False, True])
def test_a_table_scored_in_blocks_equals_one_block(example, shuffled):
    """Linear cost: scored ``chunk`` assessments at a time (rows grouped or interleaved), the
    result is the same rows in the same order as in one block."""
    rng = np.random.default_rng(3)
    answer_sets = [
        {
            "safety_policy": int(rng.integers(0, 5)),
            "has_prevention_advisor": bool(rng.integers(0, 2)),
            "training_plan": ["none", "written"][int(rng.integers(0, 2))],
            "energy_mwh": float(rng.uniform(0, 50)),
        }
        for _ in range(23)
    ]
    table = long_table(answer_sets)
    if shuffled:
        table = table.sample(frac=1.0, random_state=5).reset_index(drop=True)
    whole = score_many(example, table)
    blocks = score_many(example, table, chunk=4)
    pd.testing.assert_frame_equal(blocks, whole)
    for index, answers in enumerate(answer_sets):
        assert_row_equals_card(blocks.loc[index], score(example, answers))


def test_problems_of_every_block_are_raised_together(example):
    """All problems at once, also where they fall in different blocks."""
    table = pd.DataFrame(
        {
            "assessment": [1, 2, 3, 4, 5, 6],
            "question": ["safety_policy"] * 6,
            "value": [True, 1, 2, 3, 4, 9],
        }
    )
    with pytest.raises(InvalidAnswers) as caught:
        score_many(example, table, chunk=2)
    assert [p.assessment for p in caught.value.problems] == [1, 6]


def test_group_starts_across_its_blocks():
    """The runs of sorted assessment ids are found block by block, also where a run crosses
    a block's border: the same starts as one comparison of the whole column."""
    rng = np.random.default_rng(11)
    for n in (0, 1, 2, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 600_001):
        ids = np.sort(rng.integers(0, n // 97 + 2, n))
        changes = np.concatenate(([True], ids[1:] != ids[:-1])) if n else np.zeros(0, bool)
        assert np.array_equal(batch._group_starts(ids), np.flatnonzero(changes))
