"""``mvo rescore``: every submitted assessment of a year frozen again from its stored answers
(``submission.freeze``), its submit time and submitter kept, the benchmark figures refreshed in
the same transaction; one the framework no longer lets through keeps its old snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from app.services import assessments, catalogue, rescoring, scoring_bridge, statistics
from app.services.errors import AccessDenied
from app.services.principal import SYSTEM
from app.store.models import AnswerRow, AssessmentRow, ScoreSnapshotRow

from .helpers import PROFILE, organisation

YEAR = 2025


@pytest.fixture()
def submitted(store):
    ids = []
    for n in range(1, 7):
        org, sme = organisation(store, n)
        started = assessments.start_assessment(store, sme, org.id, YEAR)
        assessments.save_answer(store, sme, started.id, "safety_policy", n % 5, expected_version=0)
        assessments.submit(store, sme, started.id)
        ids.append((started.id, sme))
    return ids


def _snapshot(store, assessment_id):
    with store.read() as session:
        return session.scalar(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id == assessment_id)
        )


def test_rescore_should_refreeze_from_stored_answers_and_keep_the_submission(store, submitted):
    first, _ = submitted[0]
    with store.read() as session:
        before = session.get(AssessmentRow, first)
        submitted_at, submitted_by = before.submitted_at, before.submitted_by
    with store.write() as session:  # a snapshot frozen under an older framework version
        session.execute(
            update(ScoreSnapshotRow)
            .where(ScoreSnapshotRow.assessment_id == first)
            .values(overall=1.0, level="voorloper")
        )
    preview = rescoring.preview_year(store, SYSTEM, YEAR)  # score_many, nothing written
    assert preview.assessments == 6 and preview.changed == [first] and preview.would_keep == []
    assert _snapshot(store, first).overall == 1.0
    summary = rescoring.rescore_year(store, SYSTEM, YEAR)
    assert summary.rescored == 6 and summary.changed == 1 and summary.kept == []
    assert rescoring.preview_year(store, SYSTEM, YEAR).changed == []
    snapshot = _snapshot(store, first)
    card = scoring_bridge.scorecard(
        catalogue.framework(store.catalogue, "example"),
        catalogue.profile(store.catalogue, PROFILE),
        {"safety_policy": 1},
    )
    assert snapshot.overall == card.overall
    with store.read() as session:
        after = session.get(AssessmentRow, first)
        assert after.status == "submitted"
        assert (after.submitted_at, after.submitted_by) == (submitted_at, submitted_by)
        assert statistics.sector(store, session, PROFILE) == statistics.compute_sector(
            store, session, PROFILE
        )


def test_an_assessment_the_framework_no_longer_lets_through_keeps_its_snapshot(store, submitted):
    first, _ = submitted[0]
    old = _snapshot(store, first)
    with store.write() as session:  # its required answer gone: it cannot be frozen again
        session.execute(delete(AnswerRow).where(AnswerRow.assessment_id == first))
    assert rescoring.preview_year(store, SYSTEM, YEAR).would_keep == [first]
    summary = rescoring.rescore_year(store, SYSTEM, YEAR)
    assert summary.kept == [first] and summary.rescored == 5
    kept = _snapshot(store, first)
    assert (kept.overall, kept.level, kept.scorecard_json) == (
        old.overall,
        old.level,
        old.scorecard_json,
    )
    with store.read() as session:
        assert session.get(AssessmentRow, first).status == "submitted"
        assert statistics.sector(store, session, PROFILE) == statistics.compute_sector(
            store, session, PROFILE
        )


def test_only_the_department_and_admins_should_rescore(store, submitted):
    _, sme = submitted[0]
    with pytest.raises(AccessDenied):
        rescoring.rescore_year(store, sme, YEAR)
    with pytest.raises(AccessDenied):
        rescoring.preview_year(store, sme, YEAR)
