"""`mvo demo` seeds every draft and submission on the *current* framework and profile
versions, and the frozen snapshots say the same (issue 13 item 10: demo data on the new
versions), although the catalogue also ships 1.0. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services import demo
from app.store import Store
from app.store.models import AssessmentRow, ScoreSnapshotRow
from frameworks.loader import shipped_catalogue


@pytest.fixture()
def shipped_store(db_url):
    opened = Store(db_url, catalogue=shipped_catalogue())
    yield opened
    opened.dispose()


def test_demo_data_is_on_the_current_versions(shipped_store):
    store = shipped_store
    cat = store.catalogue
    assert cat.archived  # earlier versions ship: the demo must not pick one of them
    demo.seed_demo(store, per_sector=2, current_year=2026)
    with store.read() as session:
        rows = session.execute(
            select(
                AssessmentRow.framework,
                AssessmentRow.framework_version,
                AssessmentRow.profile,
                AssessmentRow.profile_version,
                AssessmentRow.status,
            )
        ).all()
        snapshots = session.execute(
            select(ScoreSnapshotRow.framework, ScoreSnapshotRow.framework_version)
        ).all()
    assert {r.status for r in rows} >= {"draft", "submitted"}
    for row in rows:
        assert row.framework_version == cat.frameworks[row.framework].version, row
        if row.profile is not None:
            assert row.profile_version == cat.profiles[row.profile].version, row
    assert snapshots
    for snapshot in snapshots:
        assert snapshot.framework_version == cat.frameworks[snapshot.framework].version
