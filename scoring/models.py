"""The results of scoring: ScoreCard, Passport, improvement plan and benchmark objects.

These are the objects the screen, the PDF and the data exports all read, so that they show the
same numbers (S8: kept unrounded; only display rounds to one decimal). They are plain frozen
pydantic models: JSON-serialisable, with a JSON Schema for the passport export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

QuestionStatus = Literal["answered", "unanswered", "dont_know", "n/a", "hidden"]
SizeClass = Literal["micro", "small", "medium", "large"]


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def dump_json_with(model: BaseModel, field: str, members: Iterable[str]) -> str:
    """``model.model_dump_json()`` with the dict ``field`` written from ``members``, its
    entries already serialised (``'"key":{...}'`` each, in the dict's order): what a batch
    serialises once (a card inside its passport) is not serialised again. The field is
    written empty and filled in at its first occurrence: the fields before it hold no dict
    keyed by user text (a quote inside a JSON string is always escaped, so no string can hold
    it)."""
    head = model.model_copy(update={field: {}}).model_dump_json()
    empty = f'"{field}":{{}}'
    at = head.index(empty)
    return f'{head[:at]}"{field}":{{{",".join(members)}}}{head[at + len(empty) :]}'


class QuestionScore(Result):
    """Points of one question; ``max`` is 0 for unscored questions (text, number without
    thresholds). ``value`` is the answer as given (None when unanswered)."""

    question: str
    topic: str
    points: float
    max: float
    weight: float
    status: QuestionStatus
    value: bool | int | float | str | list[str] | None = None


class TopicScore(Result):
    """S4: ``score`` is None ("no score") where the topic has no applicable scored question,
    or where its materiality is 0 (left out of the passport)."""

    topic: str
    section: str
    score: float | None
    materiality: int
    applicable: int
    answered: int


class SectionScore(Result):
    """S5: materiality-weighted mean of its topic scores; ``weight`` normalised to sum 1."""

    section: str
    score: float | None
    weight: float
    efqm_points: float | None = None


class GateResult(Result):
    """S6a: a legal obligation asked by a gate question, for an organisation it applies to.

    ``status`` "failed" is a red flag (the level is capped at ``caps_at``), "met" is fine,
    "open" is not known yet (unanswered or "weet niet"). ``law`` is what the law asks (by
    language), ``source`` where it is written."""

    framework: str
    question: str
    topic: str
    status: Literal["failed", "met", "open"]
    caps_at: str
    law: dict[str, str]
    source: str


class ScoreCard(Result):
    """The score of one assessment against one (effective) framework.

    Completeness is reported apart as ``answered`` / ``dont_know`` / ``open`` (counts of
    applicable questions in topics not left out; S3)."""

    framework: str
    framework_version: str
    profile: str | None
    overall: float | None
    completeness: float
    required_open: list[str]
    efqm_points: float | None = None
    answered: int = 0
    dont_know: int = 0
    open: int = 0
    #: S6a: every gate that applies, with its outcome (failed ones cap the level).
    gates: list[GateResult] = []
    sections: dict[str, SectionScore]
    topics: dict[str, TopicScore]
    questions: dict[str, QuestionScore]
    #: S7 what-if for the questions whose gain is not a closed form (see ``scoring.plan``):
    #: question id -> this framework's overall with that question at its best answer, or None
    #: where no valid answer reaches its maximum. Plain data, so a card read back from JSON
    #: gives the same improvement plan as the card as scored.
    raised: dict[str, float | None] = {}


class ImprovementStep(Result):
    """S7: the overall-score gain if this question were raised to its maximum."""

    framework: str
    question: str
    topic: str
    materiality: int
    gain: float
    points: float
    max: float
    #: Answered "weet niet": the first step is to find out ("zoek uit").
    find_out: bool = False


class KpiValue(Result):
    """A KPI of one assessment (``scoring.kpi``): ``raw`` the answer, ``activity`` the figure it
    is divided by (``per``), ``value`` the result and ``band`` its place against the sector's
    thresholds (good / average / poor; None without thresholds or value)."""

    kpi: str
    value: float | None
    unit: str
    per_fte: bool
    raw: float | None = None
    per: str = "none"
    activity: float | None = None
    band: Literal["good", "average", "poor"] | None = None


class LevelChange(Result):
    previous_year: int | None
    previous_overall: float | None
    previous_level: str | None
    overall_delta: float | None
    topic_deltas: dict[str, float]
    #: Framework id -> (last year's version, this year's) where they differ: the comparison
    #: then crosses versions and says so ("vergelijking met versie 1.0").
    version_changes: dict[str, tuple[str, str]] = {}


class Organisation(Result):
    """Who the passport is for (from the store; the core does not read the database)."""

    name: str
    kbo: str
    fte: float | None = None
    municipality: str | None = None
    nace: str | None = None


class CheckItem(Result):
    """A number answer that does not fit another one (``frameworks.plausibility``): the
    passport lists it as "te controleren"; ``message`` by language."""

    framework: str
    question: str
    other: str
    value: float
    other_value: float
    message: dict[str, str]


class Passport(Result):
    """A sector MVO passport: level, scores, strengths, improvement plan, KPIs."""

    profile: str
    profile_version: str
    organisation: Organisation | None = None
    year: int | None = None
    status: Literal["draft", "submitted"] = "draft"
    overall: float | None
    #: S6: a level id of the profile's bands, or "concept" while required questions are open.
    level: str
    capped: bool = False
    completeness: float
    scorecards: dict[str, ScoreCard]
    strengths: list[str]
    weak_points: list[str]
    improvement_plan: list[ImprovementStep]
    kpis: list[KpiValue]
    change: LevelChange | None = None
    #: S6a: the failed gates (red flags with what the law asks), over all score cards.
    red_flags: list[GateResult] = []
    #: Whether a failed gate (rather than only a weak material topic) capped the level.
    gate_capped: bool = False
    #: Questions answered "weet niet", scored or not: "zoek uit" (find out).
    find_out: list[str] = []
    #: Plausibility warnings ("te controleren"), over all score cards; never a block.
    to_check: list[CheckItem] = []


class Distribution(Result):
    """S9: what may be shown of a peer group: never min or max."""

    n: int
    mean: float
    p25: float
    median: float
    p75: float


class PeerGroup(Result):
    """S9: the peer group a benchmark was computed over, after the k-anonymity fallback."""

    profile: str
    year: int
    framework_version: str | None
    size_class: SizeClass | None
    #: "size_class", "sector" (size class dropped), or "none" (too few: nothing shown).
    scope: Literal["size_class", "sector", "none"]
    n: int
    k: int


class Benchmark(Result):
    """A member's position in its peer group, or only ``group`` with scope "none"."""

    group: PeerGroup
    overall: Distribution | None = None
    sections: dict[str, Distribution] = {}
    topics: dict[str, Distribution] = {}
    kpis: dict[str, Distribution] = {}
    #: Only for a submitted assessment (S9); a draft sees only ``band``.
    percentile_rank: float | None = None
    #: Quartile band of the overall score: below_p25, p25_median, median_p75 or above_p75.
    band: Literal["below_p25", "p25_median", "median_p75", "above_p75"] | None = None
