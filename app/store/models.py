"""The database tables of MVO-paspoort as SQLAlchemy 2 declarative models.

One row per organisation, user, signed-in browser session, assessment (one framework, one sector
profile, one year) and answer (one question of one assessment, saved on every change). A score
snapshot freezes the ScoreCard and Passport JSON at submit, with the overall score, level and
size class as columns so that benchmarks read one narrow table. The audit log keeps who changed
what, when, old -> new. Evidence files are kept in the database itself (all state lives there,
so several app replicas can share one PostgreSQL).

Values that are structured (answer values, sector lists, snapshots) are JSON *text*, written
and read by the services, so SQLite and PostgreSQL store exactly the same characters.
Timestamps are naive UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("sme", "federation", "department", "admin")
STATUSES = ("draft", "submitted")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now in UTC without tzinfo (what both databases store)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OrganisationRow(Base):
    """An organisation (KMO, social-economy company) identified by its KBO number."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kbo: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    nace: Mapped[str | None] = mapped_column(String(10))
    profile: Mapped[str | None] = mapped_column(String(64), index=True)
    fte: Mapped[float | None] = mapped_column(Float)
    municipality: Mapped[str | None] = mapped_column(String(200))
    consent_named: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class UserRow(Base):
    """A person who signs in: an SME user belongs to one organisation, a federation user to
    one or more sector profiles (JSON list in ``sectors``)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    sectors: Mapped[str] = mapped_column(Text, default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: The interface language the user chose ("nl" or "en"); None until they choose one.
    language: Mapped[str | None] = mapped_column(String(5))

    organisation: Mapped[OrganisationRow | None] = relationship()


class SessionRow(Base):
    """A signed-in browser session. The random token itself is never stored, only its sha256
    (hex), so a copy of the database does not sign anybody in. ``expires_at`` slides forward
    while the session is used; ``revoked_at`` is set by sign-out, deactivation or a new
    password."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class AssessmentRow(Base):
    """One organisation's assessment of one framework for one sector profile (or none) and
    year: at most one per key, also without a profile."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "profile", "framework", "year", name="uq_assessments_per_year"
        ),
        # NULLs are distinct in the key above: this one holds it for assessments without a
        # profile (the Start-to-MVO scan), on SQLite and PostgreSQL alike (migration 0003).
        Index(
            "uq_assessments_per_year_no_profile",
            "organisation_id",
            "framework",
            "year",
            unique=True,
            sqlite_where=text("profile IS NULL"),
            postgresql_where=text("profile IS NULL"),
        ),
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_assessments_benchmark", "profile", "year", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    framework: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(20))
    profile: Mapped[str | None] = mapped_column(String(64))
    profile_version: Mapped[str | None] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: Raised by every change (answers, submit, reopen): the assessment's revision number.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[OrganisationRow] = relationship()


class AnswerRow(Base):
    """The answer to one question: ``value`` is JSON text (None when n/a or cleared); ``version``
    is the per-answer optimistic-locking counter."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id", name="uq_answers_per_question"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    na: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Where the value came from (``app.services.carry_over.Source``): ``user``,
    #: ``last_year:<year>``, ``framework:<id>:<question>``, ``organisation:<field>``; None
    #: for answers stored before migration 0005 and by imports.
    source: Mapped[str | None] = mapped_column(String(200))
    #: The SME confirmed a rolled-forward value as "unchanged since last year" (a server
    #: default only, so that older migrations' tests can still insert rows at their revision).
    confirmed: Mapped[bool] = mapped_column(Boolean, server_default=false())


class VsmeCalculationRow(Base):
    """The B3 calculator's inputs (``exports.vsme.calculator.CalculatorInput`` as JSON) last
    used for a VSME assessment, and the factor set's version they were computed with."""

    __tablename__ = "vsme_calculations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    input_json: Mapped[str] = mapped_column(Text)
    factors_version: Mapped[str] = mapped_column(String(20))
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    saved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ScoreSnapshotRow(Base):
    """The ScoreCard and Passport frozen at submit; the columns serve fast benchmarks."""

    __tablename__ = "score_snapshots"
    __table_args__ = (Index("ix_snapshots_peer", "profile", "year", "framework", "size_class"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    profile: Mapped[str | None] = mapped_column(String(64))
    framework: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    fte: Mapped[float | None] = mapped_column(Float)
    size_class: Mapped[str | None] = mapped_column(String(10))
    overall: Mapped[float | None] = mapped_column(Float)
    completeness: Mapped[float] = mapped_column(Float, default=0.0)
    level: Mapped[str | None] = mapped_column(String(64))
    scorecard_json: Mapped[str] = mapped_column(Text)
    passport_json: Mapped[str | None] = mapped_column(Text)
    #: The snapshot's row of the sector and peer scores tables (``benchmark.sector_row``,
    #: ``submission.table_row``), so recomputing a sector's figures parses no passport.
    figures_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditRow(Base):
    """Who changed what, when, old -> new (values as JSON text)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class EvidenceRow(Base):
    """A file attached to an answer as evidence (kept in the database, with its sha256)."""

    __tablename__ = "evidence_files"
    __table_args__ = (
        CheckConstraint("size <= 10485760", name="size_limit"),
        Index("ix_evidence_question", "assessment_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SignInTicketRow(Base):
    """A short-lived, single-use sign-in ticket: the Streamlit sign-in form issues it after the
    password (or the identity provider) was checked, and the ``/session/signin`` route exchanges
    it for the session cookie. Only the sha256 of the ticket and of the browser's pre-session
    cookie (``browser_hash``) are stored: the ticket works once, only in the browser that asked
    for it, and only until ``expires_at``."""

    __tablename__ = "signin_tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_hash: Mapped[str] = mapped_column(String(64), unique=True)
    browser_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


CLAIM_STATUSES = ("pending", "approved", "rejected")


class OrganisationClaimRow(Base):
    """A new SME account's claim on an organisation that already holds data (an earlier
    account or imported answers). Until a federation of that sector or an admin approves it,
    the claimant is not linked to the organisation and sees none of its data."""

    __tablename__ = "organisation_claims"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id", name="uq_organisation_claims_per_user"),
        CheckConstraint(f"status IN {CLAIM_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


ACTION_STATUSES = ("planned", "in_progress", "done")


class ActionRow(Base):
    """One action of an organisation's action plan: a step of the improvement plan (S7) it
    picked (``question_id``) or one of its own (no question), with an owner, a deadline, a
    status, an optional cost (in euro cents, exact on both databases) and a support scheme
    (an id of ``frameworks/support_schemes.yaml``). ``year`` is the year it was planned in; an
    action not done carries over to later years, and ``done_year`` is the year it was marked
    done in (shown up to that year, not after)."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint(f"status IN {ACTION_STATUSES!r}", name="status"),
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="cost"),
        Index("ix_actions_organisation_year", "organisation_id", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    framework: Mapped[str | None] = mapped_column(String(64))
    question_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    scheme: Mapped[str | None] = mapped_column(String(64))
    done_year: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class TackleFlagRow(Base):
    """ "Ik wil dit aanpakken": the SME flagged a question of an assessment as one it wants to
    tackle; flagged questions become the first proposed actions."""

    __tablename__ = "tackle_flags"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id", name="uq_tackle_flags_per_question"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    flagged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    flagged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SectorStatisticsRow(Base):
    """The published benchmark figures of one sector or peer group, computed once per change
    of its snapshots (submit, import, reopen, rescore; in the same transaction) by
    ``app.services.statistics`` and read by the federation page, the department overview and
    the results page's benchmark position instead of recomputing them per page view."""

    __tablename__ = "sector_statistics"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    profile: Mapped[str | None] = mapped_column(String(64), index=True)
    figures_json: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
