"""An import writes on the current version (its columns are that version's questions): an
imported-only draft left on an earlier version is refused with a message naming both versions,
and nothing of it is written (issue 13 item 10; README "Framework versions")."""

from __future__ import annotations

from sqlalchemy import select, update

from app.store.models import AnswerRow, AssessmentRow

from .test_import import good_row, run, write_csv


def test_an_imported_draft_on_an_earlier_version_is_refused_naming_both(store, tmp_path):
    row = good_row(1)
    row[3] = ""  # a required question open: the first import leaves a draft
    assert run(store, write_csv(tmp_path / "in.csv", [row])).drafts == 1
    with store.write() as session:  # as if that draft was imported when 0.9 was current
        session.execute(update(AssessmentRow).values(framework_version="0.9"))
        (assessment_id,) = session.scalars(select(AssessmentRow.id)).all()
        before = dict(
            session.execute(
                select(AnswerRow.question_id, AnswerRow.value).where(
                    AnswerRow.assessment_id == assessment_id
                )
            ).all()
        )
    row[3] = 2
    report = run(store, write_csv(tmp_path / "again.csv", [row]))
    assert report.written == 0
    (problem,) = report.problems
    assert (problem.row, problem.column) == (2, "kbo")
    said = str(problem.problem)
    assert "draft on version 0.9" in said and "this import is for version 1.0" in said
    assert row[0] in said
    with store.read() as session:
        after = dict(
            session.execute(
                select(AnswerRow.question_id, AnswerRow.value).where(
                    AnswerRow.assessment_id == assessment_id
                )
            ).all()
        )
        version = session.scalar(select(AssessmentRow.framework_version))
    assert after == before and version == "0.9"
