"""Benchmark figures computed once per change and read from the ``sector_statistics`` table.

Two kinds of row, each holding exactly what ``scoring.benchmark`` computes (k, complementary
suppression and the "never min or max" rule stay decided there and in ``disclosure``):

- ``sector:<profile>`` — the ``SectorStatistics`` of a federation's sector view (every year,
  size class and all sizes), from ``disclosure.sector_table``;
- ``peers:<profile>:<framework>:<year>`` — per framework version the ``PeerFigures`` an SME's
  benchmark position is placed in (``benchmark.peer_figures`` over ``passports.scores_table``).

``refresh`` is called in the transaction that changes snapshots (``submission.freeze`` for
submit, import, demo and rescore; ``assessments.reopen``), so a reader never sees a snapshot
without its figures. Readers (the federation page, the results page, the sector downloads)
call ``sector`` and ``peers``, which only parse the stored row; a row that is missing (a
database from before migration 0007) is computed once and stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.services import catalogue
from app.store.db import Store
from app.store.models import SectorStatisticsRow, utcnow
from scoring import benchmark
from scoring.models import Result

#: The VSME framework: its indicators are stored per sector as ``vsme:<profile>`` rows.
VSME = "vsme"

#: A changed snapshot's (profile, framework, year).
Change = tuple[str | None, str, int]


class SectorFigures(Result):
    """A sector's published cells, and each submitted assessment's passport overall: the
    overall is internal (it places a consenting member in its quartile band; consent is
    applied when read, by ``disclosure``) and never published."""

    statistics: benchmark.SectorStatistics
    overall: dict[int, float | None] = {}


class PeerFiguresByVersion(Result):
    """The figures of one profile, framework and year, per framework version."""

    versions: dict[str, benchmark.PeerFigures] = {}


def vsme_key(profile: str) -> str:
    return f"vsme:{profile}"


def sector_key(profile: str) -> str:
    return f"sector:{profile}"


def peers_key(profile: str | None, framework: str, year: int) -> str:
    return f"peers:{profile or '-'}:{framework}:{year}"


def compute_sector(store: Store, session: Session, profile: str) -> SectorFigures:
    """The federation's published cells of ``profile``, computed from the snapshots."""
    from app.services.disclosure import sector_table  # noqa: PLC0415 (disclosure reads here)

    model = catalogue.profile(store.catalogue, profile)
    k = model.k if model is not None else benchmark.DEFAULT_K
    if model is None:
        return SectorFigures(statistics=benchmark.SectorStatistics(profile=profile, k=k))
    table = sector_table(session, profile, model.frameworks[0].id)
    overall = {
        int(a): (None if o is None or o != o else float(o))
        for a, o in zip(table["assessment"], table["overall"], strict=True)
    }
    return SectorFigures(
        statistics=benchmark.sector_statistics(table, profile=profile, k=k), overall=overall
    )


def compute_peers(
    store: Store, session: Session, profile: str | None, framework: str, year: int
) -> PeerFiguresByVersion:
    """The peer groups of ``profile``, ``framework`` and ``year``, one per framework version."""
    from app.services.passports import scores_table  # noqa: PLC0415

    model = catalogue.profile(store.catalogue, profile)
    k = model.k if model is not None else benchmark.DEFAULT_K
    table = scores_table(session, profile, year, framework, names=False)
    table = benchmark.submitted(table)
    versions = {}
    if len(table):
        for version, part in table.groupby("framework_version"):
            versions[str(version)] = benchmark.peer_figures(
                part, profile=profile or framework, year=year, k=k
            )
    return PeerFiguresByVersion(versions=versions)


def _insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415
    else:
        from sqlalchemy.dialects.sqlite import insert  # noqa: PLC0415
    return insert(SectorStatisticsRow)


def _lock(session: Session, key: str, profile: str | None) -> None:
    """Hold the row of ``key`` (created empty if missing) until the transaction ends, so that
    two transactions refreshing the same figures run one after the other and the second
    computes from the first's committed snapshots (PostgreSQL; SQLite has one writer)."""
    session.execute(
        _insert(session)
        .values(key=key, profile=profile, figures_json="", computed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    session.execute(
        select(SectorStatisticsRow.key).where(SectorStatisticsRow.key == key).with_for_update()
    )


def _write(session: Session, key: str, figures: Result) -> None:
    session.execute(
        update(SectorStatisticsRow)
        .where(SectorStatisticsRow.key == key)
        .values(figures_json=figures.model_dump_json(), computed_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def refresh(store: Store, session: Session, changes: Iterable[Change]) -> None:
    """Recompute the rows that the changed snapshots feed, in the caller's transaction; each
    row is locked before its figures are computed (keys in one order: no deadlock)."""
    changes = set(changes)
    if any(framework == VSME for _, framework, _ in changes):
        # a VSME report has no sector profile: its organisation's sector is read when the
        # figures are computed, so every sector's VSME row is recomputed
        from app.services.disclosure import compute_vsme_statistics  # noqa: PLC0415

        for profile in sorted(store.catalogue.profiles):
            _lock(session, vsme_key(profile), profile)
            _write(session, vsme_key(profile), compute_vsme_statistics(store, session, profile))
    for profile in sorted({p for p, _, _ in changes if p is not None}):
        _lock(session, sector_key(profile), profile)
        _write(session, sector_key(profile), compute_sector(store, session, profile))
    for profile, framework, year in sorted(changes, key=lambda c: (c[0] or "", c[1], c[2])):
        key = peers_key(profile, framework, year)
        _lock(session, key, profile)
        _write(session, key, compute_peers(store, session, profile, framework, year))


def _stored(session: Session, key: str) -> str | None:
    found = session.scalar(
        select(SectorStatisticsRow.figures_json).where(SectorStatisticsRow.key == key)
    )
    return found or None  # "" is a row locked for its first computation


def _fill(store: Store, key: str, profile: str | None, compute) -> Result:
    """A row missing from a database older than the table: computed once and stored."""
    with store.write() as session:
        _lock(session, key, profile)
        figures = compute(session)
        _write(session, key, figures)
    return figures


def sector(store: Store, session: Session, profile: str) -> SectorFigures:
    """The stored figures of ``profile`` (read, not recomputed)."""
    found = _stored(session, sector_key(profile))
    if found is not None:
        return SectorFigures.model_validate_json(found)
    return _fill(  # type: ignore[return-value]
        store,
        sector_key(profile),
        profile,
        lambda s: compute_sector(store, s, profile),
    )


def peers(
    store: Store, session: Session, profile: str | None, framework: str, year: int
) -> PeerFiguresByVersion:
    """The stored peer figures of ``profile``, ``framework`` and ``year``."""
    key = peers_key(profile, framework, year)
    found = _stored(session, key)
    if found is not None:
        return PeerFiguresByVersion.model_validate_json(found)
    return _fill(  # type: ignore[return-value]
        store, key, profile, lambda s: compute_peers(store, s, profile, framework, year)
    )


def vsme(store: Store, session: Session, profile: str) -> benchmark.SectorStatistics:
    """The stored VSME indicators of ``profile``'s sector (read, not recomputed)."""
    from app.services.disclosure import compute_vsme_statistics  # noqa: PLC0415

    found = _stored(session, vsme_key(profile))
    if found is not None:
        return benchmark.SectorStatistics.model_validate_json(found)
    return _fill(  # type: ignore[return-value]
        store, vsme_key(profile), profile, lambda s: compute_vsme_statistics(store, s, profile)
    )


__all__ = [
    "Change",
    "PeerFiguresByVersion",
    "SectorFigures",
    "compute_peers",
    "compute_sector",
    "peers",
    "peers_key",
    "refresh",
    "sector",
    "sector_key",
    "vsme",
    "vsme_key",
]
