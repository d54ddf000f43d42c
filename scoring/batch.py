"""Scores many assessments at once from a long table, vectorised with numpy.

``score_many(framework, answers_table, profile)`` takes a long table with columns
``assessment``, ``question`` and ``value`` (one row per answer; a missing row or a None/NaN
value is unanswered) and returns one row per assessment, indexed by assessment, with the columns
``overall``, ``completeness``, ``required_open`` (count), ``dont_know`` (count of applicable
questions answered "weet niet"), ``efqm_points`` (only where the
framework declares ``points_total``), ``section:<id>`` and ``topic:<id>`` — the same numbers as
``scoring.score`` for each assessment (S1..S5; a property test holds them equal to 1e-9).

How: the value column is reduced to codes of its distinct values (a handful: 0..4, true/false,
option ids, "n/a"), found by object identity (a handful of objects serve as the value slots
themselves; many are merged by value, where a bool is told apart from 0 and 1 by its type,
which hashing would fold together). Codes land in a questions x assessments matrix. Every
(question, value slot) pair is read once into small tables: state, validity, and what the pair
adds to its topic's numerator and denominator and to the counts (applicable, answered, required
open; packed in one integer). Conditions (``visible_if``) move hidden cells to a "hidden" slot,
question by question in the dependency order of ``frameworks.visibility``, whose tests (the
referenced question's class) read each distinct value once; then one pass in questionnaire
order looks each question's row up and adds it to its topic (the same order ``score`` adds them
in), and the weighted means of S5 follow per section. Where there are too many distinct values (free
numbers) each question's row is read as a whole into state and points matrices instead.
Assessments without any row do not appear. ``employees`` (assessment -> FTE) hides the
questions about employees of the assessments at 0 FTE before the conditions are read, as
``frameworks.visibility`` does for one.

Values are checked like ``scoring.validation`` (all problems raised together as
``InvalidAnswers``, each with its assessment). One representation difference: in a numeric
value column (float/int dtype) a yes/no answer is written 1/0, since such a column cannot hold
true/false next to numbers. The question column is fastest as a pandas Categorical.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from frameworks.models import (
    DONT_KNOW,
    NA,
    Framework,
    MultiQuestion,
    NumberQuestion,
    SectorProfile,
    YesNoQuestion,
)
from frameworks.visibility import NO_EMPLOYEES_AT_MOST
from scoring.engine import (
    CompiledFramework,
    compiled_for,
    evaluate,
    question_points,
    score_card,
    values_list,
)
from scoring.models import ScoreCard
from scoring.validation import (
    AnswerProblem,
    AnswerProblemCode,
    InvalidAnswers,
    check_answer,
)

#: Cell states; up to _DONT_KNOW a cell is applicable (S3: in the denominator).
_UNANSWERED, _ANSWERED, _DONT_KNOW, _NA, _HIDDEN, _INVALID = 0, 1, 2, 3, 4, 5


def _factorize_assessments(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..n-1 per row and the assessment ids in order of first appearance."""
    values = column.to_numpy()
    if values.dtype.kind in "iu" and len(values):
        # Sorted integer ids (the usual export order) need no hashing.
        first = int(values[0])
        if _sorted_without_gaps(values):  # the id is the code
            codes = values.astype(np.int64, copy=False)
            if first:
                codes = codes - first
            ids = np.arange(first, first + int(codes[-1]) + 1, dtype=values.dtype)
            return codes, pd.Index(ids, name="assessment")
        steps = np.diff(values)
        if (steps >= 0).all():
            starts = _group_starts(values)
            codes = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(values))))
            return codes, pd.Index(values[starts], name="assessment")
    codes, uniques = pd.factorize(column, sort=False)
    if (codes < 0).any():
        raise ValueError("the assessment column has empty values")
    return codes, pd.Index(uniques, name="assessment")


def _sorted_without_gaps(values: np.ndarray) -> bool:
    """Whether integer ids only ever stay or go up by one (checked in cache-sized blocks)."""
    block = 1 << 18
    for start in range(0, len(values) - 1, block):
        part = values[start : start + block + 1]
        steps = part[1:] - part[:-1]
        # Read as unsigned, a step down is a huge number: one comparison finds both.
        if not (steps.view(steps.dtype.str.replace("i", "u")) <= 1).all():
            return False
    return True


def _group_starts(values: np.ndarray) -> np.ndarray:
    """The first row of each run of equal values, found in cache-sized blocks (a whole-table
    comparison would hold two booleans per row: ~200 MB at 1M assessments)."""
    block = 1 << 18
    found = [np.zeros(1, np.int64)] if len(values) else []
    for start in range(0, len(values) - 1, block):
        part = values[start : start + block + 1]
        found.append(np.flatnonzero(part[1:] != part[:-1]) + (start + 1))
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _question_codes(column: pd.Series, compiled: CompiledFramework) -> np.ndarray:
    """Question index per row (-1 for ids the framework does not have), a small integer type."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        categories = column.cat.categories
    else:
        codes, categories = pd.factorize(column, sort=False)
    lookup = np.array([compiled.index.get(str(c), -1) for c in categories], dtype=np.int64)
    if np.array_equal(lookup, np.arange(len(lookup))):
        return codes  # the categories are the framework's questions in order (the bench's case)
    small = np.int16 if len(compiled.ids) < 2**15 else np.int64
    return np.append(lookup, -1).astype(small)[codes]  # code -1 (no id) picks the trailing -1


_PAIR_TABLE_LIMIT = 4_000_000
_ROW_BLOCK = 1 << 18


class _ReferenceSlots:
    """The slots of an object array read as integers, through numpy's array interface.

    A numpy object array is a buffer of object references (``PyObject *``); exposing that
    buffer with an integer ``typestr`` lets numpy read the references as plain integers without
    a Python-level loop. Two slots hold the same integer exactly when they hold the same object.
    Nothing is ever turned back into an object from an integer.
    """

    def __init__(self, array: np.ndarray):
        self.array = array  # keeps the buffer (and its objects) alive while it is read
        self.__array_interface__ = {
            "shape": array.shape,
            "typestr": np.dtype(np.intp).str,
            "data": (array.__array_interface__["data"][0], True),
            "version": 3,
        }


def _identities(array: np.ndarray) -> np.ndarray | None:
    """An integer per element, equal exactly for the same object; None where unavailable."""
    if (
        not len(array)
        or array.dtype != np.dtype(object)
        or array.dtype.itemsize != np.dtype(np.intp).itemsize
    ):
        return None
    # A view: its base (the _ReferenceSlots) keeps ``array`` and so every object alive.
    return np.asarray(_ReferenceSlots(np.ascontiguousarray(array)))


def _first_rows(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """The first row of each of ``n_codes`` codes numbered in order of first appearance.

    Distinct values mostly show up early, so a growing prefix of the rows is searched.
    """
    size = 1 << 16
    while True:
        prefix = codes[:size]
        running = np.maximum.accumulate(prefix)
        if running[-1] == n_codes - 1 or size >= len(codes):
            new = np.empty(len(prefix), bool)
            new[0] = True
            np.greater(running[1:], running[:-1], out=new[1:])
            return np.flatnonzero(new)
        size *= 4


#: Up to this many distinct objects in the value column serve as value slots themselves;
#: beyond it (free numbers, strings that are no shared objects) they are merged by value.
_DISTINCT_OBJECTS_LIMIT = 4096


def _factorize_objects(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of an object column, bools kept apart from 0 and 1.

    Hashing by value is slow for millions of Python objects, so the distinct *objects* are
    found first, by identity (cheap: small ints, bools and shared strings are one object each;
    see ``_ReferenceSlots``), and taken from their first row. A handful of them serve as the
    distinct values directly (two equal strings that are different objects then get two slots,
    which read alike). Many of them (strings read one by one from JSON, free numbers) are
    merged by value (``_factorize_by_value``). None/NaN may be among the distinct values
    returned; ``_Values`` reads them as unanswered.
    """
    identities = _identities(raw)
    if identities is None:  # no reference buffer to read
        return _factorize_by_value(raw)
    object_codes, distinct = pd.factorize(identities)
    objects = raw[_first_rows(object_codes, len(distinct))]
    if len(objects) <= _DISTINCT_OBJECTS_LIMIT:
        return object_codes, objects
    codes, uniques = _factorize_by_value(objects)
    return codes[object_codes], uniques


def _is_zero_or_one(value: Any) -> bool:
    return isinstance(value, numbers.Number | np.bool_) and (value == 0 or value == 1)


def _factorize_by_value(objects: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of objects by value, a bool never merged with 0 or 1.

    Hashing folds ``True`` into ``1`` and ``False`` into ``0`` (equal, and hashed alike), so
    only the objects of a class equal to 0 or 1 are looked at one by one: the bools among them
    get slots of their own. (``1`` and ``1.0`` stay merged: they are the same answer.) The
    last slot stands for None/NaN.
    """
    try:
        value_codes, found = pd.factorize(objects)
    except TypeError:  # lists (multi answers) are not hashable: read them as tuples
        hashable = np.empty(len(objects), dtype=object)
        hashable[:] = [tuple(o) if isinstance(o, list) else o for o in objects]
        value_codes, found = pd.factorize(hashable)
    uniques = list(found)
    n = len(uniques)
    codes = value_codes.astype(np.int64)
    ambiguous = [k for k, u in enumerate(uniques) if _is_zero_or_one(u)]
    if ambiguous:
        rows = np.flatnonzero(np.isin(value_codes, ambiguous))
        is_bool = np.fromiter(
            (isinstance(objects[i], bool | np.bool_) for i in rows), bool, len(rows)
        )
        bool_rows, other_rows = rows[is_bool], rows[~is_bool]
        truth = np.fromiter((bool(objects[i]) for i in bool_rows), bool, len(bool_rows))
        codes[bool_rows] = np.where(truth, n, n + 1)
        for k in ambiguous:  # a class first seen as a bool now holds only numbers
            if isinstance(uniques[k], bool | np.bool_):
                members = other_rows[value_codes[other_rows] == k]
                if len(members):
                    uniques[k] = objects[members[0]]
    codes[value_codes < 0] = n + 2  # None/NaN
    all_uniques = np.empty(n + 3, dtype=object)
    all_uniques[:n] = uniques
    all_uniques[n], all_uniques[n + 1], all_uniques[n + 2] = True, False, None
    return codes, all_uniques


def _is_missing(value: Any) -> bool:
    """None or NaN (a list or tuple is a multi answer, never missing)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


class _Values:
    """The distinct values of the value column and how each one reads.

    Slots ``0..n-1`` are the distinct values, slot ``missing`` (n) stands for no row or an
    empty value, and slot ``hidden`` (n+1) marks cells a condition hides.
    """

    def __init__(self, column: pd.Series):
        self.numeric_column = column.dtype.kind in "iuf"
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy().astype(np.int64)
            uniques = np.asarray(column.cat.categories, dtype=object)
            codes = np.where(codes < 0, len(uniques), codes)  # -1 (NaN): the missing slot
        elif self.numeric_column or column.dtype.kind == "b":
            codes, found = pd.factorize(column.to_numpy(), sort=False)
            uniques = found.astype(object)
            codes = np.where(codes < 0, len(uniques), codes)
        else:  # codes never negative: None/NaN are among the distinct values
            codes, uniques = _factorize_objects(column.to_numpy(dtype=object))
        n = len(uniques)
        self.missing = n
        self.hidden = n + 1
        self.n_slots = n + 2
        self.codes = codes
        self.uniques = uniques
        size = n + 2
        self.is_missing = np.zeros(size, bool)
        self.is_missing[n] = True
        self.is_na = np.zeros(size, bool)
        self.is_dont_know = np.zeros(size, bool)
        self.is_str = np.zeros(size, bool)
        self.is_real = np.zeros(size, bool)
        self.is_bool = np.zeros(size, bool)
        self.number = np.full(size, np.nan)
        self.length = np.zeros(size, np.int64)
        for i, value in enumerate(uniques):
            if isinstance(value, str):
                self.is_str[i] = True
                self.length[i] = len(value)
                self.is_na[i] = value == NA
                self.is_dont_know[i] = value == DONT_KNOW
            elif isinstance(value, bool | np.bool_):
                self.is_bool[i] = True
                self.number[i] = float(value)
            elif _is_missing(value):
                self.is_missing[i] = True
            elif isinstance(value, numbers.Real):
                self.is_real[i] = True
                self.number[i] = float(value)
        self.string_slots = np.flatnonzero(self.is_str)


def _thresholded(question: NumberQuestion, values: np.ndarray) -> np.ndarray:
    earned = np.zeros(len(values))
    for step in question.thresholds:  # the last threshold met wins, as in points_for
        earned = np.where(values >= step.gte, step.points, earned)
    return earned


def _read_question(question, kind: str, values: _Values, c: np.ndarray):
    """State, points and validity of one question for value codes ``c`` (the vectorised
    reading of what each question class checks and scores one value at a time)."""
    missing = values.is_missing[c]
    na = values.is_na[c]
    dont_know = values.is_dont_know[c]
    given = ~missing & ~na & ~dont_know
    number = values.number[c]
    earned = np.zeros(len(c))
    ok = np.ones(len(c), bool)
    if kind == "yes_no":
        ok = values.is_bool[c] | (values.numeric_column & ((number == 0) | (number == 1)))
        earned = np.where(number == 1, question.max_points, 0.0)
    elif kind in ("maturity", "number"):
        ok = values.is_real[c] & np.isfinite(number)
        if kind == "maturity":
            ok &= (number == np.floor(number)) & (number >= 0) & (number <= 4)
            earned = number
        else:
            if question.integer:
                ok &= number == np.floor(number)
            if question.min is not None:
                ok &= number >= question.min
            if question.max is not None:
                ok &= number <= question.max
            earned = _thresholded(question, number)
    elif kind == "choice":
        option_of = {o.id: k for k, o in enumerate(question.options)}
        slot = np.full(values.n_slots, -1)
        slot[values.string_slots] = [
            option_of.get(values.uniques[i], -1) for i in values.string_slots
        ]
        ok = slot[c] >= 0
        earned = np.array([o.points for o in question.options] + [0.0])[slot[c]]
    elif kind == "multi":
        earned, ok = _read_multi(question, values, c)
    elif kind == "text":
        ok = values.is_str[c] & (values.length[c] <= question.max_length)
    bad = (
        (na & (not question.allow_na))
        | (dont_know & (not question.allow_dont_know))
        | (given & ~ok)
    )
    state = np.select([given, na, dont_know], [_ANSWERED, _NA, _DONT_KNOW], _UNANSWERED).astype(
        np.int8
    )
    points = np.where(given & ok, earned, 0.0)
    return state, points, bad


def _codes_dtype(n_slots: int) -> type:
    return np.uint8 if n_slots <= 2**8 else np.uint16 if n_slots <= 2**16 else np.int32


#: Assessments scored together: each block's matrices stay a few hundred MB at most, so time
#: and memory grow with the answers, not with the square of a block's size.
CHUNK_ASSESSMENTS = 50_000


def score_many(
    framework: Framework,
    answers_table: pd.DataFrame,
    profile: SectorProfile | None = None,
    *,
    employees: Mapping[Any, float | None] | pd.Series | None = None,
    chunk: int = CHUNK_ASSESSMENTS,
) -> pd.DataFrame:
    """Score every assessment of a long (assessment, question, value) table; see the module.

    ``employees`` maps assessment ids to the organisation's FTE (missing or None: unknown).

    Tables of more than ``chunk`` assessments are scored ``chunk`` assessments at a time (the
    rows of one assessment always together), each writing its slice of one result block; the
    problems of every block are raised together."""
    column = answers_table["assessment"]
    if column.dtype.kind in "iu" and column.is_monotonic_increasing:
        # Rows grouped by assessment (the store's order): every block is a slice, found
        # without a code per row (at 1M assessments that would be ~800 MB of int64).
        values = column.to_numpy()
        starts = _group_starts(values)
        if len(starts) <= chunk:
            return _score_block(framework, answers_table, profile, employees=employees)
        order = None
        bounds = np.append(starts[::chunk], len(values))
    else:
        a_codes, assessments = _factorize_assessments(column)
        if len(assessments) <= chunk:
            return _score_block(framework, answers_table, profile, employees=employees)
        order = np.argsort(a_codes, kind="stable")
        bounds = np.searchsorted(a_codes[order], np.arange(0, len(assessments) + chunk, chunk))
        del a_codes
    # One result block for all assessments; each chunk writes its columns into its slice of
    # it, so the result is never held twice (a concat of per-chunk frames would copy it).
    compiled = compiled_for(framework, profile)
    n_assessments = len(starts) if order is None else len(assessments)
    block = _result_block(compiled, n_assessments)
    ids: list[pd.Index] = []
    required_open: list[np.ndarray] = []
    dont_know: list[np.ndarray] = []
    problems: list[AnswerProblem] = []
    for number, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        if start >= stop:
            continue
        rows = slice(start, stop) if order is None else order[start:stop]
        first = number * chunk
        out = block[:, first : min(first + chunk, n_assessments)]
        try:
            part = _score_block(
                framework, answers_table.iloc[rows], profile, employees=employees, out=out
            )
        except InvalidAnswers as error:
            problems.extend(error.problems)
            continue
        ids.append(part.index)
        required_open.append(part["required_open"].to_numpy())
        dont_know.append(part["dont_know"].to_numpy())
    if problems:
        raise InvalidAnswers(problems)
    index = ids[0].append(ids[1:]) if len(ids) > 1 else ids[0]
    return _frame(compiled, index, block, np.concatenate(required_open), np.concatenate(dont_know))


def score_cards(
    framework: Framework,
    answers: Mapping[Any, Mapping[str, Any]],
    profile: SectorProfile | None = None,
    *,
    employees: Mapping[Any, float | None] | None = None,
) -> dict[Any, ScoreCard]:
    """The ScoreCard of every assessment of ``answers`` (assessment -> {question: value}), the
    same cards ``scoring.score`` gives one by one (S1..S8): what a batch freezes (an import,
    a rescore). The batch is checked at once by ``score_many`` (its long table: every
    problem of every assessment raised together as ``InvalidAnswers``), then each card is
    built by the engine from its values (``evaluate`` and ``score_card``, no second check).
    ``employees`` maps assessments to their organisation's FTE (missing: unknown)."""
    compiled = compiled_for(framework, profile)
    employees = employees or {}
    assessments: list[Any] = []
    questions: list[str] = []
    values: list[Any] = []
    for assessment, given in answers.items():
        assessments.extend([assessment] * len(given))
        questions.extend(given)
        values.extend(given.values())
    if values:
        table = pd.DataFrame(
            {
                "assessment": assessments,
                "question": questions,
                "value": pd.Series(values, dtype=object),  # a multi's list stays one value
            }
        )
        score_many(
            framework,
            table,
            profile,
            employees={a: employees.get(a) for a in answers},
        )
    cards = {}
    for assessment, given in answers.items():
        fte = employees.get(assessment)
        row = values_list(compiled, given)
        status, points = evaluate(compiled, row, fte)
        cards[assessment] = score_card(compiled, row, status, points, fte)
    return cards


def _score_block(
    framework: Framework,
    answers_table: pd.DataFrame,
    profile: SectorProfile | None = None,
    *,
    employees: Mapping[Any, float | None] | pd.Series | None = None,
    out: np.ndarray | None = None,
) -> pd.DataFrame:
    """``score_many`` of one block of assessments; ``out`` (the float rows of the result for
    exactly these assessments, in their order) receives the float columns."""
    compiled = compiled_for(framework, profile)
    n_questions = len(compiled.ids)
    a_codes, assessments = _factorize_assessments(answers_table["assessment"])
    n_assessments = len(assessments)
    no_employees = _without_employees(assessments, employees)
    q_codes = _question_codes(answers_table["question"], compiled)
    values = _Values(answers_table["value"])

    known = q_codes >= 0
    invalid_rows: list[np.ndarray] = []
    if not known.all():
        invalid_rows.append(np.flatnonzero(~known))
        a_known, q_known, c_known = a_codes[known], q_codes[known], values.codes[known]
    else:
        a_known, q_known, c_known = a_codes, q_codes, values.codes

    # Value codes as a questions x assessments matrix: each question's answers contiguous.
    # Rows go in blocks: the flat cell index of a block stays in cache, none is kept.
    codes = np.full(n_questions * n_assessments, values.missing, _codes_dtype(values.n_slots))
    n_rows = len(c_known)
    flat = np.empty(min(n_rows, _ROW_BLOCK), np.int64)
    for start in range(0, n_rows, _ROW_BLOCK):
        stop = min(start + _ROW_BLOCK, n_rows)
        cells = flat[: stop - start]
        np.multiply(q_known[start:stop], np.int64(n_assessments), out=cells)
        cells += a_known[start:stop]
        codes[cells] = c_known[start:stop]
    if np.count_nonzero(codes != values.missing) != n_rows:
        # Fewer cells than rows: some rows share a cell, or hold an empty value.
        given = ~values.is_missing[c_known]
        if np.count_nonzero(~values.is_missing[codes]) != np.count_nonzero(given):
            flat = np.multiply(q_known, np.int64(n_assessments)) + a_known
            counts = np.bincount(flat, minlength=n_assessments * n_questions)
            invalid_rows.append(np.flatnonzero(known)[counts[flat] > 1])
    del flat
    codes = codes.reshape(n_questions, n_assessments)

    # The result's float block; the topic numerators are added up in its topic rows.
    block = _result_block(compiled, n_assessments) if out is None else out
    if block.shape[1] != n_assessments:
        raise ValueError(f"out has {block.shape[1]} columns for {n_assessments} assessments")
    numerator = block[len(block) - len(compiled.topic_ids) :]
    numerator[...] = 0.0
    if n_questions * values.n_slots <= _PAIR_TABLE_LIMIT:
        # Few distinct values: read every (question, value) pair once, then look cells up.
        tables = _PairTables(compiled, values)
        bad_cells = None
        for q in np.flatnonzero(tables.bad.any(axis=1)):
            row = tables.bad[q][codes[q]]
            if row.any():
                if bad_cells is None:
                    bad_cells = np.zeros(codes.shape, bool)
                bad_cells[q] = row
        if bad_cells is not None:
            invalid_rows.append(_rows_of_cells(bad_cells, a_known, q_known, known))
        if invalid_rows:
            raise _invalid(answers_table, invalid_rows, compiled, q_codes)
        hiding = _hide_cells(compiled, codes, tables, values, no_employees)
        sums = tables.sums(codes, hiding, numerator)
    else:
        # Many distinct values (numbers): read each question's answers together.
        state = np.empty(codes.shape, np.int8)
        points = np.empty(codes.shape)
        bad_cells = np.zeros(codes.shape, bool)
        weights = np.array(compiled.weights)
        for q, question in enumerate(compiled.questions):
            part = _read_question(question, compiled.types[q], values, codes[q])
            state[q], points[q], bad_cells[q] = part[0], part[1] * weights[q], part[2]
        if bad_cells.any():
            invalid_rows.append(_rows_of_cells(bad_cells, a_known, q_known, known))
        if invalid_rows:
            raise _invalid(answers_table, invalid_rows, compiled, q_codes)
        _apply_visibility(compiled, state, points, codes, values, no_employees)
        sums = _sums_of_states(compiled, state, points, numerator)
    return _aggregate(compiled, assessments, block, *sums)


def _without_employees(assessments: pd.Index, employees) -> np.ndarray | None:
    """Per assessment: whether its organisation has 0 FTE (None where no FTE is given)."""
    if employees is None:
        return None
    series = employees if isinstance(employees, pd.Series) else pd.Series(employees)
    fte = pd.to_numeric(series.reindex(assessments), errors="coerce").to_numpy(float)
    # ``frameworks.visibility.without_employees`` per row: NaN (unknown) compares false.
    mask = fte <= NO_EMPLOYEES_AT_MOST
    return mask if mask.any() else None


def _invalid(answers_table, invalid_rows, compiled, q_codes) -> InvalidAnswers:
    invalid = np.unique(np.concatenate(invalid_rows))
    return InvalidAnswers(_problems(answers_table, invalid, compiled, q_codes))


class _PairTables:
    """What every (question, value slot) pair means: state, validity, and its
    contribution to the topic sums (weighted points, weighted maximum where applicable) and
    to the counts of S4/completeness, packed in one integer."""

    def __init__(self, compiled: CompiledFramework, values: _Values):
        n_questions, n_slots = len(compiled.ids), values.n_slots
        slots = np.arange(n_slots)
        self.state = np.empty((n_questions, n_slots), np.int8)
        self.bad = np.empty((n_questions, n_slots), bool)
        points = np.empty((n_questions, n_slots))
        for q, question in enumerate(compiled.questions):
            state, points[q], self.bad[q] = _read_question(
                question, compiled.types[q], values, slots
            )
            self.state[q] = state
        hidden = values.hidden
        self.state[:, hidden] = _HIDDEN
        self.bad[:, hidden] = False
        points[:, hidden] = 0.0
        weights = np.array(compiled.weights)
        weighted_max = weights * np.array(compiled.maxima)
        self.points = points * weights[:, None]
        # A bad pair never reaches the sums (score_many raises first): count it as answered.
        applicable = (self.state <= _DONT_KNOW) | self.bad
        self.maximum = applicable * weighted_max[:, None]
        included = (np.array(compiled.materiality) > 0)[np.array(compiled.topic_of)]
        required = np.array([q.required for q in compiled.questions]) & included
        answered = (self.state == _ANSWERED) | self.bad
        unknown = (self.state == _UNANSWERED) | (self.state == _DONT_KNOW)
        open_ = unknown & ~self.bad & required[:, None]
        dont_know = (self.state == _DONT_KNOW) & ~self.bad
        self.shift = 10 if n_questions < 2**10 else 15
        count_type = np.int64
        self.counts = (
            applicable.astype(count_type)
            + (answered.astype(count_type) << self.shift)
            + (open_.astype(count_type) << (2 * self.shift))
            + (dont_know.astype(count_type) << (3 * self.shift))
        ) * included[:, None]
        self.compiled = compiled
        # Questions whose maximum depends on the value (n/a, hidden) add it cell by cell.
        self.maximum_varies = (self.maximum[:, : values.missing + 1] != weighted_max[:, None]).any(
            axis=1
        )
        self.weighted_max = weighted_max

    def sums(self, codes: np.ndarray, hiding: set[int], numerator: np.ndarray):
        """Topic numerators (added to ``numerator``) and denominators (per topic a number or
        a row), applicable/answered/required-open counts (``hiding``: the questions with
        hidden cells)."""
        compiled = self.compiled
        n_assessments = codes.shape[1]
        n_topics = len(compiled.topic_ids)
        topic_of = np.array(compiled.topic_of, dtype=np.int64)
        per_cell = self.maximum_varies.copy()
        per_cell[list(hiding)] = True
        # The maximum of a question that every cell counts as applicable is a constant.
        fixed = np.bincount(
            topic_of, weights=np.where(per_cell, 0.0, self.weighted_max), minlength=n_topics
        )
        # A topic's denominator: a number, or a row where some question's maximum varies.
        denominator: list = list(fixed)
        for t in np.unique(topic_of[per_cell & (self.weighted_max > 0)]):
            denominator[t] = np.full(n_assessments, fixed[t])
        counts = np.zeros(n_assessments, self.counts.dtype)
        included = np.array(compiled.materiality) > 0
        # np.take into a reused buffer; "clip" skips the bounds check (codes are slots).
        buffer = np.empty(n_assessments)
        count_buffer = np.empty(n_assessments, self.counts.dtype)
        for q, t in enumerate(compiled.topic_of):  # questionnaire order, as score() adds up
            row = codes[q]
            if self.weighted_max[q] > 0:
                numerator[t] += np.take(self.points[q], row, out=buffer, mode="clip")
                if per_cell[q]:
                    denominator[t] += np.take(self.maximum[q], row, out=buffer, mode="clip")
            if included[t]:
                counts += np.take(self.counts[q], row, out=count_buffer, mode="clip")
        mask = (1 << self.shift) - 1
        applicable_n = counts & mask
        answered_n = (counts >> self.shift) & mask
        required_open = (counts >> (2 * self.shift)) & mask
        dont_know_n = counts >> (3 * self.shift)
        return numerator, denominator, applicable_n, answered_n, required_open, dont_know_n


def _hide_cells(
    compiled, codes: np.ndarray, tables: _PairTables, values: _Values, no_employees
) -> set[int]:
    """S2 on the codes matrix: hidden cells get the hidden slot, the questions about
    employees of 0-FTE assessments first, then the conditions in dependency order.
    Returns the questions with hidden cells."""
    visibility = compiled.visibility
    hiding: set[int] = set()
    if no_employees is not None:
        for q in visibility.employee_questions:
            codes[q][no_employees] = values.hidden
            hiding.add(q)
    for q in visibility.conditional:
        ref = visibility.refs[q]
        if q in visibility.cyclic or ref < 0:
            codes[q] = values.hidden
            hiding.add(q)
            continue
        answered = tables.state[ref] == _ANSWERED  # per value slot; the hidden slot is not
        # Only valid values reach a test (an invalid one in an unused slot raised nothing).
        readable = answered & ~tables.bad[ref]
        visible = readable & _slot_matches(visibility.tests[q], readable, values)
        if not visible.all():
            hidden = ~visible[codes[ref]]
            if hidden.any():
                codes[q][hidden] = values.hidden
                hiding.add(q)
    return hiding


def _slot_matches(test, slots: np.ndarray, values: _Values) -> np.ndarray:
    """Per value slot: whether the referenced question's value meets the condition, read by
    that question's class (``frameworks.visibility``) once per distinct answered value."""
    match = np.zeros(values.n_slots, bool)
    for slot in np.flatnonzero(slots[: len(values.uniques)]):
        match[slot] = test(values.uniques[slot])
    return match


def _rows_of_cells(bad_cells: np.ndarray, a_known, q_known, known) -> np.ndarray:
    """Table rows whose (question, assessment) cell is invalid."""
    return np.flatnonzero(known)[bad_cells[q_known, a_known]]


def _read_multi(question: MultiQuestion, values: _Values, c: np.ndarray):
    """Capped points and validity of a multi question's rows, read per distinct value."""
    option_of = {o.id: k for k, o in enumerate(question.options)}
    n = values.n_slots
    earned = np.zeros(n)
    ok = np.zeros(n, bool)
    for i, value in enumerate(values.uniques):
        if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
            chosen = list(value)
            if all(v in option_of for v in chosen) and len(set(chosen)) == len(chosen):
                ok[i] = True
                earned[i] = question_points(question, chosen)
    return earned[c], ok[c]


def _apply_visibility(
    compiled, state, points, codes: np.ndarray, values: _Values, no_employees
) -> None:
    """S2: mark hidden cells (in place): the questions about employees of 0-FTE assessments,
    then the conditions in dependency order."""
    visibility = compiled.visibility
    if no_employees is not None:
        for q in visibility.employee_questions:
            state[q][no_employees] = _HIDDEN
            points[q][no_employees] = 0.0
    for q in visibility.conditional:
        ref = visibility.refs[q]
        if q in visibility.cyclic or ref < 0:
            state[q] = _HIDDEN
            points[q] = 0.0
            continue
        # The referenced question is answered (not n/a, not hidden) and its value matches.
        answered = state[ref] == _ANSWERED
        used = np.zeros(values.n_slots, bool)
        used[codes[ref][answered]] = True
        match = _slot_matches(visibility.tests[q], used, values)
        hidden = ~(answered & match[codes[ref]])
        state[q][hidden] = _HIDDEN
        points[q][hidden] = 0.0


def _sums_of_states(compiled, state, points, numerator):
    """Topic sums (numerators added to ``numerator``) and counts from question-major state
    and (weighted) points matrices."""
    n_questions, n_assessments = state.shape
    weighted_max = np.array(compiled.weights) * np.array(compiled.maxima)
    included = np.array(compiled.materiality) > 0
    topic_of = np.array(compiled.topic_of)
    n_topics = len(compiled.topic_ids)
    denominator = np.zeros((n_topics, n_assessments))
    applicable_n = np.zeros(n_assessments, np.int64)
    answered_n = np.zeros(n_assessments, np.int64)
    dont_know_n = np.zeros(n_assessments, np.int64)
    for q in range(n_questions):  # questionnaire order, as score() adds up
        t = topic_of[q]
        row = state[q]
        applicable = row <= _DONT_KNOW  # answered, unanswered, "weet niet": not n/a, hidden
        if weighted_max[q] > 0:
            numerator[t] += points[q]
            denominator[t] += applicable * weighted_max[q]
        if included[t]:
            applicable_n += applicable
            answered_n += row == _ANSWERED
            dont_know_n += row == _DONT_KNOW
    required = np.array([q.required for q in compiled.questions]) & included[topic_of]
    open_state = state[required]
    required_open = np.count_nonzero(
        (open_state == _UNANSWERED) | (open_state == _DONT_KNOW), axis=0
    )
    return numerator, denominator, applicable_n, answered_n, required_open, dont_know_n


def _result_block(compiled, n_assessments: int) -> np.ndarray:
    """Every float column of the result in one block (the DataFrame keeps it as is): overall,
    completeness, EFQM points where declared, the sections, the topics."""
    efqm_rows = 1 if compiled.points_total is not None else 0
    n_rows = 2 + efqm_rows + len(compiled.section_ids) + len(compiled.topic_ids)
    return np.empty((n_rows, n_assessments))


def _aggregate(
    compiled,
    assessments,
    block,
    numerator,
    denominator,
    applicable_n,
    answered_n,
    required_open,
    dont_know_n,
) -> pd.DataFrame:
    """S3..S5 for every assessment at once from the topic sums and counts; ``numerator`` is
    the topic rows of ``block`` and becomes the topic scores in place."""
    n_assessments = len(assessments)
    materiality = np.array(compiled.materiality, dtype=float)
    included = materiality > 0
    n_sections = len(compiled.section_ids)
    efqm_rows = 1 if compiled.points_total is not None else 0
    overall, completeness = block[0], block[1]
    sections = block[2 + efqm_rows : 2 + efqm_rows + n_sections]
    topics = numerator

    # Per topic: True (every assessment has a score), False (none has) or a mask.
    scored: list = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for t, maximum in enumerate(denominator):
            row = topics[t]
            if not included[t] or (np.ndim(maximum) == 0 and maximum <= 0):
                row[...] = np.nan
                scored.append(False)
                continue
            # No applicable question: the numerator is 0 too, and 0/0 is the NaN of no score.
            np.divide(row, maximum, out=row)
            row *= 100.0
            scored.append(True if np.ndim(maximum) == 0 else maximum > 0)

    # Materiality-weighted means per section (a topic left out has no score: weight 0).
    # Plain loops of row operations: a matrix product would start BLAS threads for little.
    topic_mass = np.zeros((n_sections, n_assessments))
    topic_sum = np.zeros((n_sections, n_assessments))
    for t, mask in enumerate(scored):
        if mask is False:
            continue
        section, weight = compiled.topic_section[t], materiality[t]
        weighted = topics[t] if weight == 1 else topics[t] * weight
        if mask is True:
            topic_mass[section] += weight
            topic_sum[section] += weighted
        else:
            np.add(topic_mass[section], weight, out=topic_mass[section], where=mask)
            np.add(topic_sum[section], weighted, out=topic_sum[section], where=mask)
    has_section = topic_mass > 0
    section_values = np.zeros((n_sections, n_assessments))
    np.divide(topic_sum, topic_mass, out=section_values, where=has_section)
    sections[...] = np.nan
    np.copyto(sections, section_values, where=has_section)
    section_weights = np.array(compiled.section_weights)
    section_mass = np.zeros(n_assessments)
    section_sum = np.zeros(n_assessments)
    for index, weight in enumerate(section_weights):
        section_mass += has_section[index] * weight
        section_sum += section_values[index] * weight
    overall[...] = np.nan
    np.divide(section_sum, section_mass, out=overall, where=section_mass > 0)

    completeness[...] = 1.0
    np.divide(answered_n, applicable_n, out=completeness, where=applicable_n > 0)
    if efqm_rows:
        efqm = np.zeros(n_assessments)
        for index, weight in enumerate(section_weights * compiled.points_total):
            efqm += section_values[index] * weight
        block[2] = np.where(has_section.any(axis=0), efqm / 100.0, np.nan)

    return _frame(compiled, assessments, block, required_open, dont_know_n)


def _frame(compiled, assessments, block, required_open, dont_know_n) -> pd.DataFrame:
    """The result DataFrame over the float ``block`` (kept as is) and the two counts."""
    efqm_rows = 1 if compiled.points_total is not None else 0
    columns = ["overall", "completeness"] + ["efqm_points"] * efqm_rows
    columns += [f"section:{sid}" for sid in compiled.section_ids]
    columns += [f"topic:{tid}" for tid in compiled.topic_ids]
    frame = pd.DataFrame(block.T, index=assessments, columns=columns, copy=False)
    frame.insert(2, "required_open", np.asarray(required_open, dtype=np.int64))
    frame.insert(3, "dont_know", np.asarray(dont_know_n, dtype=np.int64))
    return frame


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
