"""Migration 0003: one assessment per organisation, framework, profile (or none) and year.
Upgrading a database at 0002 merges duplicates that hold nothing (empty drafts, audited),
refuses with a message listing them where two hold data, and the downgrade removes the index
again (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text

from app.store.db import alembic_config, current_revision, head_revision
from app.store.models import AnswerRow, AssessmentRow, AuditRow, OrganisationRow

INDEX = "uq_assessments_per_year_no_profile"


def _migrate(engine, target: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection=connection)
        (command.downgrade if down else command.upgrade)(config, target)


def _index_names(engine) -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes("assessments")}


def _at_0002_with_scans(store, *, filled: int) -> list[int]:
    """Three scans (no profile) of one organisation and year, ``filled`` of them answered."""
    _migrate(store.engine, "0002", down=True)
    with store.engine.begin() as connection:
        org_id = connection.execute(
            OrganisationRow.__table__.insert().values(kbo="0403019261", name="Dubbel")
        ).inserted_primary_key[0]
        ids = []
        for n in range(3):
            ids.append(
                connection.execute(
                    AssessmentRow.__table__.insert().values(
                        organisation_id=org_id,
                        framework="example",
                        framework_version="1.0",
                        year=2025,
                        status="draft",
                        version=1,
                    )
                ).inserted_primary_key[0]
            )
            if n >= 3 - filled:
                connection.execute(
                    AnswerRow.__table__.insert().values(
                        assessment_id=ids[-1], question_id="safety_policy", value="2", na=False
                    )
                )
    return ids


def test_head_should_hold_one_assessment_without_profile_per_key(store):
    assert current_revision(store.engine) == head_revision() >= "0003"
    assert INDEX in _index_names(store.engine)


def test_upgrade_should_merge_empty_duplicates_and_keep_the_filled_one(store):
    ids = _at_0002_with_scans(store, filled=1)
    _migrate(store.engine, "head")
    with store.read() as session:
        left = session.scalars(select(AssessmentRow.id)).all()
        audited = session.scalars(
            select(AuditRow.entity_id).where(AuditRow.action == "migration")
        ).all()
    assert left == [ids[2]] and sorted(audited) == ids[:2]
    assert INDEX in _index_names(store.engine)


def test_upgrade_should_refuse_two_filled_duplicates_and_name_them(store):
    ids = _at_0002_with_scans(store, filled=2)
    try:
        with pytest.raises(RuntimeError) as caught:
            _migrate(store.engine, "head")
        message = str(caught.value)
        assert "Migration 0003" in message and f"ids {ids[1:]}" in message
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(AssessmentRow)) == 3
        assert current_revision(store.engine) == "0002"
    finally:  # leave the database migrated for the fixture's clean-up
        with store.engine.begin() as connection:
            connection.execute(text("DELETE FROM answers"))
            connection.execute(text("DELETE FROM assessments"))
        _migrate(store.engine, "head")


def test_downgrade_should_remove_the_index(store):
    _migrate(store.engine, "0002", down=True)
    try:
        assert INDEX not in _index_names(store.engine)
    finally:
        _migrate(store.engine, "head")
    assert INDEX in _index_names(store.engine)
