"""Benchmarks: a member's position among its peers, and a federation's view of its sector.

The input is a *scores table* (a pandas DataFrame, one row per assessment), as
``scoring.batch.score_many`` or the store produce it, with the columns:

- ``assessment`` (id), ``profile``, ``year``, ``framework_version``;
- ``size_class`` (micro/small/medium/large) or ``fte`` (the class is derived,
  ``frameworks.models.size_class``);
- ``status`` ("submitted" or "draft"; without the column every row counts as submitted);
- ``organisation`` (name, optional) and ``consent`` (bool, optional, default False: S10);
- ``overall``, and any ``section:<id>``, ``topic:<id>``, ``kpi:<id>`` columns.

Rules:

- S9 peer group = submitted assessments of the same profile, year, framework version and size
  class; with fewer than ``k`` the size class is dropped (scope "sector"); still fewer: scope
  "none" and nothing is shown. A metric whose non-empty values in the group number fewer than
  ``k`` is not shown either (it would single out the few who answered).
- Shown: n, mean, p25, median, p75 (linear interpolation), never min or max; a submitted
  member's percentile rank is the mid-rank ``100 * (below + equal / 2) / n`` within the group;
  a draft sees only its quartile band (below p25, p25-median, median-p75, above p75).
- Complementary suppression: the figures of a year are published per size class and for all
  sizes together; a class below k is withheld, and where the withheld remainder (all sizes
  minus the published classes, unknown sizes included) would be a group of 1..k-1, the next
  smallest published class is withheld too, until the remainder is 0 or at least k. The same
  rule runs again per metric on its non-empty values. Withheld counts are ``None``.
- S10 members are listed by name only where they consented, and then with their level and
  quartile band, never an exact score (the aggregates minus named scores would otherwise give
  the score of the one who did not consent).

``sector_statistics`` is the one statistics path (pandas ``groupby`` and quantiles): the
member's benchmark (``compare``), ``benchmark_table``, the federation's screen, the PDF sector
report and the XLSX/CSV/JSON all read its cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from frameworks.models import SIZE_CLASS_BOUNDS, SIZE_CLASSES
from frameworks.models import size_class as size_class_of
from scoring.models import Benchmark, Distribution, Passport, PeerGroup, Result

DEFAULT_K = 5
GROUP_KEYS = ["profile", "year", "framework_version"]
METRIC_PREFIXES = ("section:", "topic:", "kpi:")
#: The cell of all size classes together, and the class of members without an FTE.
ALL = "all"
UNKNOWN = "unknown"
Band = Literal["below_p25", "p25_median", "median_p75", "above_p75"]
BANDS: tuple[Band, ...] = ("below_p25", "p25_median", "median_p75", "above_p75")


def scores_row(
    passport: Passport,
    *,
    assessment,
    framework_version: str | None = None,
    consent: bool = False,
) -> dict:
    """One row of a scores table from a passport (the store builds its tables with this).

    ``framework_version`` defaults to the version of the passport's first score card.
    """
    cards = list(passport.scorecards.values())
    organisation = passport.organisation
    row = {
        "assessment": assessment,
        "organisation": organisation.name if organisation else None,
        "kbo": organisation.kbo if organisation else None,
        "profile": passport.profile,
        "year": passport.year,
        "framework_version": framework_version or (cards[0].framework_version if cards else None),
        "fte": organisation.fte if organisation else None,
        "status": passport.status,
        "consent": consent,
        "overall": passport.overall,
        "level": passport.level,
    }
    for card in cards:
        row.update({f"section:{k}": v.score for k, v in card.sections.items()})
        row.update({f"topic:{k}": v.score for k, v in card.topics.items()})
    row.update({f"kpi:{k.kpi}": k.value for k in passport.kpis})
    return row


def sector_row(passport: Passport, *, assessment, consent: bool = False) -> dict:
    """One row of a sector's scores table from a submitted passport: every framework of the
    profile as ``section:<framework>:<id>`` / ``topic:<framework>:<id>``, KPIs, size class,
    level; the name and KBO only where the member consented (S10)."""
    organisation = passport.organisation
    row = {
        "assessment": assessment,
        "profile": passport.profile,
        "year": passport.year,
        "size_class": size_class_of(organisation.fte) if organisation else None,
        "status": passport.status,
        "consent": consent,
        "organisation": organisation.name if organisation and consent else None,
        "kbo": organisation.kbo if organisation and consent else None,
        "overall": passport.overall,
        "level": passport.level,
    }
    for fw, card in passport.scorecards.items():
        row.update({f"section:{fw}:{k}": v.score for k, v in card.sections.items()})
        row.update({f"topic:{fw}:{k}": v.score for k, v in card.topics.items()})
    row.update({f"kpi:{k.kpi}": k.value for k in passport.kpis})
    return row


def with_size_class(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``size_class`` column (derived from ``fte`` where it is missing, by
    the bounds of ``frameworks.models``)."""
    if "size_class" in table.columns:
        return table
    if "fte" not in table.columns:
        raise ValueError("the scores table needs a 'size_class' or an 'fte' column")
    fte = pd.to_numeric(table["fte"], errors="coerce")
    classes = pd.cut(fte, [-np.inf, *SIZE_CLASS_BOUNDS, np.inf], right=False, labels=SIZE_CLASSES)
    return table.assign(size_class=classes.astype(object).where(fte.notna(), None))


def submitted(table: pd.DataFrame) -> pd.DataFrame:
    """S9: only submitted assessments count."""
    if "status" not in table.columns:
        return table
    return table[table["status"] == "submitted"]


def distribution(values: Iterable[float], k: int = DEFAULT_K) -> Distribution | None:
    """n, mean and quartiles of the non-empty values, or None where fewer than ``k``."""
    series = pd.Series(np.asarray(list(values), float)).dropna()
    if len(series) < max(k, 1):
        return None
    p25, median, p75 = series.quantile([0.25, 0.5, 0.75])
    return Distribution(n=len(series), mean=float(series.mean()), p25=p25, median=median, p75=p75)


def percentile_rank(values: Iterable[float], value: float) -> float | None:
    """Mid-rank percentile of ``value`` among ``values``: 100 * (below + equal / 2) / n."""
    array = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
    array = array[~np.isnan(array)]
    if not len(array) or value is None or np.isnan(value):
        return None
    below = np.count_nonzero(array < value)
    equal = np.count_nonzero(array == value)
    return 100.0 * (below + equal / 2) / len(array)


def quartile_band(value: float | None, dist: Distribution | None) -> Band | None:
    """S9: where ``value`` falls among the quartiles: one of four bands, nothing finer."""
    if value is None or dist is None or value != value:
        return None
    if value < dist.p25:
        return "below_p25"
    if value < dist.median:
        return "p25_median"
    if value < dist.p75:
        return "median_p75"
    return "above_p75"


def metric_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if isinstance(c, str) and c.startswith(METRIC_PREFIXES)]


def publishable_classes(
    counts: Mapping[str, int], k: int, candidates: Iterable[str] = SIZE_CLASSES
) -> tuple[frozenset[str], bool]:
    """Complementary suppression (S9): which size classes and whether "all sizes" may be
    published, given the group sizes per class (``UNKNOWN`` included, never published).

    A class is a candidate only with at least k members; while the withheld remainder
    (all minus the published classes) is a group of 1..k-1, the smallest published class is
    withheld too. "All sizes" is published where it has at least k members."""
    total = sum(counts.values())
    if total < k:
        return frozenset(), False
    published = [c for c in SIZE_CLASSES if c in set(candidates) and counts.get(c, 0) >= k]
    while True:
        remainder = total - sum(counts[c] for c in published)
        if remainder == 0 or remainder >= k:
            return frozenset(published), True
        published.remove(min(published, key=lambda c: counts[c]))


class Cell(Result):
    """What may be published of one year and size class (or ``size_class`` "all"): ``n`` is
    None where withheld, and a metric is left out where its group is withheld (S9)."""

    year: int
    size_class: str
    n: int | None
    overall: Distribution | None = None
    sections: dict[str, Distribution] = {}
    topics: dict[str, Distribution] = {}
    kpis: dict[str, Distribution] = {}

    @property
    def shown(self) -> bool:
        return self.n is not None


class SectorStatistics(Result):
    """The published cells of a sector: every year, every size class and all sizes."""

    profile: str
    k: int
    cells: list[Cell] = []

    @property
    def years(self) -> list[int]:
        return sorted({c.year for c in self.cells})

    def cell(self, year: int, size_class: str | None = None) -> Cell | None:
        wanted = size_class or ALL
        return next((c for c in self.cells if c.year == year and c.size_class == wanted), None)


def _cell_frame(table: pd.DataFrame, metrics: Sequence[str] | None) -> tuple[pd.DataFrame, list]:
    rows = submitted(with_size_class(table))
    columns = list(metrics) if metrics is not None else ["overall", *metric_columns(rows)]
    frame = rows[columns].apply(pd.to_numeric, errors="coerce").astype(float)
    known = rows["size_class"].isin(SIZE_CLASSES)
    frame = frame.assign(
        year=rows["year"].astype(int).to_numpy(),
        size_class=rows["size_class"].where(known, UNKNOWN).to_numpy(),
    )
    return frame, columns


def sector_statistics(
    table: pd.DataFrame,
    *,
    profile: str,
    k: int = DEFAULT_K,
    metrics: Sequence[str] | None = None,
) -> SectorStatistics:
    """S9 cells of a scores table (already narrowed to one sector): per year, each size class
    and all sizes, with n, mean, p25, median, p75 per metric; complementary suppression
    applied to the counts and again to each metric's values."""
    frame, columns = _cell_frame(table, metrics)
    if frame.empty:
        return SectorStatistics(profile=profile, k=k)
    by_class = frame.groupby(["year", "size_class"])
    by_year = frame.groupby("year")
    sizes = {"class": by_class.size(), "all": by_year.size()}
    counts = {"class": by_class[columns].count(), "all": by_year[columns].count()}
    means = {"class": by_class[columns].mean(), "all": by_year[columns].mean()}
    quarts = {
        "class": by_class[columns].quantile([0.25, 0.5, 0.75]),
        "all": by_year[columns].quantile([0.25, 0.5, 0.75]),
    }
    cells = []
    for year in sorted(sizes["all"].index):
        class_n = sizes["class"].loc[year].to_dict()
        classes, all_shown = publishable_classes(class_n, k)
        metric_n = counts["class"].loc[year]
        shown_metric = {}
        for column in columns:
            shown_metric[column] = publishable_classes(
                metric_n[column].to_dict(), k, candidates=classes
            )
        for cls in (*SIZE_CLASSES, ALL):
            which, key = ("all", year) if cls == ALL else ("class", (year, cls))
            is_shown = all_shown if cls == ALL else cls in classes
            size = int(sizes[which].get(key, 0))
            fields: dict[str, dict[str, Distribution]] = {"section": {}, "topic": {}, "kpi": {}}
            overall = None
            for column in columns if is_shown else ():
                metric_classes, metric_all = shown_metric[column]
                if not (metric_all if cls == ALL else cls in metric_classes):
                    continue
                q = quarts[which].loc[key]
                dist = Distribution(
                    n=int(counts[which].loc[key, column]),
                    mean=float(means[which].loc[key, column]),
                    p25=float(q.loc[0.25, column]),
                    median=float(q.loc[0.5, column]),
                    p75=float(q.loc[0.75, column]),
                )
                if column == "overall":
                    overall = dist
                else:
                    kind, _, item = column.partition(":")
                    fields[kind][item] = dist
            cells.append(
                Cell(
                    year=int(year),
                    size_class=cls,
                    n=size if is_shown or size == 0 else None,
                    overall=overall,
                    sections=fields["section"],
                    topics=fields["topic"],
                    kpis=fields["kpi"],
                )
            )
    return SectorStatistics(profile=profile, k=k, cells=cells)


def _peers(rows: pd.DataFrame, profile: str, framework_version: str | None) -> pd.DataFrame:
    same = rows["profile"] == profile
    if framework_version is not None and "framework_version" in rows.columns:
        same &= rows["framework_version"] == framework_version
    return rows[same]


def _choose(stats: SectorStatistics, year: int, size: str | None) -> tuple[str, Cell | None]:
    """S9: the member's size class cell where published, else all sizes, else nothing."""
    own = stats.cell(year, size) if size in SIZE_CLASSES else None
    if own is not None and own.shown and own.overall is not None:
        return "size_class", own
    sector = stats.cell(year, ALL)
    if sector is not None and sector.shown and sector.overall is not None:
        return "sector", sector
    return "none", None


def compare(table: pd.DataFrame, assessment, *, k: int = DEFAULT_K) -> Benchmark:
    """A member's benchmark: its peer group (S9) and the distributions shown for it. A
    submitted member gets its percentile rank; a draft only its quartile band."""
    rows = with_size_class(table)
    member = rows[rows["assessment"] == assessment]
    if member.empty:
        raise KeyError(f"no assessment {assessment!r} in the scores table")
    row = member.iloc[0]
    size = row["size_class"] if isinstance(row["size_class"], str) else None
    year = int(row["year"])
    version = row.get("framework_version")
    peers = _peers(submitted(rows), row["profile"], version)
    peers = peers[peers["year"] == year]
    stats = sector_statistics(peers, profile=row["profile"], k=k)
    scope, cell = _choose(stats, year, size)
    group = PeerGroup(
        profile=row["profile"],
        year=year,
        framework_version=version,
        size_class=size if scope == "size_class" else None,  # type: ignore[arg-type]
        scope=scope,  # type: ignore[arg-type]
        n=cell.n if cell is not None and cell.n is not None else 0,
        k=k,
    )
    if cell is None:
        return Benchmark(group=group)
    own = float(row["overall"]) if pd.notna(row["overall"]) else None
    rank = None
    if own is not None and row.get("status", "submitted") == "submitted":
        values = peers if scope == "sector" else peers[peers["size_class"] == size]
        rank = percentile_rank(values["overall"].to_numpy(dtype=float), own)
    return Benchmark(
        group=group,
        overall=cell.overall,
        sections=cell.sections,
        topics=cell.topics,
        kpis=cell.kpis,
        percentile_rank=rank,
        band=quartile_band(own, cell.overall),
    )


def benchmark_table(table: pd.DataFrame, *, k: int = DEFAULT_K, metric: str = "overall"):
    """S9 for every submitted assessment at once, from the same cells as ``compare``.

    Returns one row per row of ``table`` (same index) with ``scope`` (size_class, sector or
    none), ``group_n``, ``mean``, ``p25``, ``median``, ``p75`` and ``percentile_rank`` of
    ``metric``; all empty where the scope is "none" or the row is not submitted.
    """
    rows = with_size_class(table)
    result = pd.DataFrame(
        {
            "scope": "none",
            "group_n": 0,
            **{name: np.nan for name in ("mean", "p25", "median", "p75", "percentile_rank")},
        },
        index=table.index,
    )
    result["scope"] = result["scope"].astype(object)
    done = submitted(rows)
    if done.empty:
        return result
    keys = [c for c in GROUP_KEYS if c in done.columns]
    for key, part in done.groupby(keys, dropna=False, sort=False):
        profile = key[0]
        stats = sector_statistics(part, profile=profile, k=k, metrics=[metric])
        classes = part["size_class"].where(part["size_class"].isin(SIZE_CLASSES), UNKNOWN)
        for (year, size), members in part.groupby([part["year"], classes], sort=False):
            scope, cell = _choose(stats, int(year), size)
            if cell is None:
                continue
            group = part[part["year"] == year]
            if scope == "size_class":
                group = group[classes.loc[group.index] == size]
            values = group[metric].astype(float)
            ranks = 100.0 * (values.rank(method="average") - 0.5) / values.notna().sum()
            dist = cell.overall
            result.loc[members.index, "scope"] = scope
            result.loc[members.index, "group_n"] = cell.n
            for name in ("mean", "p25", "median", "p75"):
                result.loc[members.index, name] = getattr(dist, name)
            result.loc[members.index, "percentile_rank"] = ranks.loc[members.index]
    return result


class MemberPosition(Result):
    """S10: a consenting member, named, with its level and quartile band (no exact score)."""

    assessment: str
    organisation: str | None
    kbo: str | None = None
    size_class: str | None
    level: str | None = None
    band: Band | None


class FederationView(Result):
    """What a federation sees of its sector in one year (S9 cells, S10 names)."""

    profile: str
    year: int
    k: int
    size_class: str | None = None
    #: Submitted in the selection; None where withheld (S9).
    submitted: int | None
    drafts: int
    #: False where the selection is withheld: then no statistics and no names are shown.
    shown: bool
    overall: Distribution | None = None
    sections: dict[str, Distribution] = {}
    topics: dict[str, Distribution] = {}
    kpis: dict[str, Distribution] = {}
    by_size_class: dict[str, Distribution] = {}
    members: list[MemberPosition] = []
    #: Submitted members who did not consent: counted in the aggregates, never named.
    anonymous: int | None = None


def federation_view(
    table: pd.DataFrame,
    *,
    profile: str,
    year: int,
    k: int = DEFAULT_K,
    size_class: str | None = None,
) -> FederationView:
    """S9/S10: participation, the published cell and consenting members of a sector and
    year (a scores table as ``mvo benchmark`` reads it)."""
    rows = with_size_class(table)
    rows = rows[(rows["profile"] == profile) & (rows["year"] == year)]
    stats = sector_statistics(rows, profile=profile, k=k)
    cell = stats.cell(year, size_class)
    if size_class is not None:
        rows = rows[rows["size_class"] == size_class]
    done = submitted(rows)
    base = {
        "profile": profile,
        "year": year,
        "k": k,
        "size_class": size_class,
        "drafts": len(rows) - len(done),
    }
    if cell is None or not cell.shown or cell.n == 0:
        return FederationView(**base, submitted=None if len(done) else 0, shown=False)
    by_size = {
        c.size_class: c.overall
        for c in stats.cells
        if c.year == year and c.size_class != ALL and c.overall is not None
    }
    consent = (
        done["consent"].fillna(False).astype(bool)
        if "consent" in done.columns
        else pd.Series(False, index=done.index)
    )
    members = [
        MemberPosition(
            assessment=str(row["assessment"]),
            organisation=row.get("organisation"),
            kbo=row.get("kbo") if isinstance(row.get("kbo"), str) else None,
            size_class=row["size_class"] if isinstance(row["size_class"], str) else None,
            level=row.get("level") if isinstance(row.get("level"), str) else None,
            band=quartile_band(
                float(row["overall"]) if pd.notna(row["overall"]) else None, cell.overall
            ),
        )
        for _, row in done[consent].iterrows()
    ]
    return FederationView(
        **base,
        submitted=cell.n,
        shown=True,
        overall=cell.overall,
        sections=cell.sections,
        topics=cell.topics,
        kpis=cell.kpis,
        by_size_class=by_size if size_class is None else {},
        members=members,
        anonymous=int((~consent).sum()),
    )


__all__ = [
    "ALL",
    "BANDS",
    "DEFAULT_K",
    "Cell",
    "FederationView",
    "MemberPosition",
    "SectorStatistics",
    "benchmark_table",
    "compare",
    "distribution",
    "federation_view",
    "percentile_rank",
    "publishable_classes",
    "quartile_band",
    "scores_row",
    "sector_row",
    "sector_statistics",
    "size_class_of",
    "with_size_class",
]
