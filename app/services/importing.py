"""Bulk import of answers a federation collected on paper or in Excel (``mvo import``).

One row per organisation: columns ``kbo`` and ``name``, optionally ``fte``, ``nace`` and
``municipality``, then one column per question id (as ``mvo catalogue`` lists them). Excel
(.xlsx), CSV (comma or semicolon, UTF-8) and JSON (a list of objects) are read. Cells are
read into the same answer values as ``mvo score`` uses: maturity 0..4; yes/no as
yes/no/ja/nee/true/false/1/0; a choice as its option id; a multi as option ids separated by
``;`` (or a JSON list); numbers with a decimal point or comma; ``n/a`` (or ``nvt``) where the
question allows it; an empty cell leaves the question unanswered.

Every row is checked first and every problem is reported as (row, column, problem). With any
problem nothing is written; with ``skip_invalid`` the valid rows are written and the invalid
ones skipped. Writing happens in one transaction: an import that fails halfway leaves the
database as it was. A row's assessment is created (or an existing draft updated) and, where
``submit`` is on and no required question is open, submitted with its score snapshot.
Audited once per row (not per answer).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.kbo import KboError, normalise
from app.services import audit, catalogue, scoring_bridge
from app.services.answers import validate_answer
from app.services.assessments import _check_year, encode_value
from app.services.errors import AccessDenied, InvalidInput
from app.services.principal import DENIED, FEDERATION, Principal
from app.store.db import Store
from app.store.models import (
    AnswerRow,
    AssessmentRow,
    OrganisationRow,
    ScoreSnapshotRow,
    utcnow,
)
from frameworks.models import size_class
from scoring.models import Organisation, Passport, ScoreCard

ORGANISATION_COLUMNS = ("kbo", "name", "fte", "nace", "municipality")
CHUNK = 500


@dataclass(frozen=True)
class ImportProblem:
    """One problem: the file's row number (the header is row 1; JSON: the record number),
    the column, and what is wrong."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"rij/row {self.row}, kolom/column {self.column}: {self.problem}"


@dataclass
class ImportReport:
    """What the import found and did."""

    file: str
    rows: int = 0
    valid_rows: int = 0
    written: int = 0
    submitted: int = 0
    drafts: int = 0
    new_organisations: int = 0
    skipped: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def flatten(self) -> list[tuple[int, str, str]]:
        return [(p.row, p.column, p.problem) for p in self.problems]


@dataclass
class _Row:
    number: int
    kbo: str
    name: str
    fte: float | None
    nace: str | None
    municipality: str | None
    answers: dict[str, Any]


# --------------------------------------------------------------------------- reading
def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """(columns, rows as (row number, {column: cell})) of an .xlsx, .csv or .json file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".json":
        return _read_json(path)
    raise InvalidInput(
        f"{path.name}: onbekend bestandstype {suffix or '(geen)'}; gebruik .xlsx, .csv of "
        f".json. / unknown file type {suffix or '(none)'}; use .xlsx, .csv or .json.",
        field="file",
    )


def _header(cells: Iterable[Any], path: Path) -> list[str]:
    columns = [str(c).strip() if c is not None else "" for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise InvalidInput(f"{path.name}: geen kopregel / no header row", field="file")
    return columns


def _read_xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook gets one clear message
        raise InvalidInput(
            f"{path.name}: geen leesbaar Excel-bestand / not a readable Excel file ({error})",
            field="file",
        ) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        columns = _header(next(rows), path)
    except StopIteration:
        raise InvalidInput(f"{path.name}: leeg werkblad / empty sheet", field="file") from None

    def body():
        for number, cells in enumerate(rows, start=2):
            if cells is None or all(c is None or str(c).strip() == "" for c in cells):
                continue
            yield (
                number,
                {col: cells[i] if i < len(cells) else None for i, col in enumerate(columns)},
            )
        workbook.close()

    return columns, body()


def _read_csv(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{path.name}: geen UTF-8-tekst (byte {error.start}); bewaar als 'CSV UTF-8'. / "
            f"not UTF-8 text (byte {error.start}); save as 'CSV UTF-8'.",
            field="file",
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        columns = _header(next(reader), path)
    except StopIteration:
        raise InvalidInput(f"{path.name}: leeg bestand / empty file", field="file") from None

    def body():
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            yield (
                number,
                {col: cells[i] if i < len(cells) else None for i, col in enumerate(columns)},
            )

    return columns, body()


def _read_json(path: Path):
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(
            f"{path.name}: geen geldige JSON / not valid JSON ({error})", field="file"
        ) from error
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InvalidInput(
            f"{path.name}: verwacht een lijst van objecten / expected a list of objects",
            field="file",
        )
    columns: list[str] = []
    for record in data:
        for key in record:
            if key not in columns:
                columns.append(str(key))
    return columns, ((i, record) for i, record in enumerate(data, start=1))


# --------------------------------------------------------------------------- cells -> values
def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _number(cell: Any) -> float | int:
    if isinstance(cell, bool):
        raise ValueError("a yes/no is not a number")
    if isinstance(cell, int | float):
        return cell
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234,5 (Flemish thousands)
        text = text.replace(".", "")
    text = text.replace(",", ".")
    value = float(text)
    return int(value) if re.fullmatch(r"-?\d+", text) else value


def parse_cell(question: Any, cell: Any) -> Any:
    """The answer value of one cell for ``question`` (None for an empty cell). Raises
    ``ValueError`` for a cell that cannot be read as this question's type (the question's
    class reads it: ``QuestionBase.parse_cell``)."""
    return question.parse_cell(cell)


def _organisation_cells(row: int, cells: dict[str, Any], problems: list[ImportProblem]):
    kbo_cell = cells.get("kbo")
    if isinstance(kbo_cell, float) and kbo_cell.is_integer():
        kbo_cell = int(kbo_cell)
    kbo = None
    if _blank(kbo_cell):
        problems.append(ImportProblem(row, "kbo", "KBO-nummer ontbreekt / KBO number missing"))
    else:
        try:
            kbo = normalise(str(kbo_cell))
        except KboError as error:
            problems.append(ImportProblem(row, "kbo", f"{error.reason} / {error.reason_en}"))
    name = cells.get("name")
    if _blank(name):
        problems.append(ImportProblem(row, "name", "naam ontbreekt / name missing"))
        name = None
    elif len(str(name)) > 300:
        problems.append(ImportProblem(row, "name", "naam te lang / name too long (max 300)"))
    fte = None
    if not _blank(cells.get("fte")):
        try:
            fte = float(_number(cells["fte"]))
            if not 0 <= fte < 1e6:
                raise ValueError
        except (ValueError, TypeError):
            problems.append(
                ImportProblem(row, "fte", f"ongeldig aantal VTE / invalid FTE: {cells['fte']!r}")
            )
    nace = None if _blank(cells.get("nace")) else str(cells["nace"]).strip()
    if nace is not None and not re.fullmatch(r"\d{2}(\.\d{1,3})?", nace):
        problems.append(
            ImportProblem(row, "nace", f"ongeldige NACE-BEL-code / invalid NACE-BEL code: {nace!r}")
        )
    municipality = None if _blank(cells.get("municipality")) else str(cells["municipality"])
    return kbo, (str(name) if name is not None else None), fte, nace, municipality


# --------------------------------------------------------------------------- import
def import_answers(
    store: Store,
    principal: Principal,
    path: str | Path,
    *,
    framework: str,
    profile: str | None,
    year: int,
    skip_invalid: bool = False,
    submit: bool = True,
) -> ImportReport:
    """Check every row of ``path``, then write all of them in one transaction (see module
    docstring). Returns the report; ``report.written == 0`` when any row is invalid and
    ``skip_invalid`` is off."""
    path = Path(path)
    if principal.role == FEDERATION and not principal.system:
        if profile is None or profile not in principal.sectors:
            raise AccessDenied(DENIED)
    elif not principal.system and principal.role != "admin":
        raise AccessDenied(DENIED)
    _check_year(year)
    cat = store.catalogue
    base = catalogue.framework(cat, framework)
    profile_model = catalogue.profile(cat, profile)
    if profile_model is not None and framework not in [f.id for f in profile_model.frameworks]:
        raise InvalidInput(
            f"Kader '{framework}' hoort niet bij sectorprofiel '{profile}'. / "
            f"Framework '{framework}' is not part of sector profile '{profile}'.",
            field="framework",
        )
    questions = catalogue.questionnaire(cat, framework, profile).questions
    report = ImportReport(file=path.name)
    columns, body = read_table(path)

    for required in ("kbo", "name"):
        if required not in columns:
            report.problems.append(ImportProblem(1, required, "kolom ontbreekt / column missing"))
    question_columns = []
    seen_columns: set[str] = set()
    for column in columns:
        if column in seen_columns:
            report.problems.append(
                ImportProblem(1, column, "kolom staat er twee keer / duplicate column")
            )
        seen_columns.add(column)
        if column in ORGANISATION_COLUMNS:
            continue
        if column in questions:
            question_columns.append(column)
        else:
            report.problems.append(
                ImportProblem(
                    1,
                    column,
                    f"onbekende vraag in {framework} / unknown question id in {framework}",
                )
            )
    if report.problems:  # a bad header makes every row meaningless
        return report

    rows: list[_Row] = []
    first_row_of: dict[str, int] = {}
    for number, cells in body:
        report.rows += 1
        problems: list[ImportProblem] = []
        kbo, name, fte, nace, municipality = _organisation_cells(number, cells, problems)
        if kbo is not None:
            if kbo in first_row_of:
                problems.append(
                    ImportProblem(
                        number,
                        "kbo",
                        f"KBO-nummer {kbo} staat ook in rij "
                        f"{first_row_of[kbo]} / also in row "
                        f"{first_row_of[kbo]}",
                    )
                )
            else:
                first_row_of[kbo] = number
        answers: dict[str, Any] = {}
        for column in question_columns:
            question = questions[column]
            try:
                value = parse_cell(question, cells.get(column))
                value = validate_answer(question, value)
            except (ValueError, TypeError, InvalidInput) as error:
                message = str(error)
                prefix = f"{column}: "
                problems.append(
                    ImportProblem(
                        number,
                        column,
                        message[len(prefix) :] if message.startswith(prefix) else message,
                    )
                )
                continue
            if value is not None:
                answers[column] = value
        if problems:
            report.problems.extend(problems)
            continue
        rows.append(_Row(number, kbo, name, fte, nace, municipality, answers))

    _check_against_database(store, rows, report, framework=framework, profile=profile, year=year)
    report.valid_rows = len(rows)
    if report.problems and not skip_invalid:
        return report
    report.skipped = report.rows - len(rows)
    if rows:
        _write(
            store,
            principal,
            rows,
            report,
            base=base,
            profile_model=profile_model,
            framework=framework,
            profile=profile,
            year=year,
            submit=submit,
        )
    return report


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_against_database(
    store: Store,
    rows: list[_Row],
    report: ImportReport,
    *,
    framework: str,
    profile: str | None,
    year: int,
) -> None:
    """Rows whose organisation is in another sector or whose assessment is already
    submitted are problems too (removed from ``rows``)."""
    if not rows:
        return
    bad: set[int] = set()
    with store.read() as session:
        for chunk in _chunks(rows):
            by_kbo = {r.kbo: r for r in chunk}
            found = session.execute(
                select(OrganisationRow.kbo, OrganisationRow.profile, AssessmentRow.status)
                .outerjoin(
                    AssessmentRow,
                    (AssessmentRow.organisation_id == OrganisationRow.id)
                    & (AssessmentRow.framework == framework)
                    & (AssessmentRow.year == year)
                    & (AssessmentRow.profile == profile),
                )
                .where(OrganisationRow.kbo.in_(list(by_kbo)))
            ).all()
            for kbo, organisation_profile, status in found:
                row = by_kbo[kbo]
                if (
                    organisation_profile is not None
                    and profile is not None
                    and (organisation_profile != profile)
                ):
                    report.problems.append(
                        ImportProblem(
                            row.number,
                            "kbo",
                            f"organisatie hoort bij sector {organisation_profile}"
                            f" / organisation belongs to sector {organisation_profile}",
                        )
                    )
                    bad.add(row.number)
                if status == "submitted":
                    report.problems.append(
                        ImportProblem(
                            row.number,
                            "kbo",
                            f"beoordeling {year} is al ingediend / the {year} "
                            "assessment is already submitted",
                        )
                    )
                    bad.add(row.number)
    rows[:] = [r for r in rows if r.number not in bad]
    report.problems.sort(key=lambda p: (p.row, p.column))


def _write(
    store: Store,
    principal: Principal,
    rows: list[_Row],
    report: ImportReport,
    *,
    base: Any,
    profile_model: Any,
    framework: str,
    profile: str | None,
    year: int,
    submit: bool,
) -> None:
    now = utcnow()
    with store.write() as session:
        organisations: dict[str, OrganisationRow | dict] = {}
        for chunk in _chunks(rows):
            for org in session.scalars(
                select(OrganisationRow).where(OrganisationRow.kbo.in_([r.kbo for r in chunk]))
            ):
                organisations[org.kbo] = org
        new_orgs = [
            {
                "kbo": r.kbo,
                "name": r.name,
                "profile": profile,
                "fte": r.fte,
                "nace": r.nace,
                "municipality": r.municipality,
                "consent_named": False,
                "created_at": now,
            }
            for r in rows
            if r.kbo not in organisations
        ]
        org_ids = {kbo: org.id for kbo, org in organisations.items()}
        for chunk in _chunks(new_orgs):
            for org_id, kbo in session.execute(
                insert(OrganisationRow).returning(
                    OrganisationRow.id, OrganisationRow.kbo, sort_by_parameter_order=True
                ),
                chunk,
            ):
                org_ids[kbo] = org_id
        report.new_organisations = len(new_orgs)
        for r in rows:  # known organisations: fill in what the file adds
            org = organisations.get(r.kbo)
            if org is not None:
                for key in ("fte", "nace", "municipality"):
                    if getattr(r, key) is not None and getattr(org, key) != getattr(r, key):
                        setattr(org, key, getattr(r, key))
                if org.profile is None:
                    org.profile = profile
        session.flush()

        existing: dict[int, AssessmentRow] = {}
        for chunk in _chunks(list(org_ids.values())):
            for a in session.scalars(
                select(AssessmentRow).where(
                    AssessmentRow.organisation_id.in_(chunk),
                    AssessmentRow.framework == framework,
                    AssessmentRow.year == year,
                    AssessmentRow.profile == profile
                    if profile is not None
                    else AssessmentRow.profile.is_(None),
                )
            ):
                existing[a.organisation_id] = a
        fresh = [
            {
                "organisation_id": org_ids[r.kbo],
                "framework": framework,
                "framework_version": base.version,
                "profile": profile,
                "profile_version": profile_model.version if profile_model else None,
                "year": year,
                "status": "draft",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for r in rows
            if org_ids[r.kbo] not in existing
        ]
        assessment_ids = {org_id: a.id for org_id, a in existing.items()}
        for chunk in _chunks(fresh):
            for assessment_id, org_id in session.execute(
                insert(AssessmentRow).returning(
                    AssessmentRow.id, AssessmentRow.organisation_id, sort_by_parameter_order=True
                ),
                chunk,
            ):
                assessment_ids[org_id] = assessment_id

        old_versions: dict[tuple[int, str], int] = {}
        existing_ids = [a.id for a in existing.values()]
        for chunk in _chunks(existing_ids):
            for aid, qid, version in session.execute(
                select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.version).where(
                    AnswerRow.assessment_id.in_(chunk)
                )
            ):
                old_versions[(aid, qid)] = version
        inserts, updates = [], []
        for r in rows:
            aid = assessment_ids[org_ids[r.kbo]]
            for qid, value in r.answers.items():
                text, na = encode_value(value)
                record = {
                    "assessment_id": aid,
                    "question_id": qid,
                    "value": text,
                    "na": na,
                    "updated_at": now,
                    "updated_by": principal.user_id,
                }
                if (aid, qid) in old_versions:
                    record["version"] = old_versions[(aid, qid)] + 1
                    updates.append(record)
                else:
                    record["version"] = 1
                    record["note"] = None
                    inserts.append(record)
        for chunk in _chunks(inserts, 5000):
            session.connection().execute(insert(AnswerRow.__table__), chunk)
        if updates:
            from sqlalchemy import bindparam

            table = AnswerRow.__table__
            session.execute(
                update(table)
                .where(
                    table.c.assessment_id == bindparam("aid"),
                    table.c.question_id == bindparam("qid"),
                )
                .values(
                    value=bindparam("v"),
                    na=bindparam("n"),
                    version=bindparam("ver"),
                    updated_at=bindparam("at"),
                    updated_by=bindparam("by"),
                ),
                [
                    {
                        "aid": u["assessment_id"],
                        "qid": u["question_id"],
                        "v": u["value"],
                        "n": u["na"],
                        "ver": u["version"],
                        "at": now,
                        "by": u["updated_by"],
                    }
                    for u in updates
                ],
            )
        for org_id in existing:
            session.execute(
                update(AssessmentRow)
                .where(AssessmentRow.id == existing[org_id].id)
                .values(version=AssessmentRow.version + 1, updated_at=now)
            )

        submitted = 0
        if submit:
            submitted = _submit_complete(
                session,
                principal,
                rows,
                org_ids,
                assessment_ids,
                base=base,
                profile_model=profile_model,
                year=year,
                now=now,
            )
        for r in rows:
            audit.record(
                session,
                principal,
                "import",
                "assessment",
                assessment_ids[org_ids[r.kbo]],
                new={"file": report.file, "row": r.number, "answers": len(r.answers)},
            )
        report.written = len(rows)
        report.submitted = submitted
        report.drafts = len(rows) - submitted


def _submit_complete(
    session: Session,
    principal: Principal,
    rows: list[_Row],
    org_ids: dict[str, int],
    assessment_ids: dict[int, int],
    *,
    base: Any,
    profile_model: Any,
    year: int,
    now: Any,
) -> int:
    """Score every imported row; submit (with snapshot) those without open required
    questions. Previous-year passports are read in one query for the change figures."""
    framework, profile = base.id, profile_model.id if profile_model else None
    previous: dict[int, Passport] = {}
    other_cards: dict[int, dict[str, ScoreCard]] = {}
    ids = list(org_ids.values())
    for chunk in _chunks(ids):
        for org_id, _year, passport_json in session.execute(
            select(
                ScoreSnapshotRow.organisation_id,
                ScoreSnapshotRow.year,
                ScoreSnapshotRow.passport_json,
            )
            .where(
                ScoreSnapshotRow.organisation_id.in_(chunk),
                ScoreSnapshotRow.framework == framework,
                ScoreSnapshotRow.profile == profile
                if profile is not None
                else ScoreSnapshotRow.profile.is_(None),
                ScoreSnapshotRow.year < year,
                ScoreSnapshotRow.passport_json.is_not(None),
            )
            .order_by(ScoreSnapshotRow.year)
        ):
            previous[org_id] = Passport.model_validate_json(passport_json)  # latest wins
        if profile_model is not None and len(profile_model.frameworks) > 1:
            for org_id, other, card_json in session.execute(
                select(
                    ScoreSnapshotRow.organisation_id,
                    ScoreSnapshotRow.framework,
                    ScoreSnapshotRow.scorecard_json,
                ).where(
                    ScoreSnapshotRow.organisation_id.in_(chunk),
                    ScoreSnapshotRow.year == year,
                    ScoreSnapshotRow.profile == profile,
                    ScoreSnapshotRow.framework != framework,
                )
            ):
                other_cards.setdefault(org_id, {})[other] = ScoreCard.model_validate_json(card_json)
    organisations = {
        o.id: o
        for chunk in _chunks(ids)
        for o in session.scalars(select(OrganisationRow).where(OrganisationRow.id.in_(chunk)))
    }
    snapshots, submitted_ids = [], []
    for r in rows:
        org_id = org_ids[r.kbo]
        card = scoring_bridge.scorecard(base, profile_model, r.answers)
        if card.required_open:
            continue
        org = organisations[org_id]
        passport = scoring_bridge.passport(
            {**other_cards.get(org_id, {}), framework: card},
            profile_model,
            organisation=Organisation(
                name=org.name,
                kbo=org.kbo,
                fte=org.fte,
                municipality=org.municipality,
                nace=org.nace,
            ),
            year=year,
            status="submitted",
            previous=previous.get(org_id),
        )
        aid = assessment_ids[org_id]
        submitted_ids.append(aid)
        snapshots.append(
            {
                "assessment_id": aid,
                "organisation_id": org_id,
                "profile": profile,
                "framework": framework,
                "framework_version": base.version,
                "year": year,
                "fte": org.fte,
                "size_class": size_class(org.fte),
                "overall": card.overall,
                "completeness": card.completeness,
                "level": passport.level,
                "scorecard_json": card.model_dump_json(),
                "passport_json": passport.model_dump_json(),
                "created_at": now,
            }
        )
    for chunk in _chunks(submitted_ids):
        session.execute(
            update(AssessmentRow)
            .where(AssessmentRow.id.in_(chunk))
            .values(
                status="submitted",
                submitted_at=now,
                submitted_by=principal.user_id,
                version=AssessmentRow.version + 1,
                updated_at=now,
            )
        )
    for chunk in _chunks(snapshots, 200):
        session.connection().execute(insert(ScoreSnapshotRow.__table__), chunk)
    return len(submitted_ids)
