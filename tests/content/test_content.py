"""The shipped content against the reference facts (framework content issue).

Every shipped framework and profile validates without errors; ISO 26000 has its 37 topics with
exact clauses; GRI codes exist with their standard's year (the rules check that on load); the
kwaliteitswijzer follows EFQM 2013's criteria and weights; every question is written in nl and
en with help and advice; no two questions share a text; profiles name existing topics and their
NACE codes do not overlap; the Markdown review docs are up to date.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from frameworks.catalogue import catalogue_markdown
from frameworks.loader import load_catalogue
from frameworks.models import Framework, MaturityQuestion, NumberQuestion
from frameworks.reference import reference

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK_IDS = ["iso26000", "gri", "kwaliteitswijzer", "start_to_mvo", "vsme"]
PROFILE_IDS = ["bouw", "voeding", "transport_logistiek", "ict", "retail", "sociale_economie"]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_every_shipped_file_validates_without_errors(catalogue):
    """`mvo validate` with no path must report no error on the shipped content."""
    assert [p.format() for p in catalogue.report.errors] == []


def test_the_five_frameworks_and_six_profiles_ship(catalogue):
    assert sorted(catalogue.frameworks) == sorted(FRAMEWORK_IDS)
    assert sorted(catalogue.profiles) == sorted(PROFILE_IDS)


def test_iso26000_has_the_37_topics_with_exact_clauses(catalogue):
    """6.2 as one topic plus the 36 numbered issues, in 7 core-subject sections."""
    iso = catalogue.frameworks["iso26000"]
    ref = reference()
    assert [s.clause for s in iso.sections] == list(ref.iso_core_subjects)
    clauses = [t.clause for t in iso.topics.values()]
    assert clauses == ["6.2", *ref.iso_issues]
    for section in iso.sections:
        for topic in section.topics:
            expected_section = ref.iso_issue_subject.get(topic.clause, topic.clause)
            assert section.clause == expected_section
            expected_title = ref.iso_issues.get(topic.clause) or ref.iso_core_subjects[topic.clause]
            assert topic.title.en == expected_title, topic.id
    assert all(1 <= len(t.questions) <= 4 for t in iso.topics.values())
    assert len(iso.questions) >= 90


def test_iso26000_questions_map_to_their_own_clause(catalogue):
    """Every ISO question maps at least to its topic's clause."""
    iso = catalogue.frameworks["iso26000"]
    for topic in iso.topics.values():
        for q in topic.questions:
            assert topic.clause in q.mappings.iso26000, q.id


def test_iso26000_maturity_levels_are_specific_to_each_question(catalogue):
    """Mostly maturity questions, each with its own five concrete levels."""
    iso = catalogue.frameworks["iso26000"]
    maturity = [q for q in iso.questions.values() if isinstance(q, MaturityQuestion)]
    assert len(maturity) >= len(iso.questions) / 2
    level_texts = Counter(tuple(level.en for level in q.levels or ()) for q in maturity)
    assert all(q.levels is not None for q in maturity)
    assert level_texts.most_common(1)[0][1] == 1  # no two questions share the same level set


def test_gri_has_at_least_35_disclosures_with_standard_and_year(catalogue):
    gri = catalogue.frameworks["gri"]
    disclosures = {
        (g.standard, g.year, g.disclosure) for q in gri.questions.values() for g in q.mappings.gri
    }
    assert len({d for _, _, d in disclosures}) >= 35
    ref = reference()
    for standard, year, disclosure in disclosures:
        assert ref.gri[standard].year == year and disclosure in ref.gri[standard].disclosures
        assert not ref.gri[standard].withdrawn


def test_gri_kpi_questions_exist_with_their_units(catalogue):
    """The KPIs of the sector profiles read these GRI datapoints."""
    gri = catalogue.frameworks["gri"]
    units = {
        "gri_2_7_employees": None,
        "gri_302_1_energy": "MWh",
        "gri_305_1_scope1": "tCO2e",
        "gri_305_2_scope2": "tCO2e",
        "gri_303_3_water": "m3",
        "gri_306_3_waste": "tonnes",
        "gri_403_9_injuries": None,
        "gri_403_9_hours_worked": None,
        "gri_404_1_training_hours": None,
    }
    for question_id, unit in units.items():
        question = gri.questions[question_id]
        assert isinstance(question, NumberQuestion), question_id
        if unit:
            assert question.unit == unit


def test_kwaliteitswijzer_follows_efqm_2013(catalogue):
    """9 criteria with the model's weights (sum 100), 32 sub-criteria, >= 2 aandachtspunten
    each on five described quality levels, and EFQM points out of 1000."""
    kw = catalogue.frameworks["kwaliteitswijzer"]
    ref = reference()
    assert [s.weight for s in kw.sections] == [c["weight_pct"] for c in ref.efqm_criteria]
    assert sum(s.weight for s in kw.sections) == 100
    assert kw.points_total == 1000
    expected_topics = [sub for c in ref.efqm_criteria for sub in c["sub_criteria"]]
    assert [t.id for t in kw.topics.values()] == [f"k{sub}" for sub in expected_topics]
    for topic in kw.topics.values():
        maturity = [q for q in topic.questions if isinstance(q, MaturityQuestion)]
        assert len(maturity) >= 2, topic.id
        assert all(q.levels or q.scale for q in maturity)
        assert all(topic.id[1:] in q.mappings.efqm for q in maturity), topic.id
    assert "EFQM" in kw.derivation.statement.en and kw.derivation.replaceable
    assert isinstance(kw.questions["kw_share_target_group"], NumberQuestion)
    assert isinstance(kw.questions["kw_transition_rate"], NumberQuestion)


def test_start_to_mvo_is_short_and_covers_all_core_subjects(catalogue):
    scan = catalogue.frameworks["start_to_mvo"]
    figures = [q for q in scan.questions.values() if isinstance(q, NumberQuestion)]
    assert 20 <= len(scan.questions) - len(figures) <= 30
    # issue 13 item 8: at most six optional, unscored figures that prefill the passport
    assert len(figures) <= 6 and not any(q.required or q.scored for q in figures)
    covered = {
        reference().iso_issue_subject.get(c, c)
        for q in scan.questions.values()
        for c in q.mappings.iso26000
        if c.startswith("6.")
    }
    assert covered == set(reference().iso_core_subjects)
    assert all(q.mappings.iso26000 for q in scan.questions.values())


def _all_questions(catalogue):
    for framework in catalogue.frameworks.values():
        yield framework.id, framework.questions.values()
    for profile in catalogue.profiles.values():
        if profile.sector_section:
            yield profile.id, [q for t in profile.sector_section.topics for q in t.questions]


def test_every_question_has_nl_and_en_text_help_and_advice(catalogue):
    """Text and help in both languages on every question; advice on every scored one."""
    missing = []
    for owner, questions in _all_questions(catalogue):
        for q in questions:
            if q.help is None:
                missing.append(f"{owner}/{q.id}: help")
            if q.scored and q.advice is None:
                missing.append(f"{owner}/{q.id}: advice")
    assert missing == []


def test_no_two_questions_share_a_text(catalogue):
    """Across every framework and profile, in both languages."""
    for language in ("nl", "en"):
        texts = Counter(
            q.text.get(language).strip().lower()
            for _, questions in _all_questions(catalogue)
            for q in questions
        )
        assert [t for t, n in texts.items() if n > 1] == []


def test_profiles_weigh_existing_topics_and_include_their_frameworks(catalogue):
    for profile in catalogue.profiles.values():
        assert profile.frameworks[0].id == "iso26000"
        for framework_id, topics in profile.materiality.items():
            framework: Framework = catalogue.frameworks[framework_id]
            assert set(topics) <= set(framework.topics), profile.id
        assert 2 <= sum(len(t.questions) for t in profile.sector_section.topics) <= 6
        assert profile.kpis and profile.k >= 3
    assert any(
        f.id == "kwaliteitswijzer" for f in catalogue.profiles["sociale_economie"].frameworks
    )


def test_nace_codes_do_not_overlap_between_profiles(catalogue):
    codes = [(c.replace(".", ""), p.id) for p in catalogue.profiles.values() for c in p.nace.codes]
    for i, (a, owner_a) in enumerate(codes):
        for b, owner_b in codes[i + 1 :]:
            if owner_a != owner_b:
                assert not (a.startswith(b) or b.startswith(a)), (owner_a, a, owner_b, b)


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
def test_review_docs_are_rendered_from_the_current_content(catalogue, framework_id):
    """docs/frameworks/<id>.md must equal `mvo catalogue --format md` (run `make docs`)."""
    doc = ROOT / "docs" / "frameworks" / f"{framework_id}.md"
    assert doc.read_text(encoding="utf-8") == catalogue_markdown(
        catalogue.frameworks[framework_id], "nl"
    )
