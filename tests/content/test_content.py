"""The shipped content against the reference facts (framework content issue).

Every shipped framework and profile validates without errors; ISO 26000 has its 37 topics with
exact clauses; GRI codes exist with their standard's year (the rules check that on load); the
kwaliteitswijzer follows EFQM 2013's criteria and weights; every question is written in nl and
en with help and advice; no two questions share a text; profiles name existing topics and their
NACE codes do not overlap; the Markdown review docs are up to date.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
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


# --- issue 13 (content): one dimension per scale, what is rewarded, materiality with reasons,
# facts to correct, the 2026 rules with sources, Start-to-MVO figures -------------------------

SHIPPED_YAML = sorted((ROOT / "frameworks").glob("*.yaml")) + sorted(
    (ROOT / "frameworks" / "sectors").glob("*.yaml")
)


def _question(catalogue, question_id):
    for _, questions in _all_questions(catalogue):
        for q in questions:
            if q.id == question_id:
                return q
    raise KeyError(question_id)


def test_every_materiality_value_carries_a_reason(catalogue):
    """Item 6: each profile's materiality value has a one-line reason in nl and en."""
    missing = [
        f"{p.id}/{fw}/{topic}"
        for p in catalogue.profiles.values()
        for fw, topics in p.materiality.items()
        for topic, entry in topics.items()
        if entry.reason is None or "\n" in entry.reason.nl or "\n" in entry.reason.en
    ]
    assert missing == []
    assert [p for p in catalogue.report.problems if p.code == "materiality-reason"] == []


@pytest.mark.parametrize(
    ("profile", "topic", "low", "high"),
    [
        ("bouw", "t6_3_5", 3, 3),
        ("transport_logistiek", "t6_5_4", 3, 3),
        ("transport_logistiek", "t6_8_8", 2, 2),
        ("transport_logistiek", "t6_3_5", 2, 3),
        ("retail", "t6_3_4", 2, 3),
        ("voeding", "t6_3_4", 2, 3),
        ("retail", "t6_7_8", 1, 3),
        ("voeding", "t6_4_6", 3, 3),
    ],
)
def test_sector_materiality_follows_the_sectors_own_text(catalogue, profile, topic, low, high):
    """Item 6: the values that contradicted the sector's own description."""
    assert low <= catalogue.profiles[profile].materiality_of("iso26000", topic) <= high


@pytest.mark.parametrize(
    "wrong",
    [
        "sloopopmetingsplan",
        "Checkin@Work",
        "Check-in@Work",
        "Federaal Leerrekening",
        "Water-link, Pidpa)",
        "Herwin (de koepel",
        "echt 30 dagen gold",
        "hearing loss, burn-out",
        "Een adviesraad zonder beslissingsmacht telt ook",
        "accountant reviewing the energy and staff figures, or an ISO 14001 audit that looks at",
        "met onder\n      meer VOKA en Unizo",
    ],
)
def test_corrected_facts_do_not_come_back(wrong):
    """Item 7: spellings and statements the expert review corrected."""
    hits = [f.name for f in SHIPPED_YAML if wrong in f.read_text(encoding="utf-8")]
    assert hits == []


def test_corrected_facts_say_what_is_right(catalogue):
    """Item 7: the corrections themselves (so deleting a help text cannot pass the test)."""
    gri = catalogue.frameworks["gri"]
    assert "Adelta" in gri.questions["gri_303_3_water"].help.nl
    assert "Burn-out staat niet op de Fedris-lijst" in (
        gri.questions["gri_403_10_occupational_disease"].help.nl
    )
    plan = gri.questions["gri_404_2_training_plan"].help
    assert all(s in plan.nl for s in ("onder 10", "van 10 tot 19", "1 opleidingsdag", "5 dagen"))
    assert "Federale Leerrekening" in gri.questions["gri_404_1_training_hours"].help.nl
    assert "ISAE 3000" in gri.questions["gri_2_5_assurance"].text.nl
    assert "adviesraad zonder beslissingsmacht is geen bestuursorgaan" in (
        gri.questions["gri_2_9_board_external"].help.nl
    )
    bouw = catalogue.profiles["bouw"]
    waste = next(
        q
        for t in bouw.sector_section.topics
        for q in t.questions
        if q.id.endswith("waste_sorted_share")
    )
    assert all(
        s in waste.help.nl
        for s in ("sloopopvolgingsplan", "1000 m³", "5000 m³", "250 m³", "Tracimat")
    )
    attendance = _question(catalogue, "bouw_attendance_registration")
    assert "500 000 euro" in attendance.help.nl and "Checkinatwork" in attendance.text.nl
    federation = catalogue.profiles["sociale_economie"].federation
    assert "Groep Maatwerk" in federation and "HERW!N" in federation
    fair = catalogue.frameworks["iso26000"].questions["iso_6_7_3_a"].help
    assert "laagste prijs van de 30 dagen" in fair.nl and "VI.18" in fair.source
    kw = catalogue.frameworks["kwaliteitswijzer"]
    assert "10/10/10/10/10/15/10/10/15 % (100/100/100/100/100/150/100/100/150 van 1000" in (
        kw.derivation.statement.nl
    )
    scan = catalogue.frameworks["start_to_mvo"]
    assert "Geen enkele organisatie heeft hem opgesteld, nagekeken of goedgekeurd" in (
        scan.derivation.statement.nl
    )


def test_start_to_mvo_header_counts_its_questions(catalogue):
    """Item 7: the file's header comment states the number of questions it has."""
    scan = catalogue.frameworks["start_to_mvo"]
    header = (ROOT / "frameworks" / "start_to_mvo.yaml").read_text(encoding="utf-8")[:200]
    figures = sum(isinstance(q, NumberQuestion) for q in scan.questions.values())
    assert f"({len(scan.questions) - figures} questions and {figures} optional figures" in (
        header.replace("\n# ", " ")
    )


def test_vsme_mappings_name_the_right_disclosures(catalogue):
    """Item 7: gift rule is B2/C2 (not B11), privacy and human-rights policies are not C7,
    the retail assortment is not GRI 204-1, and VSME B10 reads the unadjusted pay gap."""
    assert _question(catalogue, "st_gift_rule").mappings.vsme == ["B2", "C2"]
    for qid in ("gri_418_1_privacy_complaints", "iso_6_3_4_a", "iso_6_3_5_a"):
        assert "C7" not in _question(catalogue, qid).mappings.vsme, qid
    assortment = _question(catalogue, "retail_sustainable_assortment_share")
    assert "204-1" not in {g.disclosure for g in assortment.mappings.gri}
    assert "B10" not in _question(catalogue, "gri_405_2_pay_ratio_women_men").mappings.vsme
    gap = _question(catalogue, "gri_405_2_unadjusted_pay_gap")
    assert gap.mappings.vsme == ["B10"] and gap.allow_na and "150" in gap.help.nl
    vsme = catalogue.frameworks["vsme"].questions[
        "vsme_percentage_gap_in_pay_between_female_and_male_employees"
    ]
    assert [(s.framework, s.question) for s in vsme.vsme.sources] == [
        ("gri", "gri_405_2_unadjusted_pay_gap")
    ]


@pytest.mark.parametrize(
    ("question_id", "dates", "source"),
    [
        ("voeding_packaging_recyclable_share", ["12 augustus 2026"], "2025/40"),
        ("iso_6_6_6_a", ["30 december 2026", "30 juni 2027"], "2023/1115"),
        ("iso_6_7_4_a", ["13\n                december 2024", "13 december 2024"], "2023/988"),
        (
            "gri_405_2_unadjusted_pay_gap",
            ["7 juni\n                2026", "7 juni 2026"],
            "2023/970",
        ),
    ],
)
def test_the_2026_rules_are_dated_and_sourced(catalogue, question_id, dates, source):
    """Item 7: PPWR, EUDR, GPSR and the Pay Transparency Directive, each with a citable source."""
    question = _question(catalogue, question_id)
    assert question.help.source and source in question.help.source
    assert "eur-lex.europa.eu" in question.help.source
    assert any(date.replace("\n                ", " ") in question.help.nl for date in dates)


ONE_DIMENSION = {
    "iso26000": [
        "iso_6_2_c",
        "iso_6_3_6_b",
        "iso_6_3_6_c",
        "iso_6_3_8_a",
        "iso_6_3_8_b",
        "iso_6_3_8_c",
        "iso_6_3_8_d",
        "iso_6_5_3_b",
        "iso_6_5_3_d",
        "iso_6_7_3_b",
        "iso_6_7_3_d",
        "iso_6_7_7_b",
        "iso_6_7_7_d",
    ],
    "gri": [
        "gri_2_3_reporting_period",
        "gri_2_3_contact_point",
        "gri_205_2_anticorruption_training",
        "gri_205_2_anticorruption_communicated",
        "gri_306_2_waste_management",
        "gri_306_2_waste_prevention",
        "gri_403_2_risk_assessment",
        "gri_403_2_incident_investigation",
        "gri_413_2_nuisance_known",
        "gri_413_2_nuisance_managed",
        "gri_305_3_scope3_estimated",
        "gri_305_3_scope3",
    ],
    "kwaliteitswijzer": [
        "kw_1a_1",
        "kw_1a_3",
        "kw_1d_1",
        "kw_1d_3",
        "kw_4b_2",
        "kw_4b_3",
        "kw_4c_1",
        "kw_4c_3",
        "kw_4e_1",
        "kw_4e_3",
        "kw_6a_1",
        "kw_6a_3",
        "kw_9a_1",
        "kw_9a_3",
    ],
    "profiles": [
        "retail_refrigerant_checks",
        "retail_natural_refrigerants",
        "bouw_subcontractor_checks",
        "bouw_attendance_registration",
    ],
}
#: " en " followed by a second verb or question: two asks joined into one scale.
TWO_ASKS = r"\ben (heeft|neemt|registreert|stapt|geeft|onderzoekt|legt|kregen|waarderen|onderbouwt|beschermt|hoe|leeft|vooraf|inclusief|gekend|toegankelijk)\b"


@pytest.mark.parametrize("question_id", [q for ids in ONE_DIMENSION.values() for q in ids])
def test_listed_questions_ask_one_thing(catalogue, question_id):
    """Item 4: the double-barrelled questions were split (the first part keeps the id)."""
    import re

    question = _question(catalogue, question_id)
    assert not re.search(TWO_ASKS, question.text.nl), question.text.nl
    assert question.text.nl.count("?") == 1


@pytest.mark.parametrize(
    "question_id",
    [
        "iso_6_7_9_b",
        "ict_hardware_lifetime",
        "ict_gdpr_register",
        "sociale_economie_reasonable_accommodation",
        "st_customer_complaints",
    ],
)
def test_two_practices_in_one_question_became_a_multiple_choice(catalogue, question_id):
    """Item 4: where two independent practices were asked at once, each is its own option."""
    question = _question(catalogue, question_id)
    assert question.type == "multi" and len(question.options) >= 2
    assert all(o.points > 0 for o in question.options)


def test_scales_that_mixed_two_things_now_measure_one(catalogue):
    """Item 4/5: a "none" option, a tenant can reach level 3, no second criterion on the top
    option, and the legal minimum of waste sorting is not half of the points."""
    food = _question(catalogue, "voeding_food_safety_system")
    assert min(o.points for o in food.options) == 0 and "none" in food.option_ids
    assert "huurder" in _question(catalogue, "st_energy_saving").levels[3].nl
    reviews = {o.id: o for o in _question(catalogue, "iso_6_4_7_b").options}
    assert reviews["all"].label.nl == "Iedereen."
    placements = {o.id: o.label.nl for o in _question(catalogue, "iso_6_8_5_b").options}
    assert "mentor" not in placements["yearly"] and "mentor" not in placements["structural"]
    waste = _question(catalogue, "st_waste_sorting")
    legal_minimum = next(o for o in waste.options if o.id == "sorted")
    assert legal_minimum.points <= waste.max_points / 4


def test_start_to_mvo_figures_prefill_gri_and_vsme(catalogue):
    """Item 8: optional numbers with the GRI mapping they correspond to, named in VSME sources."""
    scan = catalogue.frameworks["start_to_mvo"]
    sources = {
        s.question
        for q in catalogue.frameworks["vsme"].questions.values()
        if q.vsme
        for s in q.vsme.sources
        if s.framework == "start_to_mvo"
    }
    figures = {
        "st_employees": "2-7",
        "st_turnover": "201-1",
        "st_electricity_kwh": "302-1",
        "st_gas_m3": "302-1",
        "st_fuel_litres": "302-1",
        "st_waste_tonnes": "306-3",
    }
    for qid, disclosure in figures.items():
        question = scan.questions[qid]
        assert isinstance(question, NumberQuestion) and not question.required
        assert (
            disclosure in {g.disclosure for g in question.mappings.gri} and question.mappings.vsme
        )
        assert qid in sources, qid


def test_start_to_mvo_names_follow_the_iso_questionnaire(catalogue):
    """Item 8: section titles as in the full ISO 26000 questionnaire; "KMO" spelled one way."""
    iso = {s.clause: s.title.nl for s in catalogue.frameworks["iso26000"].sections}
    scan = catalogue.frameworks["start_to_mvo"]
    assert {s.clause: s.title.nl for s in scan.sections} == iso
    import re

    def prose(text: str) -> str:  # ids and web addresses are not prose
        return re.sub(r"https?://\S+|\bid: *\S+", "", text)

    lower = [
        f.name
        for f in SHIPPED_YAML
        if f.name != "vsme.yaml" and re.search(r"\bkmo", prose(f.read_text(encoding="utf-8")))
    ]
    assert lower == []


@pytest.mark.parametrize(
    "question_id",
    [
        "bouw_frequency_rate",
        "transport_logistiek_frequency_rate",
        "voeding_frequency_rate",
        "sociale_economie_frequency_rate",
    ],
)
def test_a_sector_frequency_rate_scores_by_its_value(catalogue, question_id):
    """Item 5: a frequency rate of 200 no longer earns the point a rate of 5 earns."""
    question = _question(catalogue, question_id)
    assert question.points_for(5) == question.max_points > question.points_for(200) == 0


def test_what_is_rewarded_is_fair(catalogue):
    """Item 5: local buying rewards the chance given to Belgian suppliers (GRI 204-1's
    definition of local), not a share that punishes Fairtrade imports or ICT; community
    investment as a share of profit allows not applicable (loss, vzw)."""
    local = _question(catalogue, "iso_6_8_7_a")
    assert "België" in local.text.nl and "Fairtrade" in local.help.nl
    assert not any("%" in o.label.nl for o in local.options)
    assert "België" in _question(catalogue, "gri_204_1_local_spend").text.nl
    assert _question(catalogue, "iso_6_8_9_b").allow_na


def _checked_sources(catalogue):
    """(question id, where, day) of every source the shipped content marks as read."""
    found = []
    for _, questions in _all_questions(catalogue):
        for q in questions:
            holders = [("help", q.help), ("gate", q.gate)]
            holders += [(f"legal.{i}", note) for i, note in enumerate(q.legal)]
            for where, holder in holders:
                checked = getattr(holder, "checked", None)
                if checked is not None:
                    found.append((q.id, where, checked))
    return found


def test_every_source_marked_checked_has_its_row_in_docs_sources(catalogue):
    """Item 1: a ``checked:`` day says somebody read the source; docs/sources.md says what was
    read. Every marked question has a row there with the verdict "right" or "corrected" (read,
    and now as the source says), and none is marked after today (``mvo validate`` refuses that
    too)."""
    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| ")]
    marked = _checked_sources(catalogue)
    assert len(marked) >= 15
    for question_id, where, checked in marked:
        assert checked <= date.today(), (question_id, where)
        mine = [row for row in rows if f"`{question_id}`" in row]
        assert mine, f"{question_id} ({where}) is marked checked but has no row in docs/sources.md"
        verdicts = [row.rstrip(" |").split("|")[-1].strip() for row in mine]
        assert any(v.startswith(("right", "corrected")) for v in verdicts), (question_id, verdicts)
