"""Migration 0005: ``answers.source`` (nullable) and ``answers.confirmed`` (false by default)
and the ``vsme_calculations`` table are added without touching existing answers, and removed
again by the downgrade (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from app.services import assessments, carry_over
from app.store.db import alembic_config, current_revision, head_revision
from app.store.models import AnswerRow
from tests.services.helpers import organisation


def _migrate(engine, target: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection=connection)
        (command.downgrade if down else command.upgrade)(config, target)


def _columns(engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("answers")}


def test_head_should_have_the_provenance_columns(store):
    assert current_revision(store.engine) == head_revision()
    assert {"source", "confirmed"} <= _columns(store.engine)
    assert "vsme_calculations" in inspect(store.engine).get_table_names()


def test_downgrade_and_upgrade_should_keep_the_answers(store):
    org, sme = organisation(store)
    started = assessments.start_assessment(store, sme, org.id, 2025)
    assessments.save_answer(store, sme, started.id, "safety_policy", 4, expected_version=0)
    try:
        _migrate(store.engine, "0004", down=True)
        assert not {"source", "confirmed"} & _columns(store.engine)
        assert "vsme_calculations" not in inspect(store.engine).get_table_names()
        with store.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT question_id, value FROM answers").all()
        assert [tuple(r) for r in rows] == [("safety_policy", "4")]
    finally:
        _migrate(store.engine, "head")
    assert current_revision(store.engine) == head_revision()
    with store.read() as session:
        answer = session.scalar(select(AnswerRow))
        assert (answer.source, answer.confirmed) == (None, False)  # stored before 0005
    assert carry_over.answer_sources(store, sme, started.id)["safety_policy"].kind == "unknown"
