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
- Shown: n, mean, p25, median, p75 (numpy's linear interpolation), never min or max; the
  member's percentile rank is the mid-rank ``100 * (below + equal / 2) / n`` within the group.
- S10 the federation view names only members who consented; the others appear only inside the
  aggregates (and as a count).

``benchmark_table`` computes the statistics and ranks of every assessment at once (sorting by
group and value once, then array arithmetic), for the sector overview and the batch exports.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from frameworks.models import size_class as size_class_of
from scoring.models import Benchmark, Distribution, Passport, PeerGroup, Result

DEFAULT_K = 5
GROUP_KEYS = ["profile", "year", "framework_version"]
METRIC_PREFIXES = ("section:", "topic:", "kpi:")


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


def with_size_class(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``size_class`` column (derived from ``fte`` where it is missing)."""
    if "size_class" in table.columns:
        return table
    if "fte" not in table.columns:
        raise ValueError("the scores table needs a 'size_class' or an 'fte' column")
    fte = table["fte"].to_numpy(dtype=float)
    classes = np.select(
        [fte < 10, fte < 50, fte < 250, fte >= 250], ["micro", "small", "medium", "large"], ""
    ).astype(object)
    classes[np.isnan(fte)] = None
    return table.assign(size_class=classes)


def submitted(table: pd.DataFrame) -> pd.DataFrame:
    """S9: only submitted assessments count."""
    if "status" not in table.columns:
        return table
    return table[table["status"] == "submitted"]


def distribution(values: Iterable[float], k: int = DEFAULT_K) -> Distribution | None:
    """n, mean and quartiles of the non-empty values, or None where fewer than ``k``."""
    array = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
    array = array[~np.isnan(array)]
    if len(array) < k or len(array) == 0:
        return None
    p25, median, p75 = np.percentile(array, [25, 50, 75])
    return Distribution(
        n=len(array),
        mean=float(array.mean()),
        p25=float(p25),
        median=float(median),
        p75=float(p75),
    )


def percentile_rank(values: Iterable[float], value: float) -> float | None:
    """Mid-rank percentile of ``value`` among ``values``: 100 * (below + equal / 2) / n."""
    array = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
    array = array[~np.isnan(array)]
    if not len(array) or value is None or np.isnan(value):
        return None
    below = np.count_nonzero(array < value)
    equal = np.count_nonzero(array == value)
    return 100.0 * (below + equal / 2) / len(array)


def peer_group(
    table: pd.DataFrame,
    *,
    profile: str,
    year: int,
    framework_version: str | None,
    size_class: str | None,
    k: int = DEFAULT_K,
) -> tuple[PeerGroup, pd.DataFrame]:
    """S9: the peer group after the k-anonymity fallback and its submitted rows."""
    rows = submitted(with_size_class(table))
    same = (rows["profile"] == profile) & (rows["year"] == year)
    if framework_version is not None:
        same &= rows["framework_version"] == framework_version
    sector = rows[same]
    by_size = sector[sector["size_class"] == size_class] if size_class is not None else sector[:0]

    def group(scope: str, n: int, size: str | None) -> PeerGroup:
        return PeerGroup(
            profile=profile,
            year=year,
            framework_version=framework_version,
            size_class=size,  # type: ignore[arg-type]
            scope=scope,  # type: ignore[arg-type]
            n=n,
            k=k,
        )

    if size_class is not None and len(by_size) >= k:
        return group("size_class", len(by_size), size_class), by_size
    if len(sector) >= k:
        return group("sector", len(sector), None), sector
    # Too few: only the count is told ("te weinig deelnemers"), no statistics.
    return group("none", len(sector), None), sector[:0]


def metric_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if isinstance(c, str) and c.startswith(METRIC_PREFIXES)]


def compare(table: pd.DataFrame, assessment, *, k: int = DEFAULT_K) -> Benchmark:
    """A member's benchmark: its peer group (S9) and the distributions shown for it."""
    rows = with_size_class(table)
    member = rows[rows["assessment"] == assessment]
    if member.empty:
        raise KeyError(f"no assessment {assessment!r} in the scores table")
    row = member.iloc[0]
    size = row["size_class"] if isinstance(row["size_class"], str) else None
    group, peers = peer_group(
        rows,
        profile=row["profile"],
        year=int(row["year"]),
        framework_version=row.get("framework_version"),
        size_class=size,
        k=k,
    )
    if group.scope == "none":
        return Benchmark(group=group)
    shown: dict[str, dict[str, Distribution]] = {"section": {}, "topic": {}, "kpi": {}}
    for column in metric_columns(peers):
        kind, _, key = column.partition(":")
        dist = distribution(peers[column].to_numpy(dtype=float), k)
        if dist is not None:
            shown[kind][key] = dist
    overall = distribution(peers["overall"].to_numpy(dtype=float), k)
    rank = None
    if overall is not None and pd.notna(row["overall"]):
        rank = percentile_rank(peers["overall"].to_numpy(dtype=float), float(row["overall"]))
    return Benchmark(
        group=group,
        overall=overall,
        sections=shown["section"],
        topics=shown["topic"],
        kpis=shown["kpi"],
        percentile_rank=rank,
    )


def _group_statistics(groups: np.ndarray, values: np.ndarray, n_groups: int):
    """Per group n, mean, p25, median, p75 and per row its mid-rank among its group.

    ``groups`` are codes 0..n_groups-1 (-1 = in no group); NaN values are left out. One
    lexsort by (group, value), then array arithmetic: no loop over groups.
    """
    ok = (groups >= 0) & ~np.isnan(values)
    g, v = groups[ok], values[ok]
    order = np.lexsort((v, g))
    g_sorted, v_sorted = g[order], v[order]
    n = np.bincount(g_sorted, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(n)[:-1]))
    sums = np.bincount(g_sorted, weights=v_sorted, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / n

    def quantile(q: float) -> np.ndarray:
        position = starts + q * np.maximum(n - 1, 0)
        low = np.floor(position).astype(np.int64)
        high = np.ceil(position).astype(np.int64)
        safe = n > 0
        low, high = np.where(safe, low, 0), np.where(safe, high, 0)
        if not len(v_sorted):
            return np.full(n_groups, np.nan)
        result = v_sorted[low] + (v_sorted[high] - v_sorted[low]) * (position - low)
        return np.where(safe, result, np.nan)

    # Mid-rank: rows with the same (group, value) share the run [first, last] in sorted order.
    new_run = np.ones(len(v_sorted), bool)
    new_run[1:] = (g_sorted[1:] != g_sorted[:-1]) | (v_sorted[1:] != v_sorted[:-1])
    run_id = np.cumsum(new_run) - 1
    run_first = np.flatnonzero(new_run)
    run_size = np.diff(np.append(run_first, len(v_sorted)))
    below = run_first[run_id] - starts[g_sorted]
    rank_sorted = 100.0 * (below + run_size[run_id] / 2) / n[g_sorted]
    ranks = np.full(len(values), np.nan)
    ranks[np.flatnonzero(ok)[order]] = rank_sorted
    return n, mean, quantile(0.25), quantile(0.5), quantile(0.75), ranks


SIZE_CLASSES = ("micro", "small", "medium", "large")


def _size_class_codes(table: pd.DataFrame) -> np.ndarray:
    """0..3 for micro..large per row, -1 where unknown (from ``size_class`` or ``fte``)."""
    if "size_class" in table.columns:
        lookup = {name: index for index, name in enumerate(SIZE_CLASSES)}
        codes, uniques = pd.factorize(table["size_class"])
        mapped = np.array([lookup.get(u, -1) for u in uniques] + [-1])
        return mapped[codes]
    fte = table["fte"].to_numpy(dtype=float)
    codes = np.searchsorted(np.array([10.0, 50.0, 250.0]), fte, side="right")
    return np.where(np.isnan(fte), -1, codes)


def benchmark_table(table: pd.DataFrame, *, k: int = DEFAULT_K, metric: str = "overall"):
    """S9 for every submitted assessment at once: its peer group scope and statistics.

    Returns one row per row of ``table`` (same index) with ``scope`` (size_class, sector or
    none), ``group_n``, ``mean``, ``p25``, ``median``, ``p75`` and ``percentile_rank`` of
    ``metric``; all empty where the scope is "none" or the row is not submitted.
    """
    is_submitted = (
        (table["status"] == "submitted").to_numpy(dtype=bool, na_value=False)
        if "status" in table.columns
        else np.ones(len(table), bool)
    )
    values = table[metric].to_numpy(dtype=float)
    # Group codes from integer codes of the key columns (no string keys, no groupby).
    combined = np.zeros(len(table), np.int64)
    for key in GROUP_KEYS:
        codes, uniques = pd.factorize(table[key], use_na_sentinel=False)
        combined = combined * (len(uniques) + 1) + codes
    sector_codes, _ = pd.factorize(combined)
    sizes = _size_class_codes(table)
    size_codes, _ = pd.factorize(sector_codes.astype(np.int64) * 5 + sizes)
    size_codes = np.where(sizes < 0, -1, size_codes)
    result = {}
    stats = {}
    for name, codes in (("sector", sector_codes), ("size_class", size_codes)):
        member_codes = np.where(is_submitted, codes, -1)
        n_groups = int(codes.max()) + 1 if len(codes) else 0
        n, mean, p25, median, p75, ranks = _group_statistics(member_codes, values, n_groups)
        # Group size counts every submitted assessment, also one without this metric.
        members = np.bincount(member_codes[member_codes >= 0], minlength=n_groups)
        stats[name] = (codes, members, n, mean, p25, median, p75, ranks)
    s_codes, s_members, s_n, *s_rest = stats["size_class"]
    c_codes, c_members, c_n, *c_rest = stats["sector"]
    safe_s = np.maximum(s_codes, 0)
    use_size = (s_codes >= 0) & (s_members[safe_s] >= k) & (s_n[safe_s] >= k)
    use_sector = ~use_size & (c_members[c_codes] >= k) & (c_n[c_codes] >= k)
    shown = is_submitted & (use_size | use_sector)
    result["scope"] = np.where(shown, np.where(use_size, "size_class", "sector"), "none").astype(
        object
    )
    result["group_n"] = np.where(
        shown, np.where(use_size, s_members[safe_s], c_members[c_codes]), 0
    )
    names = ["mean", "p25", "median", "p75"]
    for index, name in enumerate(names):
        by_size, by_sector = s_rest[index][safe_s], c_rest[index][c_codes]
        result[name] = np.where(shown, np.where(use_size, by_size, by_sector), np.nan)
    result["percentile_rank"] = np.where(shown, np.where(use_size, s_rest[4], c_rest[4]), np.nan)
    return pd.DataFrame(result, index=table.index)


class MemberPosition(Result):
    """S10: a consenting member, named, with its score and rank in the selection."""

    assessment: str
    organisation: str | None
    size_class: str | None
    overall: float | None
    percentile_rank: float | None


class FederationView(Result):
    """What a federation sees of its sector in one year (S9 statistics, S10 names)."""

    profile: str
    year: int
    k: int
    size_class: str | None = None
    submitted: int
    drafts: int
    #: False where fewer than k submitted: then no statistics and no names are shown.
    shown: bool
    overall: Distribution | None = None
    sections: dict[str, Distribution] = {}
    topics: dict[str, Distribution] = {}
    kpis: dict[str, Distribution] = {}
    by_size_class: dict[str, Distribution] = {}
    members: list[MemberPosition] = []
    #: Submitted members who did not consent: counted in the aggregates, never named.
    anonymous: int = 0


def federation_view(
    table: pd.DataFrame,
    *,
    profile: str,
    year: int,
    k: int = DEFAULT_K,
    size_class: str | None = None,
) -> FederationView:
    """S9/S10: participation, distributions and consenting members of a sector and year."""
    rows = with_size_class(table)
    rows = rows[(rows["profile"] == profile) & (rows["year"] == year)]
    if size_class is not None:
        rows = rows[rows["size_class"] == size_class]
    done = submitted(rows)
    drafts = len(rows) - len(done)
    base = {
        "profile": profile,
        "year": year,
        "k": k,
        "size_class": size_class,
        "submitted": len(done),
        "drafts": drafts,
    }
    if len(done) < k:
        return FederationView(**base, shown=False)
    shown: dict[str, dict[str, Distribution]] = {"section": {}, "topic": {}, "kpi": {}}
    for column in metric_columns(done):
        kind, _, key = column.partition(":")
        dist = distribution(done[column].to_numpy(dtype=float), k)
        if dist is not None:
            shown[kind][key] = dist
    by_size = {}
    for size, part in done.groupby("size_class", dropna=True):
        dist = distribution(part["overall"].to_numpy(dtype=float), k)
        if dist is not None:
            by_size[str(size)] = dist
    overall_values = done["overall"].to_numpy(dtype=float)
    consent = (
        done["consent"].fillna(False).astype(bool).to_numpy()
        if "consent" in done.columns
        else np.zeros(len(done), bool)
    )
    members = []
    for (_, row), agreed in zip(done.iterrows(), consent, strict=True):
        if not agreed:
            continue
        overall = float(row["overall"]) if pd.notna(row["overall"]) else None
        members.append(
            MemberPosition(
                assessment=str(row["assessment"]),
                organisation=row.get("organisation"),
                size_class=row["size_class"] if isinstance(row["size_class"], str) else None,
                overall=overall,
                percentile_rank=(
                    percentile_rank(overall_values, overall) if overall is not None else None
                ),
            )
        )
    return FederationView(
        **base,
        shown=True,
        overall=distribution(overall_values, k),
        sections=shown["section"],
        topics=shown["topic"],
        kpis=shown["kpi"],
        by_size_class=by_size,
        members=members,
        anonymous=int(len(done) - consent.sum()),
    )


__all__ = [
    "DEFAULT_K",
    "FederationView",
    "MemberPosition",
    "benchmark_table",
    "compare",
    "distribution",
    "federation_view",
    "peer_group",
    "percentile_rank",
    "scores_row",
    "size_class_of",
    "with_size_class",
]
