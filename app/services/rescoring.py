"""Rescoring a year (``mvo rescore``) after a framework or sector profile changed.

Every submitted assessment of the year (optionally one framework or profile) is frozen again
from its stored answers with the catalogue as it is now (each on the framework and profile
*version* it was started on: ``catalogue.of_assessment``), through ``submission.freeze`` (the one
place a snapshot is built; it scores the batch with ``scoring.batch.score_cards``), in one
transaction: the benchmark figures follow in the same
transaction. The submission stays the SME's: its submit time and submitter are kept. An
assessment that the changed framework no longer lets through (a required question it never
answered) keeps its old snapshot and is listed, so nothing leaves a benchmark silently.
Department and admin only; audited once for the batch.

``preview_year`` (``mvo rescore --dry-run``) shows what a rescore would change before anything
is written: the stored answers of the whole year scored at once with the vectorised scorer
(``scoring.batch.score_many``, the same S1..S5 numbers as ``scoring.score``) and compared with
the snapshots' overall scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.services import audit, catalogue, submission
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


@dataclass
class RescorePreview:
    year: int
    assessments: int = 0
    #: Overall score different from the snapshot's (beyond 1e-9, or a score appearing/going).
    changed: list[int] = field(default_factory=list)
    #: Required questions open under the current framework: a rescore keeps their snapshot.
    would_keep: list[int] = field(default_factory=list)
    largest_change: float = 0.0


PREVIEW_CHUNK = 5_000


def _submitted_query(year: int, framework: str | None, profile: str | None):
    query = select(AssessmentRow.id).where(
        AssessmentRow.year == year, AssessmentRow.status == "submitted"
    )
    if framework is not None:
        query = query.where(AssessmentRow.framework == framework)
    if profile is not None:
        query = query.where(AssessmentRow.profile == profile)
    return query


def preview_year(
    store: Store,
    principal: Principal,
    year: int,
    *,
    framework: str | None = None,
    profile: str | None = None,
) -> RescorePreview:
    """What ``rescore_year`` would change, computed with ``score_many`` (nothing written)."""
    import math  # noqa: PLC0415

    import pandas as pd  # noqa: PLC0415

    from scoring.batch import score_many  # noqa: PLC0415

    require_role(principal, DEPARTMENT, ADMIN)
    preview = RescorePreview(year=year)
    cat = store.catalogue
    with store.read() as session:
        rows = session.execute(
            select(
                AssessmentRow.id,
                AssessmentRow.framework,
                AssessmentRow.profile,
                AssessmentRow.framework_version,
                AssessmentRow.profile_version,
                ScoreSnapshotRow.overall,
            )
            .join(ScoreSnapshotRow, ScoreSnapshotRow.assessment_id == AssessmentRow.id)
            .where(AssessmentRow.id.in_(_submitted_query(year, framework, profile)))
            .order_by(AssessmentRow.id)
        ).all()
        preview.assessments = len(rows)
        groups: dict[tuple[str, str | None, str, str | None], list] = {}
        for row in rows:
            key = (row.framework, row.profile, row.framework_version, row.profile_version)
            groups.setdefault(key, []).append(row)
        for members in groups.values():
            base, model = catalogue.parts_of(cat, members[0])
            for start in range(0, len(members), PREVIEW_CHUNK):
                part = members[start : start + PREVIEW_CHUNK]
                answers = submission.stored_answers(session, [r.id for r in part])
                table = pd.DataFrame(
                    [(a, q, v) for a in sorted(answers) for q, v in answers[a].items()],
                    columns=["assessment", "question", "value"],
                )
                scored = score_many(base, table, model) if len(table) else pd.DataFrame()
                for row in part:
                    new = float(scored.at[row.id, "overall"]) if row.id in scored.index else None
                    open_ = int(scored.at[row.id, "required_open"]) if row.id in scored.index else 1
                    if open_:
                        preview.would_keep.append(row.id)
                        continue
                    new = None if new is None or math.isnan(new) else new
                    if (new is None) != (row.overall is None) or (
                        new is not None and abs(new - row.overall) > 1e-9
                    ):
                        preview.changed.append(row.id)
                        if new is not None and row.overall is not None:
                            change = abs(new - row.overall)
                            preview.largest_change = max(preview.largest_change, change)
    return preview


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
    query = _submitted_query(year, framework, profile)
    with store.write() as session:
        found = list(session.scalars(query.with_for_update()))
        if not found:
            return summary
        ids = sorted(found)
        frozen, old = submission.refreeze(store, session, ids, principal=principal)
        kept = [f.assessment_id for f in frozen if not f.submitted]
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


__all__ = ["RescorePreview", "RescoreSummary", "preview_year", "rescore_year"]
