"""The questionnaire and sector-passport models: what a framework YAML file means.

A ``Framework`` (ISO 26000, GRI, kwaliteitswijzer, Start-to-MVO) is sections -> topics ->
questions; a ``SectorProfile`` is a federation's passport definition that weighs topics of one
or more frameworks. Every model is frozen and forbids unknown keys, so a typo in a YAML file is
an error, not silently ignored data. Cross-references (conditions, mapping codes, profile
references) are checked by ``frameworks.rules``, which collects every problem at once.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from frameworks.answers import (
    DONT_KNOW,
    DONT_KNOW_WORDS,
    NA,
    NA_WORDS,
    NO_WORDS,
    YES_WORDS,
    AnswerError,
    AnswerProblemCode,
    as_maturity,
    blank_cell,
    finite,
    is_bool,
    is_dont_know,
    is_na,
    is_number,
    read_number,
)
from frameworks.problems import ProblemCode

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
Language = Literal["nl", "en", "fr"]

#: ISO 26000 issue clauses are "6.3.3"; core subjects "6.2"; principles "4.2".
ISO_CLAUSE_PATTERN = r"^[4-7](\.\d{1,2}){1,2}$"
VSME_PATTERN = r"^(B([1-9]|1[01])|C[1-9])$"
#: Re-exported for the layers above.
__all__ = ["DONT_KNOW", "NA", "AnswerError", "AnswerProblemCode"]


class Model(BaseModel):
    """Base for every framework model: immutable, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class LocalizedText(Model):
    """A text in Dutch and English (both required) and optionally French."""

    nl: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]
    fr: str | None = None

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Dutch (the product's first language)."""
        value = getattr(self, language, None) if language in ("nl", "en", "fr") else None
        return value or self.nl


class HelpText(LocalizedText):
    """A question's help text; ``source`` names where a legal or factual statement in it can be
    checked (an EUR-Lex CELEX id, a Belgian Staatsblad reference, an official page's URL) and
    ``checked`` the day somebody read that source and found the text right (``docs/sources.md``
    lists what was read); ``mvo validate`` refuses a ``checked`` without a source or in the
    future."""

    source: str | None = None
    checked: date | None = None


class DerivationSource(Model):
    """One source a framework is derived from, with its edition or year."""

    name: Annotated[str, Field(min_length=1)]
    edition: Annotated[str, Field(min_length=1)]
    url: str | None = None


class Derivation(Model):
    """What a framework is derived from and how faithfully (shown to reviewers and users)."""

    statement: LocalizedText
    sources: Annotated[list[DerivationSource], Field(min_length=1)]
    replaceable: bool = True


class GriReference(Model):
    """A GRI disclosure with the standard and year it belongs to (``GRI 302``, 2016, ``302-1``)."""

    standard: Annotated[str, Field(pattern=r"^GRI \d{1,3}$")]
    year: Annotated[int, Field(ge=2016, le=2100)]
    disclosure: Annotated[str, Field(pattern=r"^\d{1,3}-\d{1,2}$")]

    @property
    def code(self) -> str:
        return f"{self.standard}: {self.disclosure} ({self.year})"


class Mappings(Model):
    """Where one answer also counts: answer once, map to many frameworks and exports."""

    iso26000: list[Annotated[str, Field(pattern=ISO_CLAUSE_PATTERN)]] = []
    gri: list[GriReference] = []
    efqm: list[Annotated[str, Field(pattern=r"^[1-9][a-e]$")]] = []
    sdg: list[Annotated[int, Field(ge=1, le=17)]] = []
    vsme: list[Annotated[str, Field(pattern=VSME_PATTERN)]] = []

    def is_empty(self) -> bool:
        return not (self.iso26000 or self.gri or self.efqm or self.sdg or self.vsme)


class VsmeSource(Model):
    """Where a VSME datapoint is answered elsewhere: a question of another framework or an
    organisation field (prefill both ways)."""

    framework: Identifier | None = None
    question: Identifier | None = None
    organisation: Literal["kbo", "nace", "fte", "municipality"] | None = None


class VsmeDatapoint(Model):
    """A VSME question's datapoint: the template's named range and the taxonomy concept."""

    datapoint: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
    concept: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9]*$")]
    disclosure: Annotated[str, Field(pattern=VSME_PATTERN)]
    status: Literal["always", "if_applicable", "always_if_applicable", "may"]
    member: str | None = None
    calc: bool = False
    table: str | None = None
    row_key: bool = False
    sources: list[VsmeSource] = []


class Condition(Model):
    """``visible_if``: the question shows only when an earlier answer matches.

    Structured data, never an evaluated string: ``{question: q3, in: [yes]}`` or
    ``{question: employees, gte: 10}``. For ``yes_no`` questions the values are ``yes``/``no``.
    """

    question: Identifier
    in_: list[str | int | bool] | None = Field(default=None, alias="in", min_length=1)
    gte: float | None = None

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        if (self.in_ is None) == (self.gte is None):
            raise ValueError("give exactly one of 'in' (a list of values) or 'gte' (a number)")
        return self


class Option(Model):
    """An answer option of a ``choice`` or ``multi`` question with the points it earns."""

    id: Identifier
    label: LocalizedText
    points: Annotated[float, Field(ge=0)] = 0.0


class Threshold(Model):
    """A step of a number's scoring: a value >= ``gte`` earns ``points`` (the last step met)."""

    gte: float
    points: Annotated[float, Field(ge=0)]


class NumberTest(Model):
    """A comparison of a number answer (every bound given must hold): ``{gt: 0}``."""

    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    eq: float | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> NumberTest:
        if all(v is None for v in (self.gt, self.gte, self.lt, self.lte, self.eq)):
            raise ValueError("give at least one of gt, gte, lt, lte, eq")
        return self

    def holds(self, value: float) -> bool:
        return (
            (self.gt is None or value > self.gt)
            and (self.gte is None or value >= self.gte)
            and (self.lt is None or value < self.lt)
            and (self.lte is None or value <= self.lte)
            and (self.eq is None or value == self.eq)
        )


#: A question of this framework (``gri_403_9_injuries``) or of another framework of the same
#: organisation and year (``gri:gri_403_9_injuries``): what ``plausible_if`` compares with.
QUESTION_REF_PATTERN = r"^([a-z][a-z0-9_]{0,63}:)?[a-z][a-z0-9_]{0,63}$"
QuestionRef = Annotated[str, Field(pattern=QUESTION_REF_PATTERN)]


def split_ref(ref: str) -> tuple[str | None, str]:
    """``"gri:gri_403_9_injuries"`` -> ``("gri", "gri_403_9_injuries")``; a plain id has no
    framework (``None``): it is a question of the framework that declares the check."""
    framework, _, question = ref.rpartition(":")
    return framework or None, question


class Plausibility(Model):
    """``plausible_if`` of a number question: where the earlier number ``question`` (less the
    earlier number ``minus`` where given: energy minus electricity is the fuel burnt; divided
    by ``per`` and multiplied by ``times`` where given: injuries x 1 000 000 / hours worked is
    a frequency rate) meets ``when``, this answer is expected to meet ``expect`` and its ratio
    to that figure (this answer / the figure) to meet ``ratio``; otherwise ``message`` is shown
    as a warning ("te controleren"), never a block (``frameworks.plausibility``).

    ``question``, ``minus`` and ``per`` may name another framework's question as
    ``framework:question`` (a sector's frequency rate against GRI 403-9): the check then reads
    that framework's answers of the same organisation and year."""

    question: QuestionRef
    minus: QuestionRef | None = None
    per: QuestionRef | None = None
    times: Annotated[float, Field(gt=0)] = 1.0
    when: NumberTest
    expect: NumberTest | None = None
    ratio: NumberTest | None = None
    message: LocalizedText

    @model_validator(mode="after")
    def _some_expectation(self) -> Plausibility:
        if self.expect is None and self.ratio is None:
            raise ValueError(
                "give 'expect' (a test on this answer) or 'ratio' (on answer / figure)"
            )
        return self

    def references(self) -> list[tuple[str, str]]:
        """``(key, reference)`` of every question the check reads besides its own."""
        named = [("question", self.question), ("minus", self.minus), ("per", self.per)]
        return [(key, ref) for key, ref in named if ref is not None]

    def holds(self, value: float, figure: float) -> bool:
        """Whether ``value`` fits ``figure`` (the compared quantity, already computed)."""
        if self.expect is not None and not self.expect.holds(value):
            return False
        if self.ratio is not None:
            if figure == 0:
                # No figure to compare with: 0 beside 0 fits, anything else has no ratio.
                return value == 0 or self.ratio.holds(float("inf"))
            return self.ratio.holds(value / figure)
        return True


class Gate(Model):
    """A legal obligation asked by a question (S6a): an answer in ``fails`` caps the passport
    level at ``caps_at`` and shows a red flag with what the law asks (``law``) and where it is
    written (``source``). Never points: the question itself is unscored. It applies to
    organisations from ``from_employees`` FTE (0: every organisation; an unknown FTE counts as
    applying). ``law`` and ``source`` are the legal basis; ``mvo validate`` refuses a gate
    without them."""

    fails: Annotated[list[str | bool], Field(min_length=1)]
    caps_at: Identifier = "op_weg"
    law: LocalizedText | None = None
    source: str | None = None
    #: The day the legal basis was read in ``source`` (as on ``HelpText.checked``).
    checked: date | None = None
    from_employees: Annotated[float, Field(ge=0)] = 0.0

    def applies_to(self, employees: float | None) -> bool:
        return employees is None or employees >= self.from_employees


class LegalNote(Model):
    """Information on a legal threshold shown beside a question from ``from_employees`` FTE
    (e.g. a whistleblower channel from 50, a works council from 100): never a score."""

    from_employees: Annotated[float, Field(ge=0)]
    below: Annotated[float, Field(gt=0)] | None = None
    text: LocalizedText
    source: Annotated[str, Field(min_length=1)]
    #: The day the threshold was read in ``source`` (as on ``HelpText.checked``).
    checked: date | None = None

    def applies_to(self, employees: float | None) -> bool:
        if employees is None:
            return False
        return employees >= self.from_employees and (self.below is None or employees < self.below)


class QuestionBase(Model):
    """Fields every question type shares, and the behaviour each type gives its answers.

    Each type (a subclass below) knows its own values: ``check`` says what is wrong with one,
    ``normalise`` gives the value as it is stored, ``points_for`` what a valid value earns (S1),
    ``max_points`` and ``best_answer`` the maximum and a value reaching it (S7), ``parse_cell``
    reads a spreadsheet cell, and ``condition_test`` reads a ``visible_if`` that refers to this
    question. Code elsewhere calls these instead of switching on ``type``: a new type is one
    class.
    """

    id: Identifier
    text: LocalizedText
    help: HelpText | None = None
    advice: LocalizedText | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0
    allow_na: bool = False
    required: bool = False
    visible_if: Condition | None = None
    evidence: bool = False
    mappings: Mappings = Mappings()
    vsme: VsmeDatapoint | None = None
    #: "incident" (a conviction, fine or case: a fact for GRI 2-27/205-3/206-1 and VSME B11)
    #: or "fact": asked plainly, never scored (``mvo validate`` refuses a scored one).
    kind: Literal["practice", "incident", "fact"] = "practice"
    #: Whether "weet niet" (don't know) is an answer here (S3: counts as unanswered).
    allow_dont_know: bool = False
    #: A question about the organisation's employees: hidden at 0 FTE (S2).
    about_employees: bool = False
    gate: Gate | None = None
    legal: list[LegalNote] = []

    #: Whether the type can offer "weet niet" (yes/no and choice).
    offers_dont_know: ClassVar[bool] = False

    @property
    def scored(self) -> bool:
        return self.max_points > 0

    @property
    def max_points(self) -> float:  # overridden per type
        return 0.0

    @property
    def rewards_answer(self) -> bool:
        """Whether the points depend on what is answered (not only on answering): what the
        scoring rules guard (an incident or a legal obligation must not earn points)."""
        return self.scored

    # -- answers -------------------------------------------------------------------------
    def check(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        """Yield (code, message) for everything wrong with ``value`` (None = unanswered)."""
        if value is None:
            return
        if is_dont_know(value):
            if not self.allow_dont_know:
                yield (
                    AnswerProblemCode.DONT_KNOW_NOT_ALLOWED,
                    "'weet niet' (don't know) is not an answer to this question. Please "
                    "either: answer it, or leave it unanswered.",
                )
            return
        if is_na(value):
            if not self.allow_na:
                yield (
                    AnswerProblemCode.NA_NOT_ALLOWED,
                    "'n/a' is not allowed for this question. Please either answer it, or leave "
                    "it unanswered.",
                )
            return
        yield from self._check_value(value)

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        return iter(())

    def normalise(self, value: Any) -> Any:
        """The value as it is stored (equal answers stored equally); raises ``AnswerError``."""
        problems = list(self.check(value))
        if problems:
            raise AnswerError(self.id, problems)
        if value is None or is_na(value) or is_dont_know(value):
            return value
        return self._normalised(value)

    def _normalised(self, value: Any) -> Any:
        return value

    def points_for(self, value: Any) -> float:
        """S1: the points a valid, answered ``value`` earns (0 for unscored types)."""
        return 0.0

    def best_answer(self) -> Any:
        """A valid answer that earns ``max_points``, or None where none does."""
        return None

    def holds_widget_value(self, raw: Any) -> bool:
        """Whether ``raw`` is something this type's input widget can hold (an option id, a
        level, a list of option ids, a text; None for nothing chosen): a label in another
        language is not."""
        return raw is None or isinstance(raw, str)

    def disclosure_value(
        self, value: Any, *, member: Callable[[str], Any], text: Callable[[str], Any]
    ) -> Any:
        """The value of an answered, valid ``value`` as a reported fact (VSME): the type
        decides its shape, ``member`` maps an option id to its enumeration member (None if
        it has none) and ``text`` reads a free text by the datapoint's own data type. The
        caller refuses a None (or a list holding one)."""
        return text(str(value))

    def parse_cell(self, cell: Any) -> Any:
        """The answer value of one spreadsheet cell (None for an empty one, "n/a" for the
        not-applicable words). Raises ``ValueError`` for a cell this type cannot read; the
        result is then checked like any value."""
        if blank_cell(cell):
            return None
        if isinstance(cell, str) and cell.strip().lower() in NA_WORDS:
            return NA
        if isinstance(cell, str) and cell.strip().lower() in DONT_KNOW_WORDS:
            return DONT_KNOW
        return self._parse(cell)

    def _parse(self, cell: Any) -> Any:
        return cell

    def lacks_none(self) -> bool:
        """Whether the answer that does least still earns points (a scale without "none",
        S1). A maturity scale starts at level 0 and a multi at nothing chosen, so only a
        choice can lack it."""
        return False

    def legal_notes(self, employees: float | None) -> list[LegalNote]:
        """The legal thresholds that apply at ``employees`` FTE (information, never score)."""
        return [note for note in self.legal if note.applies_to(employees)]

    def gate_fails(self) -> Callable[[Any], bool]:
        """Whether an answered, visible value fails this question's gate (read like a
        ``visible_if`` on the question, by its own class)."""
        if self.gate is None:
            return _never
        return self.condition_test(Condition(question=self.id, **{"in": self.gate.fails}))

    def condition_test(self, condition: Condition) -> Callable[[Any], bool]:
        """Whether an answered, visible value of this question meets ``condition`` (a
        ``visible_if`` of another question that refers to this one)."""
        if condition.gte is not None:
            return _never
        wanted = frozenset(v for v in condition.in_ or [] if isinstance(v, str))
        return wanted.__contains__

    # -- what the definition offers (rules, catalogue, exports) --------------------------
    #: Whether a ``visible_if`` may compare this question with ``gte``.
    compares_as_number: ClassVar[bool] = False
    #: Whether answers are free text (never scored; shown as notes in a passport).
    free_text: ClassVar[bool] = False
    #: Whether answers are quantities with a unit (what a KPI reads).
    quantity: ClassVar[bool] = False

    @property
    def answer_options(self) -> list[Option]:
        """The options an answer picks from (none for types without options)."""
        return []

    def condition_values(self) -> set[Any] | None:
        """The values a ``visible_if: {in: [...]}`` may name (None: ``in`` is not allowed)."""
        return None

    def definition_problems(self, framework: Framework) -> Iterator[tuple[str, ProblemCode, str]]:
        """What is wrong with this question's own definition: (key, code, message)."""
        return iter(())

    def level_texts(self, framework: Framework) -> list[LocalizedText]:
        """The described levels of a maturity scale (its own or the framework's shared one)."""
        return []

    def catalogue_fields(self, language: str) -> dict[str, Any]:
        """The type's own entries of ``mvo catalogue``'s question record."""
        return {}

    def catalogue_notes(self, language: str, labels: Mapping[str, str]) -> list[str]:
        """Markdown lines on how this type scores, for the reviewers' overview."""
        return []

    def sample_answer(
        self,
        rng: random.Random,
        quality: float,
        *,
        number: Callable[[], float],
        text: Callable[[], str | None],
    ) -> Any:
        """A plausible answer of an organisation of ``quality`` 0..1 (the demo data); numbers
        and texts come from the callables, which know the organisation."""
        return None


def _never(_value: Any) -> bool:
    return False


class _Numeric(QuestionBase):
    """Maturity and number questions: conditions compare them as numbers."""

    compares_as_number: ClassVar[bool] = True

    def condition_test(self, condition: Condition) -> Callable[[Any], bool]:
        if condition.gte is not None:
            threshold = float(condition.gte)
            return lambda value: float(value) >= threshold
        wanted = frozenset(
            float(v) for v in condition.in_ or [] if is_number(v) and not isinstance(v, bool)
        )
        return lambda value: float(value) in wanted


class _Options(QuestionBase):
    """Choice and multi questions: values are option ids."""

    options: Annotated[list[Option], Field(min_length=2)]

    @cached_property
    def option_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options)

    def _options_listed(self) -> str:
        return ", ".join(o.id for o in self.options)

    @property
    def answer_options(self) -> list[Option]:
        return self.options

    def condition_values(self) -> set[Any] | None:
        return set(self.option_ids)

    def catalogue_fields(self, language: str) -> dict[str, Any]:
        return {
            "options": [
                {"id": o.id, "points": o.points, "label": o.label.get(language)}
                for o in self.options
            ]
        }

    def catalogue_notes(self, language: str, labels: Mapping[str, str]) -> list[str]:
        return [f"  - `{o.id}` {o.label.get(language)} — {o.points:g} pt" for o in self.options]


class MaturityQuestion(_Numeric):
    """Five maturity levels 0..4; ``levels`` describe concrete practice per level."""

    type: Literal["maturity"]
    levels: Annotated[list[LocalizedText], Field(min_length=5, max_length=5)] | None = None
    scale: Identifier | None = None

    @property
    def max_points(self) -> float:
        return 4.0

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        if as_maturity(value) is None:
            if is_number(value) and finite(value):
                yield (
                    AnswerProblemCode.OUT_OF_RANGE,
                    f"maturity must be a whole number 0..4, got {value!r}",
                )
            else:
                yield (
                    AnswerProblemCode.WRONG_TYPE,
                    f"maturity must be a whole number 0..4, got {type(value).__name__} {value!r}",
                )

    def _normalised(self, value: Any) -> Any:
        return as_maturity(value)

    def points_for(self, value: Any) -> float:
        return float(as_maturity(value) or 0)

    def best_answer(self) -> Any:
        return 4

    def holds_widget_value(self, raw: Any) -> bool:
        return raw is None or (type(raw) is int and 0 <= raw <= 4)

    def _parse(self, cell: Any) -> Any:
        value = read_number(cell)
        return int(value) if isinstance(value, float) and value.is_integer() else value

    def condition_values(self) -> set[Any] | None:
        return {0, 1, 2, 3, 4}

    def definition_problems(self, framework: Framework) -> Iterator[tuple[str, ProblemCode, str]]:
        if self.levels is not None and self.scale is not None:
            yield (
                "scale",
                ProblemCode.LEVELS_AND_SCALE,
                "a maturity question has either its own 'levels' or a shared 'scale', not "
                "both. Please either: remove 'scale', or remove 'levels'.",
            )
        if self.scale is not None and self.scale not in framework.scales:
            known = ", ".join(sorted(framework.scales)) or "none defined"
            yield (
                "scale",
                ProblemCode.UNKNOWN_SCALE,
                f"the scale '{self.scale}' is not defined (known: {known}). Please "
                "either: add it under 'scales', or give the question its own 'levels'.",
            )

    def level_texts(self, framework: Framework) -> list[LocalizedText]:
        if self.levels:
            return list(self.levels)
        if self.scale and self.scale in framework.scales:
            return list(framework.scales[self.scale])
        return []

    def sample_answer(self, rng, quality, *, number, text) -> Any:
        return int(min(4, max(0, round(4 * quality + rng.gauss(0, 0.75)))))


class YesNoQuestion(QuestionBase):
    """Yes earns the maximum, no earns nothing (S1). Phrase it so that yes is the good answer,
    or set ``points: 0`` for a purely informative yes/no."""

    type: Literal["yes_no"]
    points: Annotated[float, Field(ge=0)] = 1.0
    offers_dont_know: ClassVar[bool] = True

    def disclosure_value(self, value: Any, *, member, text) -> Any:
        return bool(value)

    @property
    def max_points(self) -> float:
        return self.points

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        if not is_bool(value):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"yes/no must be true or false, got {type(value).__name__} {value!r}",
            )

    def _normalised(self, value: Any) -> Any:
        return bool(value)

    def points_for(self, value: Any) -> float:
        return self.points if value else 0.0

    def best_answer(self) -> Any:
        return True

    def holds_widget_value(self, raw: Any) -> bool:
        return raw is None or isinstance(raw, bool) or (self.allow_dont_know and raw == DONT_KNOW)

    def _parse(self, cell: Any) -> Any:
        if isinstance(cell, bool):
            return cell
        if isinstance(cell, int | float) and cell in (0, 1):
            return bool(cell)
        text = str(cell).strip().lower()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        raise ValueError(f"expected yes/no (ja/nee), got {cell!r}")

    def condition_values(self) -> set[Any] | None:
        return {"yes", "no", True, False}

    def sample_answer(self, rng, quality, *, number, text) -> Any:
        if self.gate is not None:  # most organisations meet the law; a few do not
            fails = self.condition_test(Condition(question=self.id, **{"in": self.gate.fails}))
            meets = rng.random() < 0.93 + 0.06 * quality
            return next(v for v in (True, False) if fails(v) != meets)
        if self.kind == "incident":
            return rng.random() < 0.04
        return rng.random() < min(0.97, max(0.03, quality + rng.gauss(0.08, 0.15)))

    def condition_test(self, condition: Condition) -> Callable[[Any], bool]:
        if condition.gte is not None:
            return _never
        wanted = set()
        for item in condition.in_ or []:
            if isinstance(item, bool):
                wanted.add(item)
            elif item in ("yes", "no"):
                wanted.add(item == "yes")
        frozen = frozenset(wanted)
        return lambda value: bool(value) in frozen


class ChoiceQuestion(_Options):
    """One option out of several, each with its points."""

    type: Literal["choice"]
    offers_dont_know: ClassVar[bool] = True

    def disclosure_value(self, value: Any, *, member, text) -> Any:
        return member(value)

    @property
    def max_points(self) -> float:
        return max(o.points for o in self.options)

    @property
    def rewards_answer(self) -> bool:
        return min(o.points for o in self.options) < self.max_points

    def lacks_none(self) -> bool:
        return self.rewards_answer and min(o.points for o in self.options) > 0

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        if not isinstance(value, str):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"choice must be an option id, got {type(value).__name__} {value!r}",
            )
        elif value not in self.option_ids:
            yield (
                AnswerProblemCode.UNKNOWN_OPTION,
                f"unknown option {value!r}; options are: {self._options_listed()}",
            )

    def points_for(self, value: Any) -> float:
        for option in self.options:
            if option.id == value:
                return option.points
        return 0.0

    def best_answer(self) -> Any:
        best = self.max_points
        return next(o.id for o in self.options if o.points == best)

    def holds_widget_value(self, raw: Any) -> bool:
        if self.allow_dont_know and raw == DONT_KNOW:
            return True
        return raw is None or raw in {o.id for o in self.options}

    def _parse(self, cell: Any) -> Any:
        return str(cell).strip()

    def sample_answer(self, rng, quality, *, number, text) -> Any:
        options = sorted(self.options, key=lambda o: o.points)
        position = round((len(options) - 1) * quality + rng.gauss(0, 0.7))
        return options[min(len(options) - 1, max(0, position))].id


class MultiQuestion(_Options):
    """Any number of options; their points add up, capped at ``cap`` where given."""

    type: Literal["multi"]
    cap: Annotated[float, Field(gt=0)] | None = None

    def disclosure_value(self, value: Any, *, member, text) -> Any:
        return [member(option) for option in value]

    @property
    def max_points(self) -> float:
        total = sum(o.points for o in self.options)
        return min(total, self.cap) if self.cap is not None else total

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"multi must be a list of option ids, got {type(value).__name__} {value!r}",
            )
            return
        unknown = [v for v in value if v not in self.option_ids]
        if unknown:
            yield (
                AnswerProblemCode.UNKNOWN_OPTION,
                f"unknown option(s) {', '.join(map(repr, unknown))}; options are: "
                f"{self._options_listed()}",
            )
        if len(set(value)) != len(value):
            yield (AnswerProblemCode.DUPLICATE_OPTION, "an option is chosen more than once")

    def _normalised(self, value: Any) -> Any:
        chosen = set(value)
        return [o.id for o in self.options if o.id in chosen]  # questionnaire order

    def points_for(self, value: Any) -> float:
        chosen = set(value)
        total = sum(o.points for o in self.options if o.id in chosen)
        return min(total, self.cap) if self.cap is not None else total

    def best_answer(self) -> Any:
        return [o.id for o in self.options]

    def holds_widget_value(self, raw: Any) -> bool:
        ids = {o.id for o in self.options}
        return raw is None or (isinstance(raw, list) and all(item in ids for item in raw))

    def _parse(self, cell: Any) -> Any:
        if isinstance(cell, list):
            return [str(v).strip() for v in cell]
        return [part.strip() for part in re.split(r"[;|,]", str(cell)) if part.strip()]

    def catalogue_fields(self, language: str) -> dict[str, Any]:
        return {**super().catalogue_fields(language), "cap": self.cap}

    def sample_answer(self, rng, quality, *, number, text) -> Any:
        return [o.id for o in self.options if rng.random() < quality]

    def condition_test(self, condition: Condition) -> Callable[[Any], bool]:
        if condition.gte is not None:
            return _never
        wanted = frozenset(v for v in condition.in_ or [] if isinstance(v, str))
        return lambda value: any(v in wanted for v in value)


class NumberQuestion(_Numeric):
    """A number with a unit and a plausible range; scored only through ``thresholds``."""

    type: Literal["number"]
    unit: Annotated[str, Field(min_length=1)]
    min: float | None = None
    max: float | None = None
    integer: bool = False
    thresholds: list[Threshold] = []
    #: Plausibility checks against earlier number answers or another framework's numbers of
    #: the same organisation and year (warnings, never a block).
    plausible_if: list[Plausibility] = []

    @field_validator("plausible_if", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    def disclosure_value(self, value: Any, *, member, text) -> Any:
        return value / 100 if self.unit == "%" else value

    @property
    def max_points(self) -> float:
        return max((t.points for t in self.thresholds), default=0.0)

    @property
    def rewards_answer(self) -> bool:
        """Points differ between values: several steps, or a first step above the minimum."""
        if not self.scored:
            return False
        first = self.thresholds[0]
        steps = {t.points for t in self.thresholds}
        return len(steps) > 1 or self.min is None or first.gte > self.min

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        if not is_number(value):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"expected a number ({self.unit}), got {type(value).__name__} {value!r}",
            )
            return
        if not math.isfinite(float(value)):
            yield (AnswerProblemCode.NOT_FINITE, f"the number must be finite, got {value!r}")
            return
        if self.integer and not float(value).is_integer():
            yield (AnswerProblemCode.NOT_INTEGER, f"expected a whole number, got {value!r}")
        if self.min is not None and value < self.min:
            yield (
                AnswerProblemCode.OUT_OF_RANGE,
                f"{value!r} is below the minimum {self.min:g} {self.unit}",
            )
        if self.max is not None and value > self.max:
            yield (
                AnswerProblemCode.OUT_OF_RANGE,
                f"{value!r} is above the maximum {self.max:g} {self.unit}",
            )

    def _normalised(self, value: Any) -> Any:
        if self.integer or isinstance(value, int):
            return int(value)
        return float(value)

    def points_for(self, value: Any) -> float:
        """Points of the last threshold the value reaches (0 below the first)."""
        earned = 0.0
        for step in self.thresholds:
            if value >= step.gte:
                earned = step.points
        return earned

    def best_answer(self) -> Any:
        best = self.max_points
        for step in self.thresholds:
            if step.points != best:
                continue
            candidate = math.ceil(step.gte) if self.integer else step.gte
            if self.min is not None:
                candidate = max(candidate, self.min)
            if self.max is not None and candidate > self.max:
                continue
            if self.integer:
                candidate = int(math.ceil(candidate))
            if self.points_for(candidate) == best:
                return candidate
        return None

    def _parse(self, cell: Any) -> Any:
        value = read_number(cell)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {cell!r}")
        if self.integer and isinstance(value, float) and value.is_integer():
            value = int(value)
        return value

    quantity: ClassVar[bool] = True

    def definition_problems(self, framework: Framework) -> Iterator[tuple[str, ProblemCode, str]]:
        if self.min is not None and self.max is not None and self.min > self.max:
            yield (
                "min",
                ProblemCode.RANGE_ORDER,
                f"min {self.min} is above max {self.max}. Please swap them.",
            )
        steps = [t.gte for t in self.thresholds]
        if any(b <= a for a, b in zip(steps, steps[1:], strict=False)):
            yield (
                "thresholds",
                ProblemCode.THRESHOLD_ORDER,
                f"thresholds must ascend strictly by 'gte' (got {steps}). Please sort "
                "them from low to high.",
            )

    def catalogue_fields(self, language: str) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "min": self.min,
            "max": self.max,
            "integer": self.integer,
            "thresholds": [t.model_dump() for t in self.thresholds],
        }

    def catalogue_notes(self, language: str, labels: Mapping[str, str]) -> list[str]:
        low = "…" if self.min is None else f"{self.min:g}"
        high = "…" if self.max is None else f"{self.max:g}"
        steps = ", ".join(f">= {t.gte:g}: {t.points:g} pt" for t in self.thresholds)
        scoring = f"; {steps}" if steps else f"; {labels['not_scored']}"
        lines = [f"  - {labels['unit']} {self.unit}, {labels['range']} {low}..{high}{scoring}"]
        for check in self.plausible_if:  # the reviewer sees every plausibility check
            other = check.question + (f" - {check.minus}" if check.minus else "")
            if check.per:
                other = f"({other}) / {check.per}" if check.minus else f"{other} / {check.per}"
            if check.times != 1:
                other += f" x {check.times:,.10g}"
            lines.append(f"  - {labels['to_check']} ({other}): {check.message.get(language)}")
        return lines

    def sample_answer(self, rng, quality, *, number, text) -> Any:
        value = number()
        if self.min is not None:
            value = max(self.min, value)
        if self.max is not None:
            value = min(self.max, value)
        return int(round(value)) if self.integer else round(value, 2)


class TextQuestion(QuestionBase):
    """Free text: never scored (S1)."""

    type: Literal["text"]
    max_length: Annotated[int, Field(gt=0, le=20000)] = 5000

    def _check_value(self, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
        if not isinstance(value, str):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"text must be a string, got {type(value).__name__} {value!r}",
            )
        elif len(value) > self.max_length:
            yield (
                AnswerProblemCode.TOO_LONG,
                f"text has {len(value)} characters, at most {self.max_length} allowed",
            )

    def _parse(self, cell: Any) -> Any:
        return cell if isinstance(cell, str) else str(cell)

    free_text: ClassVar[bool] = True

    def catalogue_fields(self, language: str) -> dict[str, Any]:
        return {"max_length": self.max_length}

    def sample_answer(self, rng, quality, *, number, text) -> Any:
        return text()


Question = Annotated[
    MaturityQuestion
    | YesNoQuestion
    | ChoiceQuestion
    | MultiQuestion
    | NumberQuestion
    | TextQuestion,
    Field(discriminator="type"),
]


VERSION_PATTERN = r"^\d+\.\d+(\.\d+)?$"


def version_key(version: str | None) -> tuple[int, ...]:
    """A framework or profile version as a tuple of numbers ("1.10" after "1.9")."""
    return tuple(int(part) for part in (version or "").split(".") if part.isdigit())


class NotCarried(Model):
    """Questions whose answers of the earlier version must not be carried over, and why
    (reworded so that an answer means something else, split, another type, new options)."""

    ids: Annotated[list[Identifier], Field(min_length=1)]
    reason: LocalizedText


class CarryOver(Model):
    """How answers given on version ``from`` carry into this version (the roll-forward of a
    new year, ``app.services.carry_over``): ``renamed`` maps old question ids to new ones;
    every question listed under ``not_carried`` starts empty; every other question whose id
    still exists carries its answer over when the value still fits it."""

    from_version: Annotated[str, Field(alias="from", pattern=VERSION_PATTERN)]
    renamed: dict[Identifier, Identifier] = {}
    not_carried: list[NotCarried] = []

    def reason_for(self, question_id: str) -> LocalizedText | None:
        """The reason ``question_id`` (an id of this version) is not carried, or None."""
        return next((g.reason for g in self.not_carried if question_id in g.ids), None)


class Topic(Model):
    """A topic (an ISO 26000 issue, an EFQM sub-criterion, a GRI disclosure group)."""

    id: Identifier
    title: LocalizedText
    clause: str | None = None
    description: LocalizedText | None = None
    questions: Annotated[list[Question], Field(min_length=1)]


class Section(Model):
    """A section (an ISO core subject, an EFQM criterion) with its weight in the overall score."""

    id: Identifier
    title: LocalizedText
    clause: str | None = None
    weight: Annotated[float, Field(gt=0)] | None = None
    kind: Literal["enabler", "result"] | None = None
    topics: Annotated[list[Topic], Field(min_length=1)]


class Framework(Model):
    """A versioned questionnaire with its sections, topics and questions."""

    id: Identifier
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    languages: list[Language] = ["nl", "en"]
    title: LocalizedText
    description: LocalizedText
    derivation: Derivation
    points_total: Annotated[int, Field(gt=0)] | None = None
    #: False for a disclosure (VSME): never scored, never a level; only completeness shown.
    scored: bool = True
    scales: dict[Identifier, Annotated[list[LocalizedText], Field(min_length=5, max_length=5)]] = {}
    sections: Annotated[list[Section], Field(min_length=1)]
    #: How answers of the previous version carry over into this one (None: same ids, same
    #: meaning; only a value that no longer fits is left behind).
    carry_over: CarryOver | None = None

    @field_validator("languages")
    @classmethod
    def _nl_and_en(cls, value: list[str]) -> list[str]:
        if "nl" not in value or "en" not in value:
            raise ValueError("a framework must offer at least 'nl' and 'en'")
        return value

    @cached_property
    def derived(self) -> dict[Any, Any]:
        """Values computed from this framework (its compiled conditions, scoring tables, the
        effective framework per profile), remembered on the object itself. They live and die
        with it, and a copy read back from JSON computes equal ones: no ``id()`` side table."""
        return {}

    @cached_property
    def questions(self) -> dict[str, QuestionBase]:
        """Every question by id, in questionnaire order."""
        return {q.id: q for s in self.sections for t in s.topics for q in t.questions}

    @cached_property
    def topics(self) -> dict[str, Topic]:
        return {t.id: t for s in self.sections for t in s.topics}

    def legal_notes(self, employees: float | None) -> list[LegalNote]:
        """The legal thresholds of every question that apply at ``employees`` FTE, once each,
        in questionnaire order (information at the organisation's size, never score: the
        results page and the passport show them; a question shows its own)."""
        found: dict[str, LegalNote] = {}
        for question in self.questions.values():
            for note in question.legal_notes(employees):
                found.setdefault(note.text.nl, note)
        return list(found.values())

    @cached_property
    def topic_of_question(self) -> dict[str, str]:
        return {q.id: t.id for s in self.sections for t in s.topics for q in t.questions}

    @cached_property
    def section_of_topic(self) -> dict[str, str]:
        return {t.id: s.id for s in self.sections for t in s.topics}

    def section_weights(self) -> dict[str, float]:
        """Section weights normalised to sum 1 (equal where the framework gives none)."""
        raw = {s.id: (s.weight if s.weight is not None else 1.0) for s in self.sections}
        if any(s.weight is None for s in self.sections) and any(
            s.weight is not None for s in self.sections
        ):
            raw = {s.id: 1.0 for s in self.sections}
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}


class NaceCodes(Model):
    """NACE-BEL codes a profile covers, with the NACE-BEL version they belong to."""

    version: Literal["NACE-BEL 2008", "NACE-BEL 2025"] = "NACE-BEL 2025"
    codes: Annotated[
        list[Annotated[str, Field(pattern=r"^\d{2}(\.\d{1,3})?$")]], Field(min_length=1)
    ]


class IncludedFramework(Model):
    """A framework a sector passport includes, with its weight in the passport's overall."""

    id: Identifier
    version: str | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0


class LevelBand(Model):
    """A passport level from ``min`` (inclusive) up to the next band."""

    id: Identifier
    label: LocalizedText
    min: Annotated[float, Field(ge=0, le=100)]


DEFAULT_LEVELS = (
    LevelBand(id="starter", label=LocalizedText(nl="Starter", en="Starter"), min=0),
    LevelBand(id="op_weg", label=LocalizedText(nl="Op weg", en="On the way"), min=40),
    LevelBand(id="gevorderd", label=LocalizedText(nl="Gevorderd", en="Advanced"), min=60),
    LevelBand(id="voorloper", label=LocalizedText(nl="Voorloper", en="Frontrunner"), min=80),
)


class LevelCap(Model):
    """S6: while a topic of at least ``materiality`` scores below ``below``, cap at ``level``."""

    level: Identifier = "op_weg"
    materiality: Annotated[int, Field(ge=1, le=3)] = 2
    below: Annotated[float, Field(ge=0, le=100)] = 25.0


#: What a KPI's value is divided by (its activity figure); ``none`` reads the answer as is.
KpiPer = Literal["none", "fte", "turnover", "tonne_km", "tonne", "m2"]
#: The KPI bands, best first (issue 13 item 5: a KPI is judged against sector thresholds).
KPI_BANDS = ("good", "average", "poor")


class KpiDenominator(Model):
    """Where a KPI's activity figure comes from: a number question of an included framework
    (``framework`` + ``question``) or a field of the organisation (``organisation: fte``, the FTE
    given at registration)."""

    framework: Identifier | None = None
    question: Identifier | None = None
    organisation: Literal["fte"] | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> KpiDenominator:
        if (self.organisation is None) == (self.question is None):
            raise ValueError("give either 'organisation: fte' or 'framework' + 'question'")
        if self.question is not None and self.framework is None:
            raise ValueError("a denominator question needs its 'framework'")
        return self


class KpiThresholds(Model):
    """The sector's thresholds of a KPI: at or better than ``good`` is the band "good", at or
    worse than ``poor`` the band "poor", in between "average" (better/worse as ``Kpi.better``
    says). ``source`` names where the figures come from; ``provisional: true`` marks figures
    that are illustrative and the federation's to set (``mvo validate`` wants one of both)."""

    good: float
    poor: float
    source: str | None = None
    provisional: bool = False


class Kpi(Model):
    """A key figure a federation compares, read from a number question, optionally divided by
    an activity figure (``per`` + ``of``) and scaled (``scale``: 1e6 turns tCO2e per euro into
    tCO2e per million euro), judged against sector ``thresholds`` (a band, never points: see
    README "KPIs"). ``per: fte`` divides by the organisation's FTE unless ``of`` says
    otherwise; every other ``per`` names its activity figure in ``of``. The old ``per_fte: true``
    reads as ``per: fte``."""

    id: Identifier
    label: LocalizedText
    framework: Identifier
    question: Identifier
    unit: Annotated[str, Field(min_length=1)]
    per: KpiPer = "none"
    of: KpiDenominator | None = None
    scale: Annotated[float, Field(gt=0)] = 1.0
    better: Literal["higher", "lower"] = "higher"
    thresholds: KpiThresholds | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_per_fte(cls, data: Any) -> Any:
        if isinstance(data, dict) and "per_fte" in data:
            data = dict(data)
            if data.pop("per_fte") and "per" not in data:
                data["per"] = "fte"
        return data

    @model_validator(mode="after")
    def _denominator_and_thresholds(self) -> Kpi:
        if self.per == "none" and self.of is not None:
            raise ValueError("'of' names the activity figure of a 'per'; set 'per' or drop 'of'")
        if self.per not in ("none", "fte") and self.of is None:
            raise ValueError(
                f"'per: {self.per}' needs 'of': the number question (framework, question) that "
                "holds the activity figure"
            )
        t = self.thresholds
        if t is not None and (t.good >= t.poor if self.better == "lower" else t.good <= t.poor):
            order = "below" if self.better == "lower" else "above"
            raise ValueError(
                f"with 'better: {self.better}' the 'good' threshold ({t.good:g}) must lie "
                f"{order} the 'poor' one ({t.poor:g})"
            )
        return self

    @property
    def per_fte(self) -> bool:
        return self.per == "fte"

    @property
    def denominator(self) -> KpiDenominator | None:
        """The declared activity figure (the organisation's FTE for a bare ``per: fte``)."""
        if self.of is not None:
            return self.of
        return KpiDenominator(organisation="fte") if self.per == "fte" else None

    def band(self, value: float | None) -> str | None:
        """The band ("good", "average", "poor") of a KPI value, None without thresholds."""
        t = self.thresholds
        if t is None or value is None:
            return None
        sign = 1.0 if self.better == "lower" else -1.0
        if sign * value <= sign * t.good:
            return "good"
        if sign * value >= sign * t.poor:
            return "poor"
        return "average"


class TopicMateriality(Model):
    """How material a topic is for a sector (0 = left out, 1 = normal, 2 = material, 3 = very
    material) and the one-line reason the federation gives for it. A bare number is read as a
    value without reason (the rules report the missing reason)."""

    value: Annotated[int, Field(ge=0, le=3)]
    reason: LocalizedText | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"value": data}
        return data


class SectorProfile(Model):
    """A federation's sector MVO passport: what it includes and how it weighs topics."""

    id: Identifier
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    name: LocalizedText
    description: LocalizedText | None = None
    federation: Annotated[str, Field(min_length=1)]
    nace: NaceCodes
    frameworks: Annotated[list[IncludedFramework], Field(min_length=1)]
    #: framework id -> topic id -> 0 (left out) .. 3 (very material); unlisted topics are 1.
    materiality: dict[Identifier, dict[Identifier, TopicMateriality]] = {}
    #: Extra sector questions, added as one more section of the first included framework.
    sector_section: Section | None = None
    levels: Annotated[list[LevelBand], Field(min_length=2)] = list(DEFAULT_LEVELS)
    level_cap: LevelCap = LevelCap()
    k: Annotated[int, Field(ge=3)] = 5
    kpis: list[Kpi] = []
    #: How answers to the sector questions of the previous profile version carry over.
    carry_over: CarryOver | None = None

    def materiality_of(self, framework_id: str, topic_id: str) -> int:
        entry = self.materiality.get(framework_id, {}).get(topic_id)
        return 1 if entry is None else entry.value


#: S9: the EU size classes in their order, and the FTE upper bounds of all but the last.
SIZE_CLASSES = ("micro", "small", "medium", "large")
SIZE_CLASS_BOUNDS = (10.0, 50.0, 250.0)


def size_class(fte: float | None) -> str | None:
    """EU size class by FTE (S9): micro < 10, small < 50, medium < 250, else large."""
    if fte is None or fte != fte:
        return None
    for name, bound in zip(SIZE_CLASSES, SIZE_CLASS_BOUNDS, strict=False):
        if fte < bound:
            return name
    return SIZE_CLASSES[-1]
