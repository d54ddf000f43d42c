"""``mvo demo --organisations N``: about N organisations over the sectors, written in batches
(bulk inserts, ``submission.freeze`` per batch), the same database on every run, and the
benchmark figures of all batches equal to a fresh computation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.services import demo, statistics
from app.services.errors import InvalidInput
from app.store import Store
from app.store.models import OrganisationRow, ScoreSnapshotRow
from frameworks.loader import shipped_catalogue

from .test_demo import _dump

YEAR = 2026


def test_a_batched_population_should_be_deterministic_with_fresh_figures(
    db_url, tmp_path, monkeypatch
):
    monkeypatch.setattr(demo, "BATCH", 7)
    first = Store(db_url, catalogue=shipped_catalogue())
    summary = demo.seed_demo(first, current_year=YEAR, organisations=19)
    profiles = [p for p in sorted(first.catalogue.profiles) if p in demo.SECTOR_WORDS]
    per_sector = -(-(19 - 1) // len(profiles))
    assert summary.organisations == per_sector * len(profiles) + 1
    with first.read() as session:
        assert session.scalar(select(func.count()).select_from(OrganisationRow)) == (
            summary.organisations
        )
        assert session.scalar(select(func.count()).select_from(ScoreSnapshotRow)) == (
            summary.submitted
        )
        for profile in profiles:
            stored = statistics.sector(first, session, profile)
            assert stored == statistics.compute_sector(first, session, profile)
    second = Store(f"sqlite:///{tmp_path / 'second.sqlite'}", catalogue=shipped_catalogue())
    demo.seed_demo(second, current_year=YEAR, organisations=19)
    assert _dump(first) == _dump(second) and _dump(first)
    first.dispose()
    second.dispose()


def test_no_organisations_should_be_refused(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'none.sqlite'}", catalogue=shipped_catalogue())
    with pytest.raises(InvalidInput):
        demo.seed_demo(store, current_year=YEAR, organisations=0)
    store.dispose()
