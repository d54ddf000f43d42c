"""Rescoring a year (``mvo rescore``) after a framework or sector profile changed.

Every submitted assessment of the year (optionally one framework or profile) is frozen again
from its stored answers with the catalogue as it is now, through ``submission.freeze`` (the one
place a snapshot is built), in one transaction: the benchmark figures follow in the same
transaction. The submission stays the SME's: its submit time and submitter are kept. An
assessment that the changed framework no longer lets through (a required question it never
answered) keeps its old snapshot and is listed, so nothing leaves a benchmark silently.
Department and admin only; audited once for the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, insert, select, update

from app.services import audit, statistics, submission
from app.services.principal import ADMIN, DEPARTMENT, Principal, require_role
from app.store.db import Store
from app.store.models import AssessmentRow, ScoreSnapshotRow


@dataclass
class RescoreSummary:
    year: int
    rescored: int = 0
    changed: int = 0
    #: Assessments kept with their old snapshot: required questions now open.
    kept: list[int] = field(default_factory=list)


def rescore_year(
    store: Store,
    principal: Principal,
    year: int,
    *,
    framework: str | None = None,
    profile: str | None = None,
) -> RescoreSummary:
    """Freeze every submitted assessment of ``year`` again from its stored answers."""
    require_role(principal, DEPARTMENT, ADMIN)
    summary = RescoreSummary(year=year)
    query = select(
        AssessmentRow.id,
        AssessmentRow.submitted_at,
        AssessmentRow.submitted_by,
        AssessmentRow.version,
    ).where(AssessmentRow.year == year, AssessmentRow.status == "submitted")
    if framework is not None:
        query = query.where(AssessmentRow.framework == framework)
    if profile is not None:
        query = query.where(AssessmentRow.profile == profile)
    with store.write() as session:
        found = {r.id: r for r in session.execute(query.with_for_update())}
        if not found:
            return summary
        ids = sorted(found)
        columns = [c for c in ScoreSnapshotRow.__table__.columns if c.name != "id"]
        old = {}
        for chunk in _chunks(ids):
            for row in session.execute(
                select(*columns).where(ScoreSnapshotRow.assessment_id.in_(chunk))
            ):
                old[row.assessment_id] = dict(row._mapping)
            session.execute(
                delete(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id.in_(chunk))
            )
            session.execute(
                update(AssessmentRow)
                .where(AssessmentRow.id.in_(chunk))
                .values(status="draft")
                .execution_options(synchronize_session=False)
            )
        frozen = submission.freeze(store, session, ids, principal=principal)
        kept = [f.assessment_id for f in frozen if not f.submitted]
        if kept:
            # Put back what the changed framework cannot freeze: status and old snapshot.
            session.execute(
                update(AssessmentRow)
                .where(AssessmentRow.id.in_(kept))
                .values(status="submitted")
                .execution_options(synchronize_session=False)
            )
            rows = [old[a] for a in kept if a in old]
            if rows:
                session.execute(insert(ScoreSnapshotRow.__table__), rows)
                statistics.refresh(
                    store, session, {(r["profile"], r["framework"], r["year"]) for r in rows}
                )
        # The submission stays the SME's: its time and submitter, not the rescorer's.
        restore = [
            {"b_id": a, "b_at": found[a].submitted_at, "b_by": found[a].submitted_by} for a in ids
        ]
        session.connection().execute(
            update(AssessmentRow.__table__)
            .where(AssessmentRow.__table__.c.id == bindparam("b_id"))
            .values(submitted_at=bindparam("b_at"), submitted_by=bindparam("b_by")),
            restore,
        )
        done = [f for f in frozen if f.submitted]
        summary.rescored = len(done)
        summary.changed = sum(
            1
            for f in done
            if f.assessment_id not in old
            or old[f.assessment_id]["overall"] != f.card.overall
            or old[f.assessment_id]["level"] != f.passport.level
        )
        summary.kept = kept
        audit.record(
            session,
            principal,
            "rescore",
            "database",
            None,
            new={
                "year": year,
                "framework": framework,
                "profile": profile,
                "rescored": summary.rescored,
                "kept": kept,
            },
        )
    return summary


def _chunks(items: list[int], size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["RescoreSummary", "rescore_year"]
