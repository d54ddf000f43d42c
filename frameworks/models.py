"""The questionnaire and sector-passport models: what a framework YAML file means.

A ``Framework`` (ISO 26000, GRI, kwaliteitswijzer, Start-to-MVO) is sections -> topics ->
questions; a ``SectorProfile`` is a federation's passport definition that weighs topics of one
or more frameworks. Every model is frozen and forbids unknown keys, so a typo in a YAML file is
an error, not silently ignored data. Cross-references (conditions, mapping codes, profile
references) are checked by ``frameworks.rules``, which collects every problem at once.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
Language = Literal["nl", "en", "fr"]

#: ISO 26000 issue clauses are "6.3.3"; core subjects "6.2"; principles "4.2".
ISO_CLAUSE_PATTERN = r"^[4-7](\.\d{1,2}){1,2}$"
VSME_PATTERN = r"^(B([1-9]|1[01])|C[1-9])$"
NA = "n/a"


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


class QuestionBase(Model):
    """Fields every question type shares."""

    id: Identifier
    text: LocalizedText
    help: LocalizedText | None = None
    advice: LocalizedText | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0
    allow_na: bool = False
    required: bool = False
    visible_if: Condition | None = None
    evidence: bool = False
    mappings: Mappings = Mappings()

    @property
    def scored(self) -> bool:
        return self.max_points > 0

    @property
    def max_points(self) -> float:  # overridden per type
        return 0.0


class MaturityQuestion(QuestionBase):
    """Five maturity levels 0..4; ``levels`` describe concrete practice per level."""

    type: Literal["maturity"]
    levels: Annotated[list[LocalizedText], Field(min_length=5, max_length=5)] | None = None
    scale: Identifier | None = None

    @property
    def max_points(self) -> float:
        return 4.0


class YesNoQuestion(QuestionBase):
    """Yes earns the maximum, no earns nothing (S1). Phrase it so that yes is the good answer,
    or set ``points: 0`` for a purely informative yes/no."""

    type: Literal["yes_no"]
    points: Annotated[float, Field(ge=0)] = 1.0

    @property
    def max_points(self) -> float:
        return self.points


class ChoiceQuestion(QuestionBase):
    """One option out of several, each with its points."""

    type: Literal["choice"]
    options: Annotated[list[Option], Field(min_length=2)]

    @property
    def max_points(self) -> float:
        return max(o.points for o in self.options)


class MultiQuestion(QuestionBase):
    """Any number of options; their points add up, capped at ``cap`` where given."""

    type: Literal["multi"]
    options: Annotated[list[Option], Field(min_length=2)]
    cap: Annotated[float, Field(gt=0)] | None = None

    @property
    def max_points(self) -> float:
        total = sum(o.points for o in self.options)
        return min(total, self.cap) if self.cap is not None else total


class NumberQuestion(QuestionBase):
    """A number with a unit and a plausible range; scored only through ``thresholds``."""

    type: Literal["number"]
    unit: Annotated[str, Field(min_length=1)]
    min: float | None = None
    max: float | None = None
    integer: bool = False
    thresholds: list[Threshold] = []

    @property
    def max_points(self) -> float:
        return max((t.points for t in self.thresholds), default=0.0)

    def points_for(self, value: float) -> float:
        """Points of the last threshold the value reaches (0 below the first)."""
        earned = 0.0
        for step in self.thresholds:
            if value >= step.gte:
                earned = step.points
        return earned


class TextQuestion(QuestionBase):
    """Free text: never scored (S1)."""

    type: Literal["text"]
    max_length: Annotated[int, Field(gt=0, le=20000)] = 5000


Question = Annotated[
    MaturityQuestion
    | YesNoQuestion
    | ChoiceQuestion
    | MultiQuestion
    | NumberQuestion
    | TextQuestion,
    Field(discriminator="type"),
]


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
    scales: dict[Identifier, Annotated[list[LocalizedText], Field(min_length=5, max_length=5)]] = {}
    sections: Annotated[list[Section], Field(min_length=1)]

    @field_validator("languages")
    @classmethod
    def _nl_and_en(cls, value: list[str]) -> list[str]:
        if "nl" not in value or "en" not in value:
            raise ValueError("a framework must offer at least 'nl' and 'en'")
        return value

    @cached_property
    def questions(self) -> dict[str, QuestionBase]:
        """Every question by id, in questionnaire order."""
        return {q.id: q for s in self.sections for t in s.topics for q in t.questions}

    @cached_property
    def topics(self) -> dict[str, Topic]:
        return {t.id: t for s in self.sections for t in s.topics}

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


class Kpi(Model):
    """A key figure a federation compares, read from a number question."""

    id: Identifier
    label: LocalizedText
    framework: Identifier
    question: Identifier
    unit: Annotated[str, Field(min_length=1)]
    per_fte: bool = False
    better: Literal["higher", "lower"] = "higher"


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
    materiality: dict[Identifier, dict[Identifier, Annotated[int, Field(ge=0, le=3)]]] = {}
    #: Extra sector questions, added as one more section of the first included framework.
    sector_section: Section | None = None
    levels: Annotated[list[LevelBand], Field(min_length=2)] = list(DEFAULT_LEVELS)
    level_cap: LevelCap = LevelCap()
    k: Annotated[int, Field(ge=3)] = 5
    kpis: list[Kpi] = []

    def materiality_of(self, framework_id: str, topic_id: str) -> int:
        return self.materiality.get(framework_id, {}).get(topic_id, 1)


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
