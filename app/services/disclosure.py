"""What leaves the system for a role, decided in one place.

- A federation's sector view (the page, the XLSX, CSV and JSON data, the PDF sector report,
  the trend and the member list) is a ``SectorRelease``: the published cells of
  ``scoring.benchmark.sector_statistics`` (S9: k, never min or max, complementary
  suppression across size class, all sizes and year) and the consenting members by name with
  their level and quartile band (S10); the others never appear as a row, and no name, KBO,
  FTE, municipality, NACE, user e-mail, note or evidence of theirs is in it.
- An SME's benchmark position (``benchmark_position``): from its submitted snapshot with a
  percentile rank; a draft sees the peer statistics and only its quartile band.
- A sector's VSME indicators (``vsme_statistics``: energy, Scope 1, Scope 2 location-based,
  GHG intensity, employees, accident rate from the members' submitted VSME reports): the
  same S9 cells as the scores (k, never min or max, complementary suppression per size
  class, all sizes and again per indicator), for the federation of the sector and the
  department; never a member's own figure, consenting or not.
- The department's anonymised data (``anonymised_rows``, ``anonymised_tables``,
  ``anonymised_passports``): a keyed per-year pseudonym (HMAC-SHA256 with ``MVO_SECRET``,
  generated once into ``var/secret`` for the embedded default), size class instead of FTE,
  NACE at division level, no free-text answers.

Pages, exports and the CLI render what these functions return; none of them decides consent.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import catalogue
from app.services import statistics as stored_statistics
from app.services.errors import AccessDenied, InvalidInput
from app.services.federation import Participation, participation, require_sector
from app.services.messages import message
from app.services.principal import (
    ADMIN,
    DEPARTMENT,
    FEDERATION,
    Principal,
    require_raw_read,
    require_role,
)
from app.services.submission import stored_passport, without_figures
from app.services.values import decode_value
from app.store.db import Store
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, ScoreSnapshotRow
from exports import data as data_export
from frameworks.models import SIZE_CLASSES, size_class
from scoring import benchmark
from scoring.models import Benchmark, Passport

SECRET_ENV = "MVO_SECRET"
DEFAULT_SECRET_PATH = Path("var") / "secret"
FORMATS = ("xlsx", "csv", "json", "pdf")


def deployment_secret(path: Path = DEFAULT_SECRET_PATH) -> bytes:
    """The key of the pseudonyms: ``MVO_SECRET``, or for the embedded default a random key
    generated once into ``var/secret`` (mode 0600) and read from there afterwards."""
    configured = os.environ.get(SECRET_ENV, "").strip()
    if configured:
        return configured.encode("utf-8")
    try:
        return path.read_bytes().strip() or _new_secret(path)
    except FileNotFoundError:
        return _new_secret(path)


def _new_secret(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process was first: use its key
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


def pseudonym(kbo: str, year: int | None) -> str:
    """The deployment's per-year pseudonym of a KBO number (``exports.data.pseudonym``)."""
    return data_export.pseudonym(kbo, year, deployment_secret())


# --- the federation's sector view -------------------------------------------------------


@dataclass(frozen=True)
class SectorRelease:
    """Everything a federation may see of a sector: participation counts of the year, the
    published cells (all years, size classes and all sizes) and the consenting members of
    the selection. ``anonymous`` (members counted only in the aggregates) is None where the
    selection's n is withheld."""

    profile: str
    year: int
    size_class: str | None
    k: int
    participation: Participation
    statistics: benchmark.SectorStatistics
    members: tuple[benchmark.MemberPosition, ...]
    anonymous: int | None
    #: The sector's VSME indicators (``vsme_statistics``): aggregates only, never a member.
    vsme: benchmark.SectorStatistics | None = None

    @property
    def selection(self) -> benchmark.Cell | None:
        return self.statistics.cell(self.year, self.size_class)

    def trend(self) -> list[benchmark.Cell]:
        """The selection's cell of every year, oldest first."""
        cells = [self.statistics.cell(y, self.size_class) for y in self.statistics.years]
        return [c for c in cells if c is not None]

    def version_changes(self) -> dict[int, tuple[str, str]]:
        """``{year: (previous version, version)}`` where the trend's figures change framework
        version (each year compares one version; the page marks the change)."""
        return benchmark.version_changes(self.trend())


def _check_size_class(value: str | None) -> str | None:
    if value in (None, "", benchmark.ALL):
        return None
    if value not in SIZE_CLASSES:
        raise InvalidInput(
            message("unknown-size-class", value=value, value2=", ".join(SIZE_CLASSES))
        )
    return value


def _submitted_snapshots(
    session: Session, profile: str, framework: str, *extra: Any, year: int | None = None
) -> list[Any]:
    """The snapshots of the submitted assessments of ``profile``'s main ``framework`` (one
    year or every year), in assessment order: id, version, FTE, overall and level, the
    organisation's name, KBO and consent as they are now, and the ``extra`` columns."""
    query = (
        select(
            ScoreSnapshotRow.assessment_id,
            ScoreSnapshotRow.framework_version,
            ScoreSnapshotRow.fte,
            ScoreSnapshotRow.overall,
            ScoreSnapshotRow.level,
            OrganisationRow.name,
            OrganisationRow.kbo,
            OrganisationRow.consent_named,
            *extra,
        )
        .join(AssessmentRow, AssessmentRow.id == ScoreSnapshotRow.assessment_id)
        .join(OrganisationRow, OrganisationRow.id == ScoreSnapshotRow.organisation_id)
        .where(
            ScoreSnapshotRow.profile == profile,
            ScoreSnapshotRow.framework == framework,
            AssessmentRow.status == "submitted",
        )
        .order_by(ScoreSnapshotRow.assessment_id)
    )
    if year is not None:
        query = query.where(ScoreSnapshotRow.year == year)
    return session.execute(query).all()


def sector_table(session: Session, profile: str, framework: str) -> pd.DataFrame:
    """One row per submitted assessment of the profile's main framework, every year: the
    scores of all the profile's frameworks (``section:<framework>:<id>`` and so on), the
    size class, level and consent; a name and KBO only of consenting members. Read when the
    snapshots change (``app.services.statistics``), not per page view."""
    found = _submitted_snapshots(
        session,
        profile,
        framework,
        ScoreSnapshotRow.year,
        ScoreSnapshotRow.figures_json,
    )
    full = without_figures(
        session, found, ScoreSnapshotRow.passport_json, ScoreSnapshotRow.scorecard_json
    )
    rows = []
    for s in found:
        stored = full.get(s.assessment_id)
        if s.figures_json:  # sector_row's output as frozen (consent not in it)
            row = json.loads(s.figures_json)["sector"]
        elif stored is not None and stored.passport_json:
            passport = stored_passport(stored.passport_json, stored.scorecard_json, framework)
            # Consent as it is now (S10); the size class as frozen at submit (S9).
            row = benchmark.sector_row(passport, assessment=s.assessment_id, consent=False)
        else:
            row = {"assessment": s.assessment_id, "profile": profile, "year": s.year}
            row["overall"], row["level"] = s.overall, s.level
        consent = bool(s.consent_named)
        row.update(
            status="submitted",
            year=s.year,
            framework_version=s.framework_version,
            size_class=size_class(s.fte),
            consent=consent,
            organisation=s.name if consent else None,
            kbo=s.kbo if consent else None,
        )
        rows.append(row)
    columns = ["assessment", "profile", "year", "size_class", "status", "consent", "overall"]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns)


def sector_release(
    store: Store,
    principal: Principal,
    profile: str,
    year: int,
    *,
    size_class: str | None = None,
) -> SectorRelease:
    """The federation's view of ``profile`` in ``year`` (optionally one size class): the only
    way sector figures and member rows leave for a federation (S9, S10)."""
    require_sector(principal, profile)
    size = _check_size_class(size_class)
    model = catalogue.profile(store.catalogue, profile)
    if model is None:
        raise InvalidInput(message("unknown-profile", profile=profile))
    with store.read() as session:
        figures = stored_statistics.sector(store, session, profile)
        chosen = _year_members(session, profile, model.frameworks[0].id, year)
    statistics = figures.statistics
    selection = statistics.cell(year, size)
    # Like with like: members answered on another version than the year's figures are in no
    # figure and get no band; how many they are is withheld with the count (below).
    version = selection.framework_version if selection is not None else None
    other_version = sum(1 for m in chosen if version and m["framework_version"] != version)
    chosen = [m for m in chosen if not version or m["framework_version"] == version]
    if size is not None:
        chosen = [m for m in chosen if m["size_class"] == size]
    shown = selection is not None and selection.shown and bool(selection.n)
    members: list[benchmark.MemberPosition] = []
    for row in (m for m in chosen if m["consent"]) if shown else ():
        # The band from the passport's overall as stored with the figures (never published).
        overall = figures.overall.get(row["assessment"], row["overall"])
        members.append(
            benchmark.MemberPosition(
                assessment=str(row["assessment"]),
                organisation=row["organisation"],
                kbo=row["kbo"],
                size_class=row["size_class"],
                level=row["level"] if isinstance(row["level"], str) else None,
                band=benchmark.quartile_band(overall, selection.overall if selection else None),
            )
        )
    members.sort(key=lambda m: (m.organisation or "").lower())
    return SectorRelease(
        profile=profile,
        year=year,
        size_class=size,
        k=model.k,
        participation=_withheld_count(
            participation(store, principal, profile, year), statistics, other_version, model.k
        ),
        statistics=statistics,
        members=tuple(members),
        anonymous=len(chosen) - len(members) if shown else None,
        vsme=vsme_statistics(store, principal, profile),
    )


def _year_members(session: Session, profile: str, framework: str, year: int) -> list[dict]:
    """The submitted assessments of the profile's main framework in ``year``: size class as
    frozen at submit (S9), consent as it is now (S10); name and KBO only where consented."""
    found = _submitted_snapshots(session, profile, framework, year=year)
    return [
        {
            "assessment": s.assessment_id,
            "framework_version": s.framework_version,
            "size_class": size_class(s.fte),
            "consent": bool(s.consent_named),
            "organisation": s.name if s.consent_named else None,
            "kbo": s.kbo if s.consent_named else None,
            "overall": s.overall,
            "level": s.level,
        }
        for s in found
    ]


def _withheld_count(
    counts: Participation,
    statistics: benchmark.SectorStatistics,
    other_version: int = 0,
    k: int = benchmark.DEFAULT_K,
):
    """S9: the year's number of submitted assessments is a count of the all-sizes cell; it is
    None where that cell is withheld (1..k-1 members), and where the submitted assessments
    on an earlier framework version than the year's figures (left out of them) are 1..k-1:
    the count minus the cell's n would give their number."""
    cell = statistics.cell(counts.year)
    if counts.submitted and (cell is None or cell.n is None or 0 < other_version < k):
        return replace(counts, submitted=None)
    return counts


def sector_report_document(store: Store, release: SectorRelease, language: str = "nl"):
    """The ``SectorReportDocument`` of a release (the page shows it, the PDF lays it out)."""
    from exports.documents import build_sector_report  # noqa: PLC0415

    return build_sector_report(
        catalogue.profile(store.catalogue, release.profile),
        store.catalogue.frameworks,
        release.statistics,
        year=release.year,
        size_class=release.size_class,
        members=release.members,
        language=language,
    )


def sector_download(
    store: Store,
    principal: Principal,
    profile: str,
    year: int,
    *,
    size_class: str | None = None,
    format: str,
    language: str = "nl",
) -> bytes:
    """The bytes a federation user downloads (page and ``mvo export sector`` alike)."""
    if format not in FORMATS:
        raise InvalidInput(message("unknown-format", format=format))
    release = sector_release(store, principal, profile, year, size_class=size_class)
    if format == "pdf":
        from exports.pdf.sector import SectorReportRenderer  # noqa: PLC0415

        return SectorReportRenderer(sector_report_document(store, release, language)).render()
    if format == "json":
        document = json.loads(
            data_export.sector_json(
                release.statistics, release.members, year=year, size_class=release.size_class
            )
        )
        document["vsme"] = [cell.model_dump(mode="json") for cell in release.vsme.cells]
        return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")
    sheets = data_export.sector_sheets(
        release.statistics,
        release.members,
        frameworks=store.catalogue.frameworks,
        profile=catalogue.profile(store.catalogue, release.profile),
        language=language,
    )
    sheets.append(vsme_sheet(release.vsme))
    if format == "csv":
        return data_export.to_csv(sheets[0])
    return data_export.to_xlsx(sheets)


def download_name(profile: str, year: int, size_class: str | None, format: str) -> str:
    """The file name of a sector download (ids only, never user text)."""
    suffix = f"-{size_class}" if size_class else ""
    return f"sectorbenchmark-{profile}-{year}{suffix}.{format}"


# --- VSME indicators of a sector ---------------------------------------------------------


@dataclass(frozen=True)
class VsmeIndicator:
    """A sector figure from the members' VSME reports: the report datapoint it reads and the
    factor to the unit shown (intensity in tCO2e per million euro turnover, not per euro)."""

    id: str
    datapoint: str
    unit: str
    scale: float = 1.0


VSME_INDICATORS = (
    VsmeIndicator("energy_mwh", "TotalEnergyConsumption", "MWh"),
    VsmeIndicator("scope1_t", "GrossScope1GreenhouseGasEmissions", "tCO2e"),
    VsmeIndicator("scope2_location_t", "GrossLocationBasedScope2GreenhouseGasEmissions", "tCO2e"),
    VsmeIndicator(
        "ghg_intensity",
        "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
        "tCO2e/EUR million",
        1e6,
    ),
    VsmeIndicator("employees", "NumberOfEmployees", "count"),
    VsmeIndicator(
        "accident_rate",
        "RateOfRecordableWorkRelatedAccidentsInTheReportingPeriod",
        "per 200,000 hours",
    ),
)
#: The parts the report's own totals are derived from (``exports.vsme.report.with_derived``).
_VSME_PARTS = ("Turnover", "TotalGrossLocationBasedScope1AndScope2GHGEmissions")


def vsme_table(store: Store, session, profile: str) -> pd.DataFrame:
    """One row per submitted VSME report of an organisation of ``profile``: year, the size
    class as frozen at submit, and a ``kpi:<indicator>`` column per ``VSME_INDICATORS``
    (a figure the report leaves open is empty; the intensity is derived from Scope 1 + 2 and
    turnover where the report does not state it, by the report's own rule)."""
    from exports.vsme.report import VsmeEntity, VsmeReport, with_derived  # noqa: PLC0415

    framework = store.catalogue.frameworks.get("vsme")
    columns = [
        "assessment",
        "year",
        "size_class",
        "status",
        *(f"kpi:{i.id}" for i in VSME_INDICATORS),
    ]
    if framework is None:
        return pd.DataFrame(columns=columns)
    wanted = {i.datapoint for i in VSME_INDICATORS} | set(_VSME_PARTS)
    wanted |= {
        "GrossScope1GreenhouseGasEmissions",
        "GrossLocationBasedScope2GreenhouseGasEmissions",
    }
    by_question = {
        q.id: q.vsme.datapoint
        for q in framework.questions.values()
        if q.vsme is not None and q.vsme.datapoint in wanted
    }
    reports = session.execute(
        select(AssessmentRow.id, AssessmentRow.year, ScoreSnapshotRow.fte)
        .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
        .join(ScoreSnapshotRow, ScoreSnapshotRow.assessment_id == AssessmentRow.id)
        .where(
            AssessmentRow.framework == "vsme",
            AssessmentRow.status == "submitted",
            OrganisationRow.profile == profile,
        )
        .order_by(AssessmentRow.id)
    ).all()
    values: dict[int, dict[str, float]] = {r.id: {} for r in reports}
    ids = list(values)
    for start in range(0, len(ids), 500):
        for answer in session.execute(
            select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.value).where(
                AnswerRow.assessment_id.in_(ids[start : start + 500]),
                AnswerRow.question_id.in_(sorted(by_question)),
                AnswerRow.na.is_(False),
            )
        ):
            number = decode_value(answer.value, False)
            if isinstance(number, int | float) and not isinstance(number, bool):
                values[answer.assessment_id][by_question[answer.question_id]] = number
    rows = []
    entity = VsmeEntity(name="-", kbo="0000000000")  # only the facts are read
    for report in reports:
        facts = with_derived(
            VsmeReport(
                entity=entity,
                period_start=date(report.year, 1, 1),
                period_end=date(report.year, 12, 31),
                facts=values[report.id],
            )
        ).facts
        row = {
            "assessment": report.id,
            "year": report.year,
            "size_class": size_class(report.fte),
            "status": "submitted",
        }
        for indicator in VSME_INDICATORS:
            value = facts.get(indicator.datapoint)
            row[f"kpi:{indicator.id}"] = None if value is None else value * indicator.scale
        rows.append(row)
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def vsme_statistics(store: Store, principal: Principal, profile: str) -> benchmark.SectorStatistics:
    """The VSME indicators of a sector (every year, each size class and all sizes) as S9
    cells of ``scoring.benchmark.sector_statistics``: n, mean, p25, median, p75, withheld
    below the profile's k with complementary suppression, per indicator too. Only submitted
    VSME reports count; no member's figure is in it. Readers: the sector's federation, the
    department and admin."""
    require_sector(principal, profile)
    model = catalogue.profile(store.catalogue, profile)
    if model is None:
        raise InvalidInput(message("unknown-profile", profile=profile))
    with store.read() as session:
        return stored_statistics.vsme(store, session, profile)


def compute_vsme_statistics(store: Store, session, profile: str) -> benchmark.SectorStatistics:
    """The VSME cells of ``profile`` computed from its submitted VSME reports (called when
    they change, by ``app.services.statistics``; readers get the stored row)."""
    model = catalogue.profile(store.catalogue, profile)
    k = model.k if model is not None else benchmark.DEFAULT_K
    return benchmark.sector_statistics(
        vsme_table(store, session, profile),
        profile=profile,
        k=k,
        metrics=[f"kpi:{i.id}" for i in VSME_INDICATORS],
    )


def vsme_sheet(statistics: benchmark.SectorStatistics) -> data_export.Sheet:
    """The "vsme" sheet of a sector download: the aggregates sheet of the VSME cells (item =
    indicator id, units in ``VSME_INDICATORS``)."""
    return replace(data_export.sector_sheets(statistics)[0], name="vsme")


# --- an SME's benchmark position -------------------------------------------------------


def benchmark_position(store: Store, principal: Principal, assessment_id: int) -> Benchmark:
    """S9: the assessment's peer group statistics and position. A submitted assessment is
    placed with its frozen snapshot and gets its percentile rank; a draft is placed with its
    live scores but sees only its quartile band (it never counts in the group). Readers: the
    organisation's own users and the department/admin; a federation has the sector's cells
    (a member's peer group of one framework version beside them could be subtracted)."""
    from app.services import passports  # noqa: PLC0415 (passports delegates here)

    view = passports.get_passport(store, principal, assessment_id)
    require_raw_read(principal, view.organisation_id)
    with store.read() as session:
        row = session.get(AssessmentRow, assessment_id)
        organisation = session.get(OrganisationRow, row.organisation_id)
        snapshot = session.execute(
            select(ScoreSnapshotRow.fte, ScoreSnapshotRow.overall).where(
                ScoreSnapshotRow.assessment_id == assessment_id
            )
        ).first()
        figures = stored_statistics.peers(store, session, row.profile, row.framework, row.year)
    profile = catalogue.profile(store.catalogue, row.profile)
    k = profile.k if profile is not None else benchmark.DEFAULT_K
    frozen = row.status == "submitted" and snapshot is not None
    # A submitted member is placed with its frozen snapshot; a draft with its live scores.
    fte, overall = (snapshot.fte, snapshot.overall) if frozen else (organisation.fte, None)
    if not frozen:
        overall = view.scorecard.overall
    empty = benchmark.PeerFigures(
        statistics=benchmark.SectorStatistics(profile=row.profile or row.framework, k=k)
    )
    return benchmark.position(
        figures.versions.get(row.framework_version, empty),
        profile=row.profile or row.framework,
        year=row.year,
        framework_version=row.framework_version,
        size=size_class(fte),
        overall=overall,
        is_submitted=frozen,
        k=k,
    )


# --- the department's anonymised data ----------------------------------------------------


def _submitted_passports(store, principal, year, profiles) -> list[Passport]:
    from app.services.department import submitted_passports  # noqa: PLC0415

    return [
        s.passport
        for s in submitted_passports(store, principal, year, profiles)
        if s.passport is not None
    ]


def anonymised_audience() -> data_export.Audience:
    """The audience of every anonymised export: keyed with the deployment secret."""
    return data_export.Audience(anonymise=True, secret=deployment_secret())


def anonymised_passports(
    store: Store, principal: Principal, year: int, profiles: list[str] | None = None
) -> list[Passport]:
    """The submitted passports of ``year`` as the anonymised JSON carries them."""
    require_role(principal, DEPARTMENT, ADMIN)
    secret = deployment_secret()
    return [
        data_export.anonymised_passport(p, secret)
        for p in _submitted_passports(store, principal, year, profiles)
    ]


def anonymised_tables(
    store: Store,
    principal: Principal,
    year: int,
    profiles: list[str] | None = None,
    language: str = "nl",
) -> list[data_export.Sheet]:
    """The department's data sheets of ``year``, anonymised (for XLSX and CSV)."""
    require_role(principal, DEPARTMENT, ADMIN)
    return data_export.score_tables(
        _submitted_passports(store, principal, year, profiles),
        store.catalogue.frameworks,
        store.catalogue.profiles,
        anonymised_audience(),
        language,
        archived=getattr(store.catalogue, "archived", None),
    )


def anonymised_rows(
    store: Store, principal: Principal, year: int, profiles: list[str] | None = None
) -> list[dict[str, Any]]:
    """One row per submitted assessment without name, KBO, municipality, FTE or answers: the
    keyed pseudonym, profile, NACE division, size class, overall, level and topic scores."""
    from app.services.department import submitted_passports  # noqa: PLC0415

    require_role(principal, DEPARTMENT, ADMIN)
    secret = deployment_secret()
    result = []
    for item in submitted_passports(store, principal, year, profiles):
        row: dict[str, Any] = {
            "pseudonym": data_export.pseudonym(item.organisation.kbo, year, secret),
            "profile": item.profile,
            "framework": item.framework,
            "framework_version": item.scorecard.framework_version,
            "year": item.year,
            "nace_division": (item.organisation.nace or "")[:2] or None,
            "size_class": size_class(item.organisation.fte),
            "overall": item.overall,
            "level": item.level,
            "completeness": item.scorecard.completeness,
        }
        for topic_id, topic in item.scorecard.topics.items():
            row[f"topic_{topic_id}"] = topic.score
        result.append(row)
    return result


def require_federation_user(principal: Principal, profile: str) -> None:
    """``mvo export sector --as``: a federation user of that sector (department/admin too)."""
    if principal.role not in (FEDERATION, DEPARTMENT, ADMIN):
        raise AccessDenied(message("only-a-federation-the-department"))
    require_sector(principal, profile)
