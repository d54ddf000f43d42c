"""What the passport shows people (issue 11): the plan with question, gain and whole advice,
last year's comparison, translated units, whole radar labels, one definition of level colours
and radar orientation, size classes without double parentheses."""

from __future__ import annotations

from exports import appearance
from exports.documents import build_passport_document
from exports.pdf import render_passport
from exports.pdf.base import LEVEL_COLOURS
from exports.text import format_kbo, format_score, label, unit_label
from scoring.models import LevelChange
from tests.exports.export_helpers import pdf_pages_text, squash

ENGLISH_UNITS = ("per million hours", "hours/FTE", "count/FTE", "hours", "tonnes")


def test_plan_names_each_topic_once_and_shows_question_gain_and_whole_advice(
    passport, framework, profile
):
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "nl")
    topics = [s.topic for s in doc.plan]
    # a topic's steps are consecutive, so the topic heading is printed once
    runs = [t for i, t in enumerate(topics) if i == 0 or topics[i - 1] != t]
    assert len(runs) == len(set(runs))
    text = squash(
        "\n".join(pdf_pages_text(render_passport(passport, {framework.id: framework}, profile)))
    )
    for step, planned in zip(doc.plan, passport.improvement_plan, strict=False):
        question = framework.questions[planned.question]
        assert step.question == question.text.nl
        if question.advice is not None:
            assert step.advice == question.advice.nl
            assert squash(step.advice) in text
        assert squash(step.question) in text and step.gain in text
    heads = [r[1] for i, r in enumerate(doc.improvement.rows) if i in doc.improvement.emphasis]
    assert len(heads) == len(set(heads))


def test_comparison_shows_last_years_score_and_says_this_year_is_a_draft(
    passport, framework, profile
):
    change = LevelChange(
        previous_year=2025,
        previous_overall=58.34,
        previous_level="gevorderd",
        overall_delta=(passport.overall or 0) - 58.34,
        topic_deltas={},
    )
    draft = passport.model_copy(update={"change": change, "status": "draft"})
    doc = build_passport_document(draft, {framework.id: framework}, profile, None, "nl")
    values = dict(doc.comparison.rows)
    assert values["Score 2025"].startswith("58,3")
    assert doc.comparison.draft_note and "concept" in doc.comparison.draft_note
    assert "%" in doc.comparison.draft_note


def test_units_are_translated_in_dutch():
    for unit in ENGLISH_UNITS:
        assert unit_label(unit, "nl") != unit


def test_size_class_labels_have_no_double_parentheses():
    for size in ("micro", "small", "medium", "large"):
        text = label("peer_size_class", "nl", size=label(size, "nl"), n=7)
        assert "((" not in text and "))" not in text


def test_radar_labels_are_whole_and_wrapped(passport, framework, profile):
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "nl")
    for chart in doc.radars:
        for text in chart.labels:
            assert "…" not in text
            assert " ".join(appearance.label_lines(text)) == " ".join(text.split())


def test_level_colours_come_from_one_definition():
    for level, colour in appearance.LEVEL_COLOURS.items():
        assert LEVEL_COLOURS[level].hexval().lower().endswith(colour.lstrip("#").lower())
    angles = appearance.radar_angles(4)
    assert round(angles[0], 6) == round(3.141592653589793 / 2, 6)
    assert angles[1] < angles[0]  # clockwise


def test_boxplot_note_says_there_are_no_whiskers():
    assert "minimum" in label("boxplot_note", "nl")
    assert "whiskers" in label("boxplot_note", "en")


def _compared(passport, previous_overall: float, status: str = "submitted"):
    change = LevelChange(
        previous_year=2025,
        previous_overall=previous_overall,
        previous_level="gevorderd",
        overall_delta=(passport.overall or 0) - previous_overall,
        topic_deltas={},
    )
    return passport.model_copy(update={"change": change, "status": status})


def test_comparison_fact_is_one_clear_sentence_in_each_language(passport, framework, profile):
    """should read "18,6 punten lager: van 58,3 (…) in 2025 naar … in 2026" (issue 11: not
    "-18,6: 2025 58,3 (…) → …"), in the PDF too"""
    lower = _compared(passport, (passport.overall or 0) + 18.6)
    year = passport.year
    current = {lang: format_score(passport.overall, lang) for lang in ("nl", "en")}
    previous = {"nl": format_score(lower.change.previous_overall, "nl")}
    previous["en"] = format_score(lower.change.previous_overall, "en")
    words = {
        "nl": ("18,6 punten lager: van", "in 2025 naar"),
        "en": ("18.6 points lower: from", "in 2025 to"),
    }
    for language in ("nl", "en"):
        doc = build_passport_document(lower, {framework.id: framework}, profile, None, language)
        sentence = dict(doc.facts)[label("change", language, year=2025)]
        start, middle = words[language]
        assert sentence.startswith(f"{start} {previous[language]} ("), sentence
        assert f") {middle} {current[language]} (" in sentence, sentence
        assert sentence.endswith(f") in {year}"), sentence
        assert "→" not in sentence
        text = squash(
            "\n".join(
                pdf_pages_text(
                    render_passport(lower, {framework.id: framework}, profile, language=language)
                )
            )
        )
        assert squash(sentence) in text
    higher = _compared(passport, (passport.overall or 0) - 2.25)
    doc = build_passport_document(higher, {framework.id: framework}, profile, None, "nl")
    assert dict(doc.facts)["Ten opzichte van 2025"].startswith("2,2 punten hoger: van ")
    same = _compared(passport, (passport.overall or 0) + 0.01)
    doc = build_passport_document(same, {framework.id: framework}, profile, None, "en")
    sentence = dict(doc.facts)["Compared with 2025"]
    assert (
        sentence.startswith(f"the same score: from {current['en']} (") and "points" not in sentence
    )


def test_the_kbo_number_is_shown_in_the_belgian_format(passport, framework, profile):
    """should print 0403.170.701 (not 0403170701) in the passport, the one format of
    ``exports.text.format_kbo`` that the screen uses too (``app.kbo.display``)"""
    from app.kbo import display

    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "nl")
    assert dict(doc.facts)["Ondernemingsnummer (KBO)"] == "0403.170.701" == display("0403170701")
    text = "\n".join(pdf_pages_text(render_passport(passport, {framework.id: framework}, profile)))
    assert "0403.170.701" in text and "0403170701" not in text
    assert format_kbo(None) == "-" and format_kbo("p_3f2a") == "p_3f2a"
