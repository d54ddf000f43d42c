"""Bulk import of answers a federation collected on paper or in Excel (``mvo import``).

One row per organisation: columns ``kbo`` and ``name``, optionally ``fte``, ``nace`` and
``municipality``, then one column per question id (as ``mvo catalogue`` lists them). Excel
(.xlsx), CSV (comma or semicolon, UTF-8) and JSON (a list of objects) are read. Cells are
read into the same answer values as ``mvo score`` uses: maturity 0..4; yes/no as
yes/no/ja/nee/true/false/1/0; a choice as its option id; a multi as option ids separated by
``;`` (or a JSON list); numbers with a decimal point or comma; ``n/a`` (or ``nvt``) where the
question allows it; an empty cell leaves the question unanswered.

Every row is checked first and every problem is reported as (row, column, problem): cells
that do not fit their question, a file without rows below the header, a filled cell beyond the
header, and an Excel formula without a computed value (a file written by a script and never
opened in Excel). With any problem nothing is written; with ``skip_invalid`` the valid rows are
written and the invalid ones skipped.

What an import may touch (the rules a federation's privacy officer signs):

- only organisations of the import's sector profile (a federation: one of its own sectors)
  or new organisations the import creates; an organisation of another sector, or, for a
  federation, one without a sector, is refused;
- an organisation with its own account (an SME user exists) keeps its own sector, FTE, NACE
  code and municipality (so its peer group): a different FTE in the file is a warning;
- an existing assessment is written only when it is a draft that nothing but imports ever
  wrote to (the audit log holds only ``import`` entries for it) and that is on the version
  the import is for (the current one: the file's columns are its questions). An imported
  draft left on an earlier version is refused, naming both versions; it is switched first
  (``carry_over.switch_to_current``), never half-written on two versions. An assessment the
  SME started, answered, submitted, or that the department reopened, is never overwritten,
  submitted or reopened: its row is refused with a message naming the organisation and its KBO
  number.

The check against the database and the writing happen in one transaction, holding the
assessment rows with the lock ``save_answer`` takes (in id order); an import that fails halfway
leaves the database as it was, and a clash with an organisation saving at the same moment is a
``ConflictError`` ("try again"). A row's assessment is created (or an imported draft updated)
and, where ``submit`` is on and the *stored* answers leave no required question open, frozen by
``submission.freeze``. Audited once per row (not per answer).

At scale (10,000 rows x 150 answers, ``bench/bench_import.py``) the file is handled as one
batch: each distinct cell of a column is read and checked once (the same value or problem for
every row holding it), an Excel sheet is read once (its computed values beside it only from
the first formula on), the answers go to the database in one bulk write
(``values.insert_answers``), the new assessments are frozen together from the file's answers
without reading them back, and the audit entries are one executemany.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.kbo import KboError, normalise
from app.services import audit, catalogue, submission
from app.services.answers import validate_answer
from app.services.assessments import _check_year
from app.services.errors import AccessDenied, ConflictError, InvalidInput
from app.services.messages import message
from app.services.principal import DENIED, FEDERATION, Principal
from app.services.values import Encoder, insert_answers
from app.store.db import Store
from app.store.models import (
    AnswerRow,
    AssessmentRow,
    AuditRow,
    OrganisationRow,
    UserRow,
    utcnow,
)
from frameworks.answers import blank_cell, read_number
from frameworks.i18n import Message

ORGANISATION_COLUMNS = ("kbo", "name", "fte", "nace", "municipality")
CHUNK = 500
#: How long the import waits for an organisation saving at the same moment (PostgreSQL).
LOCK_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class ImportProblem:
    """One problem: the file's row number (the header is row 1; JSON: the record number),
    the column, and what is wrong."""

    row: int
    column: str
    problem: Message | str  # a str only for an answer check's own (English) words

    def render(self, language: str) -> str:
        """ "row 3, column kbo: what is wrong" in ``language``."""
        return message(
            "import-problem", row=self.row, column=self.column, problem=self.problem
        ).render(language)

    def __str__(self) -> str:
        return self.render("en")


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
    #: Not problems, but what the import did not do (an organisation's own FTE kept).
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def flatten(self) -> list[tuple[int, str, str]]:
        """(row, column, message id) per problem (an answer check's own words as they are)."""
        return [
            (p.row, p.column, p.problem.id if isinstance(p.problem, Message) else p.problem)
            for p in self.problems
        ]


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
def read_table(
    path: Path,
) -> tuple[list[str], Iterator[tuple[int, dict[str, Any], list[ImportProblem]]]]:
    """(columns, rows as (row number, {column: cell}, problems of the file itself)) of an
    .xlsx, .csv or .json file. The file's own problems are cells beyond the header and
    formulas without a computed value."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".json":
        return _read_json(path)
    raise InvalidInput(
        message("import-unknown-file-type", name=path.name, suffix=suffix or "-"),
        field="file",
    )


def _header(cells: Iterable[Any], path: Path) -> list[str]:
    columns = [str(c).strip() if c is not None else "" for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise InvalidInput(message("no-header-row", name=path.name), field="file")
    return columns


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _beyond_header(number: int, cells: Sequence[Any], width: int) -> list[ImportProblem]:
    """A filled cell right of the last header column (it belongs to no question)."""
    return [
        ImportProblem(
            number,
            column_letter(i),
            message("cell-beyond-the-header-column", value=column_letter(i)),
        )
        for i in range(width, len(cells))
        if not blank_cell(cells[i])
    ]


def _open_workbook(path: Path, *, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook gets one clear message
        raise InvalidInput(
            message("not-a-readable-excel-file", name=path.name, error=error),
            field="file",
        ) from error


def _is_formula(cell: Any) -> bool:
    return (isinstance(cell, str) and cell.startswith("=")) or type(cell).__name__ in (
        "ArrayFormula",
        "DataTableFormula",
    )


def _read_xlsx(path: Path):
    # The formulas as written beside the values Excel computed (data_only): a formula that was
    # never computed (a file written by a script) has no value, and must not pass for empty.
    # The sheet is read once; the computed values are read beside it only from the first row
    # holding a formula on (a file without formulas, the usual export, is read once).
    formulas_book = _open_workbook(path, data_only=False)
    formula_rows = formulas_book.worksheets[0].iter_rows(values_only=True)
    opened: list[Any] = []

    def computed_from(row: int):
        workbook = _open_workbook(path, data_only=True)
        opened.append(workbook)
        return workbook.worksheets[0].iter_rows(min_row=row, values_only=True)

    def close() -> None:
        formulas_book.close()
        for workbook in opened:
            workbook.close()

    value_rows = None
    try:
        header = next(formula_rows)
    except StopIteration:
        close()
        raise InvalidInput(message("empty-sheet", name=path.name), field="file") from None
    if any(_is_formula(c) for c in header or ()):
        value_rows = computed_from(1)
        header = next(value_rows)
    columns = _header(header, path)

    def body():
        nonlocal value_rows
        try:
            for number, formulas in enumerate(formula_rows, start=2):
                formulas = formulas or ()
                if value_rows is None and any(_is_formula(f) for f in formulas):
                    value_rows = computed_from(number)
                # Before the first formula the values are the cells as written.
                cells = (next(value_rows, None) or ()) if value_rows is not None else formulas
                # What the file holds, computed or not (a formula beyond the header counts).
                held = [
                    c if not blank_cell(c) else f
                    for c, f in zip_longest(cells, formulas, fillvalue=None)
                ]
                problems = _beyond_header(number, held, len(columns))
                for i, column in enumerate(columns):
                    value = cells[i] if i < len(cells) else None
                    formula = formulas[i] if i < len(formulas) else None
                    if value is None and _is_formula(formula):
                        problems.append(
                            ImportProblem(
                                number,
                                column or column_letter(i),
                                message("formula-without-a-computed-value", formula=formula),
                            )
                        )
                if not problems and all(blank_cell(c) for c in held):
                    continue
                yield (
                    number,
                    {col: cells[i] if i < len(cells) else None for i, col in enumerate(columns)},
                    problems,
                )
        finally:
            close()

    return columns, body()


def _read_csv(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            message("not-utf-8-text-byte", name=path.name, start=error.start),
            field="file",
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        columns = _header(next(reader), path)
    except StopIteration:
        raise InvalidInput(message("empty-file", name=path.name), field="file") from None

    def body():
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            yield (
                number,
                {col: cells[i] if i < len(cells) else None for i, col in enumerate(columns)},
                _beyond_header(number, cells, len(columns)),
            )

    return columns, body()


def _read_json(path: Path):
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(
            message("not-valid-json", name=path.name, error=error), field="file"
        ) from error
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InvalidInput(
            message("expected-a-list-of-objects", name=path.name),
            field="file",
        )
    columns: list[str] = []
    for record in data:
        for key in record:
            if key not in columns:
                columns.append(str(key))
    return columns, ((i, record, []) for i, record in enumerate(data, start=1))


# --------------------------------------------------------------------------- cells -> values
def parse_cell(question: Any, cell: Any) -> Any:
    """The answer value of one cell for ``question`` (None for an empty cell). Raises
    ``ValueError`` for a cell that cannot be read as this question's type (the question's
    class reads it: ``QuestionBase.parse_cell``)."""
    return question.parse_cell(cell)


def _read_cell(question: Any, column: str, cell: Any) -> tuple[Any, Message | str | None]:
    """(answer value, None) of one cell, or (None, what is wrong with it)."""
    try:
        value = parse_cell(question, cell)
        value = validate_answer(question, value)
    except InvalidInput as error:
        return None, error.message
    except (ValueError, TypeError) as error:
        said = str(error)
        prefix = f"{column}: "
        return None, said[len(prefix) :] if said.startswith(prefix) else said
    return value, None


def _organisation_cells(row: int, cells: dict[str, Any], problems: list[ImportProblem]):
    kbo_cell = cells.get("kbo")
    if isinstance(kbo_cell, float) and kbo_cell.is_integer():
        kbo_cell = int(kbo_cell)
    kbo = None
    if blank_cell(kbo_cell):
        problems.append(ImportProblem(row, "kbo", message("kbo-number-missing")))
    else:
        try:
            kbo = normalise(str(kbo_cell))
        except KboError as error:
            problems.append(ImportProblem(row, "kbo", error.reason))
    name = cells.get("name")
    if blank_cell(name):
        problems.append(ImportProblem(row, "name", message("name-missing")))
        name = None
    elif len(str(name)) > 300:
        problems.append(ImportProblem(row, "name", message("import-name-too-long")))
    fte = None
    if not blank_cell(cells.get("fte")):
        try:
            fte = float(read_number(cells["fte"]))
            if not 0 <= fte < 1e6:
                raise ValueError
        except (ValueError, TypeError):
            problems.append(ImportProblem(row, "fte", message("invalid-fte", fte=cells["fte"])))
    nace = None if blank_cell(cells.get("nace")) else str(cells["nace"]).strip()
    if nace is not None and not re.fullmatch(r"\d{2}(\.\d{1,3})?", nace):
        problems.append(ImportProblem(row, "nace", message("invalid-nace-bel-code", nace=nace)))
    municipality = None if blank_cell(cells.get("municipality")) else str(cells["municipality"])
    return kbo, (str(name) if name is not None else None), fte, nace, municipality


# --------------------------------------------------------------------------- import
def _gc_paused(function):
    """Run ``function`` with the cyclic garbage collector paused: reading and writing a file of
    10,000 rows allocates millions of small objects that live until the import ends, and the
    collector would walk them again and again."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_gc_paused
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
    """Check every row of ``path``, then check it against the database and write it in one
    transaction (see module docstring). Returns the report; ``report.written == 0`` when any
    row is invalid and ``skip_invalid`` is off. A clash with changes made at the same time is a
    ``ConflictError`` ("try again"), and nothing is written."""
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
            message("framework-is-not-part-of", framework=framework, profile_id=profile),
            field="framework",
        )
    questions = catalogue.questionnaire(cat, framework, profile).questions
    report = ImportReport(file=path.name)
    columns, body = read_table(path)

    for required in ("kbo", "name"):
        if required not in columns:
            report.problems.append(ImportProblem(1, required, message("column-missing")))
    question_columns = []
    seen_columns: set[str] = set()
    for index, column in enumerate(columns):
        if not column:
            report.problems.append(
                ImportProblem(1, column_letter(index), message("column-without-a-header"))
            )
            continue
        if column in seen_columns:
            report.problems.append(ImportProblem(1, column, message("duplicate-column")))
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
                    message("unknown-question-id-in", framework=framework),
                )
            )
    if report.problems:  # a bad header makes every row meaningless
        return report

    rows: list[_Row] = []
    first_row_of: dict[str, int] = {}
    # A file of 10,000 rows holds a few distinct cells per question: each is read once.
    read_cells: dict[str, dict[tuple[type, Any], tuple[Any, Message | str | None]]] = {
        column: {} for column in question_columns
    }
    for number, cells, file_problems in body:
        report.rows += 1
        problems: list[ImportProblem] = list(file_problems)
        kbo, name, fte, nace, municipality = _organisation_cells(number, cells, problems)
        if kbo is not None:
            if kbo in first_row_of:
                problems.append(
                    ImportProblem(
                        number,
                        "kbo",
                        message("also-in-row", kbo=kbo, value=first_row_of[kbo]),
                    )
                )
            else:
                first_row_of[kbo] = number
        answers: dict[str, Any] = {}
        for column in question_columns:
            cell = cells.get(column)
            seen = read_cells[column]
            try:
                value, problem = seen[(type(cell), cell)]
            except TypeError:  # an unhashable cell (a JSON list): read on its own
                value, problem = _read_cell(questions[column], column, cell)
            except KeyError:
                value, problem = seen[(type(cell), cell)] = _read_cell(
                    questions[column], column, cell
                )
            if problem is not None:
                problems.append(ImportProblem(number, column, problem))
            elif value is not None:
                # a list is shared by the rows holding the same cell: each row its own copy
                answers[column] = list(value) if isinstance(value, list) else value
        if problems:
            report.problems.extend(problems)
            continue
        rows.append(_Row(number, kbo, name, fte, nace, municipality, answers))
    if report.rows == 0:
        report.problems.append(ImportProblem(2, columns[0], message("no-rows-below-the-header")))
        return report

    target = _Target(
        principal=principal,
        framework=framework,
        framework_version=base.version,
        profile=profile,
        profile_version=profile_model.version if profile_model else None,
        year=year,
    )
    try:
        _check_and_write(store, target, rows, report, skip_invalid=skip_invalid, submit=submit)
    except _NothingWritten:
        pass
    return report


@dataclass(frozen=True)
class _Target:
    """Who imports into which assessments: the key every row's assessment gets."""

    principal: Principal
    framework: str
    framework_version: str
    profile: str | None
    profile_version: str | None
    year: int


class _NothingWritten(Exception):
    """Raised inside the transaction to roll it back when checks against the database failed."""


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


CLASH = message("import-clashed")
#: PostgreSQL: lock_not_available, deadlock_detected, serialization_failure, unique_violation.
_RETRYABLE = {"55P03", "40P01", "40001", "23505"}


def _retryable(error: DBAPIError) -> bool:
    code = getattr(error.orig, "sqlstate", None)
    if code in _RETRYABLE:
        return True
    text = str(error.orig).lower()
    return isinstance(error, IntegrityError) or "locked" in text or "busy" in text


def _check_and_write(
    store: Store,
    target: _Target,
    rows: list[_Row],
    report: ImportReport,
    *,
    skip_invalid: bool,
    submit: bool,
) -> None:
    """Check the rows against the database and write them, in one transaction; the assessment
    rows are held (the lock ``save_answer`` takes, in id order) from the check to the commit."""
    with store.write() as session:
        try:
            if not store.is_sqlite:
                session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
            context = _load_context(session, target, rows)
            _check_rows(context, target, rows, report)
            report.valid_rows = len(rows)
            report.problems.sort(key=lambda p: (p.row, p.column))
            if report.problems and not skip_invalid:
                raise _NothingWritten
            report.skipped = report.rows - len(rows)
            if not rows:
                raise _NothingWritten
            _write(session, store, target, context, rows, report, submit=submit)
        except DBAPIError as error:
            if _retryable(error):
                raise ConflictError(CLASH) from error
            raise


@dataclass
class _Context:
    """What the database holds for the file's rows, read (and locked) in the transaction."""

    organisations: dict[str, OrganisationRow]
    with_account: set[int]
    assessments: dict[int, AssessmentRow]
    imported_only: set[int]


def _load_context(session: Session, target: _Target, rows: list[_Row]) -> _Context:
    organisations: dict[str, OrganisationRow] = {}
    for chunk in _chunks(rows):
        for org in session.scalars(
            select(OrganisationRow).where(OrganisationRow.kbo.in_([r.kbo for r in chunk]))
        ):
            organisations[org.kbo] = org
    org_ids = sorted(org.id for org in organisations.values())
    with_account: set[int] = set()
    assessments: dict[int, AssessmentRow] = {}
    for chunk in _chunks(org_ids):
        with_account.update(
            session.scalars(
                select(UserRow.organisation_id).where(UserRow.organisation_id.in_(chunk))
            )
        )
        # The lock save_answer's first UPDATE takes, in id order: an autosave waits for the
        # import (or the import for it), never both for each other.
        for a in session.scalars(
            select(AssessmentRow)
            .where(
                AssessmentRow.organisation_id.in_(chunk),
                AssessmentRow.framework == target.framework,
                AssessmentRow.year == target.year,
                AssessmentRow.profile == target.profile
                if target.profile is not None
                else AssessmentRow.profile.is_(None),
            )
            .order_by(AssessmentRow.id)
            .with_for_update(key_share=True)
        ):
            assessments[a.organisation_id] = a
    touched: set[int] = set()
    imported: set[int] = set()
    assessment_ids = sorted(a.id for a in assessments.values())
    for chunk in _chunks(assessment_ids):
        for entity_id, action in session.execute(
            select(AuditRow.entity_id, AuditRow.action)
            .where(AuditRow.entity == "assessment", AuditRow.entity_id.in_(chunk))
            .distinct()
        ):
            (imported if action == "import" else touched).add(entity_id)
    return _Context(organisations, with_account, assessments, imported - touched)


def _check_rows(context: _Context, target: _Target, rows: list[_Row], report: ImportReport):
    """The rules an import keeps towards organisations that exist (module docstring); a row
    that breaks one is a problem naming the organisation, and is removed from ``rows``."""
    principal = target.principal
    federation = principal.role == FEDERATION and not principal.system
    bad: set[int] = set()

    def refuse(row: _Row, reason: Message) -> None:
        report.problems.append(ImportProblem(row.number, "kbo", reason))
        bad.add(row.number)

    for row in rows:
        org = context.organisations.get(row.kbo)
        if org is None:
            continue
        who = f"{org.name} (KBO {org.kbo})"
        if org.profile is not None and target.profile is not None and org.profile != target.profile:
            refuse(
                row,
                message("organisation-belongs-to-sector", who=who, profile=org.profile),
            )
            continue
        if federation and org.profile not in principal.sectors:
            refuse(
                row,
                message("organisation-is-not-in-your", who=who),
            )
            continue
        assessment = context.assessments.get(org.id)
        if assessment is None:
            continue
        if assessment.status == "submitted":
            refuse(
                row,
                message("the-assessment-of-is-already", year=target.year, who=who),
            )
        elif assessment.id not in context.imported_only:
            refuse(
                row,
                message("the-assessment-of-was-started", year=target.year, who=who),
            )
        elif (assessment.framework_version, assessment.profile_version) != (
            target.framework_version,
            target.profile_version,
        ):  # the file's columns are this version's questions: never mix two versions
            refuse(
                row,
                message(
                    "the-assessment-of-is-on-another-version",
                    year=target.year,
                    who=who,
                    version=assessment.framework_version,
                    current=target.framework_version,
                ),
            )
    rows[:] = [r for r in rows if r.number not in bad]


def _write(
    session: Session,
    store: Store,
    target: _Target,
    context: _Context,
    rows: list[_Row],
    report: ImportReport,
    *,
    submit: bool,
) -> None:
    principal = target.principal
    now = utcnow()
    organisations = context.organisations
    new_orgs = [
        {
            "kbo": r.kbo,
            "name": r.name,
            "profile": target.profile,
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
        if org is None:
            continue
        if org.id in context.with_account:
            # The organisation keeps its own data (sector, FTE and so its peer group).
            if r.fte is not None and org.fte != r.fte:
                report.warnings.append(
                    ImportProblem(
                        r.number,
                        "fte",
                        message(
                            "has-its-own-account-its",
                            name=org.name,
                            kbo=org.kbo,
                            fte=org.fte,
                            fte2=r.fte,
                        ),
                    )
                )
            continue
        for key in ("fte", "nace", "municipality"):
            if getattr(r, key) is not None and getattr(org, key) != getattr(r, key):
                setattr(org, key, getattr(r, key))
        if org.profile is None:
            org.profile = target.profile
    session.flush()

    existing = {org_id: a for org_id, a in context.assessments.items()}
    fresh = [
        {
            "organisation_id": org_ids[r.kbo],
            "framework": target.framework,
            "framework_version": target.framework_version,
            "profile": target.profile,
            "profile_version": target.profile_version,
            "year": target.year,
            "status": "draft",
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for r in rows
        if org_ids[r.kbo] not in existing
    ]
    assessment_ids = {org_id: a.id for org_id, a in existing.items()}
    created: set[int] = set()
    for chunk in _chunks(fresh):
        for assessment_id, org_id in session.execute(
            insert(AssessmentRow).returning(
                AssessmentRow.id, AssessmentRow.organisation_id, sort_by_parameter_order=True
            ),
            chunk,
        ):
            assessment_ids[org_id] = assessment_id
            created.add(assessment_id)

    old_versions: dict[tuple[int, str], int] = {}
    for chunk in _chunks([a.id for a in existing.values()]):
        for aid, qid, version in session.execute(
            select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.version).where(
                AnswerRow.assessment_id.in_(chunk)
            )
        ):
            old_versions[(aid, qid)] = version
    inserts: list[tuple[int, str, Any]] = []
    updates: list[dict[str, Any]] = []
    encode = Encoder()
    for r in rows:
        aid = assessment_ids[org_ids[r.kbo]]
        for qid, value in r.answers.items():
            if (aid, qid) not in old_versions:
                inserts.append((aid, qid, value))
                continue
            text_value, na = encode(value)
            updates.append(
                {
                    "assessment_id": aid,
                    "question_id": qid,
                    "value": text_value,
                    "na": na,
                    "version": old_versions[(aid, qid)] + 1,
                    "updated_by": principal.user_id,
                }
            )
    insert_answers(session.connection(), inserts, at=now, by=principal.user_id)
    del inserts
    if updates:
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
    for chunk in _chunks([a.id for a in existing.values()]):
        session.execute(
            update(AssessmentRow)
            .where(AssessmentRow.id.in_(chunk))
            .values(version=AssessmentRow.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    submitted: set[int] = set()
    if submit:
        # Frozen from the answers now stored (earlier imports' answers plus this file's).
        # A new assessment's stored answers are the file's: not read back.
        frozen = submission.freeze(
            store,
            session,
            sorted(assessment_ids.values()),
            principal=principal,
            now=now,
            written={
                assessment_ids[org_ids[r.kbo]]: r.answers
                for r in rows
                if assessment_ids[org_ids[r.kbo]] in created
            },
        )
        submitted = {f.assessment_id for f in frozen if f.submitted}
    entries = []
    for r in rows:
        aid = assessment_ids[org_ids[r.kbo]]
        entries.append(
            (
                aid,
                {
                    "file": report.file,
                    "row": r.number,
                    "answers": len(r.answers),
                    "created": aid in created,
                    "submitted": aid in submitted,
                },
            )
        )
    audit.record_many(session.connection(), principal, "import", "assessment", entries, at=now)
    report.written = len(rows)
    report.submitted = len(submitted)
    report.drafts = len(rows) - len(submitted)
