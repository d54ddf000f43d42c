"""Framework versions that carry answers over (issue #13 item 10; README S9 "like with like").

A year answered on version 1.0 rolls into the next year on version 1.1: unchanged questions
carry their answers, renamed ids are followed, questions a version lists under
``carry_over.not_carried`` start empty, and the service says which answers were left and why.
Every test runs on SQLite and PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from app.services import assessments, carry_over
from app.services.messages import render
from app.services.values import encode_value
from app.store import Store
from app.store.models import AnswerRow, AssessmentRow, AuditRow, utcnow
from frameworks.loader import load_catalogue, shipped_catalogue

from .helpers import organisation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _store_year(store, org_id: int, row: dict, answers: dict) -> int:
    """Store an assessment as an earlier version left it: rows written directly, because the
    catalogue only ships the current version."""
    with store.write() as session:
        assessment = AssessmentRow(organisation_id=org_id, status="submitted", version=3, **row)
        session.add(assessment)
        session.flush()
        now = utcnow()
        session.execute(
            insert(AnswerRow),
            [
                {
                    "assessment_id": assessment.id,
                    "question_id": question_id,
                    "value": encode_value(value)[0],
                    "na": encode_value(value)[1],
                    "note": None,
                    "version": 1,
                    "updated_at": now,
                    "updated_by": None,
                    "source": "user",
                    "confirmed": False,
                }
                for question_id, value in answers.items()
            ],
        )
        return assessment.id


@pytest.fixture
def shipped_store(db_url):
    opened = Store(db_url, catalogue=shipped_catalogue())
    yield opened
    opened.dispose()


def test_a_2025_year_on_1_0_should_roll_into_2026_on_1_1_without_the_changed_questions(
    shipped_store,
):
    """iso26000 1.0 -> 1.1 under the ICT profile 1.0 -> 1.1: an unchanged maturity answer and
    an unchanged sector answer carry; the flipped incident question (iso_6_6_3_c), a question
    narrowed by a split (iso_6_2_c) and a sector question that became multiple choice
    (ict_gdpr_register, a yes/no in 1.0) do not, and each says why."""
    store = shipped_store
    org, sme = organisation(store, profile="ict")
    _store_year(
        store,
        org.id,
        {
            "framework": "iso26000",
            "framework_version": "1.0",
            "profile": "ict",
            "profile_version": "1.0",
            "year": 2025,
        },
        {
            "iso_6_6_6_a": 3,
            "iso_6_6_3_c": True,  # 1.0: "no conviction" was yes; 1.1: yes = it happened
            "iso_6_2_c": 2,
            "ict_accessibility": True,
            "ict_gdpr_register": True,
        },
    )
    started = assessments.start_assessment(store, sme, org.id, 2026)
    with store.read() as session:
        row = session.get(AssessmentRow, started.id)
        assert (row.framework_version, row.profile_version) == ("1.1", "1.1")
    assert started.answer_values() == {"iso_6_6_6_a": 3, "ict_accessibility": True}

    left = {n.question: n for n in carry_over.not_carried(store, sme, started.id)}
    assert {q: n.reason for q, n in left.items()} == {
        "iso_6_6_3_c": carry_over.CHANGED,
        "iso_6_2_c": carry_over.CHANGED,
        "ict_gdpr_register": carry_over.CHANGED,
    }
    flipped = left["iso_6_6_3_c"]
    assert (flipped.year, flipped.from_version, flipped.to_version) == (2025, "1.0", "1.1")
    assert "incident" in flipped.explanation.en
    assert render(flipped.message, "nl") == (
        "Niet overgenomen uit 2025: de vraag iso_6_6_3_c veranderde in versie 1.1 "
        "(uw antwoord gold voor versie 1.0)."
    )
    assert "multiple choice" in left["ict_gdpr_register"].explanation.en

    with store.read() as session:
        entry = session.scalar(
            select(AuditRow).where(AuditRow.action == "carry_over", AuditRow.entity_id == row.id)
        )
    said = json.loads(entry.new)
    assert said["carried"] == ["ict_accessibility", "iso_6_6_6_a"]
    assert said["not_carried"] == {
        "ict_gdpr_register": "changed",
        "iso_6_2_c": "changed",
        "iso_6_6_3_c": "changed",
    }
    assert json.loads(entry.old)["framework_version"] == "1.0"


def _renamed_catalogue(tmp_path: Path):
    """The example framework as a version 1.1 that renames ``energy_story`` and changes
    ``climate_plan``, and the example profile as 1.1 that changes its sector question."""
    framework = (FIXTURES / "example_framework.yaml").read_text(encoding="utf-8")
    framework = framework.replace('version: "1.0"', 'version: "1.1"', 1)
    framework = framework.replace("- id: energy_story", "- id: energy_narrative", 1)
    framework = framework.replace(
        'version: "1.1"\n',
        'version: "1.1"\n'
        "carry_over:\n"
        '  from: "1.0"\n'
        "  renamed: {energy_story: energy_narrative}\n"
        "  not_carried:\n"
        "    - ids: [climate_plan]\n"
        "      reason: {nl: Nieuwe schaal., en: New scale.}\n",
        1,
    )
    profile = (FIXTURES / "example_profile.yaml").read_text(encoding="utf-8")
    profile = profile.replace(
        'version: "1.0"\n',
        'version: "1.1"\n'
        "carry_over:\n"
        '  from: "1.0"\n'
        "  not_carried:\n"
        "    - ids: [sector_charter]\n"
        "      reason: {nl: Nieuw charter., en: New charter.}\n",
        1,
    )
    (tmp_path / "example_framework.yaml").write_text(framework, encoding="utf-8")
    (tmp_path / "example_profile.yaml").write_text(profile, encoding="utf-8")
    loaded = load_catalogue(
        [tmp_path / "example_framework.yaml", tmp_path / "example_profile.yaml"]
    )
    assert not loaded.report.errors, loaded.report
    return loaded


def test_roll_forward_should_follow_a_renamed_id_and_drop_what_the_profile_changed(
    db_url, tmp_path
):
    store = Store(db_url, catalogue=_renamed_catalogue(tmp_path))
    try:
        org, sme = organisation(store)
        _store_year(
            store,
            org.id,
            {
                "framework": "example",
                "framework_version": "1.0",
                "profile": "example_sector",
                "profile_version": "1.0",
                "year": 2025,
            },
            {
                "safety_policy": 4,
                "energy_story": "LED overal",
                "climate_plan": 2,
                "sector_charter": True,
                "gone_question": 1,
            },
        )
        started = assessments.start_assessment(store, sme, org.id, 2026)
        assert started.answer_values() == {"safety_policy": 4, "energy_narrative": "LED overal"}
        sources = carry_over.answer_sources(store, sme, started.id)
        assert sources["energy_narrative"].kind == "last_year"
        assert sources["energy_narrative"].year == 2025
        left = {
            n.question: (n.previous_question, n.reason, n.from_version, n.to_version)
            for n in carry_over.not_carried(store, sme, started.id)
        }
        assert left == {
            "climate_plan": ("climate_plan", "changed", "1.0", "1.1"),
            "sector_charter": ("sector_charter", "changed", "1.0", "1.1"),
            "gone_question": ("gone_question", "removed", "1.0", "1.1"),
        }
    finally:
        store.dispose()


def test_a_version_without_a_block_for_the_earlier_version_should_carry_nothing(db_url, tmp_path):
    """A 0.9 answer meets a 1.1 that only says how 1.0 carries over: nothing is guessed."""
    store = Store(db_url, catalogue=_renamed_catalogue(tmp_path))
    try:
        org, sme = organisation(store)
        _store_year(
            store,
            org.id,
            {
                "framework": "example",
                "framework_version": "0.9",
                "profile": "example_sector",
                "profile_version": "1.1",
                "year": 2025,
            },
            {"safety_policy": 4, "sector_charter": True},
        )
        started = assessments.start_assessment(store, sme, org.id, 2026)
        assert started.answer_values() == {"sector_charter": True}
        (left,) = carry_over.not_carried(store, sme, started.id)
        assert (left.question, left.reason) == ("safety_policy", carry_over.OTHER_VERSION)
    finally:
        store.dispose()


def test_the_federation_view_should_compare_one_version_per_year(store):
    """Five members submit 2026 on the current version (1.0 of the example framework) and
    two late ones on an earlier 0.9 (their snapshots say so). The 2026 figures hold the five;
    the consenting member on 0.9 gets no band, and the year's submitted count is withheld
    (7 - 5 would give the 2 on 0.9, fewer than k)."""
    from app.services import disclosure, statistics
    from app.store.models import ScoreSnapshotRow

    from .helpers import PROFILE, principal

    late = []
    for n in range(1, 8):
        org, sme = organisation(store, n, consent=n in (1, 6))
        started = assessments.start_assessment(store, sme, org.id, 2026)
        assessments.save_answer(store, sme, started.id, "safety_policy", n % 5, expected_version=0)
        assessments.submit(store, sme, started.id)
        if n >= 6:
            late.append(started.id)
    with store.write() as session:
        for snapshot in session.scalars(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id.in_(late))
        ):
            snapshot.framework_version = "0.9"
        session.flush()
        statistics.refresh(store, session, [(PROFILE, "example", 2026)])
    fed = principal(store, "federation", "fed@example.be", [PROFILE])
    release = disclosure.sector_release(store, fed, PROFILE, 2026)
    assert (release.selection.n, release.selection.framework_version) == (5, "1.0")
    assert [m.organisation for m in release.members] == ["Organisatie 1"]
    assert release.anonymous == 4
    assert release.participation.submitted is None
    assert release.version_changes() == {}
