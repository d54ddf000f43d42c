"""An assessment keeps the version it was started on (issue 13 item 10): a draft started on
iso26000 1.0 under bouw 1.0 saves, scores and freezes on 1.0 while 1.1 is current, and the SME
can move it to the current version through the carry_over blocks. SQLite and PostgreSQL (the
``db_url`` fixture)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.services import assessments, carry_over, passports, scoring_bridge
from app.services.errors import InvalidInput, ReadOnly
from app.store import Store
from app.store.models import AnswerRow, AssessmentRow, AuditRow, ScoreSnapshotRow
from frameworks.loader import shipped_catalogue

from .helpers import organisation

#: Every required question answered (level 2 / yes), and the 1.0 convictions question
#: iso_6_6_3_c answered "yes" ("never convicted": 4 points in 1.0, an unscored incident in 1.1).
ANSWERS = {
    "iso_6_2_a": 2,
    "iso_6_3_3_a": 2,
    "iso_6_3_10_a": 2,
    "iso_6_4_4_b": True,
    "iso_6_4_6_a": 2,
    "iso_6_5_4_a": 2,
    "iso_6_5_5_a": 2,
    "iso_6_6_3_a": 2,
    "iso_6_6_6_a": 2,
    "iso_6_7_6_a": 2,
    "iso_6_7_7_a": 2,
    "iso_6_8_3_a": 2,
    "iso_6_8_9_a": 2,
    "iso_6_6_3_c": True,
}
FTE = 30.0


@pytest.fixture
def shipped_store(db_url):
    opened = Store(db_url, catalogue=shipped_catalogue())
    yield opened
    opened.dispose()


def _draft_on(store, sme, org_id: int, framework_version: str, profile_version: str, answers):
    """A 2025 iso26000/bouw draft started when these versions were current (the row as they
    left it), with its answers saved through the service."""
    with store.write() as session:
        row = AssessmentRow(
            organisation_id=org_id,
            framework="iso26000",
            framework_version=framework_version,
            profile="bouw",
            profile_version=profile_version,
            year=2025,
            status="draft",
            version=1,
        )
        session.add(row)
        session.flush()
        assessment_id = row.id
    for question_id, value in answers.items():
        assessments.save_answer(store, sme, assessment_id, question_id, value, expected_version=0)
    return assessment_id


def _draft_on_1_0(store, sme, org_id: int) -> int:
    """A 2025 draft started when 1.0 was current, with ``ANSWERS``."""
    return _draft_on(store, sme, org_id, "1.0", "1.0", ANSWERS)


def _card(store, framework_version: str, profile_version: str):
    cat = store.catalogue
    return scoring_bridge.scorecard(
        cat.framework("iso26000", framework_version),
        cat.profile("bouw", profile_version),
        ANSWERS,
        FTE,
    )


def test_a_1_0_draft_is_saved_scored_and_frozen_on_1_0(shipped_store):
    store = shipped_store
    org, sme = organisation(store, profile="bouw", fte=FTE)
    assessment_id = _draft_on_1_0(store, sme, org.id)
    on_1_0, on_1_1 = _card(store, "1.0", "1.0"), _card(store, "1.1", "1.1")
    assert on_1_0.overall != pytest.approx(on_1_1.overall)  # the versions score differently

    # a question that only 1.1 asks is not part of a 1.0 draft
    with pytest.raises(InvalidInput, match="iso_6_3_8_c"):
        assessments.save_answer(store, sme, assessment_id, "iso_6_3_8_c", 2, expected_version=0)

    card = passports.get_passport(store, sme, assessment_id).passport.scorecards["iso26000"]
    assert card.framework_version == "1.0"
    assert card.overall == pytest.approx(on_1_0.overall)

    assessments.submit(store, sme, assessment_id)
    with store.read() as session:
        snapshot = session.scalar(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id == assessment_id)
        )
        row = session.get(AssessmentRow, assessment_id)
    assert (row.status, row.framework_version, row.profile_version) == ("submitted", "1.0", "1.0")
    assert snapshot.framework_version == "1.0"
    assert snapshot.overall == pytest.approx(on_1_0.overall)


def test_a_new_year_after_a_1_0_year_starts_on_the_current_version(shipped_store):
    store = shipped_store
    org, sme = organisation(store, profile="bouw", fte=FTE)
    assessments.submit(store, sme, _draft_on_1_0(store, sme, org.id))
    started = assessments.start_assessment(store, sme, org.id, 2026)
    assert (started.framework_version, started.profile_version) == ("1.1", "1.1")
    carried = started.answer_values()
    assert carried["iso_6_2_a"] == 2  # unchanged: carried over
    assert "iso_6_6_3_c" not in carried  # its meaning flipped in 1.1 (carry_over not_carried)


def test_switching_a_1_0_draft_to_the_current_version(shipped_store):
    """The carry_over block decides: unchanged answers stay, the flipped incident question is
    taken out (its value kept in the audit entry), and the draft then scores on 1.1."""
    store = shipped_store
    org, sme = organisation(store, profile="bouw", fte=FTE)
    assessment_id = _draft_on_1_0(store, sme, org.id)

    switched = carry_over.switch_to_current(store, sme, assessment_id)
    assert (switched.from_framework_version, switched.to_framework_version) == ("1.0", "1.1")
    assert [n.question for n in switched.not_carried] == ["iso_6_6_3_c"]
    assert switched.not_carried[0].reason == carry_over.CHANGED
    assert set(switched.kept) == set(ANSWERS) - {"iso_6_6_3_c"}

    view = assessments.get_assessment(store, sme, assessment_id)
    assert (view.framework_version, view.profile_version) == ("1.1", "1.1")
    assert "iso_6_6_3_c" not in view.answer_values()
    with store.read() as session:
        stored = set(
            session.scalars(
                select(AnswerRow.question_id).where(AnswerRow.assessment_id == assessment_id)
            )
        )
        entry = session.scalar(select(AuditRow).where(AuditRow.action == "switch_version"))
    assert stored == set(ANSWERS) - {"iso_6_6_3_c"}
    old = entry.old if isinstance(entry.old, dict) else json.loads(entry.old)
    assert old["not_carried"]["iso_6_6_3_c"]["value"] == "true"
    assert old["not_carried"]["iso_6_6_3_c"]["reason"] == "changed"
    # now a 1.1 draft: the 1.1-only question can be answered, and it scores on 1.1
    assessments.save_answer(store, sme, assessment_id, "iso_6_3_8_c", 2, expected_version=0)
    card = passports.get_passport(store, sme, assessment_id).passport.scorecards["iso26000"]
    assert card.framework_version == "1.1"
    # a second switch changes nothing
    again = carry_over.switch_to_current(store, sme, assessment_id)
    assert again.kept == [] and again.not_carried == []


def test_a_submitted_assessment_keeps_its_version(shipped_store):
    store = shipped_store
    org, sme = organisation(store, profile="bouw", fte=FTE)
    assessment_id = _draft_on_1_0(store, sme, org.id)
    assessments.submit(store, sme, assessment_id)
    with pytest.raises(ReadOnly):
        carry_over.switch_to_current(store, sme, assessment_id)


def test_rescoring_a_year_keeps_each_assessment_on_its_version(shipped_store):
    """`mvo rescore` after a catalogue change scores a 1.0 submission on 1.0 again: nothing
    changes (the old code rescored it on 1.1 and changed its score)."""
    from app.services import rescoring

    from .helpers import principal

    store = shipped_store
    org, sme = organisation(store, profile="bouw", fte=FTE)
    assessment_id = _draft_on_1_0(store, sme, org.id)
    assessments.submit(store, sme, assessment_id)
    department = principal(store, "department", "dep@example.be")
    preview = rescoring.preview_year(store, department, 2025)
    assert (preview.assessments, preview.changed, preview.would_keep) == (1, [], [])
    summary = rescoring.rescore_year(store, department, 2025)
    assert (summary.rescored, summary.changed) == (1, 0)
    with store.read() as session:
        snapshot = session.scalar(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id == assessment_id)
        )
    assert snapshot.framework_version == "1.0"
    assert snapshot.overall == pytest.approx(_card(store, "1.0", "1.0").overall)


def test_a_draft_behind_only_on_its_profile_switches_its_sector_questions(shipped_store):
    """iso26000 1.1 under bouw 1.0: the profile's carry_over block decides for the sector
    question (bouw_subcontractor_checks was split in bouw 1.1), the framework's answer stays."""
    from app.services import catalogue

    store = shipped_store
    org, sme = organisation(store, profile="bouw", fte=FTE)
    assessment_id = _draft_on(
        store, sme, org.id, "1.1", "1.0", {"iso_6_2_a": 2, "bouw_subcontractor_checks": True}
    )
    view = assessments.get_assessment(store, sme, assessment_id)
    assert not catalogue.is_current(store.catalogue, view)
    switched = carry_over.switch_to_current(store, sme, assessment_id)
    assert (switched.from_profile_version, switched.to_profile_version) == ("1.0", "1.1")
    assert switched.kept == ["iso_6_2_a"]
    assert [n.previous_question for n in switched.not_carried] == ["bouw_subcontractor_checks"]
    assert catalogue.is_current(
        store.catalogue, assessments.get_assessment(store, sme, assessment_id)
    )
