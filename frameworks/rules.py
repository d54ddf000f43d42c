"""Cross-reference rules over loaded frameworks and sector profiles.

The pydantic models check each value on its own; these rules check what needs more than one
value: unique ids, conditions that point at earlier questions and values they can take,
mapping codes that exist (ISO 26000 clauses, GRI disclosures with their standard's year, VSME
and EFQM ids, from ``frameworks.reference``), ascending thresholds, profile references to
frameworks and topics, and the guards of the scoring rules (``scoring_rules``: no points for an
incident or for obeying the law, a "none" on every scale, a legal basis on every gate). Every
rule yields problems, located through the file's source map, so a report lists all of them at
once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from frameworks.models import (
    DEFAULT_LEVELS,
    CarryOver,
    Framework,
    QuestionBase,
    SectorProfile,
    split_ref,
    version_key,
)
from frameworks.problems import Problem, ProblemCode, SourceMap
from frameworks.reference import reference

QuestionPath = tuple[str | int, ...]


def _question_paths(
    framework: Framework, base: QuestionPath = ()
) -> Iterator[tuple[QuestionPath, QuestionBase]]:
    for si, section in enumerate(framework.sections):
        for ti, topic in enumerate(section.topics):
            for qi, question in enumerate(topic.questions):
                yield (*base, "sections", si, "topics", ti, "questions", qi), question


def check_framework(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    """Every cross-reference problem of one framework."""
    yield from _unique_ids(framework, source)
    yield from _questions(framework, source)
    yield from _section_weights(framework, source)
    if framework.carry_over is not None:
        yield from carry_over_rules(
            framework.carry_over, framework.version, set(framework.questions), source
        )


def _unique_ids(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    seen: dict[str, str] = {}

    def claim(kind: str, ident: str, path: QuestionPath) -> Problem | None:
        key = f"{kind}:{ident}"
        if key in seen:
            return source.problem(
                ProblemCode.DUPLICATE_ID,
                (*path, "id"),
                f"the {kind} id '{ident}' is used twice (first at {seen[key]}). Please either: "
                "rename one, or merge them.",
            )
        pos = source.locate((*path, "id"))
        seen[key] = f"line {pos[0]}" if pos else ".".join(map(str, path))
        return None

    for si, section in enumerate(framework.sections):
        if p := claim("section", section.id, ("sections", si)):
            yield p
        for ti, topic in enumerate(section.topics):
            if p := claim("topic", topic.id, ("sections", si, "topics", ti)):
                yield p
    for path, question in _question_paths(framework):
        if p := claim("question", question.id, path):
            yield p
        if question.answer_options:
            option_ids: set[str] = set()
            for oi, option in enumerate(question.answer_options):
                if option.id in option_ids:
                    yield source.problem(
                        ProblemCode.DUPLICATE_ID,
                        (*path, "options", oi, "id"),
                        f"the option id '{option.id}' is used twice in question "
                        f"'{question.id}'. Please rename one.",
                    )
                option_ids.add(option.id)


def _questions(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    ref = reference()
    earlier: dict[str, QuestionBase] = {}
    all_ids = set(framework.questions)
    for path, question in _question_paths(framework):
        yield from _condition(question, path, earlier, all_ids, source)
        yield from _plausibility(question, path, earlier, all_ids, source, own=framework.id)
        for key, code, message in question.definition_problems(framework):
            yield source.problem(code, (*path, key), message)
        if question.scored and question.advice is None:
            yield source.problem(
                ProblemCode.MISSING_TEXT,
                (*path, "id"),
                f"scored question '{question.id}' has no 'advice' (the improvement tip the "
                "plan shows). Please add advice in nl and en.",
                "warning",
            )
        yield from _mappings(question, path, source, ref)
        yield from scoring_rules(question, path, source)
        yield from _gate_level(question, path, source, [b.id for b in DEFAULT_LEVELS])
        yield from source_checks(question, path, source)
        earlier[question.id] = question


#: Words of an incident (a conviction, fine, sanction, case). A question whose points depend on
#: its answer may not be phrased with them: points for "no fine" reward luck or silence.
INCIDENT_WORDS = re.compile(
    r"\b(veroordee?l\w*|boetes?|beboet\w*|sancties?|gesanctioneerd|procedures? wegens|"
    r"convict\w*|fined|fines?|penalt\w*|sanction\w*|prosecut\w*)\b",
    re.IGNORECASE,
)


def scoring_rules(
    question: QuestionBase, path: QuestionPath, source: SourceMap
) -> Iterator[Problem]:
    """The guards of the scoring rules (README "How scores are computed") on one question.

    - S1: an incident (``kind: incident`` or ``fact``, or a text with incident words) earns no
      points that depend on its answer: ask it plainly, unscored (``points: 0``).
    - S1: a scale (a choice whose options earn different points) has a "none" option worth 0.
    - S6a: a gate is a legal obligation, never points: the question is unscored, the gate names
      its legal basis (``law`` nl/en and ``source``) and fails on values the question can take.
    - S3: "weet niet" only on the types that offer it (yes/no, choice).
    """
    rewards = question.rewards_answer
    if rewards and question.kind != "practice":
        yield source.problem(
            ProblemCode.SCORED_INCIDENT,
            (*path, "kind"),
            f"question '{question.id}' is a {question.kind}, but its answer earns points (S1: "
            "an incident or fact is asked plainly, never scored). Please either: make it "
            "unscored ('points: 0' or no thresholds), or change its kind.",
        )
    elif rewards:
        words = INCIDENT_WORDS.search(question.text.nl) or INCIDENT_WORDS.search(question.text.en)
        if words:
            yield source.problem(
                ProblemCode.SCORED_INCIDENT,
                (*path, "text"),
                f"scored question '{question.id}' is phrased as an incident ('{words.group(0)}'):"
                " points for not being convicted or fined reward luck, not practice (S1). Please "
                "either: ask it plainly as 'kind: incident' with 'points: 0' (a legal obligation "
                "becomes a 'gate'), or rephrase it as a practice.",
            )
    if question.lacks_none():
        yield source.problem(
            ProblemCode.SCALE_WITHOUT_NONE,
            (*path, "options"),
            f"the scale of '{question.id}' has no 'none' option: its lowest option earns "
            f"{min(o.points for o in question.answer_options):g} points, so doing nothing "
            "scores above 0 (S1). Please add an option for 'none / not yet' worth 0 points.",
        )
    if question.allow_dont_know and not question.offers_dont_know:
        yield source.problem(
            ProblemCode.DONT_KNOW_TYPE,
            (*path, "allow_dont_know"),
            f"'weet niet' is offered on yes/no and choice questions only; '{question.id}' is a "
            f"{question.type} question (S3). Please remove 'allow_dont_know'.",
        )
    gate = question.gate
    if gate is None:
        return
    if _points_for_compliance(question):
        yield source.problem(
            ProblemCode.SCORED_GATE,
            (*path, "gate"),
            f"question '{question.id}' has a gate and earns points for meeting it: a legal "
            "obligation not met caps the level, it is never a few points less (S6a). Please "
            "either: make it unscored ('points: 0'), or give the failing options 0 points and "
            "score only what goes beyond the law.",
        )
    missing = [
        name
        for name, value in (("law", gate.law), ("source", gate.source))
        if value is None or (isinstance(value, str) and not value.strip())
    ]
    if missing:
        yield source.problem(
            ProblemCode.GATE_WITHOUT_LEGAL_BASIS,
            (*path, "gate"),
            f"the gate of '{question.id}' has no legal basis ({' and '.join(missing)} missing): "
            "a red flag must say what the law asks and where (S6a). Please add 'law' (nl, en) "
            "and 'source' (the act and article), or remove the gate.",
        )
    allowed = question.condition_values()
    bad = [
        v
        for v in gate.fails
        if allowed is None
        or v not in allowed
        or isinstance(v, bool)
        and not any(a is v for a in allowed)
    ]
    if bad:
        shown = ", ".join(sorted(str(v) for v in allowed or () if not isinstance(v, bool)))
        yield source.problem(
            ProblemCode.GATE_VALUE,
            (*path, "gate", "fails"),
            f"the gate of '{question.id}' fails on {', '.join(map(str, bad))}, which the "
            f"question can never be. Please use one of: {shown or 'none (no values)'}.",
        )


def _points_for_compliance(question: QuestionBase) -> bool:
    """Whether a gate question's points reward meeting the gate itself: any scored question
    without options (a yes/no), or options where a failing one earns points or all the
    others earn the same (so the only distinction scored is pass or fail)."""
    if not question.scored or question.gate is None:
        return False
    if not question.answer_options:
        return True
    fails = {v for v in question.gate.fails if isinstance(v, str)}
    failing = [o.points for o in question.answer_options if o.id in fails]
    passing = {o.points for o in question.answer_options if o.id not in fails}
    return any(p > 0 for p in failing) or len(passing) <= 1


def _gate_level(
    question: QuestionBase, path: QuestionPath, source: SourceMap, levels: list[str]
) -> Iterator[Problem]:
    gate = question.gate
    if gate is not None and gate.caps_at not in levels:
        yield source.problem(
            ProblemCode.UNKNOWN_LEVEL,
            (*path, "gate", "caps_at"),
            f"the gate of '{question.id}' caps at '{gate.caps_at}', which is not a level. "
            f"Please use one of: {', '.join(levels)}.",
        )


def source_checks(
    question: QuestionBase, path: QuestionPath, source: SourceMap, today: date | None = None
) -> Iterator[Problem]:
    """``checked`` (the day a source was read) beside a source, never in the future: on the
    help text, the gate and every legal note of ``question``."""
    today = today or date.today()
    places: list[tuple[QuestionPath, object]] = [((*path, "help"), question.help)]
    places.append(((*path, "gate"), question.gate))
    places += [((*path, "legal", i), note) for i, note in enumerate(question.legal)]
    for where, holder in places:
        checked = getattr(holder, "checked", None)
        if checked is None:
            continue
        if not getattr(holder, "source", None):
            yield source.problem(
                ProblemCode.SOURCE_CHECKED,
                (*where, "checked"),
                f"'{question.id}' says its source was checked on {checked} but names no "
                "source. Please either: add 'source' (what was read), or remove 'checked'.",
            )
        elif checked > today:
            yield source.problem(
                ProblemCode.SOURCE_CHECKED,
                (*where, "checked"),
                f"'{question.id}' says its source was checked on {checked}, after today "
                f"({today}). Please give the day the source was read.",
            )


def _condition(
    question: QuestionBase,
    path: QuestionPath,
    earlier: dict[str, QuestionBase],
    all_ids: set[str],
    source: SourceMap,
) -> Iterator[Problem]:
    condition = question.visible_if
    if condition is None:
        return
    where = (*path, "visible_if", "question")
    if condition.question == question.id:
        yield source.problem(
            ProblemCode.CONDITION_ORDER,
            where,
            f"question '{question.id}' depends on itself. Please point "
            "'visible_if' at an earlier question.",
        )
        return
    target = earlier.get(condition.question)
    if target is None:
        if condition.question in all_ids:
            yield source.problem(
                ProblemCode.CONDITION_ORDER,
                where,
                f"'visible_if' names '{condition.question}', which comes later. Please either:"
                " move that question before this one, or depend on an earlier question.",
            )
        else:
            yield source.problem(
                ProblemCode.UNKNOWN_QUESTION,
                where,
                f"'visible_if' names '{condition.question}', which does not exist. Please use "
                "the id of an earlier question.",
            )
        return
    allowed = target.condition_values()
    if condition.in_ is not None:
        if allowed is None:
            yield source.problem(
                ProblemCode.CONDITION_VALUE,
                (*path, "visible_if", "in"),
                f"'{target.id}' is a {target.type} question: compare it with 'gte', not 'in'.",
            )
        else:
            bad = [
                v
                for v in condition.in_
                # True == 1: a bool is allowed only where the values name the bool itself.
                if v not in allowed or isinstance(v, bool) and not any(a is v for a in allowed)
            ]
            if bad:
                shown = ", ".join(sorted(str(v) for v in allowed if not isinstance(v, bool)))
                yield source.problem(
                    ProblemCode.CONDITION_VALUE,
                    (*path, "visible_if", "in"),
                    f"'{target.id}' can never be {', '.join(map(str, bad))}. Please use one "
                    f"of: {shown}.",
                )
    elif not target.compares_as_number:
        yield source.problem(
            ProblemCode.CONDITION_VALUE,
            (*path, "visible_if", "gte"),
            f"'gte' compares numbers, but '{target.id}' is a {target.type} question. Please "
            "use 'in' with its values.",
        )


def _plausibility(
    question: QuestionBase,
    path: QuestionPath,
    earlier: Mapping[str, QuestionBase],
    all_ids: set[str],
    source: SourceMap,
    *,
    own: str,
    foreign: Mapping[str, Framework] | None = None,
    foreign_scope: str = "",
    local: bool = True,
) -> Iterator[Problem]:
    """``plausible_if`` compares with an earlier number question of its own framework (``own``)
    or with a number question of another framework, named ``framework:question`` (issue 13
    item 5). A file alone cannot see the other frameworks: those references are checked where
    ``foreign`` (the frameworks they may name; ``foreign_scope`` says why another is refused)
    is given; ``local=False`` checks only those."""
    for i, check in enumerate(getattr(question, "plausible_if", [])):
        for key, ref in check.references():
            where = (*path, "plausible_if", i, key)
            framework_id, name = split_ref(ref)
            if framework_id is None or framework_id == own:
                if not local:
                    continue
                target = earlier.get(name)
                if target is None:
                    later = name in all_ids and name != question.id
                    yield source.problem(
                        ProblemCode.PLAUSIBILITY_QUESTION,
                        where,
                        f"'plausible_if' of '{question.id}' names '{name}', which "
                        + ("comes later" if later else "is not an earlier question")
                        + ". Please either: move that question before this one, or compare "
                        "with an earlier number question.",
                    )
                    continue
            else:
                if foreign is None:
                    continue
                framework = foreign.get(framework_id)
                if framework is None:
                    yield source.problem(
                        ProblemCode.PLAUSIBILITY_QUESTION,
                        where,
                        f"'plausible_if' of '{question.id}' names framework '{framework_id}', "
                        f"which {foreign_scope}. Please either: fix the framework id, or "
                        "compare with a question of a framework that is there.",
                    )
                    continue
                target = framework.questions.get(name)
                if target is None:
                    yield source.problem(
                        ProblemCode.PLAUSIBILITY_QUESTION,
                        where,
                        f"'plausible_if' of '{question.id}' names '{ref}', but '{name}' is not "
                        f"a question of '{framework_id}'. Please use an id from `mvo "
                        f"catalogue --framework {framework_id}`.",
                    )
                    continue
            if not target.quantity:
                yield source.problem(
                    ProblemCode.PLAUSIBILITY_QUESTION,
                    where,
                    f"'plausible_if' of '{question.id}' names '{ref}', a {target.type} "
                    "question; it compares numbers. Please name a number question.",
                )


def check_cross_references(
    framework: Framework, frameworks: Mapping[str, Framework], source: SourceMap
) -> Iterator[Problem]:
    """The references of ``framework`` into other frameworks (``plausible_if`` naming
    ``gri:...``), against every framework of the catalogue."""
    known = ", ".join(sorted(frameworks)) or "none"
    for path, question in _question_paths(framework):
        yield from _plausibility(
            question,
            path,
            {},
            set(),
            source,
            own=framework.id,
            foreign=frameworks,
            foreign_scope=f"does not exist (known: {known})",
            local=False,
        )


def _mappings(
    question: QuestionBase, path: QuestionPath, source: SourceMap, ref
) -> Iterator[Problem]:
    mappings = question.mappings
    base = (*path, "mappings")
    for i, clause in enumerate(mappings.iso26000):
        if clause not in ref.iso_clauses:
            yield source.problem(
                ProblemCode.ISO_CLAUSE,
                (*base, "iso26000", i),
                f"'{clause}' is not an ISO 26000:2010 core subject, issue or principle. Please "
                "use a clause such as 6.4.6 (issues run 6.3.3..6.8.9) or 4.2..4.8.",
            )
    for i, gri in enumerate(mappings.gri):
        yield from _gri(gri, (*base, "gri", i), source, ref)
    for i, code in enumerate(mappings.vsme):
        if code not in ref.vsme:
            yield source.problem(
                ProblemCode.VSME_CODE,
                (*base, "vsme", i),
                f"'{code}' is not a VSME disclosure. Please use B1..B11 or C1..C9.",
            )
    for i, code in enumerate(mappings.efqm):
        if code not in ref.efqm_sub_criteria:
            yield source.problem(
                ProblemCode.EFQM_CODE,
                (*base, "efqm", i),
                f"'{code}' is not an EFQM 2013 sub-criterion. Please use one "
                "of 1a..1e, 2a..2d, 3a..3e, 4a..4e, 5a..5e, 6a..9b.",
            )


def _gri(gri, path: QuestionPath, source: SourceMap, ref) -> Iterator[Problem]:
    standard = ref.gri.get(gri.standard)
    if standard is None:
        yield source.problem(
            ProblemCode.GRI_CODE,
            (*path, "standard"),
            f"'{gri.standard}' is not a GRI standard in the reference table. Please check the "
            "number (topic standards: 201..207, 301..308, 401..418; new: 101..103).",
        )
        return
    if standard.withdrawn:
        yield source.problem(
            ProblemCode.GRI_WITHDRAWN,
            (*path, "standard"),
            f"'{gri.standard}: {standard.title}' was withdrawn ({standard.withdrawn}). Please "
            "map to {standard: GRI 2, year: 2021, disclosure: 2-27} instead.",
        )
        return
    if gri.year != standard.year:
        hint = ""
        if gri.standard in ("GRI 101", "GRI 102", "GRI 103") and gri.year == 2016:
            hint = (
                f" The 2016 standard with that number was replaced by GRI "
                f"{gri.standard[-1]} (2021)."
            )
        yield source.problem(
            ProblemCode.GRI_YEAR,
            (*path, "year"),
            f"{gri.standard} is '{standard.title}' ({standard.year}), not {gri.year}.{hint} "
            f"Please either: use year {standard.year}, or map to the standard you meant.",
        )
        return
    if gri.disclosure not in standard.disclosures:
        known = ", ".join(standard.disclosures) or "none listed"
        yield source.problem(
            ProblemCode.GRI_CODE,
            (*path, "disclosure"),
            f"'{gri.disclosure}' is not a disclosure of {gri.standard}: {standard.title} "
            f"(it has {known}). Please use one of those.",
        )


def _section_weights(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    weights = [s.weight for s in framework.sections]
    if any(w is not None for w in weights) and any(w is None for w in weights):
        missing = [s.id for s in framework.sections if s.weight is None]
        yield source.problem(
            ProblemCode.SECTION_WEIGHTS,
            ("sections",),
            f"some sections have a weight and {', '.join(missing)} do not; all sections then "
            "count equally. Please either: give every section a weight, or none.",
            "warning",
        )
    elif all(w is not None for w in weights) and abs(sum(weights) - 100) > 1e-9:
        yield source.problem(
            ProblemCode.SECTION_WEIGHTS,
            ("sections",),
            f"section weights add up to {sum(weights):g}, not 100; they are used as relative "
            "weights. Please either: make them add up to 100, or ignore this.",
            "warning",
        )


def carry_over_rules(
    block: CarryOver, version: str, question_ids: set[str], source: SourceMap
) -> Iterator[Problem]:
    """The ``carry_over`` block of a framework (or of a profile's sector questions, whose ids
    are ``question_ids``): an earlier version, ids that exist in this version, a renamed id
    that no longer exists, no question both renamed into and listed as not carried."""
    base = ("carry_over",)
    if version_key(block.from_version) >= version_key(version):
        yield source.problem(
            ProblemCode.CARRY_OVER_VERSION,
            (*base, "from"),
            f"carry_over.from is {block.from_version}, but this is version {version}: answers "
            "carry over from an earlier version. Please either: name the previous version, or "
            "raise 'version'.",
        )
    for old, new in block.renamed.items():
        if new not in question_ids:
            yield source.problem(
                ProblemCode.CARRY_OVER_QUESTION,
                (*base, "renamed", old),
                f"'{old}' is renamed to '{new}', which is no question of this version. Please "
                "either: fix the new id, or remove the line.",
            )
        if old in question_ids:
            yield source.problem(
                ProblemCode.CARRY_OVER_QUESTION,
                (*base, "renamed", old),
                f"'{old}' is renamed, but a question of this version still has that id. Please "
                "either: remove the line (the id kept its question), or rename the question.",
                key=True,
            )
    renamed_into = set(block.renamed.values())
    seen: set[str] = set()
    for gi, group in enumerate(block.not_carried):
        for ii, question_id in enumerate(group.ids):
            path = (*base, "not_carried", gi, "ids", ii)
            if question_id not in question_ids:
                hint = (
                    f" (it was renamed to '{block.renamed[question_id]}')"
                    if question_id in block.renamed
                    else ""
                )
                yield source.problem(
                    ProblemCode.CARRY_OVER_QUESTION,
                    path,
                    f"'{question_id}' under not_carried is no question of this version{hint}. "
                    "Please either: use the id of this version, or remove it.",
                )
            elif question_id in renamed_into or question_id in seen:
                yield source.problem(
                    ProblemCode.CARRY_OVER_QUESTION,
                    path,
                    f"'{question_id}' is listed twice (renamed into and not carried, or under "
                    "not_carried twice). Please either: keep it under not_carried only, or "
                    "remove the rename.",
                )
            seen.add(question_id)


def check_profile(
    profile: SectorProfile, frameworks: dict[str, Framework], source: SourceMap
) -> Iterator[Problem]:
    """Every problem of a sector profile against the frameworks it refers to."""
    from frameworks.compose import effective_framework

    included: dict[str, Framework] = {}
    for i, ref in enumerate(profile.frameworks):
        framework = frameworks.get(ref.id)
        if framework is None:
            known = ", ".join(sorted(frameworks)) or "none"
            yield source.problem(
                ProblemCode.UNKNOWN_FRAMEWORK,
                ("frameworks", i, "id"),
                f"framework '{ref.id}' does not exist (known: {known}). Please either: fix the "
                "id, or add the framework file.",
            )
            continue
        if ref.version is not None and ref.version != framework.version:
            yield source.problem(
                ProblemCode.FRAMEWORK_VERSION,
                ("frameworks", i, "version"),
                f"framework '{ref.id}' is version {framework.version}, not {ref.version}. "
                "Please either: update the version here, or ship that version.",
            )
        included[ref.id] = framework
    for framework_id, topics in profile.materiality.items():
        framework = included.get(framework_id)
        if framework is None:
            if framework_id in frameworks or not included:
                yield source.problem(
                    ProblemCode.UNKNOWN_FRAMEWORK,
                    ("materiality", framework_id),
                    f"materiality names framework '{framework_id}', which this profile does "
                    "not include. Please either: include it under 'frameworks', or remove it.",
                    key=True,
                )
            continue
        known_topics = set(effective_framework(framework, profile).topics)
        for topic_id, entry in topics.items():
            if entry.reason is None:
                yield source.problem(
                    ProblemCode.MATERIALITY_REASON,
                    ("materiality", framework_id, topic_id),
                    f"materiality {entry.value} of '{topic_id}' gives no reason. Please write "
                    "it as {value: N, reason: {nl: ..., en: ...}} with one line on why the "
                    "topic weighs this much in the sector.",
                    "warning",
                    key=True,
                )
            if topic_id not in known_topics:
                yield source.problem(
                    ProblemCode.UNKNOWN_TOPIC,
                    ("materiality", framework_id, topic_id),
                    f"'{topic_id}' is not a topic of '{framework_id}'. Please use a topic id "
                    f"from `mvo catalogue --framework {framework_id}`.",
                    key=True,
                )
    if profile.sector_section is not None and profile.frameworks[0].id in included:
        first = included[profile.frameworks[0].id]
        clash = set(first.questions) & {
            q.id for t in profile.sector_section.topics for q in t.questions
        }
        clash |= set(first.topics) & {t.id for t in profile.sector_section.topics}
        if clash:
            yield source.problem(
                ProblemCode.DUPLICATE_ID,
                ("sector_section",),
                f"sector questions or topics reuse ids of '{first.id}': {', '.join(sorted(clash))}."
                f" Please prefix them with '{profile.id}_'.",
            )
        if profile.sector_section.id in {s.id for s in first.sections}:
            yield source.problem(
                ProblemCode.DUPLICATE_ID,
                ("sector_section", "id"),
                f"the sector section id '{profile.sector_section.id}' is a section of "
                f"'{first.id}' already. Please rename it.",
            )
    level_ids = [band.id for band in profile.levels]
    if profile.sector_section is not None:
        first_id = profile.frameworks[0].id
        earlier: dict[str, QuestionBase] = dict(
            included[first_id].questions if first_id in included else {}
        )
        sector_ids = {q.id for t in profile.sector_section.topics for q in t.questions}
        others = {k: f for k, f in included.items() if k != first_id}
        for ti, topic in enumerate(profile.sector_section.topics):
            for qi, question in enumerate(topic.questions):
                path = ("sector_section", "topics", ti, "questions", qi)
                yield from scoring_rules(question, path, source)
                yield from _gate_level(question, path, source, level_ids)
                yield from source_checks(question, path, source)
                yield from _plausibility(
                    question,
                    path,
                    earlier,
                    sector_ids | set(earlier),
                    source,
                    own=first_id,
                    foreign=others,
                    foreign_scope="this profile does not include (it includes: "
                    f"{', '.join(included)})",
                )
                earlier[question.id] = question
    if profile.carry_over is not None:
        sector_ids = (
            {q.id for t in profile.sector_section.topics for q in t.questions}
            if profile.sector_section is not None
            else set()
        )
        yield from carry_over_rules(profile.carry_over, profile.version, sector_ids, source)
    for framework in included.values():
        for question in framework.questions.values():
            if question.gate is not None and question.gate.caps_at not in level_ids:
                yield source.problem(
                    ProblemCode.UNKNOWN_LEVEL,
                    ("levels",),
                    f"the gate of '{question.id}' ({framework.id}) caps at "
                    f"'{question.gate.caps_at}', which is not one of this profile's levels "
                    f"({', '.join(level_ids)}). Please add that band, or keep the default ones.",
                )
    mins = [band.min for band in profile.levels]
    if mins[0] != 0 or any(b <= a for a, b in zip(mins, mins[1:], strict=False)):
        yield source.problem(
            ProblemCode.LEVEL_ORDER,
            ("levels",),
            f"level bands must start at 0 and ascend strictly (got {mins}). Please sort them.",
        )
    if profile.level_cap.level not in {band.id for band in profile.levels}:
        yield source.problem(
            ProblemCode.UNKNOWN_LEVEL,
            ("level_cap", "level"),
            f"the cap level '{profile.level_cap.level}' is not one of the bands. Please use one "
            f"of: {', '.join(b.id for b in profile.levels)}.",
        )
    for i, kpi in enumerate(profile.kpis):
        framework = included.get(kpi.framework)
        if framework is None:
            yield source.problem(
                ProblemCode.KPI_QUESTION,
                ("kpis", i, "framework"),
                f"KPI '{kpi.id}' reads framework '{kpi.framework}', which this profile does not "
                "include. Please include it or pick another question.",
            )
            continue
        question = effective_framework(framework, profile).questions.get(kpi.question)
        if question is None or not question.quantity:
            what = "does not exist" if question is None else f"is a {question.type} question"
            yield source.problem(
                ProblemCode.KPI_QUESTION,
                ("kpis", i, "question"),
                f"KPI '{kpi.id}' reads '{kpi.question}', which {what}; a KPI reads a number "
                "question. Please name a number question of that framework.",
            )
        yield from _kpi_denominator(profile, i, included, source)
        if kpi.thresholds is not None and not (kpi.thresholds.source or kpi.thresholds.provisional):
            yield source.problem(
                ProblemCode.KPI_THRESHOLD_SOURCE,
                ("kpis", i, "thresholds"),
                f"the thresholds of KPI '{kpi.id}' name no source. Please either: give "
                "'source' (where the sector's figures come from), or mark them "
                "'provisional: true' (the federation's to set).",
            )


def _kpi_denominator(
    profile: SectorProfile, i: int, included: dict[str, Framework], source: SourceMap
) -> Iterator[Problem]:
    """A KPI's activity figure is a number question of an included framework."""
    from frameworks.compose import effective_framework

    of = profile.kpis[i].of
    if of is None or of.question is None:
        return
    framework = included.get(of.framework or "")
    question = (
        effective_framework(framework, profile).questions.get(of.question)
        if framework is not None
        else None
    )
    if question is None or not question.quantity:
        yield source.problem(
            ProblemCode.KPI_DENOMINATOR,
            ("kpis", i, "of", "question"),
            f"KPI '{profile.kpis[i].id}' divides by '{of.framework}.{of.question}', which is "
            "not a number question of a framework this profile includes. Please name one.",
        )


def check_nace_overlaps(
    profiles: Iterable[tuple[SectorProfile, SourceMap]],
) -> Iterator[Problem]:
    """NACE-BEL codes may belong to one profile only (a division covers its classes)."""
    claimed: list[tuple[str, str, str]] = []  # (code, version, profile id)
    for profile, source in profiles:
        for i, code in enumerate(profile.nace.codes):
            for other_code, version, owner in claimed:
                if version != profile.nace.version:
                    continue
                if _nace_overlap(code, other_code):
                    yield source.problem(
                        ProblemCode.NACE_OVERLAP,
                        ("nace", "codes", i),
                        f"NACE code {code} overlaps {other_code} of profile '{owner}'. Please "
                        "either: remove it here, or narrow one of them to non-overlapping "
                        "classes.",
                    )
            claimed.append((code, profile.nace.version, profile.id))


def _nace_overlap(a: str, b: str) -> bool:
    """Whether two NACE codes cover a common activity ('43' covers '43.21' and '43.210')."""
    da, db = a.replace(".", ""), b.replace(".", "")
    return da.startswith(db) or db.startswith(da)
