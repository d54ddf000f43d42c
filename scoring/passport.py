"""The sector MVO passport: score cards of one organisation and year -> level, plan, KPIs.

- Overall: the weighted mean (``IncludedFramework.weight``) of the included frameworks' overalls
  that have a score.
- S6 level: the last band of ``profile.levels`` whose ``min`` the overall reaches; capped at
  ``profile.level_cap.level`` (``capped=True``) while any topic of materiality >=
  ``level_cap.materiality`` scores below ``level_cap.below``; ``"concept"`` while any required
  question is open or nothing has a score.
- S6a gates: every failed gate on the score cards (``ScoreCard.gates``, evaluated by the
  engine) is a red flag with what the law asks, and caps the level at its ``caps_at`` (the
  lowest cap wins; a cap the profile's bands do not know is ignored). ``gate_capped`` says a
  gate did it.
- "Weet niet": the questions answered so are listed as ``find_out``.
- Strengths and weak points: topic ids, at most ``HIGHLIGHTS`` each; strengths are topics
  scoring >= ``STRENGTH_FROM``, weak points topics below it; material topics (materiality >= 2)
  come first, then the best (strengths) or worst (weak points) score.
- S7 improvement plan: ``scoring.plan.improvement_plan`` over all score cards.
- KPIs: ``scoring.kpi.kpi_values`` (the one computation: answer / declared activity figure,
  scaled, banded against the sector's thresholds; never part of the score).
- "Te controleren": the plausibility warnings of the answered numbers
  (``frameworks.plausibility``) where the frameworks are given.
- Change: against last year's passport (``previous``), the overall and per-topic deltas;
  where a framework's version differs from last year's, ``version_changes`` names both
  versions, so the comparison says it crosses versions (README S9, like with like).

Without a profile (the Start-to-MVO scan) the passport's profile is the framework itself and the
default level bands apply.
"""

from __future__ import annotations

from collections.abc import Mapping

from frameworks.models import DEFAULT_LEVELS, Framework, LevelBand, LevelCap, SectorProfile
from frameworks.plausibility import declares_checks, implausible
from scoring.kpi import kpi_values
from scoring.models import (
    CheckItem,
    GateResult,
    LevelChange,
    Organisation,
    Passport,
    ScoreCard,
)
from scoring.plan import improvement_plan, weighted_overall

CONCEPT = "concept"
HIGHLIGHTS = 3
STRENGTH_FROM = 50.0
MATERIAL = 2


def level_of(overall: float | None, levels: list[LevelBand] | tuple[LevelBand, ...]) -> str | None:
    """The id of the last band whose ``min`` ``overall`` reaches (bands in any order)."""
    if overall is None:
        return None
    reached = [band for band in levels if overall >= band.min]
    if not reached:
        return None
    return max(reached, key=lambda band: band.min).id


def _apply_cap(
    level: str, levels: list[LevelBand] | tuple[LevelBand, ...], cap: LevelCap, topics
) -> tuple[str, bool]:
    """S6: cap the level while a material topic scores below the cap's threshold."""
    floors = {band.id: band.min for band in levels}
    if cap.level not in floors or floors[level] <= floors[cap.level]:
        return level, False
    weak = any(
        t.materiality >= cap.materiality and t.score is not None and t.score < cap.below
        for t in topics
    )
    return (cap.level, True) if weak else (level, False)


def _apply_gates(
    level: str, levels: list[LevelBand] | tuple[LevelBand, ...], red_flags: list[GateResult]
) -> tuple[str, bool]:
    """S6a: cap the level at the lowest ``caps_at`` of the failed gates."""
    floors = {band.id: band.min for band in levels}
    capped = False
    for flag in red_flags:
        if flag.caps_at in floors and floors[level] > floors[flag.caps_at]:
            level, capped = flag.caps_at, True
    return level, capped


def check_items(
    scorecards: Mapping[str, ScoreCard], frameworks: Mapping[str, Framework]
) -> list[CheckItem]:
    """The plausibility warnings of every card whose (effective) framework is given, read
    from the answered values only; a check naming another framework's question reads that
    framework's card of the same passport (same organisation and year)."""
    if not any(declares_checks(frameworks[f]) for f in scorecards if frameworks.get(f) is not None):
        return []  # nothing declared: no card's answers need reading
    answered = {
        framework_id: {
            q.question: q.value for q in card.questions.values() if q.status == "answered"
        }
        for framework_id, card in scorecards.items()
    }
    items = []
    for framework_id in scorecards:
        framework = frameworks.get(framework_id)
        if framework is None:
            continue
        for w in implausible(framework, answered[framework_id], others=answered):
            items.append(
                CheckItem(
                    framework=framework_id,
                    question=w.question,
                    other=w.other,
                    value=w.value,
                    other_value=w.other_value,
                    message={"nl": w.message.nl, "en": w.message.en},
                )
            )
    return items


def build(
    scorecards: Mapping[str, ScoreCard],
    profile: SectorProfile | None,
    *,
    organisation: Organisation | None = None,
    year: int | None = None,
    status: str = "draft",
    previous: Passport | None = None,
    frameworks: Mapping[str, Framework] | None = None,
) -> Passport:
    """Build the passport of one organisation and year from its score cards (keyed by framework).

    Raises ``ValueError`` for a score card of a framework the profile does not include.
    """
    if profile is None:
        if len(scorecards) != 1:
            raise ValueError("without a sector profile, give exactly one score card")
        (only,) = scorecards.values()
        profile_id, profile_version = only.framework, only.framework_version
        weights = {only.framework: 1.0}
        levels: list[LevelBand] | tuple[LevelBand, ...] = DEFAULT_LEVELS
        cap = LevelCap()
    else:
        weights = {f.id: f.weight for f in profile.frameworks}
        unknown = sorted(set(scorecards) - set(weights))
        if unknown:
            raise ValueError(
                f"profile {profile.id} does not include framework(s) {', '.join(unknown)}"
            )
        profile_id, profile_version = profile.id, profile.version
        levels, cap = profile.levels, profile.level_cap
    overall = weighted_overall({f: c.overall for f, c in scorecards.items()}, weights)
    topics = [t for card in scorecards.values() for t in card.topics.values()]
    applicable = sum(t.applicable for t in topics if t.materiality > 0)
    answered = sum(t.answered for t in topics if t.materiality > 0)
    completeness = answered / applicable if applicable else 1.0

    required_open = any(card.required_open for card in scorecards.values())
    level = level_of(overall, levels)
    capped = gate_capped = False
    red_flags = [g for card in scorecards.values() for g in card.gates if g.status == "failed"]
    if required_open or level is None:
        level = CONCEPT
    else:
        level, capped = _apply_cap(level, levels, cap, topics)
        level, gate_capped = _apply_gates(level, levels, red_flags)
        capped = capped or gate_capped
    find_out = [
        q.question
        for card in scorecards.values()
        if card.dont_know  # counts the "weet niet" answers in topics not left out
        for q in card.questions.values()
        if q.status == "dont_know" and card.topics[q.topic].materiality > 0
    ]

    scored = [t for t in topics if t.score is not None]
    strengths = sorted(
        (t for t in scored if t.score >= STRENGTH_FROM),
        key=lambda t: (t.materiality < MATERIAL, -t.score),
    )
    weak_points = sorted(
        (t for t in scored if t.score < STRENGTH_FROM),
        key=lambda t: (t.materiality < MATERIAL, t.score),
    )

    kpis = kpi_values(profile, scorecards, organisation)
    to_check = check_items(scorecards, frameworks or {})

    change = None
    if previous is not None:
        before = {
            t.topic: t.score
            for card in previous.scorecards.values()
            for t in card.topics.values()
            if t.score is not None
        }
        deltas = {t.topic: t.score - before[t.topic] for t in scored if t.topic in before}
        change = LevelChange(
            previous_year=previous.year,
            previous_overall=previous.overall,
            previous_level=previous.level,
            overall_delta=(
                overall - previous.overall
                if overall is not None and previous.overall is not None
                else None
            ),
            topic_deltas=deltas,
            version_changes={
                framework: (
                    previous.scorecards[framework].framework_version,
                    card.framework_version,
                )
                for framework, card in scorecards.items()
                if framework in previous.scorecards
                and previous.scorecards[framework].framework_version != card.framework_version
            },
        )

    return Passport(
        profile=profile_id,
        profile_version=profile_version,
        organisation=organisation,
        year=year,
        status=status,
        overall=overall,
        level=level,
        capped=capped,
        completeness=completeness,
        scorecards=dict(scorecards),
        strengths=[t.topic for t in strengths[:HIGHLIGHTS]],
        weak_points=[t.topic for t in weak_points[:HIGHLIGHTS]],
        improvement_plan=improvement_plan(scorecards, weights),
        kpis=kpis,
        change=change,
        red_flags=red_flags,
        gate_capped=gate_capped,
        find_out=find_out,
        to_check=to_check,
    )
