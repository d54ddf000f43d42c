"""Benchmark figures are computed once per change and read from ``sector_statistics``.

- After a submit, an import and a reopen, the stored sector cells and peer figures equal a
  fresh computation from the snapshots (same transaction as the snapshot change).
- A page view (the federation's sector release and downloads, an SME's benchmark position)
  computes no statistics: it reads the stored row, and gives what a fresh computation gives.
- A row missing (a database from before the table) is computed once and stored.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from app.services import assessments, disclosure, passports, statistics
from app.services.principal import SYSTEM
from app.store.models import SectorStatisticsRow
from scoring import benchmark

from .helpers import PROFILE, organisation, principal
from .test_import import good_row, run, write_csv

YEAR = 2025
FRAMEWORK = "example"


def _submit(store, org, sme, maturity, year=YEAR):
    started = assessments.start_assessment(store, sme, org.id, year)
    assessments.save_answer(store, sme, started.id, "safety_policy", maturity, expected_version=0)
    assessments.submit(store, sme, started.id)
    return started.id


def _stored_equals_fresh(store) -> None:
    with store.read() as session:
        keys = set(session.scalars(select(SectorStatisticsRow.key)))
        assert statistics.sector_key(PROFILE) in keys
        stored = statistics.sector(store, session, PROFILE)
        assert stored == statistics.compute_sector(store, session, PROFILE)
        for year in (YEAR - 1, YEAR):
            key = statistics.peers_key(PROFILE, FRAMEWORK, year)
            if key in keys:
                fresh = statistics.compute_peers(store, session, PROFILE, FRAMEWORK, year)
                assert statistics.peers(store, session, PROFILE, FRAMEWORK, year) == fresh
    return stored


@pytest.fixture()
def members(store):
    """Six small members of 2025 (two consent) and five of 2024."""
    found = {}
    for n in range(1, 7):
        org, sme = organisation(store, n, consent=n <= 2)
        ids = [_submit(store, org, sme, n % 5)]
        if n <= 5:
            ids.append(_submit(store, org, sme, (n + 1) % 5, YEAR - 1))
        found[n] = (org, sme, ids)
    return found


def test_submit_should_store_the_figures_a_fresh_computation_gives(store, members):
    stored = _stored_equals_fresh(store)
    cell = stored.statistics.cell(YEAR)
    assert cell is not None and cell.n == 6 and cell.overall is not None
    assert stored.statistics.cell(YEAR - 1).n == 5
    assert len(stored.overall) == 11


def test_reopen_should_update_the_stored_figures_in_the_same_transaction(store, members):
    admin = principal(store, "admin", "admin@example.be")
    assessments.reopen(store, admin, members[6][2][0], "correctie")
    stored = _stored_equals_fresh(store)
    assert stored.statistics.cell(YEAR).n == 5
    assessments.reopen(store, admin, members[5][2][0], "correctie")
    stored = _stored_equals_fresh(store)
    assert stored.statistics.cell(YEAR).n is None  # 4 < k: withheld


def test_import_should_store_the_figures_a_fresh_computation_gives(store, tmp_path):
    report = run(store, write_csv(tmp_path / "in.csv", [good_row(n) for n in range(1, 8)]))
    assert report.submitted == 7
    stored = _stored_equals_fresh(store)
    assert stored.statistics.cell(YEAR).n == 7


def test_a_page_view_should_compute_no_statistics(store, members, monkeypatch):
    fed = principal(store, "federation", "fed@example.be", [PROFILE])
    org, sme, ids = members[1]
    before = disclosure.sector_release(store, fed, PROFILE, YEAR)
    position = passports.get_benchmark(store, sme, ids[0])
    with store.read() as session:
        fresh_cells = statistics.compute_sector(store, session, PROFILE)
        table = passports.scores_table(session, PROFILE, YEAR, FRAMEWORK, names=False)
    fresh_position = benchmark.compare(table, ids[0], k=5)

    def computed(*args, **kwargs):
        raise AssertionError("a page view computed statistics")

    for name in ("sector_statistics", "published_figures", "peer_figures"):
        monkeypatch.setattr(benchmark, name, computed)
    release = disclosure.sector_release(store, fed, PROFILE, YEAR)
    assert release.statistics == fresh_cells.statistics == before.statistics
    assert [m.organisation for m in release.members] == ["Organisatie 1", "Organisatie 2"]
    assert release.anonymous == 4
    for format in ("json", "csv", "xlsx"):
        assert disclosure.sector_download(store, fed, PROFILE, YEAR, format=format)
    seen = passports.get_benchmark(store, sme, ids[0])
    assert seen == position == fresh_position and seen.percentile_rank is not None


def test_a_missing_row_should_be_computed_once_and_stored(store, members):
    with store.write() as session:
        session.execute(delete(SectorStatisticsRow))
    fed = principal(store, "federation", "fed@example.be", [PROFILE])
    release = disclosure.sector_release(store, fed, PROFILE, YEAR)
    with store.read() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(SectorStatisticsRow)
                .where(SectorStatisticsRow.key.like("sector:%"))
            )
            == 1
        )
        assert release.statistics == statistics.compute_sector(store, session, PROFILE).statistics
    assert disclosure.sector_release(store, SYSTEM, PROFILE, YEAR).statistics == release.statistics


def test_tables_from_frozen_figures_equal_tables_from_parsed_passports(store, members):
    """``figures_json`` (written at freeze) gives the same sector and peer tables, and so the
    same figures, as parsing every snapshot's passport (older snapshots have none)."""
    from app.services.disclosure import sector_table
    from app.store.models import ScoreSnapshotRow

    def tables():
        with store.read() as session:
            return (
                sector_table(session, PROFILE, FRAMEWORK).sort_index(axis=1),
                passports.scores_table(session, PROFILE, YEAR, FRAMEWORK, names=True).sort_index(
                    axis=1
                ),
                statistics.compute_sector(store, session, PROFILE),
                statistics.compute_peers(store, session, PROFILE, FRAMEWORK, YEAR),
            )

    frozen = tables()
    with store.read() as session:
        assert all(session.scalars(select(ScoreSnapshotRow.figures_json)))
    with store.write() as session:
        session.execute(update(ScoreSnapshotRow).values(figures_json=None))
    parsed = tables()
    import pandas as pd

    pd.testing.assert_frame_equal(frozen[0], parsed[0])
    pd.testing.assert_frame_equal(frozen[1], parsed[1])
    assert frozen[2:] == parsed[2:]


def test_the_statistics_readers_should_not_load_passports_with_frozen_figures(store, members):
    """``submission.without_figures``: a snapshot's passport and score card JSON are read only
    where it has no frozen figures; the sector and peer tables are the same either way."""
    from app.services.submission import without_figures
    from app.store.models import ScoreSnapshotRow

    def loaded():
        with store.read() as session:
            found = session.execute(
                select(ScoreSnapshotRow.assessment_id, ScoreSnapshotRow.figures_json).order_by(
                    ScoreSnapshotRow.assessment_id
                )
            ).all()
            full = without_figures(
                session, found, ScoreSnapshotRow.passport_json, ScoreSnapshotRow.scorecard_json
            )
            return found, full

    found, full = loaded()
    assert len(found) == 11 and full == {}
    older = found[0].assessment_id
    with store.write() as session:
        session.execute(
            update(ScoreSnapshotRow)
            .where(ScoreSnapshotRow.assessment_id == older)
            .values(figures_json=None)
        )
        passport = session.scalar(
            select(ScoreSnapshotRow.passport_json).where(ScoreSnapshotRow.assessment_id == older)
        )
    _, again = loaded()
    assert set(again) == {older}
    assert again[older].passport_json == passport
    assert again[older].scorecard_json.startswith("{")


def test_submits_of_one_sector_at_the_same_moment_should_both_count(store):
    """Two SMEs of one sector submit at once: both succeed, and the stored figures (each
    refresh holds its row until commit) equal a fresh computation with both snapshots."""
    import threading

    drafts = []
    for n in range(1, 8):
        org, sme = organisation(store, n)
        started = assessments.start_assessment(store, sme, org.id, YEAR)
        assessments.save_answer(store, sme, started.id, "safety_policy", n % 5, expected_version=0)
        drafts.append((started.id, sme))
    for assessment_id, sme in drafts[:5]:
        assessments.submit(store, sme, assessment_id)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(assessment_id, sme):
        try:
            barrier.wait(timeout=30)
            assessments.submit(store, sme, assessment_id)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=submit, args=d) for d in drafts[5:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    stored = _stored_equals_fresh(store)
    assert stored.statistics.cell(YEAR).n == 7
