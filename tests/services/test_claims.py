"""Claims on an organisation that already holds data: a registration for the KBO number of an
organisation a federation imported sees nothing of it until a federation of that sector or an
admin approves; a rejected or foreign claim never gets access; a registration for the KBO
number of an organisation with an account of its own is refused and creates nothing (issue
11). SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.kbo import display, make_number
from app.services import assessments, auth, claims, organisations
from app.services.errors import AccessDenied, ConflictError, InvalidInput
from app.services.principal import SYSTEM
from app.store.models import AuditRow, OrganisationClaimRow, OrganisationRow, UserRow

from .helpers import PROFILE, organisation, principal

YEAR = 2026


def _imported(store, n: int = 7):
    """An organisation a federation imported: no account of its own, answers filled in."""
    org = organisations.register_organisation(
        store, SYSTEM, kbo=make_number(6000000 + n), name=f"Concurrent {n}", profile=PROFILE, fte=20
    )
    view = assessments.start_assessment(store, SYSTEM, org.id, YEAR)
    assessments.save_answer(store, SYSTEM, view.id, "safety_policy", 3, expected_version=0)
    return org, view.id


def _newcomer(store, email: str = "nieuw@example.be"):
    return auth.sign_up(store, email, "een-lang-wachtwoord")


def _register(store, newcomer, kbo: str):
    return organisations.register_or_claim(
        store, newcomer, kbo=kbo, name="Wij zijn het echt", profile=PROFILE, fte=3
    )


def _sees_nothing(store, user_id: int, org_id: int, assessment_id: int) -> None:
    fresh = auth.get_principal(store, user_id)
    assert fresh.organisation_id is None
    assert organisations.my_organisation(store, fresh) is None
    with pytest.raises(AccessDenied):
        assessments.get_assessment(store, fresh, assessment_id)
    with pytest.raises(AccessDenied):
        organisations.get_organisation(store, fresh, org_id)
    assert assessments.list_assessments(store, fresh) == []


def test_a_registration_of_an_imported_kbo_should_see_nothing_until_approved(store):
    org, assessment_id = _imported(store)
    newcomer = _newcomer(store)
    registration = _register(store, newcomer, org.kbo)
    assert registration.organisation is None and registration.claim_id is not None
    _sees_nothing(store, newcomer.user_id, org.id, assessment_id)
    # the federation of that sector approves: from then on the newcomer sees the answers
    federation = principal(store, "federation", "fed@example.be", [PROFILE])
    [waiting] = claims.pending_claims(store, federation)
    assert (waiting.kbo, waiting.claimant_email) == (org.kbo, "nieuw@example.be")
    claims.decide_claim(store, federation, waiting.id, approve=True)
    fresh = auth.get_principal(store, newcomer.user_id)
    assert fresh.organisation_id == org.id
    seen = assessments.get_assessment(store, fresh, assessment_id)
    assert seen.answers["safety_policy"].value == 3
    assert claims.pending_claims(store, federation) == []


def test_the_registration_should_not_change_the_existing_organisation(store):
    org, _ = _imported(store)
    _register(store, _newcomer(store), org.kbo)
    again = organisations.get_organisation(store, SYSTEM, org.id)
    assert (again.name, again.fte) == (org.name, org.fte)


def test_a_rejected_claim_should_never_see_the_data(store):
    org, assessment_id = _imported(store)
    newcomer = _newcomer(store)
    claim_id = _register(store, newcomer, org.kbo).claim_id
    admin = principal(store, "admin", "admin@example.be")
    assert claims.decide_claim(store, admin, claim_id, approve=False).status == claims.REJECTED
    _sees_nothing(store, newcomer.user_id, org.id, assessment_id)
    with pytest.raises(ConflictError):
        claims.decide_claim(store, admin, claim_id, approve=True)  # decided once


def test_a_federation_should_not_see_or_decide_a_claim_outside_its_sector(store):
    org = organisations.register_organisation(
        store, SYSTEM, kbo=make_number(6000009), name="Zonder sector", profile=None
    )
    claim_id = _register(store, _newcomer(store), org.kbo).claim_id
    other = principal(store, "federation", "other@example.be", [PROFILE])
    assert claims.pending_claims(store, other) == []
    with pytest.raises(AccessDenied):
        claims.decide_claim(store, other, claim_id, approve=True)


def test_a_claim_on_an_organisation_with_its_own_account_by_now_should_be_for_an_admin(store):
    """Two newcomers claim an imported organisation; once the federation approved the first,
    the organisation has an account of its own: the second claim is the admin's to decide."""
    org, assessment_id = _imported(store)
    first, second = _newcomer(store), _newcomer(store, "tweede@example.be")
    first_claim = _register(store, first, org.kbo).claim_id
    second_claim = _register(store, second, org.kbo).claim_id
    federation = principal(store, "federation", "fed@example.be", [PROFILE])
    claims.decide_claim(store, federation, first_claim, approve=True)
    _sees_nothing(store, second.user_id, org.id, assessment_id)
    assert claims.pending_claims(store, federation) == []
    with pytest.raises(AccessDenied):
        claims.decide_claim(store, federation, second_claim, approve=True)
    admin = principal(store, "admin", "admin@example.be")
    [waiting] = claims.pending_claims(store, admin)
    assert waiting.id == second_claim and waiting.has_own_account
    claims.decide_claim(store, admin, second_claim, approve=True)
    assert auth.get_principal(store, second.user_id).organisation_id == org.id


def _counts(store) -> tuple[int, int, int, int]:
    with store.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (UserRow, OrganisationRow, OrganisationClaimRow, AuditRow)
        )


SIGN_UP = {"name": "Wij zijn het echt", "profile": PROFILE, "fte": 3}


def test_signing_up_with_the_kbo_of_an_organisation_with_its_own_account_should_create_nothing(
    store,
):
    """Issue 11: a colleague registered the KBO number: refused at validation, nothing
    written, and the message says who gives access."""
    org, _member = organisation(store, 3)
    before = _counts(store)
    with pytest.raises(InvalidInput) as refused:
        organisations.sign_up_with_organisation(
            store, "nieuw@example.be", "een-lang-wachtwoord", kbo=org.kbo, **SIGN_UP
        )
    assert refused.value.field == "kbo"
    assert refused.value.message.id == "kbo-registered-by-a-colleague"
    assert display(org.kbo) in refused.value.render("nl")
    assert "collega" in refused.value.render("nl") and "beheerder" in refused.value.render("nl")
    assert "colleague" in refused.value.render("en")
    assert "administrator" in refused.value.render("en")
    assert _counts(store) == before  # no user, organisation, claim or audit entry
    with pytest.raises(InvalidInput):
        organisations.check_registration_kbo(store, org.kbo)


def test_signing_up_with_the_kbo_of_an_imported_organisation_should_record_a_claim(store):
    org, assessment_id = _imported(store)
    assert organisations.check_registration_kbo(store, org.kbo).claim
    users, orgs, claim_rows, _ = _counts(store)
    newcomer, registration = organisations.sign_up_with_organisation(
        store, "nieuw@example.be", "een-lang-wachtwoord", kbo=org.kbo, **SIGN_UP
    )
    assert registration.organisation is None and registration.claim_id is not None
    assert _counts(store)[:3] == (users + 1, orgs, claim_rows + 1)
    _sees_nothing(store, newcomer.user_id, org.id, assessment_id)


def test_a_new_kbo_number_should_be_registrable_without_a_claim(store):
    checked = organisations.check_registration_kbo(store, "BE 0403.019.261")
    assert (checked.number, checked.claim) == ("0403019261", False)


def test_a_signed_in_newcomer_registering_a_kbo_with_its_own_account_should_claim_nothing(
    store,
):
    org, _member = organisation(store, 3)
    newcomer = _newcomer(store)
    before = _counts(store)
    with pytest.raises(InvalidInput) as refused:
        _register(store, newcomer, org.kbo)
    assert refused.value.field == "kbo"
    assert _counts(store) == before
    assert claims.my_claims(store, newcomer) == []


def test_an_sme_should_not_decide_claims(store):
    org, _ = _imported(store)
    claim_id = _register(store, _newcomer(store), org.kbo).claim_id
    _org, sme = organisation(store, 4)
    with pytest.raises(AccessDenied):
        claims.pending_claims(store, sme)
    with pytest.raises(AccessDenied):
        claims.decide_claim(store, sme, claim_id, approve=True)


def test_a_new_kbo_number_should_register_and_link_at_once(store):
    newcomer = _newcomer(store)
    registration = _register(store, newcomer, make_number(6100001))
    assert registration.claim_id is None and registration.organisation is not None
    fresh = auth.get_principal(store, newcomer.user_id)
    assert fresh.organisation_id == registration.organisation.id
    assert claims.my_claims(store, fresh) == []


def test_claiming_twice_should_keep_one_claim(store):
    org, _ = _imported(store)
    newcomer = _newcomer(store)
    first = _register(store, newcomer, org.kbo).claim_id
    assert _register(store, newcomer, org.kbo).claim_id == first
    assert [c.id for c in claims.my_claims(store, newcomer)] == [first]
