"""Yearly assessments: start (pre-filled from last year), read, save one answer, submit, reopen,
list, and evidence files.

Optimistic locking is **per answer**: every answer row has its own ``version``. A save names
the version of that answer it was based on (``expected_version``; 0 for a question never
answered); if a colleague saved the same question in the meantime the save is refused with a
``ConflictError`` carrying the colleague's value, and nothing is overwritten. Saves of
*different* questions do not conflict, so an SME with two browser tabs (or two colleagues on
different sections) can keep working. Every save also raises the assessment's own ``version``
(its revision number); ``submit`` can be given the revision the user reviewed, so that nobody
submits answers they have not seen.

Writers of one assessment are serialised on its row (``UPDATE assessments ... WHERE status =
'draft'`` first, which also makes a save racing a submit lose cleanly), so the check of the
answer version and the write happen atomically on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.services import audit, carry_over, catalogue, evidence, statistics, submission
from app.services.answers import validate_answer
from app.services.errors import (
    AccessDenied,
    ConflictError,
    InvalidInput,
    NotFound,
    NotSubmittable,
    ReadOnly,
)
from app.services.messages import message
from app.services.principal import (
    ADMIN,
    DENIED,
    DEPARTMENT,
    FEDERATION,
    SME,
    Principal,
    require_answer_write,
    require_raw_read,
    require_role,
)
from app.services.values import decode_value, encode_value
from app.store.db import Store
from app.store.models import (
    AnswerRow,
    AssessmentRow,
    EvidenceRow,
    OrganisationRow,
    ScoreSnapshotRow,
    utcnow,
)

UNSET: Any = object()
MAX_NOTE = 10_000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: Allowed evidence types: extension -> (MIME type, magic bytes at the start of the file).
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", b"%PDF"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
}


@dataclass(frozen=True)
class AnswerView:
    """One stored answer. ``value`` is the scoring engine's value ("n/a" when not applicable,
    None when cleared); ``version`` is what the next save passes as ``expected_version``."""

    question_id: str
    value: Any
    note: str | None
    version: int
    updated_at: datetime
    updated_by: int | None


@dataclass(frozen=True)
class AssessmentSummary:
    """An assessment without its answers (for lists)."""

    id: int
    organisation_id: int
    framework: str
    framework_version: str
    profile: str | None
    year: int
    status: str
    version: int
    updated_at: datetime
    submitted_at: datetime | None


@dataclass(frozen=True)
class AssessmentView(AssessmentSummary):
    """An assessment with every stored answer by question id."""

    profile_version: str | None = None
    answers: dict[str, AnswerView] = field(default_factory=dict)
    #: The organisation's FTE (None: unknown): at 0 the questions about employees are hidden.
    employees: float | None = None

    def answer_values(self) -> dict[str, Any]:
        """``{question id: value}`` as ``scoring.score`` takes them (cleared answers left out)."""
        return {q: a.value for q, a in self.answers.items() if a.value is not None}

    def answer_version(self, question_id: str) -> int:
        """The ``expected_version`` for the next save of this question (0 if never saved)."""
        answer = self.answers.get(question_id)
        return answer.version if answer else 0


@dataclass(frozen=True)
class SubmitResult:
    assessment: AssessmentView
    overall: float | None
    level: str | None


@dataclass(frozen=True)
class EvidenceView:
    id: int
    assessment_id: int
    question_id: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def _check_year(year: int) -> int:
    this_year = date.today().year
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        raise InvalidInput(
            message("invalid-year", year=year, value=this_year + 1),
            field="year",
        )
    return year


# --------------------------------------------------------------------------- reading
def _summary_fields(row: AssessmentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "organisation_id": row.organisation_id,
        "framework": row.framework,
        "framework_version": row.framework_version,
        "profile": row.profile,
        "year": row.year,
        "status": row.status,
        "version": row.version,
        "updated_at": row.updated_at,
        "submitted_at": row.submitted_at,
    }


def _load_view(session: Session, row: AssessmentRow) -> AssessmentView:
    rows = session.execute(
        select(
            AnswerRow.question_id,
            AnswerRow.value,
            AnswerRow.na,
            AnswerRow.note,
            AnswerRow.version,
            AnswerRow.updated_at,
            AnswerRow.updated_by,
        ).where(AnswerRow.assessment_id == row.id)
    ).all()
    answers = {
        r.question_id: AnswerView(
            question_id=r.question_id,
            value=decode_value(r.value, r.na),
            note=r.note,
            version=r.version,
            updated_at=r.updated_at,
            updated_by=r.updated_by,
        )
        for r in rows
    }
    employees = session.scalar(
        select(OrganisationRow.fte).where(OrganisationRow.id == row.organisation_id)
    )
    return AssessmentView(
        **_summary_fields(row),
        profile_version=row.profile_version,
        answers=answers,
        employees=employees,
    )


def _readable(session: Session, principal: Principal, assessment_id: int) -> AssessmentRow:
    """The assessment row if the principal may read it. An id that does not exist and one
    that is not theirs give the same ``AccessDenied`` (guessing ids reveals nothing)."""
    found = session.execute(
        select(AssessmentRow, OrganisationRow.profile)
        .join(OrganisationRow, AssessmentRow.organisation_id == OrganisationRow.id)
        .where(AssessmentRow.id == assessment_id)
    ).first()
    if found is None:
        if principal.reads_everything:
            raise NotFound(message("no-assessment", assessment_id=assessment_id))
        raise AccessDenied(DENIED)
    row, organisation_profile = found
    # Raw answers, notes, history and evidence: own SME users and department/admin only.
    require_raw_read(principal, row.organisation_id)
    return row


def get_assessment(store: Store, principal: Principal, assessment_id: int) -> AssessmentView:
    """An assessment with all its answers (the organisation's own SME users, the department
    and admin; never a federation: ``principal.can_read_raw``)."""
    with store.read() as session:
        return _load_view(session, _readable(session, principal, assessment_id))


def list_assessments(
    store: Store,
    principal: Principal,
    *,
    organisation_id: int | None = None,
    year: int | None = None,
    profile: str | None = None,
    status: str | None = None,
) -> list[AssessmentSummary]:
    """The assessments the principal may see, newest year first, filtered as asked (SME: its
    own; federation: consenting members of its sector profiles; department/admin: all)."""
    query = select(AssessmentRow)
    if principal.role == SME and not principal.system:
        if principal.organisation_id is None:
            return []
        if organisation_id is not None and organisation_id != principal.organisation_id:
            raise AccessDenied(DENIED)
        query = query.where(AssessmentRow.organisation_id == principal.organisation_id)
    elif principal.role == FEDERATION and not principal.system:
        if profile is not None and profile not in principal.sectors:
            raise AccessDenied(DENIED)
        # As ``principal.can_read_passport``: consenting members under its profiles only; the
        # others exist for a federation only inside the disclosure module's aggregates (S10).
        query = query.join(
            OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id
        ).where(
            AssessmentRow.profile.in_(sorted(principal.sectors)),
            OrganisationRow.consent_named.is_(True),
        )
    if organisation_id is not None:
        query = query.where(AssessmentRow.organisation_id == organisation_id)
    if year is not None:
        query = query.where(AssessmentRow.year == year)
    if profile is not None:
        query = query.where(AssessmentRow.profile == profile)
    if status is not None:
        query = query.where(AssessmentRow.status == status)
    query = query.order_by(AssessmentRow.year.desc(), AssessmentRow.id)
    with store.read() as session:
        return [AssessmentSummary(**_summary_fields(r)) for r in session.scalars(query)]


# --------------------------------------------------------------------------- starting
def start_assessment(
    store: Store,
    principal: Principal,
    organisation_id: int,
    year: int,
    *,
    profile: str | None = None,
    framework: str | None = None,
) -> AssessmentView:
    """The organisation's assessment of ``year`` for ``profile`` (default: the organisation's
    profile) and ``framework`` (default: the profile's first framework; a framework the
    organisation's profile does not include, such as the Start-to-MVO scan, is taken without a
    profile); created as a draft
    if it does not exist yet on the current framework and profile version, pre-filled from
    the most recent earlier year of the same framework as the version's ``carry_over`` block
    allows (renames followed; changed questions and answers that no longer fit are left out,
    ``carry_over.not_carried`` says which) and from the same datapoint answered in another
    framework or held on the organisation (``app.services.carry_over``). Idempotent: starting
    twice returns the same assessment."""
    require_answer_write(principal, organisation_id)
    _check_year(year)
    cat = store.catalogue
    with store.read() as session:
        organisation = session.get(OrganisationRow, organisation_id)
        if organisation is None:
            raise (
                AccessDenied(DENIED)
                if not principal.system
                else NotFound(message("no-organisation", organisation_id=organisation_id))
            )
    profile_id = profile or organisation.profile
    profile_model = catalogue.profile(cat, profile_id)
    if framework is None:
        if profile_model is None:
            raise InvalidInput(
                message("choose-a-sector-profile-or"),
                field="framework",
            )
        framework = profile_model.frameworks[0].id
    elif profile_model is not None and framework not in [f.id for f in profile_model.frameworks]:
        if profile is None:
            # The organisation's own profile was only a default: a framework it does not
            # include (the Start-to-MVO scan) is taken on its own, without a sector profile.
            profile_id, profile_model = None, None
        else:
            raise InvalidInput(
                message("framework-is-not-part-of", framework=framework, profile_id=profile_id),
                field="framework",
            )
    questions = catalogue.questionnaire(cat, framework, profile_id)
    key = (
        AssessmentRow.organisation_id == organisation_id,
        AssessmentRow.framework == framework,
        AssessmentRow.year == year,
        AssessmentRow.profile == profile_id
        if profile_id is not None
        else AssessmentRow.profile.is_(None),
    )
    try:
        with store.write() as session:
            existing = session.scalar(select(AssessmentRow).where(*key))
            if existing is not None:
                return _load_view(session, existing)
            row = AssessmentRow(
                organisation_id=organisation_id,
                framework=framework,
                framework_version=questions.version,
                profile=profile_id,
                profile_version=profile_model.version if profile_model else None,
                year=year,
                status="draft",
                version=1,
            )
            session.add(row)
            session.flush()
            copied = carry_over.prefill(session, principal, row, questions, cat)
            audit.record(
                session,
                principal,
                "start",
                "assessment",
                row.id,
                new={
                    "framework": framework,
                    "profile": profile_id,
                    "year": year,
                    "prefilled": sum(copied.values()),
                    "prefilled_from": copied,
                },
            )
            return _load_view(session, row)
    except IntegrityError:  # started in parallel by a colleague: return theirs
        with store.read() as session:
            return _load_view(session, session.scalar(select(AssessmentRow).where(*key)))


# --------------------------------------------------------------------------- saving
def _locked_draft(session: Session, principal: Principal, assessment_id: int) -> AssessmentRow:
    """Raise the assessment's revision and hold its row for this transaction; refuse when it
    is submitted, missing or not the principal's to write."""
    now = utcnow()
    bumped = session.execute(
        update(AssessmentRow)
        .where(AssessmentRow.id == assessment_id, AssessmentRow.status == "draft")
        .values(version=AssessmentRow.version + 1, updated_at=now)
        .returning(
            AssessmentRow.organisation_id,
            AssessmentRow.framework,
            AssessmentRow.profile,
            AssessmentRow.version,
            AssessmentRow.framework_version,
            AssessmentRow.profile_version,
        )
    ).first()
    if bumped is None:
        row = _readable(session, principal, assessment_id)
        require_answer_write(principal, row.organisation_id)
        raise ReadOnly(message("assessment-submitted-read-only"))
    require_answer_write(principal, bumped.organisation_id)
    return bumped


_ASSESSMENTS = AssessmentRow.__table__
_ANSWERS = AnswerRow.__table__
# Built once: saving an answer is the hot path (statement construction costs more than SQL).
_BUMP_DRAFT = (
    update(_ASSESSMENTS)
    .where(_ASSESSMENTS.c.id == bindparam("aid"), _ASSESSMENTS.c.status == "draft")
    .values(version=_ASSESSMENTS.c.version + 1, updated_at=bindparam("now"))
    .returning(
        _ASSESSMENTS.c.organisation_id,
        _ASSESSMENTS.c.framework,
        _ASSESSMENTS.c.profile,
        _ASSESSMENTS.c.version,
        _ASSESSMENTS.c.framework_version,
        _ASSESSMENTS.c.profile_version,
    )
)
_CURRENT_ANSWER = select(
    _ANSWERS.c.id, _ANSWERS.c.value, _ANSWERS.c.na, _ANSWERS.c.note, _ANSWERS.c.version
).where(_ANSWERS.c.assessment_id == bindparam("aid"), _ANSWERS.c.question_id == bindparam("qid"))
_INSERT_ANSWER = insert(_ANSWERS)
_UPDATE_ANSWER = (
    update(_ANSWERS)
    .where(_ANSWERS.c.id == bindparam("answer_id"), _ANSWERS.c.version == bindparam("expected"))
    .values(
        value=bindparam("new_value"),
        na=bindparam("new_na"),
        note=bindparam("new_note"),
        version=_ANSWERS.c.version + 1,
        updated_at=bindparam("now"),
        updated_by=bindparam("user_id"),
        source=carry_over.USER,
        confirmed=False,
    )
)


def save_answer(
    store: Store,
    principal: Principal,
    assessment_id: int,
    question_id: str,
    value: Any,
    *,
    expected_version: int,
    note: str | None = UNSET,
) -> AnswerView:
    """Save one answer (and optionally its note) of a draft assessment.

    ``expected_version`` is the answer's version the user saw (``AnswerView.version``, or 0 for
    a question never answered). If it is stale the save is refused with ``ConflictError``
    (holding the current value and version) and nothing changes. ``value`` None clears the
    answer; "n/a" marks it not applicable where allowed. Audited old -> new.
    """
    if note is not UNSET and note is not None:
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise InvalidInput(
                message("note-too-long", limit=MAX_NOTE),
                field="note",
            )
    now = utcnow()
    with store.write_connection() as connection:
        # First statement: raises the revision and holds the assessment row (serialises the
        # writers of one assessment), refusing a submitted one.
        bumped = connection.execute(_BUMP_DRAFT, {"aid": assessment_id, "now": now}).first()
        if bumped is None:
            _explain_not_writable(store, principal, assessment_id)
        require_answer_write(principal, bumped.organisation_id)
        questions = catalogue.of_assessment(store.catalogue, bumped)
        question = questions.questions.get(question_id)
        if question is None:
            raise InvalidInput(
                message(
                    "question-does-not-exist-in",
                    question_id=question_id,
                    framework=bumped.framework,
                ),
                field=question_id,
            )
        value = validate_answer(question, value)
        text, na = encode_value(value)
        current = connection.execute(
            _CURRENT_ANSWER, {"aid": assessment_id, "qid": question_id}
        ).first()
        current_version = current.version if current else 0
        if current_version != expected_version:
            raise ConflictError(
                message("answer-changed-by-someone-else", question_id=question_id),
                current_version=current_version,
                current_value=decode_value(current.value, current.na) if current else None,
            )
        new_note = (current.note if current else None) if note is UNSET else note
        if current is None:
            connection.execute(
                _INSERT_ANSWER,
                {
                    "assessment_id": assessment_id,
                    "question_id": question_id,
                    "value": text,
                    "na": na,
                    "note": new_note,
                    "version": 1,
                    "updated_at": now,
                    "updated_by": principal.user_id,
                    "source": carry_over.USER,
                    "confirmed": False,
                },
            )
            new_version = 1
        else:
            done = connection.execute(
                _UPDATE_ANSWER,
                {
                    "answer_id": current.id,
                    "expected": expected_version,
                    "new_value": text,
                    "new_na": na,
                    "new_note": new_note,
                    "now": now,
                    "user_id": principal.user_id,
                },
            )
            if done.rowcount != 1:  # cannot happen while the assessment row is held; be safe
                raise ConflictError(
                    message("question-was-changed-meanwhile", question_id=question_id)
                )
            new_version = expected_version + 1
        old = decode_value(current.value, current.na) if current else None
        audit.record_fast(
            connection,
            principal,
            "answer",
            "assessment",
            assessment_id,
            field=question_id,
            old={"value": old, "note": current.note} if current else None,
            new={"value": value, "note": new_note},
            at=now,
        )
    return AnswerView(
        question_id=question_id,
        value=value,
        note=new_note,
        version=new_version,
        updated_at=now,
        updated_by=principal.user_id,
    )


def _explain_not_writable(store: Store, principal: Principal, assessment_id: int) -> None:
    """Raise the right refusal for an assessment that could not be bumped as a draft."""
    with store.read() as session:
        row = _readable(session, principal, assessment_id)
        require_answer_write(principal, row.organisation_id)
    raise ReadOnly(message("assessment-submitted-read-only"))


# --------------------------------------------------------------------------- submit / reopen
def submit(
    store: Store,
    principal: Principal,
    assessment_id: int,
    *,
    expected_version: int | None = None,
) -> SubmitResult:
    """Freeze a draft: only when every visible required question is answered. Stores the
    ScoreCard and Passport snapshot used by benchmarks. ``expected_version`` (the assessment's
    revision the user reviewed) refuses the submit when answers changed since."""
    with store.write() as session:
        row = session.scalar(
            select(AssessmentRow).where(AssessmentRow.id == assessment_id).with_for_update()
        )
        if row is None:
            raise (
                AccessDenied(DENIED)
                if not principal.reads_everything
                else NotFound(message("no-assessment", assessment_id=assessment_id))
            )
        require_answer_write(principal, row.organisation_id)
        if row.status != "draft":
            raise ReadOnly(message("already-submitted"))
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                message("answers-changed-since-review"),
                current_version=row.version,
            )
        frozen = submission.freeze(store, session, [row.id], principal=principal)[0]
        if not frozen.submitted:
            raise NotSubmittable(
                message(
                    "required-questions-open",
                    count=len(frozen.open_questions),
                    questions=", ".join(frozen.open_questions),
                ),
                list(frozen.open_questions),
            )
        audit.record(
            session,
            principal,
            "submit",
            "assessment",
            row.id,
            field="status",
            old="draft",
            new="submitted",
        )
        session.flush()
        session.refresh(row)
        return SubmitResult(
            assessment=_load_view(session, row),
            overall=frozen.card.overall,
            level=frozen.passport.level if frozen.passport is not None else None,
        )


def reopen(store: Store, principal: Principal, assessment_id: int, reason: str) -> AssessmentView:
    """Turn a submitted assessment back into a draft (department and admin only; the reason is
    audited). Its score snapshot is removed, so it leaves benchmarks until submitted again."""
    require_role(principal, DEPARTMENT, ADMIN)
    if not reason or not reason.strip():
        raise InvalidInput(message("give-a-reason"), field="reason")
    with store.write() as session:
        row = session.scalar(
            select(AssessmentRow).where(AssessmentRow.id == assessment_id).with_for_update()
        )
        if row is None:
            raise NotFound(message("no-assessment", assessment_id=assessment_id))
        if row.status != "submitted":
            raise InvalidInput(message("not-submitted"))
        session.execute(delete(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id == row.id))
        row.status = "draft"
        row.submitted_at = None
        row.version += 1
        row.updated_at = utcnow()
        session.flush()
        statistics.refresh(store, session, {(row.profile, row.framework, row.year)})
        audit.record(
            session,
            principal,
            "reopen",
            "assessment",
            row.id,
            field="status",
            old="submitted",
            new={"status": "draft", "reason": reason},
        )
        session.flush()
        return _load_view(session, row)


def history(store: Store, principal: Principal, assessment_id: int) -> list[dict[str, Any]]:
    """The audit entries of an assessment, oldest first (readers of the assessment only)."""
    from app.store.models import AuditRow

    with store.read() as session:
        _readable(session, principal, assessment_id)
        rows = session.scalars(
            select(AuditRow)
            .where(AuditRow.entity == "assessment", AuditRow.entity_id == assessment_id)
            .order_by(AuditRow.id)
        )
        return [
            {
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "field": r.field,
                "old": json.loads(r.old) if r.old else None,
                "new": json.loads(r.new) if r.new else None,
            }
            for r in rows
        ]


# --------------------------------------------------------------------------- evidence
def add_evidence(
    store: Store,
    principal: Principal,
    assessment_id: int,
    question_id: str,
    name: str,
    data: bytes,
) -> EvidenceView:
    """Attach a file (pdf, png, jpg, xlsx, docx; at most 10 MB) to an answer of a draft.

    The name is cleaned or refused by ``evidence.clean_name`` (no path, no control or bidi
    characters) and the assessment's quota (``evidence.MAX_FILES`` files,
    ``evidence.MAX_TOTAL_BYTES`` together) is checked while the draft's row is held."""
    name = evidence.clean_name(name)
    extension = name.rsplit(".", 1)[-1].lower()
    if extension not in EVIDENCE_TYPES:
        raise InvalidInput(
            message("file-type-not-allowed", extension=extension),
            field="file",
        )
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(
            message("file-too-large", value=len(data) / 1048576),
            field="file",
        )
    mime, magic = EVIDENCE_TYPES[extension]
    if not data.startswith(magic):
        raise InvalidInput(
            message("file-content-mismatch", name=name, extension=extension),
            field="file",
        )
    with store.write() as session:
        bumped = _locked_draft(session, principal, assessment_id)
        questions = catalogue.of_assessment(store.catalogue, bumped)
        if question_id not in questions.questions:
            raise InvalidInput(message("no-such-question", question_id=question_id))
        files, used = session.execute(
            select(func.count(EvidenceRow.id), func.coalesce(func.sum(EvidenceRow.size), 0)).where(
                EvidenceRow.assessment_id == assessment_id
            )
        ).one()
        problem = evidence.quota_problem(files, used, len(data))
        if problem is not None:
            raise InvalidInput(problem, field="file")
        row = EvidenceRow(
            assessment_id=assessment_id,
            question_id=question_id,
            name=name,
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by=principal.user_id,
        )
        session.add(row)
        try:
            session.flush()
        except DataError as error:  # defence in depth: the driver's text never reaches a user
            raise InvalidInput(
                message("the-file-could-not-be"),
                field="file",
            ) from error
        audit.record(
            session,
            principal,
            "evidence",
            "assessment",
            assessment_id,
            field=question_id,
            new={"name": name, "sha256": row.sha256},
        )
        return _evidence_view(row)


def list_evidence(store: Store, principal: Principal, assessment_id: int) -> list[EvidenceView]:
    """The evidence files of an assessment (without content), per question in upload order."""
    with store.read() as session:
        _readable(session, principal, assessment_id)
        rows = session.scalars(
            select(EvidenceRow)
            .where(EvidenceRow.assessment_id == assessment_id)
            .order_by(EvidenceRow.question_id, EvidenceRow.id)
        )
        return [_evidence_view(r) for r in rows]


def get_evidence_file(
    store: Store, principal: Principal, evidence_id: int
) -> tuple[EvidenceView, bytes]:
    """One evidence file with its content (for a download)."""
    with store.read() as session:
        row = session.get(EvidenceRow, evidence_id)
        if row is None:
            raise AccessDenied(DENIED)
        _readable(session, principal, row.assessment_id)
        return _evidence_view(row), row.data


def remove_evidence(store: Store, principal: Principal, evidence_id: int) -> None:
    """Remove an evidence file from a draft (audited); a submitted assessment keeps its files."""
    with store.write() as session:
        found = session.execute(
            select(EvidenceRow.assessment_id, EvidenceRow.name, EvidenceRow.sha256).where(
                EvidenceRow.id == evidence_id
            )
        ).first()
        if found is None:
            raise AccessDenied(DENIED)
        _locked_draft(session, principal, found.assessment_id)
        session.execute(delete(EvidenceRow).where(EvidenceRow.id == evidence_id))
        audit.record(
            session,
            principal,
            "evidence_removed",
            "assessment",
            found.assessment_id,
            old={"name": found.name, "sha256": found.sha256},
        )


def _evidence_view(row: EvidenceRow) -> EvidenceView:
    return EvidenceView(
        id=row.id,
        assessment_id=row.assessment_id,
        question_id=row.question_id,
        name=row.name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_at=row.uploaded_at,
    )


__all__ = [
    "AnswerView",
    "AssessmentSummary",
    "AssessmentView",
    "EvidenceView",
    "SubmitResult",
    "add_evidence",
    "get_assessment",
    "get_evidence_file",
    "history",
    "list_assessments",
    "list_evidence",
    "remove_evidence",
    "reopen",
    "save_answer",
    "start_assessment",
    "submit",
]
