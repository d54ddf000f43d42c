"""``app.store.bulk.insert_tuples`` stores what ``insert(table)`` with dicts stores, on SQLite
and PostgreSQL (the demo seeding writes its answers through it)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import String, cast, delete, insert, select

from app.services.values import encode_value
from app.store import bulk
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow

COLUMNS = ("assessment_id", "question_id", "value", "na", "note", "version", "updated_at", "source")
WHEN = datetime(2026, 3, 4, 5, 6, 7, 891011)


def _assessment(session) -> int:
    org = session.execute(
        insert(OrganisationRow).returning(OrganisationRow.id),
        {"kbo": "0123456749", "name": "Bulk bv", "profile": "bouw", "created_at": WHEN},
    ).scalar_one()
    return session.execute(
        insert(AssessmentRow).returning(AssessmentRow.id),
        {
            "organisation_id": org,
            "framework": "iso26000",
            "framework_version": "1.0",
            "profile": "bouw",
            "year": 2026,
            "status": "draft",
            "version": 1,
            "created_at": WHEN,
            "updated_at": WHEN,
        },
    ).scalar_one()


def _rows(aid: int) -> list[tuple]:
    values = [12.5, "n/a", None, ["a", "b"], "é — ‘quoted’", True, {"x": 1}]
    return [
        (aid, f"q{i}", *encode_value(v), None if i % 2 else "a note", i, WHEN, f"src{i}")
        for i, v in enumerate(values)
    ]


def _stored(session) -> list[tuple]:
    # the stored text of the date-time, not the parsed value: the two paths must write the same
    columns = [cast(c, String) if c.name == "updated_at" else c for c in AnswerRow.__table__.c]
    rows = session.execute(select(*columns).order_by(AnswerRow.question_id)).all()
    return [tuple(r)[1:] for r in rows]  # without the id


def test_insert_tuples_should_store_what_insert_with_dicts_stores(store):
    with store.write() as session:
        aid = _assessment(session)
        rows = _rows(aid)
        session.execute(
            insert(AnswerRow.__table__), [dict(zip(COLUMNS, r, strict=True)) for r in rows]
        )
        by_dicts = _stored(session)
        session.execute(delete(AnswerRow))
        written = bulk.insert_tuples(session.connection(), AnswerRow.__table__, COLUMNS, rows)
        by_tuples = _stored(session)
    assert written == len(rows) == len(by_dicts)
    assert by_tuples == by_dicts
    # the server default of a left-out column (confirmed) is applied
    assert {r[-1] for r in by_tuples} == {False}
    with store.read() as session:
        na = session.scalar(select(AnswerRow.na).where(AnswerRow.question_id == "q1"))
        value = session.scalar(select(AnswerRow.value).where(AnswerRow.question_id == "q4"))
    assert na is True and value == '"é — ‘quoted’"'


def test_insert_tuples_should_write_in_chunks(store, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 3)
    with store.write() as session:
        aid = _assessment(session)
        rows = [(aid, f"q{i:02}", "1", False, None, 1, WHEN, None) for i in range(10)]
        assert bulk.insert_tuples(session.connection(), AnswerRow.__table__, COLUMNS, rows) == 10
        ids = session.scalars(select(AnswerRow.question_id).order_by(AnswerRow.id)).all()
    assert ids == [f"q{i:02}" for i in range(10)]


def test_a_row_of_the_wrong_length_should_be_refused_naming_the_table(store):
    with store.write() as session:
        aid = _assessment(session)
        with pytest.raises(ValueError, match="answers: a row has 2 values for 8 columns"):
            bulk.insert_tuples(session.connection(), AnswerRow.__table__, COLUMNS, [(aid, "q")])
