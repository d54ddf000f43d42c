"""The VSME report of an organisation and year, from its stored answers: report, progress,
download (the one path the page, ``mvo export vsme`` and the department's batch use).

The ``vsme`` framework is a disclosure, never a score: ``vsme_progress`` shows completeness
per disclosure (B1..B11, C1..C9), ``vsme_report`` turns the stored answers into an
``exports.vsme.report.VsmeReport`` (facts in the report's convention: percentages as
fractions, enumerations as member QNames, template tables as rows) with the organisation's
KBO number, name, NACE code, municipality and FTE as the entity, and ``vsme_download``
renders it as EFRAG's Digital Template (xlsx), xBRL-JSON or the PDF.

Who may read it: the organisation's own users, the department and admin
(``principal.can_read_raw``); never a federation — VSME figures leave for a federation only
through ``app.services.disclosure``'s aggregates.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from app.services.errors import AccessDenied, InvalidInput, NotFound, ServiceError
from app.services.messages import message
from app.services.principal import Principal, can_read_raw
from app.services.values import decode_value
from app.store.db import Store
from app.store.models import (
    AnswerRow,
    AssessmentRow,
    OrganisationRow,
    VsmeCalculationRow,
    utcnow,
)
from exports.vsme.report import FactValue, TableRow, VsmeEntity, VsmeReport, snake_case
from exports.vsme.taxonomy import taxonomy

FRAMEWORK = "vsme"
CALCULATOR = "calculator"  # = app.services.carry_over.CALCULATOR (the answer's source)
FORMATS = ("xlsx", "json", "pdf")
EXTENSIONS = {"xlsx": "xlsx", "json": "json", "pdf": "pdf"}
#: The status of a datapoint that must be reported (where the disclosure applies).
REQUIRED = ("always", "always_if_applicable")


@dataclass(frozen=True)
class DisclosureProgress:
    """Completeness of one disclosure (B1..B11, C1..C9), never a score.

    ``always`` and ``if_applicable`` count the datapoints by the standard's status
    (``always_if_applicable`` counts as always: it must be given where the disclosure
    applies); ``answered`` counts the answered ones among those two (also "not
    applicable"), ``missing`` lists the unanswered "always" question ids in questionnaire
    order; ``optional`` counts the "may" datapoints. Calculated datapoints (the template's
    totals and intensities) are left out: they follow from their parts."""

    code: str
    module: str  # "basic" or "comprehensive"
    title_nl: str
    title_en: str
    always: int
    if_applicable: int
    optional: int
    answered: int
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required(self) -> int:
        return self.always + self.if_applicable

    @property
    def complete(self) -> bool:
        return not self.missing

    def title(self, language: str = "nl") -> str:
        return self.title_en if language == "en" else self.title_nl


# --------------------------------------------------------------------------- access, lookup
def _require_reader(principal: Principal, organisation_id: int) -> None:
    if not can_read_raw(principal, organisation_id):
        raise AccessDenied(message("vsme-report-own-organisation-only"))


def _organisation(session, principal: Principal, organisation_id: int) -> OrganisationRow:
    _require_reader(principal, organisation_id)
    row = session.get(OrganisationRow, organisation_id)
    if row is None:
        raise NotFound(message("no-organisation", organisation_id=organisation_id))
    return row


def _assessment(session, organisation_id: int, year: int) -> AssessmentRow | None:
    """The organisation's VSME assessment of ``year`` (the most recently changed one, should
    there be one under a profile and one without)."""
    return session.scalar(
        select(AssessmentRow)
        .where(
            AssessmentRow.organisation_id == organisation_id,
            AssessmentRow.framework == FRAMEWORK,
            AssessmentRow.year == year,
        )
        .order_by(AssessmentRow.updated_at.desc(), AssessmentRow.id.desc())
        .limit(1)
    )


def _answers(session, assessment_id: int, *, sources: dict | None = None) -> dict[str, Any]:
    """The stored answers by question id (cleared ones left out); ``sources``, if given,
    receives each answer's ``answers.source`` text."""
    rows = session.execute(
        select(AnswerRow.question_id, AnswerRow.value, AnswerRow.na, AnswerRow.source).where(
            AnswerRow.assessment_id == assessment_id
        )
    ).all()
    if sources is not None:
        sources.update({r.question_id: r.source for r in rows})
    answers = {r.question_id: decode_value(r.value, r.na) for r in rows}
    return {q: v for q, v in answers.items() if v is not None}


def _framework(store: Store):
    from app.services import catalogue  # noqa: PLC0415

    return catalogue.framework(store.catalogue, FRAMEWORK)


def _questions(framework) -> list:
    return [q for s in framework.sections for t in s.topics for q in t.questions]


def vsme_assessment_id(
    store: Store, principal: Principal, organisation_id: int, year: int
) -> int | None:
    """The id of the organisation's VSME assessment of ``year``, or None if not started."""
    with store.read() as session:
        _organisation(session, principal, organisation_id)
        row = _assessment(session, organisation_id, year)
        return row.id if row is not None else None


# --------------------------------------------------------------------------- progress
def vsme_progress(
    store: Store, principal: Principal, organisation_id: int, year: int
) -> list[DisclosureProgress]:
    """Per disclosure B1..B11, C1..C9 (questionnaire order): how many datapoints the standard
    asks always / if applicable, how many are answered, and which "always" ones are missing.
    An organisation that has not started its VSME report gets every datapoint missing."""
    framework = _framework(store)
    with store.read() as session:
        _organisation(session, principal, organisation_id)
        row = _assessment(session, organisation_id, year)
        answers = _answers(session, row.id) if row is not None else {}
    progress = []
    for section in framework.sections:
        module = "comprehensive" if "comprehensive" in section.id else "basic"
        for topic in section.topics:
            points = [q for q in topic.questions if q.vsme is not None]
            if not points:
                continue
            # a calculated datapoint (a formula cell of the template) is never asked: the
            # report derives it from its parts (``exports.vsme.report.with_derived``)
            statuses = [(q, q.vsme.status) for q in points if not q.vsme.calc]
            counted = [q for q, s in statuses if s != "may"]
            progress.append(
                DisclosureProgress(
                    code=points[0].vsme.disclosure,
                    module=module,
                    title_nl=topic.title.nl,
                    title_en=topic.title.en or topic.title.nl,
                    always=sum(1 for _, s in statuses if s in REQUIRED),
                    if_applicable=sum(1 for _, s in statuses if s == "if_applicable"),
                    optional=sum(1 for _, s in statuses if s == "may"),
                    answered=sum(1 for q in counted if q.id in answers),
                    missing=tuple(
                        q.id for q, s in statuses if s in REQUIRED and q.id not in answers
                    ),
                )
            )
    return progress


# --------------------------------------------------------------------------- answers -> facts
def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _member_of_option(concept: str, option: str) -> str | None:
    """The enumeration member a choice option stands for (option id = snake_case of the
    member's local name without "Member", as ``tools/build_vsme.py`` writes it)."""
    wanted = _key(option)
    for member in taxonomy().enumeration_members(concept):
        local = member.split(":", 1)[1].removesuffix("Member")
        if _key(snake_case(local)) == wanted or _key(local) == wanted:
            return member
    return None


def _member_of_text(concept: str, token: str) -> str | None:
    """The member a typed code or name stands for: a NACE code (``43.22``, ``41.201``: the
    most detailed NACE level it reaches), a country code or name, a label or local name."""
    tax = taxonomy()
    members = tax.enumeration_members(concept)
    digits = re.sub(r"\D", "", token)
    if members and members[0].startswith("nace:") and digits:
        by_digits = {re.sub(r"\D", "", m): m for m in members}
        for length in range(min(len(digits), 4), 1, -1):
            if digits[:length] in by_digits:
                return by_digits[digits[:length]]
        return None
    wanted = _key(token)
    for member in members:
        local = member.split(":", 1)[1]
        names = [local, local.removesuffix("Member")]
        names += [tax.label(member, language) for language in ("en", "nl", "fr")]
        label = tax.label(member)
        if " - " in label:
            names.append(label.split(" - ", 1)[0])
        if any(_key(n) == wanted for n in names if n):
            return member
    return None


def _invalid(question_id: str, value: object) -> InvalidInput:
    return InvalidInput(
        message("vsme-answer-does-not-fit", question_id=question_id, value=value),
        field=question_id,
    )


def _from_text(question_id: str, concept: str, text: str) -> FactValue:
    """A fact from one line of a text answer (a table cell or a list of codes)."""
    tax = taxonomy()
    info = tax.concept(concept)
    data_type = info["dataType"]
    if data_type.startswith("enum2:"):
        tokens = [t.strip() for t in re.split(r"[,;\n]", text) if t.strip()]
        members = [_member_of_text(concept, t) for t in tokens]
        if not tokens or None in members:
            raise _invalid(question_id, text)
        return members[0] if data_type == "enum2:enumerationItemType" else members
    if data_type == "xbrli:booleanItemType":
        lowered = text.strip().lower()
        if lowered in ("yes", "ja", "oui", "true", "1"):
            return True
        if lowered in ("no", "nee", "non", "false", "0"):
            return False
        raise _invalid(question_id, text)
    if info.get("numeric"):
        try:
            number = float(text.strip().replace(" ", "").replace(",", "."))
        except ValueError:
            raise _invalid(question_id, text) from None
        return number / 100 if data_type == "dtr-types:percentItemType" else number
    return text.strip()


def _fact(question, value: Any) -> FactValue:
    concept = f"vsme:{question.vsme.concept}"
    fact = question.disclosure_value(
        value,
        member=lambda option: _member_of_option(concept, option),
        text=lambda text: _from_text(question.id, concept, text),
    )
    if fact is None or (isinstance(fact, list) and None in fact):
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        raise _invalid(question.id, shown)
    return fact


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value).splitlines()]


def _table_rows(questions: list, answers: Mapping[str, Any]) -> list[TableRow]:
    """Template tables (sites, subsidiaries, pollutants, ...): text questions, one per column,
    one line per row in the same order; the row-key question's lines are the row keys (a
    typed identifier, or a member of an explicit axis by its label), 1, 2, ... if not given."""
    tax = taxonomy()
    tables: dict[str, list] = {}
    for question in questions:
        if question.vsme is not None and question.vsme.table and question.free_text:
            tables.setdefault(question.vsme.table, []).append(question)
    rows: list[TableRow] = []
    for columns in tables.values():
        keys = [q for q in columns if q.vsme.row_key]
        if not keys:
            continue
        key_question = keys[0]
        cells = [
            (q, _lines(answers[q.id]))
            for q in columns
            if not q.vsme.row_key and answers.get(q.id) not in (None, "n/a")
        ]
        key_lines = (
            _lines(answers[key_question.id])
            if answers.get(key_question.id) not in (None, "n/a")
            else []
        )
        count = max([len(key_lines), *(len(c) for _, c in cells)], default=0)
        axis = key_question.vsme.datapoint
        typed = f"vsme:{axis}" in tax.typed_axes or axis.endswith("TypedAxis")
        for index in range(count):
            raw_key = key_lines[index] if index < len(key_lines) and key_lines[index] else None
            if typed:
                key = raw_key or str(index + 1)
            else:
                key = _axis_member(axis, raw_key) if raw_key else None
                if key is None:
                    raise _invalid(key_question.id, raw_key or "")
            values = {
                q.vsme.datapoint: _from_text(q.id, f"vsme:{q.vsme.concept}", lines[index])
                for q, lines in cells
                if index < len(lines) and lines[index]
            }
            if values:
                rows.append(TableRow(axis=axis, key=key, values=values))
    return rows


def _axis_member(axis: str, text: str) -> str | None:
    tax = taxonomy()
    wanted = _key(text)
    for member in sorted(tax.axis_members.get(f"vsme:{axis}", ())):
        local = member.split(":", 1)[1]
        names = [local, local.removesuffix("Member")]
        names += [tax.label(member, language) for language in ("en", "nl")]
        if any(_key(n) == wanted for n in names):
            return member
    return None


def facts_and_rows(framework, answers: Mapping[str, Any]) -> tuple[dict, list[TableRow]]:
    """The report's facts and table rows from a VSME assessment's answers (unanswered and
    "not applicable" give nothing). A value that does not fit its datapoint (an unknown NACE
    code, a table cell that is not a number) is refused naming the question."""
    from exports.vsme.answers import facts_from_answers  # noqa: PLC0415

    questions = _questions(framework)
    plain = [
        q
        for q in questions
        if q.vsme is not None and not (q.vsme.table and q.free_text and _has_key(q, questions))
    ]
    by_datapoint = {q.vsme.datapoint: q for q in plain}
    raw = facts_from_answers([(q.id, q.vsme.datapoint) for q in plain], answers)
    facts = {name: _fact(by_datapoint[name], value) for name, value in raw.items()}
    return facts, _table_rows(questions, answers)


def _has_key(question, questions: list) -> bool:
    return any(
        q.vsme is not None and q.vsme.table == question.vsme.table and q.vsme.row_key
        for q in questions
    )


# --------------------------------------------------------------------------- report, download
def vsme_report(store: Store, principal: Principal, organisation_id: int, year: int) -> VsmeReport:
    """The organisation's VSME report of ``year`` from its stored VSME answers, with the
    organisation (KBO number, name, NACE, municipality, FTE) as the entity and the calendar
    year as the period; where the B3 calculator was used (``save_calculation``), each figure
    it wrote and that still stands gets its steps (quantity x factor, the factor's source) in
    ``trail``. Refused to anyone but the organisation's own users, the department and admin;
    ``NotFound`` (naming the organisation and year) if the report was not started."""
    framework = _framework(store)
    sources: dict[str, str | None] = {}
    with store.read() as session:
        organisation = _organisation(session, principal, organisation_id)
        row = _assessment(session, organisation_id, year)
        if row is None:
            raise NotFound(message("no-vsme-report", kbo=organisation.kbo, year=year))
        answers = _answers(session, row.id, sources=sources)
        calculation = session.scalar(
            select(VsmeCalculationRow.input_json).where(VsmeCalculationRow.assessment_id == row.id)
        )
        entity = VsmeEntity(
            name=organisation.name,
            kbo=organisation.kbo,
            nace=organisation.nace,
            municipality=organisation.municipality,
            fte=organisation.fte,
        )
    facts, rows = facts_and_rows(framework, answers)
    report = VsmeReport(
        entity=entity,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        facts=facts,
        rows=rows,
    )
    if calculation is None:
        return report
    return _with_calculator_trail(framework, report, calculation, answers, sources)


def _with_calculator_trail(framework, report, calculation: str, answers, sources) -> VsmeReport:
    """The report with the calculator's steps for each figure it wrote that still stands (the
    answer's source is the calculator and its value is the calculator's); the answers stay
    the facts, so a figure the SME typed over keeps the SME's value and no trail."""
    from exports.vsme.calculator import CalculatorError, CalculatorInput, calculate  # noqa: PLC0415
    from exports.vsme.report import with_calculation  # noqa: PLC0415

    try:
        result = calculate(CalculatorInput.model_validate_json(calculation))
    except (CalculatorError, ValueError):  # inputs no longer accepted: report without trail
        return report
    by_datapoint = {q.vsme.datapoint: q.id for q in _questions(framework) if q.vsme is not None}
    standing = set()
    for datapoint, value in result.as_datapoints().items():
        question_id = by_datapoint.get(datapoint)
        try:
            stored = float(answers.get(question_id))
        except (TypeError, ValueError):
            continue
        if sources.get(question_id) == CALCULATOR and math.isclose(
            stored, value, rel_tol=1e-9, abs_tol=1e-12
        ):
            standing.add(datapoint)
    calculated = with_calculation(report, result)
    trail = [step for step in calculated.trail if step.datapoint in standing]
    return report.model_copy(update={"trail": [*report.trail, *trail]})


def save_calculation(
    store: Store, principal: Principal, organisation_id: int, year: int, data
) -> Any:
    """Run the B3 energy and greenhouse-gas calculator on ``data``
    (``exports.vsme.calculator.CalculatorInput``) and store its figures as the VSME draft's B3
    answers (source ``calculator``; each answer's version is raised, so a tab that still shows
    the old value gets a conflict on its next save) and the inputs beside them, so that the
    report shows how each figure was computed. Turnover and FTE default to the report's
    Turnover answer and the organisation's FTE. Only the organisation's own users; refused
    with every input problem named (``InvalidInput``, field = the first input). Returns the
    ``CalculatorResult``."""
    from app.services import audit, carry_over  # noqa: PLC0415
    from app.services.answers import validate_answer  # noqa: PLC0415
    from app.services.principal import require_answer_write  # noqa: PLC0415
    from app.services.values import encode_value  # noqa: PLC0415
    from exports.vsme.calculator import CalculatorError, calculate  # noqa: PLC0415

    require_answer_write(principal, organisation_id)
    framework = _framework(store)
    by_datapoint = {q.vsme.datapoint: q for q in _questions(framework) if q.vsme is not None}
    with store.write() as session:
        organisation = _organisation(session, principal, organisation_id)
        found = _assessment(session, organisation_id, year)
        if found is None:
            raise NotFound(message("no-vsme-report", kbo=organisation.kbo, year=year))
        row = carry_over.writable_draft(session, principal, found.id)
        answers = _answers(session, row.id)
        defaults = {}
        turnover = answers.get(by_datapoint["Turnover"].id)
        if data.turnover_eur is None and isinstance(turnover, int | float) and turnover > 0:
            defaults["turnover_eur"] = float(turnover)
        if data.fte is None and organisation.fte:
            defaults["fte"] = organisation.fte
        data = data.model_copy(update=defaults)
        try:
            result = calculate(data)
        except CalculatorError as exc:
            first = exc.problems[0].field if exc.problems else None
            raise InvalidInput(
                message("calculator-inputs-refused", detail=str(exc)), field=first
            ) from exc
        now = utcnow()
        written = {}
        for datapoint, value in result.as_datapoints().items():
            question = by_datapoint.get(datapoint)
            if question is None:
                continue
            # the template's energy breakdown table is asked as text (one cell per question)
            answer = f"{value:.16g}" if question.free_text else value
            text, na = encode_value(validate_answer(question, answer))
            current = session.scalar(
                select(AnswerRow).where(
                    AnswerRow.assessment_id == row.id, AnswerRow.question_id == question.id
                )
            )
            if current is None:
                session.add(
                    AnswerRow(
                        assessment_id=row.id,
                        question_id=question.id,
                        value=text,
                        na=na,
                        version=1,
                        updated_at=now,
                        updated_by=principal.user_id,
                        source=CALCULATOR,
                        confirmed=False,
                    )
                )
            else:
                current.value, current.na = text, na
                current.version += 1
                current.updated_at, current.updated_by = now, principal.user_id
                current.source, current.confirmed = CALCULATOR, False
            written[question.id] = value
        stored = session.scalar(
            select(VsmeCalculationRow).where(VsmeCalculationRow.assessment_id == row.id)
        )
        if stored is None:
            stored = VsmeCalculationRow(assessment_id=row.id)
            session.add(stored)
        stored.input_json = data.model_dump_json()
        stored.factors_version = result.factors_version
        stored.saved_at, stored.saved_by = now, principal.user_id
        row.version += 1
        row.updated_at = now
        audit.record(
            session,
            principal,
            "calculation",
            "assessment",
            row.id,
            new={"factors_version": result.factors_version, "answers": written},
        )
    return result


def stored_calculation(store: Store, principal: Principal, organisation_id: int, year: int):
    """The calculator inputs last saved for the organisation's VSME report of ``year``
    (``CalculatorInput``, to fill the calculator form again), or None."""
    from exports.vsme.calculator import CalculatorInput  # noqa: PLC0415

    with store.read() as session:
        _organisation(session, principal, organisation_id)
        row = _assessment(session, organisation_id, year)
        if row is None:
            return None
        stored = session.scalar(
            select(VsmeCalculationRow.input_json).where(VsmeCalculationRow.assessment_id == row.id)
        )
    return CalculatorInput.model_validate_json(stored) if stored is not None else None


def render(report: VsmeReport, format: str, language: str = "nl") -> bytes:
    """One report in one output: EFRAG's Digital Template (xlsx), xBRL-JSON or the PDF; a fact
    the template has no place for is refused with the template's reason."""
    from exports.vsme.template import TemplateError  # noqa: PLC0415

    if format not in FORMATS:
        raise InvalidInput(
            message("vsme-unknown-format", format=format, known=", ".join(FORMATS)),
            field="format",
        )
    try:
        if format == "xlsx":
            from exports.vsme.template import fill  # noqa: PLC0415

            return fill(report)
        if format == "json":
            from exports.vsme.xbrl import to_bytes  # noqa: PLC0415

            return to_bytes(report)
        from exports.vsme.pdf import render as render_pdf  # noqa: PLC0415

        return render_pdf(report, language)
    except (TemplateError, ValueError) as exc:
        raise InvalidInput(message("vsme-report-not-rendered", detail=str(exc))) from exc


def download_name(kbo: str, year: int, format: str) -> str:
    """``vsme-<KBO>-<year>.<xlsx|json|pdf>`` (a KBO number is digits only)."""
    return f"vsme-{kbo}-{year}.{EXTENSIONS.get(format, format)}"


def vsme_download(
    store: Store,
    principal: Principal,
    organisation_id: int,
    year: int,
    format: str,
    language: str = "nl",
) -> tuple[str, bytes]:
    """(file name, bytes) of the organisation's VSME report of ``year`` in ``format`` (xlsx,
    json or pdf; the PDF in ``language``): what the page offers, ``mvo export vsme --org``
    writes and the department's batch writes per organisation."""
    report = vsme_report(store, principal, organisation_id, year)
    return download_name(report.entity.kbo, year, format), render(report, format, language)


@dataclass(frozen=True)
class VsmeBatchEntry:
    """One organisation of a VSME batch: its file (name and bytes) or the refusal."""

    kbo: str
    year: int
    format: str
    name: str = ""
    data: bytes = b""
    size: int = 0
    sha256: str = ""
    error: ServiceError | None = None


def vsme_batch(
    store: Store,
    principal: Principal,
    year: int,
    format: str,
    language: str = "nl",
    targets: list[tuple[int, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> Iterator[VsmeBatchEntry]:
    """The VSME reports of many organisations (default: every one of ``year`` the principal
    may read), in order, each as ``vsme_download`` makes it; an organisation whose report
    cannot be made is an entry with its error. The department's page and ``mvo export vsme
    --all`` use it (a caller that writes files drops ``data`` and keeps size and sha256).
    ``workers`` > 1 renders on the process pool of the passport export
    (``exports.batch.pool_map``): the reports are read here, the files made there, with the
    same bytes as one at a time."""
    if targets is None:
        targets = vsme_organisations(store, principal, year)
    jobs = (_read_job(store, principal, year, format, language, t) for t in targets)
    if workers > 1:
        from exports.batch import pool_map  # noqa: PLC0415

        made = pool_map(_render_job, jobs, workers)
    else:
        made = map(_render_job, jobs)
    for done, entry in enumerate(made, start=1):
        yield entry
        if progress is not None:
            progress(done, len(targets))


def _read_job(store, principal, year, format, language, target):
    """A batch job: the organisation's report as ``vsme_report`` reads it, or its refusal."""
    organisation_id, kbo = target
    try:
        return kbo, year, format, language, vsme_report(store, principal, organisation_id, year)
    except ServiceError as exc:
        return kbo, year, format, language, exc


def _render_job(job) -> VsmeBatchEntry:
    """One entry of a batch (here or in a pool worker): the file as ``vsme_download`` makes it,
    or the refusal."""
    kbo, year, format, language, report = job
    if isinstance(report, ServiceError):
        return VsmeBatchEntry(kbo, year, format, error=report)
    try:
        data = render(report, format, language)
    except ServiceError as exc:
        return VsmeBatchEntry(kbo, year, format, error=exc)
    name = download_name(report.entity.kbo, year, format)
    return VsmeBatchEntry(
        kbo, year, format, name, data, len(data), hashlib.sha256(data).hexdigest()
    )


def vsme_manifest(entries: list[VsmeBatchEntry], describe: Callable[[ServiceError], str]) -> bytes:
    """``manifest.csv`` of a batch: KBO, year, format, file, bytes, sha256, error (the error
    as ``describe`` words it, in the reader's language)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["kbo", "year", "format", "file", "bytes", "sha256", "error"])
    for e in entries:
        if e.error is not None:
            writer.writerow([e.kbo, e.year, e.format, "", "", "", describe(e.error)])
        else:
            writer.writerow([e.kbo, e.year, e.format, e.name, e.size, e.sha256, ""])
    return text.getvalue().encode("utf-8")


def vsme_zip(entries: Iterable[VsmeBatchEntry], describe: Callable[[ServiceError], str]) -> bytes:
    """A batch as one zip: every file made plus ``manifest.csv``."""
    buffer, kept = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for e in entries:
            if e.error is None:
                archive.writestr(e.name, e.data)
            kept.append(replace(e, data=b""))
        archive.writestr("manifest.csv", vsme_manifest(kept, describe))
    return buffer.getvalue()


def vsme_organisations(store: Store, principal: Principal, year: int) -> list[tuple[int, str]]:
    """(organisation id, KBO number) of every organisation with a VSME report of ``year`` the
    principal may read (the department and admin: all; an SME: its own), in KBO order."""
    with store.read() as session:
        found = session.execute(
            select(OrganisationRow.id, OrganisationRow.kbo)
            .join(AssessmentRow, AssessmentRow.organisation_id == OrganisationRow.id)
            .where(AssessmentRow.framework == FRAMEWORK, AssessmentRow.year == year)
            .distinct()
            .order_by(OrganisationRow.kbo)
        ).all()
    return [(r.id, r.kbo) for r in found if can_read_raw(principal, r.id)]


__all__ = [
    "DisclosureProgress",
    "download_name",
    "facts_and_rows",
    "render",
    "save_calculation",
    "stored_calculation",
    "VsmeBatchEntry",
    "vsme_assessment_id",
    "vsme_batch",
    "vsme_manifest",
    "vsme_zip",
    "vsme_download",
    "vsme_organisations",
    "vsme_progress",
    "vsme_report",
]
