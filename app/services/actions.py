"""The action plan of an organisation: actions with an owner, a deadline, a status, an
optional cost and a support scheme, picked from the improvement plan (S7) or written by the
SME itself; and the "ik wil dit aanpakken" flags that put questions first among the proposals.

Access (``app.services.principal``): the organisation's own SME users write (create, update,
delete, flag); they, the department and the admin read; a federation never sees actions or
flags (they are raw data, like answers). Every change is audited in its own transaction.

An action belongs to the organisation and the year it was planned in. An action that is not
done carries over: it is listed for every later year with its status, until the year it is
marked done in (``done_year``), after which later years no longer list it. Actions are not
part of the frozen assessment: a submitted passport's actions keep moving during the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, or_, select

from app.services import audit, catalogue
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.messages import message
from app.services.principal import (
    DENIED,
    Principal,
    require_answer_write,
    require_raw_read,
)
from app.store.db import Store
from app.store.models import (
    ACTION_STATUSES,
    ActionRow,
    AssessmentRow,
    TackleFlagRow,
    utcnow,
)
from frameworks.compose import effective_framework
from frameworks.loader import passport_models
from frameworks.support_schemes import SupportSchemes, load_support_schemes
from scoring.actions import Proposal, propose
from scoring.models import Passport

PLANNED, IN_PROGRESS, DONE = ACTION_STATUSES
MAX_TITLE = 300
MAX_OWNER = 200
MAX_COST_CENTS = 10_000_000_000  # EUR 100 million: beyond that a typo is likelier than a plan
UNSET: Any = object()


@dataclass(frozen=True)
class ActionView:
    """One action as listed for a year; ``carried_from`` is the year it was planned in when
    that is earlier than the year listed (it carried over), else None."""

    id: int
    organisation_id: int
    year: int
    framework: str | None
    question_id: str | None
    title: str
    owner: str
    deadline: date
    status: str
    cost: Decimal | None
    scheme: str | None
    done_year: int | None
    created_at: datetime
    created_by: int | None
    updated_at: datetime
    updated_by: int | None
    carried_from: int | None = None

    @property
    def cost_cents(self) -> int | None:
        return None if self.cost is None else int(self.cost * 100)


@dataclass(frozen=True)
class ProposedAction:
    """A proposal for the action plan: a question with its S7 gain, whether the SME flagged
    it, and the ids of the support schemes that match it."""

    framework: str
    question_id: str
    topic: str | None
    gain: float
    flagged: bool
    schemes: tuple[str, ...]


def schemes() -> SupportSchemes:
    """The support schemes of ``frameworks/support_schemes.yaml``."""
    return load_support_schemes()


# --------------------------------------------------------------------------- checks
def _text(value: object, field: str, limit: int, msgid: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > limit:
        raise InvalidInput(message(msgid, max=limit), field=field)
    return text


def _deadline(value: object) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                message("action-deadline-invalid", value=value), field="deadline"
            ) from None
    if isinstance(value, datetime) or not isinstance(value, date) or not 2000 <= value.year <= 2100:
        raise InvalidInput(message("action-deadline-invalid", value=value), field="deadline")
    return value


def _status(value: object) -> str:
    if value not in ACTION_STATUSES:
        raise InvalidInput(
            message("action-status-invalid", value=value, known=", ".join(ACTION_STATUSES)),
            field="status",
        )
    return str(value)


def _cost_cents(value: object) -> int | None:
    """Euros (Decimal, int, float, or text: "1.250,50", "1,250.50", "2.400", "1250.5",
    "€ 12,5") as whole cents; None or empty text stays None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    typed = value
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").removeprefix("€")
            # the separator that comes last is the decimal one ("1.250,50" or "1,250.50");
            # a lone comma is decimal (Flemish "12,5")
            if "," in value and value.rfind(",") > value.rfind("."):
                value = value.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):  # Flemish grouping: "2.400"
                value = value.replace(".", "")
            else:
                value = value.replace(",", "")
        euros = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
        cents = euros * 100
        if not euros.is_finite() or cents != cents.to_integral_value():
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(message("action-cost-invalid", value=typed), field="cost") from None
    if not 0 <= cents <= MAX_COST_CENTS:
        raise InvalidInput(message("action-cost-invalid", value=typed), field="cost")
    return int(cents)


def _scheme(value: object) -> str | None:
    if value is None or value == "":
        return None
    known = schemes()
    if known.get(str(value)) is None:
        raise InvalidInput(
            message("action-scheme-unknown", value=value, known=", ".join(known.ids())),
            field="scheme",
        )
    return str(value)


def _question(store: Store, framework: str | None, question_id: str | None) -> None:
    """A plan step's question must exist in its framework (an own action has neither)."""
    if question_id is None:
        if framework is not None:
            raise InvalidInput(message("action-question-unknown", value="-"), field="question")
        return
    cat = store.catalogue
    fw = catalogue.framework(cat, framework or "")
    known = set(fw.questions)
    for profile in cat.profiles.values():  # sector questions of its profiles
        if any(f.id == fw.id for f in profile.frameworks):
            known |= set(catalogue.questionnaire(cat, fw.id, profile.id).questions)
    if question_id not in known and hasattr(cat, "versions"):
        # an action carried over from a year answered on an earlier version
        for version in cat.versions("framework", fw.id):
            known |= set(catalogue.framework(cat, fw.id, version).questions)
        for profile in cat.profiles.values():
            for version in cat.versions("profile", profile.id):
                old = catalogue.profile(cat, profile.id, version)
                if old.sector_section is not None and old.frameworks[0].id == fw.id:
                    known |= {q.id for t in old.sector_section.topics for q in t.questions}
    if question_id not in known:
        raise InvalidInput(message("action-question-unknown", value=question_id), field="question")


def _check_year(year: int) -> int:
    from app.services.assessments import _check_year as check  # noqa: PLC0415 (one owner)

    return check(year)


# --------------------------------------------------------------------------- views
def _view(row: ActionRow, listed_year: int | None = None) -> ActionView:
    return ActionView(
        id=row.id,
        organisation_id=row.organisation_id,
        year=row.year,
        framework=row.framework,
        question_id=row.question_id,
        title=row.title,
        owner=row.owner,
        deadline=row.deadline,
        status=row.status,
        cost=None if row.cost_cents is None else Decimal(row.cost_cents) / 100,
        scheme=row.scheme,
        done_year=row.done_year,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        carried_from=row.year if listed_year is not None and row.year < listed_year else None,
    )


def _listed_in(year: int):
    """An action is listed for ``year`` from the year it was planned in until the year it
    was done in (not done: every later year)."""
    return (
        ActionRow.year <= year,
        or_(ActionRow.done_year.is_(None), ActionRow.done_year >= year),
    )


def list_actions(
    store: Store, principal: Principal, organisation_id: int, year: int
) -> list[ActionView]:
    """The organisation's actions listed for ``year`` (its own and the ones carried over),
    by deadline. Own SME users, department and admin; never a federation."""
    require_raw_read(principal, organisation_id)
    with store.read() as session:
        rows = session.scalars(
            select(ActionRow)
            .where(ActionRow.organisation_id == organisation_id, *_listed_in(year))
            .order_by(ActionRow.deadline, ActionRow.id)
        )
        return [_view(row, year) for row in rows]


def create_action(
    store: Store,
    principal: Principal,
    organisation_id: int,
    *,
    year: int,
    title: str,
    owner: str,
    deadline: date | str,
    status: str = PLANNED,
    cost: object = None,
    scheme: str | None = None,
    framework: str | None = None,
    question_id: str | None = None,
) -> ActionView:
    """A new action of the organisation, planned in ``year``: a plan step (``framework`` and
    ``question_id``) or an own action (neither). Only the organisation's own SME users."""
    require_answer_write(principal, organisation_id)
    values = {
        "year": _check_year(year),
        "title": _text(title, "title", MAX_TITLE, "action-title-required"),
        "owner": _text(owner, "owner", MAX_OWNER, "action-owner-required"),
        "deadline": _deadline(deadline),
        "status": _status(status),
        "cost_cents": _cost_cents(cost),
        "scheme": _scheme(scheme),
        "framework": framework,
        "question_id": question_id,
    }
    _question(store, framework, question_id)
    values["done_year"] = values["year"] if values["status"] == DONE else None
    now = utcnow()
    with store.write() as session:
        row = ActionRow(
            organisation_id=organisation_id,
            created_at=now,
            updated_at=now,
            created_by=principal.user_id,
            updated_by=principal.user_id,
            **values,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            principal,
            "create",
            "action",
            row.id,
            new={k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()},
        )
        return _view(row)


def _own_row(session: Any, principal: Principal, action_id: int) -> ActionRow:
    row = session.get(ActionRow, action_id, with_for_update=True)
    if row is None:
        if principal.reads_everything:
            raise NotFound(message("no-action", action_id=action_id))
        raise AccessDenied(DENIED)
    require_answer_write(principal, row.organisation_id)
    return row


def update_action(
    store: Store,
    principal: Principal,
    action_id: int,
    *,
    in_year: int | None = None,
    title: Any = UNSET,
    owner: Any = UNSET,
    deadline: Any = UNSET,
    status: Any = UNSET,
    cost: Any = UNSET,
    scheme: Any = UNSET,
) -> ActionView:
    """Change what is given of an action. ``in_year`` is the year being worked in (the
    results page's year): an action set to done there is listed up to that year."""
    checked: dict[str, Any] = {}
    if title is not UNSET:
        checked["title"] = _text(title, "title", MAX_TITLE, "action-title-required")
    if owner is not UNSET:
        checked["owner"] = _text(owner, "owner", MAX_OWNER, "action-owner-required")
    if deadline is not UNSET:
        checked["deadline"] = _deadline(deadline)
    if status is not UNSET:
        checked["status"] = _status(status)
    if cost is not UNSET:
        checked["cost_cents"] = _cost_cents(cost)
    if scheme is not UNSET:
        checked["scheme"] = _scheme(scheme)
    if in_year is not None:
        _check_year(in_year)
    with store.write() as session:
        row = _own_row(session, principal, action_id)
        if "status" in checked and checked["status"] != row.status:
            checked["done_year"] = (
                max(row.year, in_year or row.year) if checked["status"] == DONE else None
            )
        changed = False
        for field, new in checked.items():
            old = getattr(row, field)
            if old == new:
                continue
            setattr(row, field, new)
            changed = True
            audit.record(
                session,
                principal,
                "update",
                "action",
                row.id,
                field=field,
                old=old.isoformat() if isinstance(old, date) else old,
                new=new.isoformat() if isinstance(new, date) else new,
            )
        if changed:
            row.updated_at = utcnow()
            row.updated_by = principal.user_id
        session.flush()
        return _view(row, in_year)


def delete_action(store: Store, principal: Principal, action_id: int) -> None:
    """Remove an action (own SME users only); the audit log keeps what it was."""
    with store.write() as session:
        row = _own_row(session, principal, action_id)
        gone = _view(row)
        session.execute(delete(ActionRow).where(ActionRow.id == row.id))
        audit.record(
            session,
            principal,
            "delete",
            "action",
            action_id,
            old={
                "title": gone.title,
                "owner": gone.owner,
                "deadline": gone.deadline.isoformat(),
                "status": gone.status,
                "year": gone.year,
                "question_id": gone.question_id,
            },
        )


# --------------------------------------------------------------------------- flags
def _assessment(session: Any, assessment_id: int) -> AssessmentRow:
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise AccessDenied(DENIED)
    return row


def set_tackle_flag(
    store: Store, principal: Principal, assessment_id: int, question_id: str, flagged: bool
) -> None:
    """Flag (or unflag) a question of an assessment "ik wil dit aanpakken" (own SME users;
    also after submit: it is a plan, not an answer)."""
    with store.write() as session:
        row = _assessment(session, assessment_id)
        require_answer_write(principal, row.organisation_id)
        questions = catalogue.of_assessment(store.catalogue, row).questions
        if question_id not in questions:
            raise InvalidInput(
                message("action-question-unknown", value=question_id), field="question"
            )
        existing = session.scalar(
            select(TackleFlagRow).where(
                TackleFlagRow.assessment_id == assessment_id,
                TackleFlagRow.question_id == question_id,
            )
        )
        if bool(existing) == bool(flagged):
            return
        if flagged:
            session.add(
                TackleFlagRow(
                    assessment_id=assessment_id,
                    question_id=question_id,
                    flagged_by=principal.user_id,
                )
            )
        else:
            session.delete(existing)
        audit.record(
            session,
            principal,
            "flag" if flagged else "unflag",
            "assessment",
            assessment_id,
            field=question_id,
            old=not flagged,
            new=bool(flagged),
        )


def tackle_flags(store: Store, principal: Principal, assessment_id: int) -> frozenset[str]:
    """The questions of the assessment flagged "ik wil dit aanpakken" (raw data: own SME
    users, department and admin)."""
    with store.read() as session:
        row = _assessment(session, assessment_id)
        require_raw_read(principal, row.organisation_id)
        return frozenset(
            session.scalars(
                select(TackleFlagRow.question_id).where(
                    TackleFlagRow.assessment_id == assessment_id
                )
            )
        )


# --------------------------------------------------------------------------- proposals
def proposals(
    store: Store, principal: Principal, assessment_id: int, passport: Passport | None = None
) -> list[ProposedAction]:
    """What to propose for the action plan of this assessment's year: the flagged questions
    first (at most three, by S7 gain), then the rest of the improvement plan, without the
    questions that already have an action listed for the year; each with its matching support
    schemes. ``passport`` is the assessment's passport where the caller has it already."""
    with store.read() as session:
        row = _assessment(session, assessment_id)
        require_raw_read(principal, row.organisation_id)
        flagged = set(
            session.scalars(
                select(TackleFlagRow.question_id).where(
                    TackleFlagRow.assessment_id == assessment_id
                )
            )
        )
        taken = set(
            session.scalars(
                select(ActionRow.question_id).where(
                    ActionRow.organisation_id == row.organisation_id,
                    ActionRow.question_id.is_not(None),
                    *_listed_in(row.year),
                )
            )
        )
        framework_id = row.framework
        versions = catalogue.parts_of(store.catalogue, row)
    if passport is None:
        from app.services.passports import get_passport  # noqa: PLC0415 (avoids a cycle)

        passport = get_passport(store, principal, assessment_id).passport
    questionnaire = effective_framework(*versions)
    order = list(questionnaire.questions)
    found: list[Proposal] = propose(
        passport.improvement_plan, flagged, taken=taken, framework=framework_id, order=order
    )
    known = schemes()
    result = []
    for proposal in found:
        fw = (
            questionnaire
            if proposal.framework == framework_id
            else passport_models(store.catalogue, passport)[0].get(proposal.framework)
        )
        question = fw.questions.get(proposal.question) if fw is not None else None
        topic = _topic_of(fw, proposal.question) if fw is not None else None
        matching = known.matching(question, topic) if question is not None else []
        result.append(
            ProposedAction(
                framework=proposal.framework,
                question_id=proposal.question,
                topic=topic.id if topic is not None else None,
                gain=proposal.gain,
                flagged=proposal.flagged,
                schemes=tuple(s.id for s in matching),
            )
        )
    return result


def _topic_of(framework: Any, question_id: str) -> Any:
    topic_id = framework.topic_of_question.get(question_id)
    return framework.topics.get(topic_id) if topic_id is not None else None
