"""The normalised, machine-readable questionnaire (``mvo catalogue``) and its Markdown overview.

``catalogue_dict`` is what other tools and the tests consume: sections with weights, topics
with their section, questions with type, weight, max points, N/A, conditions, options with
points and mappings. ``catalogue_markdown`` renders the same for a federation's reviewers, who
should not have to read YAML.
"""

from __future__ import annotations

from typing import Any

from frameworks.models import Framework, QuestionBase


def _question_dict(question: QuestionBase, language: str) -> dict[str, Any]:
    condition = question.visible_if
    out: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "text": question.text.get(language),
        "weight": question.weight,
        "max_points": question.max_points,
        "allow_na": question.allow_na,
        "required": question.required,
        "visible_if": condition.model_dump(by_alias=True, exclude_none=True) if condition else None,
        "options": [],
        "mappings": question.mappings.model_dump(exclude_defaults=True),
    }
    out.update(question.catalogue_fields(language))  # the type's own entries
    return out


def catalogue_dict(framework: Framework, language: str = "en") -> dict[str, Any]:
    """The framework as plain data; section ``weight`` is normalised to sum 1."""
    weights = framework.section_weights()
    return {
        "id": framework.id,
        "version": framework.version,
        "title": framework.title.get(language),
        "points_total": framework.points_total,
        "question_count": len(framework.questions),
        "sections": [
            {
                "id": section.id,
                "title": section.title.get(language),
                "clause": section.clause,
                "weight": weights[section.id],
                "topics": [
                    {
                        "id": topic.id,
                        "section": section.id,
                        "title": topic.title.get(language),
                        "clause": topic.clause,
                        "questions": [_question_dict(q, language) for q in topic.questions],
                    }
                    for topic in section.topics
                ],
            }
            for section in framework.sections
        ],
    }


def _levels(question: QuestionBase, framework: Framework, language: str) -> list[str]:
    return [level.get(language) for level in question.level_texts(framework)]


def catalogue_markdown(framework: Framework, language: str = "nl") -> str:
    """A readable overview of every section, topic and question, for reviewers."""
    weights = framework.section_weights()
    t = _LABELS.get(language, _LABELS["en"])
    lines = [
        f"# {framework.title.get(language)} (`{framework.id}` {framework.version})",
        "",
        framework.description.get(language),
        "",
        f"*{framework.derivation.statement.get(language)}*",
        "",
        f"{t['sources']}: "
        + "; ".join(f"{s.name} ({s.edition})" for s in framework.derivation.sources),
        "",
        f"{len(framework.sections)} {t['sections']}, {len(framework.topics)} {t['topics']}, "
        f"{len(framework.questions)} {t['questions']}.",
        "",
    ]
    for section in framework.sections:
        clause = f" ({section.clause})" if section.clause else ""
        lines += [
            f"## {section.title.get(language)}{clause} — {t['weight']} "
            f"{weights[section.id] * 100:.1f} %",
            "",
        ]
        for topic in section.topics:
            clause = f" — {topic.clause}" if topic.clause else ""
            lines += [f"### {topic.title.get(language)} (`{topic.id}`{clause})", ""]
            for q in topic.questions:
                flags = [q.type, f"{t['weight']} {q.weight:g}", f"max {q.max_points:g}"]
                if q.required:
                    flags.append(t["required"])
                if q.allow_na:
                    flags.append(t["na"])
                if q.evidence:
                    flags.append(t["evidence"])
                if q.allow_dont_know:
                    flags.append(t["dont_know"])
                if q.about_employees:
                    flags.append(t["employees"])
                if q.kind != "practice":
                    flags.append(t[q.kind])
                if q.visible_if:
                    cond = q.visible_if
                    test = f"in {cond.in_}" if cond.in_ is not None else f">= {cond.gte:g}"
                    flags.append(f"{t['shown_if']} {cond.question} {test}")
                lines.append(f"- **`{q.id}`** {q.text.get(language)} *({', '.join(flags)})*")
                if q.help:
                    lines.append(f"  - {t['help']}: {q.help.get(language)}")
                    if q.help.source:
                        lines.append(f"  - {t['source']}: {q.help.source}{_checked(q.help, t)}")
                for i, level in enumerate(_levels(q, framework, language)):
                    lines.append(f"  - {i}: {level}")
                lines += q.catalogue_notes(language, t)
                if q.gate:
                    fails = ", ".join(str(v) for v in q.gate.fails)
                    law = q.gate.law.get(language) if q.gate.law else ""
                    lines.append(
                        f"  - {t['gate']} ({fails} → {q.gate.caps_at}): {law} ({q.gate.source})"
                        + _checked(q.gate, t)
                    )
                for note in q.legal:
                    upto = f"–{note.below:g}" if note.below is not None else "+"
                    lines.append(
                        f"  - {t['legal']} {note.from_employees:g}{upto} FTE: "
                        f"{note.text.get(language)} ({note.source})" + _checked(note, t)
                    )
                if q.advice:
                    lines.append(f"  - {t['advice']}: {q.advice.get(language)}")
                refs = _references(q)
                if refs:
                    lines.append(f"  - {t['references']}: {refs}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _checked(holder: object, t: dict[str, str]) -> str:
    """`` (checked 2026-12-02)`` where the source carries the day it was read."""
    checked = getattr(holder, "checked", None)
    return f" ({t['checked']} {checked.isoformat()})" if checked else ""


_LABELS = {
    "nl": dict(
        sources="Bronnen",
        sections="secties",
        topics="onderwerpen",
        questions="vragen",
        weight="gewicht",
        required="verplicht",
        na="n.v.t. mogelijk",
        shown_if="getoond als",
        help="Uitleg",
        source="Bron",
        checked="nagekeken",
        not_scored="niet gescoord",
        unit="Eenheid",
        range="bereik",
        advice="Tip",
        references="Referenties",
        evidence="bewijsstuk gevraagd",
        dont_know="weet niet mogelijk",
        employees="niet gevraagd zonder werknemers",
        incident="incident, niet gescoord",
        fact="feit, niet gescoord",
        gate="Wettelijke drempel (gate)",
        legal="Wettelijk vanaf",
        to_check="Te controleren",
    ),
    "en": dict(
        sources="Sources",
        sections="sections",
        topics="topics",
        questions="questions",
        weight="weight",
        required="required",
        na="n/a allowed",
        shown_if="shown if",
        help="Help",
        source="Source",
        checked="checked",
        not_scored="not scored",
        unit="Unit",
        range="range",
        advice="Advice",
        references="References",
        evidence="evidence asked",
        dont_know="don't know allowed",
        employees="not asked without employees",
        incident="incident, not scored",
        fact="fact, not scored",
        gate="Legal gate",
        legal="Legal from",
        to_check="To check",
    ),
}


def _references(question: QuestionBase) -> str:
    m = question.mappings
    parts = []
    if m.iso26000:
        parts.append("ISO 26000 " + ", ".join(m.iso26000))
    if m.gri:
        parts.append(", ".join(g.code for g in m.gri))
    if m.efqm:
        parts.append("EFQM " + ", ".join(m.efqm))
    if m.sdg:
        parts.append("SDG " + ", ".join(map(str, m.sdg)))
    if m.vsme:
        parts.append("VSME " + ", ".join(m.vsme))
    return "; ".join(parts)
