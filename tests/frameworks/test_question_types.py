"""Each question class checks, normalises, scores and parses its own values (issue 10).

Covers S1 (points per type: maturity 0..4, yes = max, options, capped multi, number through
thresholds, text never) and the answer convention of the README (one value form per type, an
import cell read into it). Table-driven: one row per (type, value); a new type adds rows here
and one class in ``frameworks.models``, nothing else.
"""

from __future__ import annotations

import math

import pytest
from pydantic import TypeAdapter

from frameworks.answers import AnswerError, AnswerProblemCode
from frameworks.models import Condition, Question

QUESTIONS = {
    "maturity": {"type": "maturity", "allow_na": True},
    "yes_no": {"type": "yes_no", "points": 2},
    "choice": {
        "type": "choice",
        "options": [
            {"id": "none", "label": {"nl": "geen", "en": "none"}, "points": 0},
            {"id": "some", "label": {"nl": "wat", "en": "some"}, "points": 1.5},
            {"id": "all", "label": {"nl": "alles", "en": "all"}, "points": 3},
        ],
    },
    "multi": {
        "type": "multi",
        "cap": 3,
        "options": [
            {"id": "a", "label": {"nl": "a", "en": "a"}, "points": 2},
            {"id": "b", "label": {"nl": "b", "en": "b"}, "points": 2},
            {"id": "c", "label": {"nl": "c", "en": "c"}, "points": 0},
        ],
    },
    "number": {
        "type": "number",
        "unit": "%",
        "min": 0,
        "max": 100,
        "integer": True,
        "thresholds": [{"gte": 10, "points": 1}, {"gte": 50, "points": 3}],
    },
    "text": {"type": "text", "max_length": 5},
}


def question(kind: str):
    data = {"id": f"q_{kind}", "text": {"nl": kind, "en": kind}, **QUESTIONS[kind]}
    return TypeAdapter(Question).validate_python(data)


@pytest.mark.parametrize(
    ("kind", "value", "points"),
    [
        ("maturity", 3, 3.0),
        ("maturity", 0, 0.0),
        ("yes_no", True, 2.0),
        ("yes_no", False, 0.0),
        ("choice", "some", 1.5),
        ("multi", ["a", "c"], 2.0),
        ("multi", ["a", "b", "c"], 3.0),  # 4 capped at 3
        ("number", 9, 0.0),
        ("number", 10, 1.0),
        ("number", 75, 3.0),
        ("text", "ja", 0.0),
    ],
)
def test_each_type_scores_its_own_values(kind, value, points):
    """S1: the points a valid value earns, by the question's own class."""
    assert question(kind).points_for(value) == points


@pytest.mark.parametrize(
    ("kind", "maximum", "best"),
    [
        ("maturity", 4.0, 4),
        ("yes_no", 2.0, True),
        ("choice", 3.0, "all"),
        ("multi", 3.0, ["a", "b", "c"]),
        ("number", 3.0, 50),
        ("text", 0.0, None),
    ],
)
def test_each_type_knows_its_maximum_and_an_answer_reaching_it(kind, maximum, best):
    """S1/S7: ``max_points`` and ``best_answer`` agree: the best answer earns the maximum."""
    q = question(kind)
    assert (q.max_points, q.best_answer()) == (maximum, best)
    if best is not None:
        assert q.points_for(best) == maximum


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("maturity", 3.0, 3),
        ("maturity", "n/a", "n/a"),
        ("maturity", None, None),
        ("yes_no", False, False),
        ("choice", "all", "all"),
        ("multi", ["c", "a"], ["a", "c"]),  # questionnaire order
        ("number", 40.0, 40),  # an integer question stores an int
        ("text", "<b>", "<b>"),
    ],
)
def test_each_type_normalises_a_valid_value_to_one_stored_form(kind, value, stored):
    """Equal answers are stored equally."""
    result = question(kind).normalise(value)
    assert result == stored and type(result) is type(stored)


@pytest.mark.parametrize(
    ("kind", "value", "codes"),
    [
        ("maturity", 5, [AnswerProblemCode.OUT_OF_RANGE]),
        ("maturity", True, [AnswerProblemCode.WRONG_TYPE]),
        ("maturity", "3", [AnswerProblemCode.WRONG_TYPE]),
        ("yes_no", "yes", [AnswerProblemCode.WRONG_TYPE]),
        ("yes_no", "n/a", [AnswerProblemCode.NA_NOT_ALLOWED]),
        ("choice", "most", [AnswerProblemCode.UNKNOWN_OPTION]),
        ("choice", 1, [AnswerProblemCode.WRONG_TYPE]),
        (
            "multi",
            ["a", "a", "z"],
            [AnswerProblemCode.UNKNOWN_OPTION, AnswerProblemCode.DUPLICATE_OPTION],
        ),
        ("multi", "a", [AnswerProblemCode.WRONG_TYPE]),
        ("number", math.inf, [AnswerProblemCode.NOT_FINITE]),
        ("number", 2.5, [AnswerProblemCode.NOT_INTEGER]),
        ("number", 101, [AnswerProblemCode.OUT_OF_RANGE]),
        ("text", "zes ch", [AnswerProblemCode.TOO_LONG]),
        ("text", 3, [AnswerProblemCode.WRONG_TYPE]),
    ],
)
def test_each_type_refuses_what_is_not_its_value_with_a_code(kind, value, codes):
    """Every problem at once, each with a code; ``normalise`` raises ``AnswerError`` naming
    the question, with the messages after its id."""
    q = question(kind)
    problems = list(q.check(value))
    assert [code for code, _message in problems] == codes
    with pytest.raises(AnswerError) as raised:
        q.normalise(value)
    assert raised.value.field == q.id
    assert str(raised.value) == f"{q.id}: " + "; ".join(message for _code, message in problems)


@pytest.mark.parametrize(
    ("kind", "cell", "value"),
    [
        ("maturity", "3", 3),
        ("maturity", 2.0, 2),
        ("maturity", "nvt", "n/a"),
        ("yes_no", "Ja", True),
        ("yes_no", 0, False),
        ("yes_no", "  ", None),
        ("choice", " all ", "all"),
        ("multi", "a; b|c", ["a", "b", "c"]),
        ("number", "1.234,0", 1234),
        ("number", "12,5", 12.5),
        ("text", 12, "12"),
    ],
)
def test_each_type_parses_an_import_cell(kind, cell, value):
    """The import convention: Flemish numbers, ja/nee, lists split on ; | or comma."""
    assert question(kind).parse_cell(cell) == value


@pytest.mark.parametrize(("kind", "cell"), [("yes_no", "misschien"), ("number", "veel")])
def test_a_cell_a_type_cannot_read_is_a_value_error(kind, cell):
    with pytest.raises(ValueError):
        question(kind).parse_cell(cell)


@pytest.mark.parametrize(
    ("kind", "condition", "value", "meets"),
    [
        ("yes_no", {"in": ["no"]}, False, True),
        ("yes_no", {"in": [True]}, False, False),
        ("maturity", {"gte": 2}, 2, True),
        ("maturity", {"in": [3]}, 3.0, True),
        ("number", {"gte": 20}, 19, False),
        ("choice", {"in": ["some", "all"]}, "all", True),
        ("multi", {"in": ["b"]}, ["a", "b"], True),
        ("multi", {"in": ["b"]}, [], False),
        ("text", {"in": ["ja"]}, "ja", True),
        ("text", {"gte": 1}, "ja", False),
    ],
)
def test_each_type_reads_a_condition_that_refers_to_it(kind, condition, value, meets):
    """S2: a ``visible_if`` is read by the class of the question it names."""
    test = question(kind).condition_test(Condition.model_validate({"question": "x", **condition}))
    assert test(value) is meets
