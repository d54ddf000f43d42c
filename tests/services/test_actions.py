"""The action plan (issue #13 item 9): actions with owner, deadline, status, cost and support
scheme, written only by the organisation's own SME users, read by them and the department,
never by a federation (raw data); audited; carried over to later years until done; and the
"ik wil dit aanpakken" flags that put up to three questions first among the proposals (S7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.services import actions, assessments, passports
from app.services.errors import AccessDenied, InvalidInput
from app.services.messages import message
from app.store.models import AuditRow

from .helpers import PROFILE, organisation, principal

YEAR = 2025


def _action(store, sme, org, **changes):
    values = {
        "year": YEAR,
        "title": "Risicoanalyse maken",
        "owner": "Preventieadviseur An",
        "deadline": date(2025, 12, 31),
    }
    values.update(changes)
    return actions.create_action(store, sme, org.id, **values)


def test_sme_should_create_list_update_and_delete_its_actions_with_an_audit_trail(store):
    org, sme = organisation(store, 1)
    made = _action(
        store,
        sme,
        org,
        framework="example",
        question_id="safety_policy",
        cost="1.250,50",
        scheme="werkbaarheidscheque",
    )
    assert (made.status, made.cost, made.scheme) == (
        "planned",
        Decimal("1250.50"),
        "werkbaarheidscheque",
    )
    own = _action(store, sme, org, title="  Fietsleasing bekijken  ", deadline="2025-06-30")
    assert own.title == "Fietsleasing bekijken" and own.question_id is None

    listed = actions.list_actions(store, sme, org.id, YEAR)
    assert [a.id for a in listed] == [own.id, made.id]  # by deadline

    changed = actions.update_action(
        store, sme, made.id, status="in_progress", owner="Jan (zaakvoerder)", cost=None
    )
    assert (changed.status, changed.owner, changed.cost) == (
        "in_progress",
        "Jan (zaakvoerder)",
        None,
    )
    actions.delete_action(store, sme, own.id)
    assert [a.id for a in actions.list_actions(store, sme, org.id, YEAR)] == [made.id]

    with store.read() as session:
        trail = session.execute(
            select(AuditRow.action, AuditRow.entity_id, AuditRow.field, AuditRow.actor)
            .where(AuditRow.entity == "action")
            .order_by(AuditRow.id)
        ).all()
    assert [tuple(t) for t in trail] == [
        ("create", made.id, None, "kmo1@example.be"),
        ("create", own.id, None, "kmo1@example.be"),
        ("update", made.id, "owner", "kmo1@example.be"),
        ("update", made.id, "status", "kmo1@example.be"),
        ("update", made.id, "cost_cents", "kmo1@example.be"),
        ("delete", own.id, None, "kmo1@example.be"),
    ]


def test_federation_should_neither_read_nor_write_actions_even_of_a_consenting_member(store):
    org, sme = organisation(store, 1, consent=True)
    made = _action(store, sme, org)
    federation = principal(store, "federation", "fed@example.be", [PROFILE])
    with pytest.raises(AccessDenied):
        actions.list_actions(store, federation, org.id, YEAR)
    with pytest.raises(AccessDenied):
        _action(store, federation, org)
    with pytest.raises(AccessDenied):
        actions.update_action(store, federation, made.id, status="done")
    with pytest.raises(AccessDenied):
        actions.delete_action(store, federation, made.id)
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    with pytest.raises(AccessDenied):
        actions.tackle_flags(store, federation, started.id)
    with pytest.raises(AccessDenied):
        actions.proposals(store, federation, started.id)


def test_another_sme_should_be_refused_and_the_department_should_only_read(store):
    org, sme = organisation(store, 1)
    other_org, other = organisation(store, 2)
    made = _action(store, sme, org)
    for attempt in (
        lambda: actions.list_actions(store, other, org.id, YEAR),
        lambda: _action(store, other, org),
        lambda: actions.update_action(store, other, made.id, title="gekaapt"),
        lambda: actions.delete_action(store, other, made.id),
        lambda: actions.update_action(store, other, 999_999, title="geraden"),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    department = principal(store, "department", "dep@example.be")
    assert [a.id for a in actions.list_actions(store, department, org.id, YEAR)] == [made.id]
    with pytest.raises(AccessDenied):
        actions.update_action(store, department, made.id, status="done")
    assert actions.list_actions(store, sme, org.id, YEAR)[0].title == "Risicoanalyse maken"


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"title": "   "}, "title", message("action-title-required", max=300)),
        ({"owner": ""}, "owner", message("action-owner-required", max=200)),
        (
            {"deadline": "31/12/2025"},
            "deadline",
            message("action-deadline-invalid", value="31/12/2025"),
        ),
        (
            {"status": "busy"},
            "status",
            message("action-status-invalid", value="busy", known="planned, in_progress, done"),
        ),
        ({"cost": -5}, "cost", message("action-cost-invalid", value=-5)),
        ({"cost": "12,345"}, "cost", message("action-cost-invalid", value="12,345")),
        (
            {"scheme": "gratis_geld"},
            "scheme",
            message(
                "action-scheme-unknown",
                value="gratis_geld",
                known="kmo_portefeuille, ecologiepremie_plus, werkbaarheidscheque",
            ),
        ),
        (
            {"framework": "example", "question_id": "nope"},
            "question",
            message("action-question-unknown", value="nope"),
        ),
    ],
)
def test_bad_input_should_be_refused_naming_the_field_and_nothing_stored(
    store, changes, field, expected
):
    org, sme = organisation(store, 1)
    with pytest.raises(InvalidInput) as refused:
        _action(store, sme, org, **changes)
    assert refused.value.field == field
    assert refused.value.render("en") == expected.render("en")
    assert actions.list_actions(store, sme, org.id, YEAR) == []


def test_an_action_not_done_should_carry_over_and_a_done_one_stop_after_its_year(store):
    org, sme = organisation(store, 1)
    open_one = _action(store, sme, org, title="Opleidingsplan", status="in_progress")
    finished = _action(store, sme, org, title="Energiescan")
    actions.update_action(store, sme, finished.id, status="done", in_year=YEAR)

    next_year = actions.list_actions(store, sme, org.id, YEAR + 1)
    assert [(a.title, a.status, a.carried_from) for a in next_year] == [
        ("Opleidingsplan", "in_progress", YEAR)
    ]
    # done in the next year: listed in both years, not in the one after
    actions.update_action(store, sme, open_one.id, status="done", in_year=YEAR + 1)
    assert [a.status for a in actions.list_actions(store, sme, org.id, YEAR + 1)] == ["done"]
    assert {a.title for a in actions.list_actions(store, sme, org.id, YEAR)} == {
        "Opleidingsplan",
        "Energiescan",
    }
    assert actions.list_actions(store, sme, org.id, YEAR + 2) == []
    # back to planned: it carries over again
    actions.update_action(store, sme, open_one.id, status="planned", in_year=YEAR + 2)
    assert [a.title for a in actions.list_actions(store, sme, org.id, YEAR + 2)] == [
        "Opleidingsplan"
    ]


def test_flagged_questions_should_be_the_first_three_proposals_ranked_by_gain(store):
    org, sme = organisation(store, 1)
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    plan = passports.get_passport(store, sme, started.id).passport.improvement_plan
    by_gain = [step.question for step in plan]
    assert len(by_gain) >= 5
    flagged = [by_gain[4], by_gain[1], by_gain[3], by_gain[2]]  # four flags, not in plan order
    for question_id in flagged:
        actions.set_tackle_flag(store, sme, started.id, question_id, True)
    assert actions.tackle_flags(store, sme, started.id) == frozenset(flagged)

    proposed = actions.proposals(store, sme, started.id)
    assert [p.question_id for p in proposed[:3]] == [by_gain[1], by_gain[2], by_gain[3]]
    assert all(p.flagged for p in proposed[:3])
    assert [p.question_id for p in proposed[3:]] == [by_gain[0], by_gain[4], *by_gain[5:]]
    assert proposed[3].flagged is False and proposed[4].flagged is True

    # a question with an action is no longer proposed; an unflagged one drops back to its rank
    _action(store, sme, org, framework="example", question_id=by_gain[1])
    actions.set_tackle_flag(store, sme, started.id, by_gain[2], False)
    again = [p.question_id for p in actions.proposals(store, sme, started.id)]
    assert again[:3] == [by_gain[3], by_gain[4], by_gain[0]]
    assert by_gain[1] not in again


def test_proposals_should_name_the_matching_support_schemes(store):
    org, sme = organisation(store, 1)
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    schemes = {p.question_id: p.schemes for p in actions.proposals(store, sme, started.id)}
    assert schemes["safety_policy"] == ("werkbaarheidscheque",)  # topic clause 6.4.6
    assert schemes["training_plan"] == ("kmo_portefeuille",)  # 6.4.7
    assert schemes["sector_charter"] == ()


def test_flags_should_be_written_only_by_the_organisation_itself(store):
    org, sme = organisation(store, 1)
    _other_org, other = organisation(store, 2)
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    with pytest.raises(AccessDenied):
        actions.set_tackle_flag(store, other, started.id, "safety_policy", True)
    with pytest.raises(InvalidInput):
        actions.set_tackle_flag(store, sme, started.id, "not_a_question", True)
    assert actions.tackle_flags(store, sme, started.id) == frozenset()


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("2.400", 240000), ("1.250,50", 125050), ("1,250.50", 125050), ("€ 12,5", 1250), (0, 0)],
)
def test_a_cost_should_be_read_in_flemish_and_plain_notation(store, typed, cents):
    org, sme = organisation(store, 1)
    assert _action(store, sme, org, cost=typed).cost_cents == cents
