"""What the PDF documents say, as plain data: built from scoring results, tested exactly.

A renderer in ``exports.pdf`` only lays these objects out; every word and number a document
shows is decided here. This keeps the rules (which benchmark may be shown, how a score is
rounded, which references a passport cites) testable without parsing a PDF, and it makes the
PDF show the same numbers as the screen, because both read the same ScoreCard and Passport.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from exports.text import (
    format_kbo,
    format_number,
    format_percent,
    format_score,
    label,
    unit_label,
)
from frameworks.compose import effective_framework
from frameworks.models import (
    SIZE_CLASSES,
    Framework,
    QuestionBase,
    SectorProfile,
    size_class,
)
from scoring.models import Benchmark, Distribution, Passport, ScoreCard

if TYPE_CHECKING:  # pandas stays out of the passport renderers' import
    from scoring.benchmark import MemberPosition, SectorStatistics

#: ``scoring.benchmark.ALL``: the cell of all size classes together.
ALL = "all"

#: How many improvement steps a passport prints (the plan itself may be longer).
PLAN_STEPS = 10


@dataclass(frozen=True)
class Table:
    """A table: a header row and body rows of display strings; ``emphasis`` marks row indexes
    printed as group headings (a section row above its topics)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    emphasis: frozenset[int] = frozenset()
    note: str | None = None


@dataclass(frozen=True)
class RadarChart:
    """Section scores of one framework (0..100), with the peer median where it may be shown."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    median: tuple[float, ...] | None = None
    legend: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanStep:
    """One step of the improvement plan: the question to raise, its topic, the overall-score
    gain (S7) and the whole advice."""

    number: int
    topic: str
    question: str
    gain: str
    advice: str


@dataclass(frozen=True)
class Comparison:
    """Last year's comparison: both years' score and level, the difference, and a warning
    where this year is still a draft (``draft_note``)."""

    title: str
    rows: tuple[tuple[str, str], ...]
    delta: str
    draft_note: str | None = None


@dataclass(frozen=True)
class PassportDocument:
    """Everything a passport PDF prints, in reading order."""

    language: str
    title: str
    organisation: str
    concept: bool
    facts: tuple[tuple[str, str], ...]
    level: str
    level_id: str
    overall: str
    efqm: str | None
    completeness: str
    benchmark_note: str
    radars: tuple[RadarChart, ...]
    topic_tables: tuple[Table, ...]
    strengths: tuple[str, ...]
    weak_points: tuple[str, ...]
    improvement: Table
    kpis: Table
    notes: tuple[tuple[str, str], ...]
    references: tuple[tuple[str, str], ...]
    footer: str
    plan: tuple[PlanStep, ...] = ()
    comparison: Comparison | None = None
    #: The organisation's action plan (``exports.actionplan``); None where none was given.
    actions: Table | None = None
    #: S6a: per failed gate (question, what the law asks, where it is written).
    red_flags: tuple[tuple[str, str, str], ...] = ()
    #: "Te controleren": per implausible number (question, why it does not fit).
    to_check: tuple[tuple[str, str], ...] = ()
    #: The legal thresholds at the organisation's size (what the law asks, source): information.
    legal: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ScanDocument:
    """The Start-to-MVO scan report: result per core subject, three steps, what next."""

    language: str
    title: str
    organisation: str
    concept: bool
    facts: tuple[tuple[str, str], ...]
    overall: str
    results: Table
    bars: tuple[tuple[str, float | None], ...]
    steps: tuple[tuple[str, str], ...]
    next_text: str
    suggested: tuple[str, ...]
    footer: str
    #: The organisation's action plan (``exports.actionplan``); None where none was given.
    actions: Table | None = None
    #: "Te controleren": per implausible number (question, why it does not fit).
    to_check: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BoxPlot:
    """A quartile bar of one section: p25, median, p75 and mean (never min or max, S9)."""

    label: str
    p25: float
    median: float
    p75: float
    mean: float
    n: int


@dataclass(frozen=True)
class SectorReportDocument:
    """The federation's sector benchmark report; every group shown has at least k members."""

    language: str
    title: str
    facts: tuple[tuple[str, str], ...]
    participation: Table
    boxplots: tuple[BoxPlot, ...]
    distribution: Table
    topic_medians: Table
    kpi_medians: Table
    members: Table
    suppressed_note: str
    footer: str
    boxplot_note: str = ""


@dataclass(frozen=True)
class _Lookup:
    """Titles and questions of the (effective) frameworks a passport was scored against."""

    frameworks: dict[str, Framework] = field(default_factory=dict)

    def topic_title(self, framework_id: str, topic_id: str, language: str) -> str:
        fw = self.frameworks.get(framework_id)
        topic = fw.topics.get(topic_id) if fw else None
        if topic is None:
            return topic_id
        title = topic.title.get(language)
        return f"{topic.clause} {title}" if topic.clause else title

    def section_title(self, framework_id: str, section_id: str, language: str) -> str:
        fw = self.frameworks.get(framework_id)
        for section in fw.sections if fw else ():
            if section.id == section_id:
                title = section.title.get(language)
                return f"{section.clause} {title}" if section.clause else title
        return section_id

    def question(self, framework_id: str, question_id: str) -> QuestionBase | None:
        fw = self.frameworks.get(framework_id)
        return fw.questions.get(question_id) if fw else None


def _effective(fw: Framework, profile: SectorProfile | None) -> Framework:
    """``effective_framework`` unless ``fw`` already carries the profile's sector section
    (``effective_framework`` remembers its result on the framework object itself)."""
    if (
        profile is not None
        and profile.sector_section is not None
        and any(s.id == profile.sector_section.id for s in fw.sections)
    ):
        return fw  # already effective
    return effective_framework(fw, profile)


def effective_frameworks(
    frameworks: Mapping[str, Framework], profile: SectorProfile | None
) -> dict[str, Framework]:
    """Each framework with the profile's sector section added (once) where it belongs."""
    return {fw_id: _effective(fw, profile) for fw_id, fw in frameworks.items()}


def _level_label(profile: SectorProfile | None, level_id: str, language: str) -> str:
    if level_id == "concept":
        return label("level_concept", language)
    for band in profile.levels if profile else ():
        if band.id == level_id:
            return band.label.get(language)
    return level_id


def level_label(profile: SectorProfile | None, level_id: str, language: str) -> str:
    """A level as people read it (the profile's band label, or the concept wording)."""
    return _level_label(profile, level_id, language)


def find_distribution(
    table: Mapping[str, Distribution], framework_id: str, item_id: str
) -> Distribution | None:
    """A benchmark entry by ``framework:item``, ``framework/item``, ``framework.item`` or bare id
    (the benchmark keys whichever way is unambiguous for its passport)."""
    for key in (
        f"{framework_id}:{item_id}",
        f"{framework_id}/{item_id}",
        f"{framework_id}.{item_id}",
        item_id,
    ):
        if key in table:
            return table[key]
    return None


def _benchmark_visible(benchmark: Benchmark | None) -> bool:
    return benchmark is not None and benchmark.group.scope != "none"


def benchmark_note(benchmark: Benchmark | None, language: str) -> str:
    """Which peer group the figures compare with, or why there is none (S9)."""
    if benchmark is None:
        return label("no_benchmark", language)
    group = benchmark.group
    if group.scope == "none":
        return label("too_few", language, k=group.k)
    if group.scope == "size_class" and group.size_class:
        text = label("peer_size_class", language, size=label(group.size_class, language), n=group.n)
    else:
        text = label("peer_sector", language, n=group.n)
    if benchmark.percentile_rank is not None:
        rank = format_number(benchmark.percentile_rank, language, 0)
        text += f"; {label('percentile_rank', language).lower()} {rank}"
    elif benchmark.band is not None:  # a draft: only its quartile band (S9)
        text += f"; {label('band', language).lower()}: {label(benchmark.band, language)}"
    return text


def _resolve_topic(ref: str, passport: Passport) -> tuple[str, str] | None:
    """A strength/weak point id ("t6_4_6" or "iso26000:t6_4_6") as (framework, topic)."""
    for sep in (":", "/", "."):
        if sep in ref:
            fw_id, topic_id = ref.split(sep, 1)
            if fw_id in passport.scorecards:
                return fw_id, topic_id
    for fw_id, card in passport.scorecards.items():
        if ref in card.topics:
            return fw_id, ref
    return None


def _topic_list(refs: Sequence[str], passport: Passport, lookup: _Lookup, language: str):
    items = []
    for ref in refs:
        found = _resolve_topic(ref, passport)
        if found is None:
            items.append(ref)
            continue
        fw_id, topic_id = found
        topic = passport.scorecards[fw_id].topics.get(topic_id)
        score = format_score(topic.score if topic else None, language)
        items.append(f"{lookup.topic_title(fw_id, topic_id, language)} ({score})")
    return tuple(items)


def _kpi_number(value: float | None, language: str) -> str:
    if value is None:
        return "-"
    return format_number(value, language, 2 if abs(value) < 10 else 1)


@lru_cache(maxsize=4096)
def _clause_key(clause: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", clause))


def _vsme_key(code: str) -> tuple[str, int]:
    return code[0], int(code[1:])


@dataclass(frozen=True)
class _QuestionIndex:
    """What the passport needs of a framework's questions, gathered once per framework object:
    the references each question cites (only questions that cite any) and the text questions."""

    mappings: dict[str, tuple[tuple[str, ...], tuple, tuple[int, ...], tuple, tuple]]
    text_questions: frozenset[str]


def _question_index(fw: Framework) -> _QuestionIndex:
    """The ``_QuestionIndex`` of ``fw``, remembered on the framework object (a batch prints
    thousands of passports against the same few frameworks)."""
    cached = fw.derived.get("exports.question_index")
    if cached is not None:
        return cached
    mappings = {}
    for question_id, question in fw.questions.items():
        m = question.mappings
        if m.is_empty():
            continue
        mappings[question_id] = (
            tuple(m.iso26000),
            tuple((g.standard, g.disclosure, g.year) for g in m.gri),
            tuple(m.sdg),
            tuple(m.efqm),
            tuple(m.vsme),
        )
    text = frozenset(q_id for q_id, q in fw.questions.items() if q.free_text)
    index = _QuestionIndex(mappings=mappings, text_questions=text)
    fw.derived["exports.question_index"] = index
    return index


@lru_cache(maxsize=1024)
def _reference_rows(
    language: str,
    iso: frozenset[str],
    gri: frozenset[tuple[str, str, int]],
    sdg: frozenset[int],
    efqm: frozenset[str],
    vsme: frozenset[str],
) -> tuple[tuple[str, str], ...]:
    """The reference rows of a set of cited codes, sorted and formatted (remembered: the
    passports of one profile cite the same codes again and again)."""
    rows: list[tuple[str, str]] = []
    if iso:
        rows.append((label("ref_iso", language), ", ".join(sorted(iso, key=_clause_key))))
    if gri:
        codes = sorted(gri, key=lambda g: (_clause_key(g[1]), g[2]))
        rows.append((label("ref_gri", language), ", ".join(f"{s}: {d} ({y})" for s, d, y in codes)))
    if sdg:
        rows.append((label("ref_sdg", language), ", ".join(f"SDG {n}" for n in sorted(sdg))))
    if efqm:
        rows.append((label("ref_efqm", language), ", ".join(sorted(efqm))))
    if vsme:
        rows.append((label("ref_vsme", language), ", ".join(sorted(vsme, key=_vsme_key))))
    return tuple(rows)


def framework_references(
    cards: Iterable[ScoreCard], lookup: _Lookup, language: str
) -> tuple[tuple[str, str], ...]:
    """ISO 26000 clauses, GRI codes with standard year, SDGs, EFQM and VSME ids cited by the
    visible questions of the passport (from each question's ``mappings``)."""
    iso: set[str] = set()
    gri: set[tuple[str, str, int]] = set()
    sdg: set[int] = set()
    efqm: set[str] = set()
    vsme: set[str] = set()
    for card in cards:
        fw = lookup.frameworks.get(card.framework)
        if fw is None:
            continue
        cited = _question_index(fw).mappings
        for question_id, result in card.questions.items():
            m = cited.get(question_id)
            if m is None or result.status == "hidden":
                continue
            iso.update(m[0])
            gri.update(m[1])
            sdg.update(m[2])
            efqm.update(m[3])
            vsme.update(m[4])
    return _reference_rows(
        language, frozenset(iso), frozenset(gri), frozenset(sdg), frozenset(efqm), frozenset(vsme)
    )


def _footer(passport_cards: Iterable[ScoreCard], profile: SectorProfile | None, language: str):
    parts = [f"{card.framework} {card.framework_version}" for card in passport_cards]
    if profile is not None:
        parts.append(f"{profile.id} {profile.version}")
    return f"{label('versions', language)}: " + " · ".join(parts)


def _topic_table(
    card: ScoreCard,
    lookup: _Lookup,
    benchmark: Benchmark | None,
    language: str,
) -> Table:
    show = _benchmark_visible(benchmark)
    header = [label("topic", language), label("materiality", language), label("score", language)]
    if show:
        header += [label("median", language), label("quartiles", language)]
    rows: list[tuple[str, ...]] = []
    emphasis: set[int] = set()
    fw = lookup.frameworks.get(card.framework)
    section_order = [s.id for s in fw.sections] if fw else list(card.sections)
    for section_id in section_order:
        section = card.sections.get(section_id)
        if section is None:
            continue
        emphasis.add(len(rows))
        row = [
            lookup.section_title(card.framework, section_id, language),
            "",
            format_score(section.score, language),
        ]
        if show:
            row += _distribution_cells(
                find_distribution(benchmark.sections, card.framework, section_id), language
            )
        rows.append(tuple(row))
        for topic_id, topic in card.topics.items():
            if topic.section != section_id or topic.materiality == 0:
                continue
            row = [
                lookup.topic_title(card.framework, topic_id, language),
                str(topic.materiality),
                format_score(topic.score, language),
            ]
            if show:
                row += _distribution_cells(
                    find_distribution(benchmark.topics, card.framework, topic_id), language
                )
            rows.append(tuple(row))
    title = label("topics", language)
    if fw is not None:
        title = f"{title}: {fw.title.get(language)}"
    return Table(title=title, header=tuple(header), rows=tuple(rows), emphasis=frozenset(emphasis))


def _distribution_cells(dist: Distribution | None, language: str) -> list[str]:
    if dist is None:
        return ["-", "-"]
    return list(_distribution_text(dist.median, dist.p25, dist.p75, language))


@lru_cache(maxsize=4096)
def _distribution_text(median: float, p25: float, p75: float, language: str) -> tuple[str, str]:
    """Median and quartile range as printed (remembered: one peer group's benchmark is printed
    on every passport of the group)."""
    quartiles = f"{format_number(p25, language)} - {format_number(p75, language)}"
    return format_number(median, language), quartiles


def _radar(card: ScoreCard, lookup: _Lookup, benchmark: Benchmark | None, language: str):
    fw = lookup.frameworks.get(card.framework)
    order = [s.id for s in fw.sections] if fw else list(card.sections)
    ids = [s for s in order if s in card.sections]
    if len(ids) < 3:
        return None
    # whole titles: the renderers break them into lines (``exports.appearance.label_lines``)
    labels = [lookup.section_title(card.framework, s, language) for s in ids]
    values = tuple(card.sections[s].score or 0.0 for s in ids)
    median = None
    legend = (label("you", language),)
    if _benchmark_visible(benchmark):
        dists = [find_distribution(benchmark.sections, card.framework, s) for s in ids]
        if all(d is not None for d in dists):
            median = tuple(d.median for d in dists)
            legend = (label("you", language), label("median", language))
    title = fw.title.get(language) if fw is not None else card.framework
    return RadarChart(
        title=title, labels=tuple(labels), values=values, median=median, legend=legend
    )


def _notes(cards: Iterable[ScoreCard], lookup: _Lookup, language: str):
    notes = []
    for card in cards:
        fw = lookup.frameworks.get(card.framework)
        if fw is None:
            continue
        text_questions = _question_index(fw).text_questions
        for question_id, result in card.questions.items():
            if question_id not in text_questions:
                continue
            question = fw.questions[question_id]
            if (
                result.status == "answered"
                and isinstance(result.value, str)
                and result.value.strip()
            ):
                notes.append((question.text.get(language), result.value))
    return tuple(notes)


def build_passport_document(
    passport: Passport,
    frameworks: Mapping[str, Framework],
    profile: SectorProfile | None,
    benchmark: Benchmark | None = None,
    language: str = "nl",
    actions: Sequence[Any] | None = None,
) -> PassportDocument:
    """What the passport PDF of ``passport`` says, in ``language`` ("nl" or "en");
    ``actions`` (``exports.actionplan.PlannedAction``) add the action plan."""
    lookup = _Lookup(effective_frameworks(frameworks, profile))
    cards = list(passport.scorecards.values())
    org = passport.organisation
    org_name = org.name if org else "-"
    sector = profile.name.get(language) if profile else passport.profile
    facts: list[tuple[str, str]] = [
        (label("organisation", language), org_name),
        (label("kbo", language), format_kbo(org.kbo) if org else "-"),
        (label("sector", language), sector),
        (label("year", language), str(passport.year) if passport.year else "-"),
        (label("status", language), label(f"status_{passport.status}", language)),
    ]
    if org is not None and org.fte is not None:
        facts.append((label("size_class", language), label(size_class(org.fte), language)))
    comparison = _comparison(passport, profile, language)
    if comparison is not None:
        facts.append((comparison.title, comparison.delta))
    efqm = None
    for card in cards:
        if card.efqm_points is not None:
            fw = lookup.frameworks.get(card.framework)
            total = f" / {fw.points_total}" if fw is not None and fw.points_total else ""
            points = format_number(card.efqm_points, language)
            efqm = f"{points}{total} {label('efqm_points', language)}"
            break
    level = _level_label(profile, passport.level, language)
    if passport.capped:
        why = "level_gated" if passport.gate_capped else "level_capped"
        level = f"{level} ({label(why, language)})"

    plan = _plan_steps(passport, lookup, language)
    plan_rows: list[tuple[str, ...]] = []
    plan_emphasis: set[int] = set()
    for step in plan:
        if not plan_rows or step.topic != _last_topic(plan, step):
            plan_emphasis.add(len(plan_rows))
            plan_rows.append(("", step.topic, "", ""))
        plan_rows.append((str(step.number), step.question, step.gain, step.advice))
    improvement = Table(
        title=label("improvement_plan", language),
        header=(
            label("step", language),
            label("question", language),
            label("gain", language),
            label("advice", language),
        ),
        rows=tuple(plan_rows),
        emphasis=frozenset(plan_emphasis),
    )

    show = _benchmark_visible(benchmark)
    kpi_labels = {k.id: k.label.get(language) for k in profile.kpis} if profile else {}
    kpi_header = [label("kpi", language), label("value", language), label("unit", language)]
    if show:
        kpi_header.append(label("median", language))
    banded = profile is not None and any(k.thresholds is not None for k in profile.kpis)
    if banded:  # the sector's thresholds (issue 13 item 5), never part of the score
        kpi_header.append(label("kpi_band", language))
    kpi_rows = []
    for kpi in passport.kpis:
        row = [
            kpi_labels.get(kpi.kpi, kpi.kpi),
            _kpi_number(kpi.value, language)
            if kpi.value is not None
            else label("not_answered", language),
            unit_label(kpi.unit, language),
        ]
        if show:
            dist = benchmark.kpis.get(kpi.kpi)
            row.append(_kpi_number(dist.median, language) if dist else "-")
        if banded:
            row.append(label(f"kpi_band_{kpi.band}", language) if kpi.band else "-")
        kpi_rows.append(tuple(row))
    kpis = Table(title=label("kpis", language), header=tuple(kpi_header), rows=tuple(kpi_rows))

    radars = tuple(r for r in (_radar(c, lookup, benchmark, language) for c in cards) if r)
    title = label("passport_title", language)
    if profile is not None:
        title = f"{title} {profile.name.get(language)}"
    if passport.year:
        title = f"{title} {passport.year}"
    return PassportDocument(
        language=language,
        title=title,
        organisation=org_name,
        concept=passport.status != "submitted",
        facts=tuple(facts),
        level=level,
        level_id=passport.level,
        overall=f"{format_score(passport.overall, language)} / 100",
        efqm=efqm,
        completeness=_completeness(passport, language),
        benchmark_note=benchmark_note(benchmark, language),
        radars=radars,
        topic_tables=tuple(_topic_table(c, lookup, benchmark, language) for c in cards),
        strengths=_topic_list(passport.strengths, passport, lookup, language),
        weak_points=_topic_list(passport.weak_points, passport, lookup, language),
        improvement=improvement,
        kpis=kpis,
        notes=_notes(cards, lookup, language),
        references=framework_references(cards, lookup, language),
        footer=_footer(cards, profile, language),
        plan=plan,
        comparison=comparison,
        actions=_action_plan(actions, passport, lookup, language),
        red_flags=red_flags(passport, lookup, language),
        to_check=to_check(passport, lookup, language),
        legal=legal_notes(passport, lookup, language),
    )


def legal_notes(passport: Passport, lookup: _Lookup, language: str) -> tuple[tuple[str, str], ...]:
    """(what the law asks, source) of every legal threshold that applies at the organisation's
    FTE in the passport's frameworks (``Framework.legal_notes``): shown as information, never
    score. None without a known FTE."""
    fte = passport.organisation.fte if passport.organisation is not None else None
    seen: dict[str, tuple[str, str]] = {}
    for card in passport.scorecards.values():
        fw = lookup.frameworks.get(card.framework)
        for note in fw.legal_notes(fte) if fw is not None else ():
            text = note.text.get(language)
            seen.setdefault(text, (text, note.source))
    return tuple(seen.values())


def _action_plan(
    actions: Sequence[Any] | None, passport: Passport, lookup: _Lookup, language: str
) -> Table | None:
    if actions is None:
        return None
    from exports.actionplan import action_plan_table  # noqa: PLC0415 (it builds on Table)
    from frameworks.support_schemes import load_support_schemes  # noqa: PLC0415

    return action_plan_table(actions, passport, lookup.frameworks, load_support_schemes(), language)


def _completeness(passport: Passport, language: str) -> str:
    """S3: the completeness, with the "weet niet" answers counted apart."""
    text = format_percent(passport.completeness, language)
    if passport.find_out:
        text += f" ({label('dont_know_count', language, count=len(passport.find_out))})"
    return text


def red_flags(passport: Passport, lookup: _Lookup, language: str) -> tuple[tuple[str, ...], ...]:
    """S6a: (question, what the law asks, source) of every failed gate, as the passport and
    the results page show them."""
    flags = []
    for flag in passport.red_flags:
        question = lookup.question(flag.framework, flag.question)
        text = question.text.get(language) if question is not None else flag.question
        law = flag.law.get(language) or flag.law.get("nl", "")
        flags.append((text, law, flag.source))
    return tuple(flags)


def to_check(passport: Passport, lookup: _Lookup, language: str) -> tuple[tuple[str, str], ...]:
    """ "Te controleren": (question, why it does not fit) of every plausibility warning, as
    the passport and the results page show them."""
    items = []
    for item in passport.to_check:
        question = lookup.question(item.framework, item.question)
        text = question.text.get(language) if question is not None else item.question
        items.append((text, item.message.get(language) or item.message.get("nl", "")))
    return tuple(items)


def _plan_steps(passport: Passport, lookup: _Lookup, language: str) -> tuple[PlanStep, ...]:
    """The first ``PLAN_STEPS`` steps, grouped by topic (a topic is named once, its steps
    follow in order of gain; topics in order of their best step), numbered as printed."""
    by_topic: dict[tuple[str, str], list] = {}
    for step in passport.improvement_plan[:PLAN_STEPS]:
        by_topic.setdefault((step.framework, step.topic), []).append(step)
    steps: list[PlanStep] = []
    for (fw_id, topic_id), group in by_topic.items():
        topic = lookup.topic_title(fw_id, topic_id, language)
        for step in group:
            question = lookup.question(step.framework, step.question)
            text = question.text.get(language) if question is not None else step.question
            if step.find_out:
                text = f"{text} ({label('find_out', language)})"
            advice = question.advice.get(language) if question and question.advice else ""
            steps.append(
                PlanStep(
                    number=len(steps) + 1,
                    topic=topic,
                    question=text,
                    gain=f"+{format_number(step.gain, language)}",
                    advice=advice,
                )
            )
    return tuple(steps)


def _last_topic(plan: tuple[PlanStep, ...], step: PlanStep) -> str | None:
    """The topic of the step before ``step`` (None for the first)."""
    return plan[step.number - 2].topic if step.number > 1 else None


def _comparison(
    passport: Passport, profile: SectorProfile | None, language: str
) -> Comparison | None:
    """Last year's score and level beside this year's, the difference, and whether this year
    is still a draft (with its completeness)."""
    change = passport.change
    if change is None or change.previous_year is None:
        return None
    delta = change.overall_delta
    sign = "+" if delta is not None and delta >= 0 else ""
    previous_level = _level_label(profile, change.previous_level or "-", language)
    current_level = _level_label(profile, passport.level, language)
    previous = f"{format_score(change.previous_overall, language)} ({previous_level})"
    current = f"{format_score(passport.overall, language)} ({current_level})"
    year = passport.year or "-"
    draft_note = None
    if passport.status != "submitted":
        draft_note = label(
            "change_draft",
            language,
            year=year,
            previous=change.previous_year,
            completeness=format_percent(passport.completeness, language),
        )
    difference = f"{sign}{format_number(delta, language)}"
    rows = [
        (label("change_previous", language, year=change.previous_year), previous),
        (label("change_current", language, year=year), current),
        (label("change_delta", language), difference),
    ]
    if change.version_changes:
        # Like with like (README S9): a comparison across framework versions says so.
        several = len(change.version_changes) > 1
        before = ", ".join(
            f"{f} {b}" if several else b for f, (b, _) in sorted(change.version_changes.items())
        )
        now = ", ".join(
            f"{f} {a}" if several else a for f, (_, a) in sorted(change.version_changes.items())
        )
        rows.append(
            (
                label("change_version", language),
                label("change_version_value", language, previous=before, current=now),
            )
        )
    return Comparison(
        title=label("change", language, year=change.previous_year),
        rows=tuple(rows),
        delta=_change_sentence(delta, previous, current, change.previous_year, year, language),
        draft_note=draft_note,
    )


def _change_sentence(
    delta: float | None,
    previous: str,
    current: str,
    previous_year: object,
    year: object,
    language: str,
) -> str:
    """Last year's comparison as one sentence ("18,6 punten lager: van 47,3 (Op weg) in 2025
    naar 28,7 (Starter) in 2026"); a difference that rounds to 0,0 is "even hoog"."""
    values = {"previous": previous, "current": current, "previous_year": previous_year}
    values["year"] = year
    if delta is None:
        return label("change_unscored", language, **values)
    amount = format_number(abs(delta), language)
    if amount == format_number(0.0, language):
        return label("change_same", language, **values)
    key = "change_higher" if delta > 0 else "change_lower"
    return label(key, language, amount=amount, **values)


def build_scan_document(
    passport: Passport,
    framework: Framework,
    language: str = "nl",
    profiles: Sequence[SectorProfile] = (),
    actions: Sequence[Any] | None = None,
) -> ScanDocument:
    """The Start-to-MVO report of a scan scored against ``framework`` (its sections are the
    ISO 26000 core subjects); ``profiles`` are the sector passports to suggest (those whose
    NACE codes match the organisation's, or all where its NACE code is unknown)."""
    card = passport.scorecards.get(framework.id) or next(iter(passport.scorecards.values()))
    lookup = _Lookup({framework.id: framework})
    rows = []
    bars = []
    for section in framework.sections:
        result = card.sections.get(section.id)
        if result is None:
            continue
        title = lookup.section_title(framework.id, section.id, language)
        rows.append((title, format_score(result.score, language)))
        bars.append((title, result.score))
    steps = []
    for step in passport.improvement_plan[:3]:
        question = lookup.question(step.framework, step.question)
        text = (question.advice or question.text).get(language) if question else step.question
        title = question.text.get(language) if question is not None else step.question
        steps.append((title, text))
    org = passport.organisation
    nace = (org.nace or "") if org else ""
    suggested = []
    for profile in profiles:
        codes = profile.nace.codes
        if not nace or any(nace.startswith(c) or c.startswith(nace) for c in codes):
            suggested.append(f"{profile.name.get(language)} ({profile.federation})")
    facts = (
        (label("organisation", language), org.name if org else "-"),
        (label("kbo", language), format_kbo(org.kbo) if org else "-"),
        (label("year", language), str(passport.year) if passport.year else "-"),
    )
    return ScanDocument(
        language=language,
        title=label("scan_title", language),
        organisation=org.name if org else "-",
        concept=passport.status != "submitted",
        facts=facts,
        overall=f"{format_score(passport.overall, language)} / 100",
        results=Table(
            title=label("scan_results", language),
            header=(label("core_subject", language), label("score", language)),
            rows=tuple(rows),
        ),
        bars=tuple(bars),
        steps=tuple(steps),
        next_text=label("next_text", language),
        suggested=tuple(suggested),
        footer=_footer([card], None, language),
        actions=_action_plan(actions, passport, lookup, language),
        to_check=to_check(passport, lookup, language),
    )


def build_sector_report(
    profile: SectorProfile,
    frameworks: Mapping[str, Framework],
    statistics: SectorStatistics,
    *,
    year: int,
    size_class: str | None = None,
    members: Sequence[MemberPosition] = (),
    language: str = "nl",
) -> SectorReportDocument:
    """The sector benchmark report of ``profile`` for ``year`` (and one size class, or all).

    Every figure is a published cell of ``statistics`` (S9: k and complementary suppression
    already applied; a withheld count prints "< k"). ``members`` are the consenting members
    (S10), printed with their level and quartile band.
    """
    k = statistics.k
    lookup = _Lookup(effective_frameworks(frameworks, profile))
    years = statistics.years
    suppressed = label("suppressed", language, k=k)
    chosen = statistics.cell(year, size_class)

    def count_cell(n: int | None) -> str:
        return suppressed if n is None else str(n)

    part_rows = []
    for cls in (*SIZE_CLASSES, ALL):
        cells = [statistics.cell(y, cls) for y in years]
        part_rows.append(
            (
                label("total" if cls == ALL else cls, language),
                *(count_cell(c.n if c is not None else 0) for c in cells),
            )
        )
    participation = Table(
        title=label("participation", language),
        header=(label("size_class", language), *(str(y) for y in years)),
        rows=tuple(part_rows),
        emphasis=frozenset({len(part_rows) - 1}),
    )

    def withheld(dist: Distribution | None) -> str:
        return suppressed if dist is None else str(dist.n)

    boxplots: list[BoxPlot] = []
    dist_rows = []
    topic_rows = []
    topic_emphasis: set[int] = set()
    sections = chosen.sections if chosen is not None else {}
    topics = chosen.topics if chosen is not None else {}
    for included in profile.frameworks:
        fw = lookup.frameworks.get(included.id)
        if fw is None:
            continue
        for section in fw.sections:
            title = lookup.section_title(fw.id, section.id, language)
            d = sections.get(f"{fw.id}:{section.id}")
            if d is None:
                dist_rows.append((title, suppressed, "-", "-", "-", "-"))
            else:
                boxplots.append(BoxPlot(title, d.p25, d.median, d.p75, d.mean, d.n))
                dist_rows.append(
                    (
                        title,
                        str(d.n),
                        format_number(d.p25, language),
                        format_number(d.median, language),
                        format_number(d.p75, language),
                        format_number(d.mean, language),
                    )
                )
            topic_emphasis.add(len(topic_rows))
            topic_rows.append((title, "", ""))
            for topic in section.topics:
                if profile.materiality_of(fw.id, topic.id) == 0:
                    continue
                d = topics.get(f"{fw.id}:{topic.id}")
                median = format_number(d.median, language) if d is not None else "-"
                topic_rows.append(
                    (lookup.topic_title(fw.id, topic.id, language), withheld(d), median)
                )
    distribution = Table(
        title=label("distribution", language),
        header=(
            label("section", language),
            "n",
            "p25",
            label("median", language),
            "p75",
            label("mean", language),
        ),
        rows=tuple(dist_rows),
    )
    topic_medians = Table(
        title=label("topic_medians", language),
        header=(label("topic", language), "n", label("median", language)),
        rows=tuple(topic_rows),
        emphasis=frozenset(topic_emphasis),
    )
    kpi_rows = []
    for kpi in profile.kpis:
        d = chosen.kpis.get(kpi.id) if chosen is not None else None
        if d is not None:
            cells = (
                _kpi_number(d.p25, language),
                _kpi_number(d.median, language),
                _kpi_number(d.p75, language),
            )
        else:
            cells = ("-", "-", "-")
        kpi_rows.append(
            (kpi.label.get(language), unit_label(kpi.unit, language), withheld(d), *cells)
        )
    kpi_medians = Table(
        title=label("kpi_medians", language),
        header=(
            label("kpi", language),
            label("unit", language),
            "n",
            "p25",
            label("median", language),
            "p75",
        ),
        rows=tuple(kpi_rows),
    )
    member_rows = sorted(
        (
            m.organisation or "",
            format_kbo(m.kbo) if m.kbo else "",
            label(m.size_class or "unknown", language),
            label(m.band, language) if m.band else "-",
            _level_label(profile, m.level, language) if m.level else "-",
        )
        for m in members
    )
    members_table = Table(
        title=label("members", language),
        header=(
            label("organisation", language),
            "KBO",
            label("size_class", language),
            label("band", language),
            label("level", language),
        ),
        rows=tuple(member_rows),
    )
    footer = f"{label('versions', language)}: {profile.id} {profile.version}"
    title_size = f" · {label(size_class, language)}" if size_class else ""
    return SectorReportDocument(
        language=language,
        title=f"{label('sector_report_title', language)} {profile.name.get(language)} {year}"
        + title_size,
        facts=(
            (label("sector", language), profile.name.get(language)),
            (label("federation", language), profile.federation),
            (label("year", language), str(year)),
            (label("participants", language), count_cell(chosen.n if chosen else 0)),
        ),
        participation=participation,
        boxplots=tuple(boxplots),
        distribution=distribution,
        topic_medians=topic_medians,
        kpi_medians=kpi_medians,
        members=members_table,
        suppressed_note=label("suppressed_note", language, k=k),
        footer=footer,
        boxplot_note=label("boxplot_note", language),
    )
