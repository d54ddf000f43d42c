"""Scores many assessments at once from a long table, vectorised with numpy.

``score_many(framework, answers_table, profile)`` takes a long table with columns
``assessment``, ``question`` and ``value`` (one row per answer; a missing row or a None/NaN
value is unanswered) and returns one row per assessment, indexed by assessment, with the columns
``overall``, ``completeness``, ``required_open`` (count), ``efqm_points`` (only where the
framework declares ``points_total``), ``section:<id>`` and ``topic:<id>`` — the same numbers as
``scoring.score`` for each assessment (S1..S5; a property test holds them equal to 1e-9).

How: the distinct values are read once (a handful: 0..4, true/false, option ids, "n/a"), the rows
are grouped per question, and per question a few array operations check and score its column;
points land in an assessments x questions matrix. Conditions (``visible_if``) and N/A become
boolean matrices; topic sums are ``np.add.reduceat`` over the questionnaire's contiguous topic
columns, then the weighted means of S5 follow as matrix operations.

Values are checked like ``scoring.validation`` (all problems raised together as
``InvalidAnswers``, each with its assessment). One representation difference: in a numeric
value column (float/int dtype) a yes/no answer is written 1/0, since such a column cannot hold
true/false next to numbers. The question column is fastest as a pandas Categorical.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

from frameworks.models import (
    NA,
    ChoiceQuestion,
    Framework,
    MultiQuestion,
    NumberQuestion,
    SectorProfile,
    TextQuestion,
    YesNoQuestion,
)
from scoring.engine import CompiledFramework, compiled_for, question_points
from scoring.validation import (
    AnswerProblem,
    AnswerProblemCode,
    InvalidAnswers,
    check_answer,
)

_UNANSWERED, _ANSWERED, _NA = 0, 1, 2


def _factorize_assessments(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..n-1 per row and the assessment ids in order of first appearance."""
    values = column.to_numpy()
    if values.dtype.kind in "iu" and len(values):
        # Sorted integer ids (the usual export order) need no hashing.
        steps = np.diff(values)
        if (steps >= 0).all():
            starts = np.flatnonzero(np.concatenate(([True], steps != 0)))
            codes = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(values))))
            return codes, pd.Index(values[starts], name="assessment")
    codes, uniques = pd.factorize(column, sort=False)
    if (codes < 0).any():
        raise ValueError("the assessment column has empty values")
    return codes, pd.Index(uniques, name="assessment")


def _question_codes(column: pd.Series, compiled: CompiledFramework) -> np.ndarray:
    """Question index per row (-1 for ids the framework does not have)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        categories = column.cat.categories
    else:
        codes, categories = pd.factorize(column, sort=False)
    lookup = np.array([compiled.index.get(str(c), -1) for c in categories] + [-1], dtype=np.int64)
    return lookup[codes]  # code -1 (missing id) picks the trailing -1


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class _Values:
    """The distinct values of the value column and how each one reads per question type."""

    def __init__(self, column: pd.Series, multi_rows: np.ndarray):
        self.numeric_column = column.dtype.kind in "iuf"
        self.bool_column = column.dtype.kind == "b"
        if isinstance(column.dtype, pd.CategoricalDtype):
            self.codes = column.cat.codes.to_numpy().astype(np.int64)
            uniques = np.asarray(column.cat.categories, dtype=object)
            self.raw = None
        elif self.numeric_column or self.bool_column:
            self.codes, uniq = pd.factorize(column.to_numpy(), sort=False)
            uniques = uniq.astype(object)
            self.raw = None
        else:
            raw = column.to_numpy(dtype=object, copy=True)
            if len(multi_rows):
                raw[multi_rows] = [_hashable(v) for v in raw[multi_rows]]
            try:
                self.codes, uniq = pd.factorize(raw, sort=False)
            except TypeError:  # a list in a row of another question type
                raw = np.array([_hashable(v) for v in raw], dtype=object)
                self.codes, uniq = pd.factorize(raw, sort=False)
            uniques = np.asarray(uniq, dtype=object)
            self.raw = raw
        self.uniques = uniques
        n = len(uniques)
        self.is_na = np.zeros(n + 1, bool)
        self.is_str = np.zeros(n + 1, bool)
        self.is_real = np.zeros(n + 1, bool)
        self.is_bool = np.zeros(n + 1, bool)
        self.ambiguous = np.zeros(n + 1, bool)
        self.number = np.full(n + 1, np.nan)
        self.length = np.zeros(n + 1, np.int64)
        for i, value in enumerate(uniques):
            if isinstance(value, str):
                self.is_str[i] = True
                self.length[i] = len(value)
                self.is_na[i] = value == NA
            elif isinstance(value, bool | np.bool_):
                self.is_bool[i] = True
                self.number[i] = float(value)
                self.ambiguous[i] = True
            elif isinstance(value, numbers.Real):
                self.is_real[i] = True
                self.number[i] = float(value)
                # pandas folds 1, 1.0 and True into one distinct value: read such rows again
                self.ambiguous[i] = value == 0 or value == 1
        if self.bool_column:
            self.ambiguous[:] = False
        # The last slot stands for code -1 (None/NaN): unanswered.
        self.missing = n

    def row_bools(self, positions: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Per row: is the original value a bool (rather than the number 0 or 1)?"""
        result = self.is_bool[codes].copy()
        if self.raw is None:
            return result
        again = np.flatnonzero(self.ambiguous[codes])
        if len(again):
            originals = self.raw[positions[again]]
            result[again] = np.fromiter(
                (isinstance(v, bool | np.bool_) for v in originals), bool, len(again)
            )
        return result


def _thresholded(question: NumberQuestion, values: np.ndarray) -> np.ndarray:
    earned = np.zeros(len(values))
    for step in question.thresholds:  # the last threshold met wins, as in points_for
        earned = np.where(values >= step.gte, step.points, earned)
    return earned


def score_many(
    framework: Framework, answers_table: pd.DataFrame, profile: SectorProfile | None = None
) -> pd.DataFrame:
    """Score every assessment of a long (assessment, question, value) table; see the module."""
    compiled = compiled_for(framework, profile)
    n_questions = len(compiled.ids)
    a_codes, assessments = _factorize_assessments(answers_table["assessment"])
    n_assessments = len(assessments)
    q_codes = _question_codes(answers_table["question"], compiled)
    types = np.array([t for t in compiled.types] + ["?"], dtype=object)
    is_multi = np.array([t == "multi" for t in compiled.types] + [False])
    multi_rows = np.flatnonzero(is_multi[q_codes]) if is_multi.any() else np.empty(0, int)
    values = _Values(answers_table["value"], multi_rows)
    v_codes = np.where(values.codes < 0, values.missing, values.codes)

    invalid_rows: list[np.ndarray] = [np.flatnonzero(q_codes < 0)]
    order = np.argsort(q_codes, kind="stable")
    bounds = np.searchsorted(q_codes[order], np.arange(-1, n_questions + 1))

    known = q_codes >= 0
    flat = a_codes[known] * n_questions + q_codes[known]
    counts = np.bincount(flat, minlength=n_assessments * n_questions)
    if (counts > 1).any():
        invalid_rows.append(np.flatnonzero(known)[counts[flat] > 1])
    string_slots = np.flatnonzero(values.is_str[:-1])

    state = np.zeros((n_assessments, n_questions), np.int8)
    points = np.zeros((n_assessments, n_questions))
    # Per referenced question, the value a condition reads (level, 0/1, option, number, bits).
    cond_values = {ref: np.full(n_assessments, np.nan) for ref in compiled.controllers}
    text_cond_codes = {
        ref: np.full(n_assessments, values.missing, np.int64)
        for ref in compiled.controllers
        if compiled.types[ref] == "text"
    }
    for q in range(n_questions):
        rows = order[bounds[q + 1] : bounds[q + 2]]
        if not len(rows):
            continue
        question = compiled.questions[q]
        a = a_codes[rows]
        c = v_codes[rows]
        missing = c == values.missing
        na = values.is_na[c]
        bad = na & (not question.allow_na)
        given = ~missing & ~na
        kind = types[q]
        number = values.number[c]
        reading = number
        earned = np.zeros(len(rows))
        if kind in ("maturity", "number", "yes_no"):
            as_bool = values.row_bools(rows, c)
            if kind == "yes_no":
                ok = as_bool | (values.numeric_column & ((number == 0) | (number == 1)))
                earned = np.where(number == 1, question.max_points, 0.0)
            else:
                # An ambiguous distinct value (0/1/True/False folded together) is a number
                # wherever the row's own value is not a bool.
                real = values.is_real[c] | values.ambiguous[c]
                ok = real & ~as_bool & np.isfinite(number)
                if kind == "maturity":
                    ok &= (number == np.floor(number)) & (number >= 0) & (number <= 4)
                    earned = number
                else:
                    assert isinstance(question, NumberQuestion)
                    if question.integer:
                        ok &= number == np.floor(number)
                    if question.min is not None:
                        ok &= number >= question.min
                    if question.max is not None:
                        ok &= number <= question.max
                    earned = _thresholded(question, number)
            bad |= given & ~ok
        elif kind == "choice":
            assert isinstance(question, ChoiceQuestion)
            option_of = {o.id: k for k, o in enumerate(question.options)}
            slot = np.full(len(values.uniques) + 1, -1)
            slot[string_slots] = [option_of.get(values.uniques[i], -1) for i in string_slots]
            reading = slot[c].astype(float)
            bad |= given & (reading < 0)
            option_points = np.array([o.points for o in question.options] + [0.0])
            earned = option_points[slot[c]]
        elif kind == "multi":
            assert isinstance(question, MultiQuestion)
            reading, earned, ok = _read_multi(question, values, c, given)
            bad |= given & ~ok
        elif kind == "text":
            assert isinstance(question, TextQuestion)
            bad |= given & ~(values.is_str[c] & (values.length[c] <= question.max_length))
            if q in text_cond_codes:
                text_cond_codes[q][a[given]] = c[given]
        if bad.any():
            invalid_rows.append(rows[bad])
            continue
        state[a[given], q] = _ANSWERED
        state[a[na], q] = _NA
        if compiled.maxima[q] > 0:
            points[a[given], q] = earned[given]
        if q in cond_values:
            cond_values[q][a[given]] = reading[given]

    invalid = np.concatenate(invalid_rows)
    if len(invalid):
        raise InvalidAnswers(_problems(answers_table, np.sort(invalid), compiled, q_codes))

    visible = _visibility(compiled, state, cond_values, text_cond_codes, values)
    return _aggregate(compiled, assessments, state, points, visible)


def _read_multi(question: MultiQuestion, values: _Values, c: np.ndarray, given: np.ndarray):
    """Bits, capped points and validity of a multi question's rows, read per distinct value."""
    option_of = {o.id: k for k, o in enumerate(question.options)}
    n = len(values.uniques) + 1
    bits = np.full(n, np.nan)
    earned = np.zeros(n)
    ok = np.zeros(n, bool)
    for i, value in enumerate(values.uniques):
        if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
            chosen = list(value)
            if all(v in option_of for v in chosen) and len(set(chosen)) == len(chosen):
                ok[i] = True
                bits[i] = float(sum(2 ** option_of[v] for v in chosen))
                earned[i] = question_points(question, chosen)
    return bits[c], earned[c], ok[c]


def _visibility(compiled, state, cond_values, text_cond_codes, values) -> np.ndarray:
    """S2: which questions each assessment sees, conditions evaluated in dependency order."""
    visible = np.ones(state.shape, bool)
    for q in compiled.order:
        condition = compiled.conditions[q]
        if condition is None:
            continue
        if q in compiled.cyclic or condition.ref < 0:
            visible[:, q] = False
            continue
        ref = condition.ref
        reading = cond_values[ref]
        if condition.kind == "gte":
            if condition.ref_type in ("maturity", "number"):
                match = reading >= condition.threshold
            else:
                match = np.zeros(len(reading), bool)
        elif condition.ref_type == "yes_no":
            match = np.isin(reading, [float(v) for v in condition.values])
        elif condition.ref_type in ("maturity", "number"):
            match = np.isin(reading, list(condition.values))
        elif condition.ref_type == "choice":
            question = compiled.questions[ref]
            slots = [k for k, o in enumerate(question.options) if o.id in condition.values]
            match = np.isin(reading, slots)
        elif condition.ref_type == "multi":
            question = compiled.questions[ref]
            mask = sum(2**k for k, o in enumerate(question.options) if o.id in condition.values)
            bits = np.nan_to_num(reading, nan=0).astype(np.int64)
            match = (bits & mask) != 0
        else:  # text
            wanted = np.array(
                [isinstance(u, str) and u in condition.values for u in values.uniques] + [False]
            )
            match = wanted[text_cond_codes[ref]]
        visible[:, q] = visible[:, ref] & (state[:, ref] == _ANSWERED) & match
    return visible


def _aggregate(compiled, assessments, state, points, visible) -> pd.DataFrame:
    """S3..S5 for every assessment at once."""
    maxima = np.array(compiled.maxima)
    weights = np.array(compiled.weights)
    topic_starts = np.array([start for start, _ in compiled.topic_ranges])
    section_starts = np.array([first for first, _ in compiled.section_ranges])
    materiality = np.array(compiled.materiality, dtype=float)
    included = materiality > 0

    applicable = visible & (state != _NA)
    answered = visible & (state == _ANSWERED)
    scored = maxima > 0
    numerator = np.add.reduceat(np.where(answered, points * weights, 0.0), topic_starts, axis=1)
    denominator = np.add.reduceat(
        np.where(applicable & scored, weights * maxima, 0.0), topic_starts, axis=1
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        topics = np.where((denominator > 0) & included, 100.0 * numerator / denominator, np.nan)
    has_topic = ~np.isnan(topics)
    topic_mass = np.add.reduceat(has_topic * materiality, section_starts, axis=1)
    topic_sum = np.add.reduceat(np.where(has_topic, topics * materiality, 0.0), section_starts, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sections = np.where(topic_mass > 0, topic_sum / topic_mass, np.nan)
    section_weights = np.array(compiled.section_weights)
    has_section = ~np.isnan(sections)
    section_mass = has_section @ section_weights
    section_sum = np.where(has_section, sections, 0.0) @ section_weights
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(section_mass > 0, section_sum / section_mass, np.nan)

    topic_of = np.array(compiled.topic_of)
    in_included = included[topic_of]
    applicable_n = (applicable & in_included).sum(axis=1)
    answered_n = (answered & in_included).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        completeness = np.where(applicable_n > 0, answered_n / np.maximum(applicable_n, 1), 1.0)
    required = np.array([q.required for q in compiled.questions]) & in_included
    required_open = (visible & (state == _UNANSWERED) & required).sum(axis=1)

    columns: dict[str, np.ndarray] = {
        "overall": overall,
        "completeness": completeness,
        "required_open": required_open,
    }
    if compiled.points_total is not None:
        efqm = np.where(has_section, sections, 0.0) @ (section_weights * compiled.points_total)
        columns["efqm_points"] = np.where(has_section.any(axis=1), efqm / 100.0, np.nan)
    for s, sid in enumerate(compiled.section_ids):
        columns[f"section:{sid}"] = sections[:, s]
    for t, tid in enumerate(compiled.topic_ids):
        columns[f"topic:{tid}"] = topics[:, t]
    return pd.DataFrame(columns, index=assessments)


def _problems(table: pd.DataFrame, rows: np.ndarray, compiled, q_codes) -> list[AnswerProblem]:
    """The problems of the invalid rows, worded as ``scoring.validation`` words them."""
    problems: list[AnswerProblem] = []
    assessment = table["assessment"].to_numpy()
    question = table["question"].to_numpy()
    value = table["value"].to_numpy()
    numeric_column = table["value"].dtype.kind in "iuf"
    keys = [(assessment[row], q_codes[row]) for row in rows]
    counts: dict[tuple[Any, int], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    reported: set[tuple[Any, int]] = set()
    for row, key in zip(rows, keys, strict=True):
        who = assessment[row].item() if isinstance(assessment[row], np.generic) else assessment[row]
        q = q_codes[row]
        if q < 0:
            problems.append(
                AnswerProblem(
                    str(question[row]),
                    AnswerProblemCode.UNKNOWN_QUESTION,
                    f"no question {question[row]!r} in framework {compiled.framework.id}",
                    who,
                )
            )
            continue
        duplicate = counts[key] > 1
        if duplicate and key not in reported:
            reported.add(key)
            problems.append(
                AnswerProblem(
                    compiled.ids[q],
                    AnswerProblemCode.DUPLICATE_ANSWER,
                    "answered more than once",
                    who,
                )
            )
        answer = value[row]
        if isinstance(answer, float) and math.isnan(answer):
            continue
        if isinstance(compiled.questions[q], YesNoQuestion) and numeric_column:
            answer = bool(answer) if answer in (0, 1) else answer
        elif isinstance(answer, np.generic):
            answer = answer.item()
        found = [
            AnswerProblem(compiled.ids[q], code, message, who)
            for code, message in check_answer(compiled.questions[q], answer)
        ]
        if not found and not duplicate:
            found = [
                AnswerProblem(
                    compiled.ids[q],
                    AnswerProblemCode.WRONG_TYPE,
                    f"{answer!r} is not a valid answer to this {compiled.types[q]} question",
                    who,
                )
            ]
        problems.extend(found)
    return problems
