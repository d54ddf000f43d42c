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
- Like with like: a year's sector figures (``sector_statistics``) compare one framework
  version, the newest that year's submitted assessments were answered on
  (``year_versions``); assessments of that year on an earlier version are left out of them
  (their answers mean other things), and every cell says its ``framework_version``, so a
  trend over years shows where the version changed (``version_changes``).
- S10 members are listed by name only where they consented, and then with their level and
  quartile band, never an exact score (the aggregates minus named scores would otherwise give
  the score of the one who did not consent).

``sector_statistics`` is the one statistics path (pandas ``groupby`` and quantiles): the
member's benchmark (``compare``, ``peer_figures``), the federation's screen, the PDF sector
report and the XLSX/CSV/JSON all read its cells. The app stores them once per change of the
snapshots (``app.services.statistics``) and pages read them from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from frameworks.models import SIZE_CLASS_BOUNDS, SIZE_CLASSES, version_key
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
    #: The framework version the year's figures compare (None: not known, e.g. VSME).
    framework_version: str | None = None
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


def _cell_frame(
    table: pd.DataFrame, metrics: Sequence[str] | None, keys: Sequence[str] = ()
) -> tuple[pd.DataFrame, list]:
    rows = submitted(with_size_class(table))
    columns = list(metrics) if metrics is not None else ["overall", *metric_columns(rows)]
    frame = pd.DataFrame(
        {c: pd.to_numeric(rows[c], errors="coerce").astype(float) for c in columns},
        index=rows.index,
    )
    known = rows["size_class"].isin(SIZE_CLASSES)
    frame = frame.assign(
        **{key: rows[key].to_numpy() for key in keys},
        year=rows["year"].astype(int).to_numpy(),
        size_class=rows["size_class"].where(known, UNKNOWN).to_numpy(),
    )
    return frame, columns


STATISTICS = ("n", "mean", "p25", "median", "p75")


def _long(grouped, columns: list[str]) -> pd.DataFrame:
    """n, mean and quartiles per group and figure (one row each), plus the figure "members"."""
    parts = {
        "n": grouped[columns].count(),
        "mean": grouped[columns].mean(),
        "p25": grouped[columns].quantile(0.25),
        "median": grouped[columns].quantile(0.5),
        "p75": grouped[columns].quantile(0.75),
    }
    long = pd.concat(parts, axis=1).stack(level=1)
    long.index = long.index.set_names("figure", level=-1)
    members = grouped.size().rename("n").to_frame()
    members["figure"] = "members"
    members = members.set_index("figure", append=True)
    return pd.concat([long, members]).sort_index()


def published_figures(
    table: pd.DataFrame,
    *,
    k: int = DEFAULT_K,
    keys: Sequence[str] = (),
    metrics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The one S9 statistics path: per ``keys``, year, size class (and ``ALL``) and figure
    ("members" or a metric column) the n, mean, p25, median, p75 that may be published, with
    complementary suppression applied to the members and again to each metric. Withheld
    figures are not in the result; a class without members has n 0."""
    frame, columns = _cell_frame(table, metrics, keys)
    return _published(frame, columns, list(keys), k)


def _published(frame: pd.DataFrame, columns: list[str], keys: list[str], k: int) -> pd.DataFrame:
    group_keys = [*keys, "year"]
    if frame.empty:
        index = [*group_keys, "size_class", "figure"]
        return pd.DataFrame(columns=[*index, *STATISTICS])
    by_class = _long(frame.groupby([*group_keys, "size_class"]), columns)
    by_all = _long(frame.groupby(group_keys), columns)
    counts = by_class["n"].unstack("size_class", fill_value=0)
    keep_class: dict[tuple, frozenset[str]] = {}
    keep_all: dict[tuple, bool] = {}
    members = counts.xs("members", level="figure")
    for group, row in zip(members.index, members.to_dict("records"), strict=True):
        key = group if isinstance(group, tuple) else (group,)
        keep_class[(*key, "members")], keep_all[(*key, "members")] = publishable_classes(row, k)
    for index, row in zip(counts.index, counts.to_dict("records"), strict=True):
        if index[-1] == "members":
            continue
        candidates = keep_class[(*index[:-1], "members")]
        keep_class[index], keep_all[index] = publishable_classes(row, k, candidates)
    class_rows = by_class.reset_index()
    shown = [
        size in keep_class[(*group, figure)] or (figure == "members" and n == 0)
        for *group, size, figure, n in class_rows[
            [*group_keys, "size_class", "figure", "n"]
        ].itertuples(index=False, name=None)
    ]
    all_rows = by_all.reset_index().assign(size_class=ALL)
    all_shown = [
        keep_all[(*group, figure)]
        for *group, figure in all_rows[[*group_keys, "figure"]].itertuples(index=False, name=None)
    ]
    return pd.concat([class_rows[shown], all_rows[all_shown]], ignore_index=True)


def year_versions(table: pd.DataFrame) -> dict[int, str]:
    """The framework version each year's sector figures compare: the newest version among the
    year's submitted rows (none where the table has no ``framework_version``)."""
    if "framework_version" not in table.columns or table.empty:
        return {}
    rows = submitted(table)
    found: dict[int, str] = {}
    for year, version in zip(rows["year"], rows["framework_version"], strict=True):
        if version is None or version != version:
            continue
        year, version = int(year), str(version)
        if year not in found or version_key(version) > version_key(found[year]):
            found[year] = version
    return found


def one_version_per_year(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of each year that are on that year's version (``year_versions``)."""
    versions = year_versions(table)
    if not versions:
        return table
    wanted = table["year"].astype(int).map(versions)
    return table[wanted.isna() | (table["framework_version"].astype(str) == wanted)]


def version_changes(cells: Sequence[Cell]) -> dict[int, tuple[str, str]]:
    """``{year: (previous version, version)}`` for every year of a trend (cells oldest first)
    whose figures are on another framework version than the year before."""
    changes: dict[int, tuple[str, str]] = {}
    before: str | None = None
    for cell in cells:
        if cell.framework_version is None:
            continue
        if before is not None and cell.framework_version != before:
            changes[cell.year] = (before, cell.framework_version)
        before = cell.framework_version
    return changes


def sector_statistics(
    table: pd.DataFrame,
    *,
    profile: str,
    k: int = DEFAULT_K,
    metrics: Sequence[str] | None = None,
) -> SectorStatistics:
    """S9 cells of a scores table (already narrowed to one sector): per year, each size class
    and all sizes, the published figures of ``published_figures`` over the rows on the year's
    framework version (like with like); n None where withheld."""
    versions = year_versions(table)
    table = one_version_per_year(table)
    figures = published_figures(table, k=k, metrics=metrics)
    frame, _ = _cell_frame(table, [], ())
    members = frame.groupby(["year", "size_class"]).size()
    cells = []
    by_cell = {key: part for key, part in figures.groupby(["year", "size_class"])}
    for year in sorted(members.index.get_level_values("year").unique()):
        for cls in (*SIZE_CLASSES, ALL):
            part = by_cell.get((year, cls))
            fields: dict[str, dict[str, Distribution]] = {"section": {}, "topic": {}, "kpi": {}}
            overall, n = None, None
            for record in part.to_dict("records") if part is not None else ():
                if record["figure"] == "members":
                    n = int(record["n"])
                    continue
                dist = Distribution(**{name: record[name] for name in STATISTICS})
                if record["figure"] == "overall":
                    overall = dist
                else:
                    kind, _, item = record["figure"].partition(":")
                    fields[kind][item] = dist
            if cls != ALL and (year, cls) not in members.index:
                n = 0
            cells.append(
                Cell(
                    year=int(year),
                    size_class=cls,
                    n=n,
                    framework_version=versions.get(int(year)),
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


class PeerFigures(Result):
    """What a member's benchmark needs of one peer group (profile, year, framework version):
    the published cells, and the submitted overall scores per size class and ``ALL``, sorted.
    ``values`` serve only the member's own percentile rank; they are never published (the
    store keeps them in its statistics table so that a page view computes nothing)."""

    statistics: SectorStatistics
    values: dict[str, list[float]] = {}


def peer_figures(peers: pd.DataFrame, *, profile: str, year: int, k: int) -> PeerFigures:
    """S9 figures of a peer group (the rows of one profile and framework version; drafts and
    other years are left out here)."""
    rows = submitted(with_size_class(peers))
    rows = rows[rows["year"] == year] if len(rows) else rows
    stats = sector_statistics(rows, profile=profile, k=k)
    values: dict[str, list[float]] = {}
    if len(rows):
        overall = pd.to_numeric(rows["overall"], errors="coerce").astype(float)
        values[ALL] = sorted(overall.dropna().tolist())
        for cls in SIZE_CLASSES:
            part = overall[rows["size_class"] == cls].dropna()
            if len(part):
                values[cls] = sorted(part.tolist())
    return PeerFigures(statistics=stats, values=values)


def position(
    figures: PeerFigures,
    *,
    profile: str,
    year: int,
    framework_version: str | None,
    size: str | None,
    overall: float | None,
    is_submitted: bool,
    k: int = DEFAULT_K,
) -> Benchmark:
    """A member's benchmark from its peer group's figures (S9): the size class cell where
    published, else all sizes, else nothing; a submitted member gets its percentile rank, a
    draft only its quartile band."""
    scope, cell = _choose(figures.statistics, year, size)
    group = PeerGroup(
        profile=profile,
        year=year,
        framework_version=framework_version,
        size_class=size if scope == "size_class" else None,  # type: ignore[arg-type]
        scope=scope,  # type: ignore[arg-type]
        n=cell.n if cell is not None and cell.n is not None else 0,
        k=k,
    )
    if cell is None:
        return Benchmark(group=group)
    own = overall if overall is not None and overall == overall else None
    rank = None
    if own is not None and is_submitted:
        values = figures.values.get(ALL if scope == "sector" else str(size), [])
        rank = percentile_rank(np.asarray(values, dtype=float), own)
    return Benchmark(
        group=group,
        overall=cell.overall,
        sections=cell.sections,
        topics=cell.topics,
        kpis=cell.kpis,
        percentile_rank=rank,
        band=quartile_band(own, cell.overall),
    )


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
    figures = peer_figures(peers, profile=row["profile"], year=year, k=k)
    return position(
        figures,
        profile=row["profile"],
        year=year,
        framework_version=version,
        size=size,
        overall=float(row["overall"]) if pd.notna(row["overall"]) else None,
        is_submitted=row.get("status", "submitted") == "submitted",
        k=k,
    )


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
    "PeerFigures",
    "SectorStatistics",
    "compare",
    "federation_view",
    "peer_figures",
    "percentile_rank",
    "position",
    "publishable_classes",
    "published_figures",
    "quartile_band",
    "scores_row",
    "sector_row",
    "sector_statistics",
    "size_class_of",
    "with_size_class",
]
