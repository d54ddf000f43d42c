"""Claims on an organisation that already holds data: a registration for its KBO number sees
nothing of it until a federation of that sector (for an organisation without own account) or
an admin approves; a rejected or foreign claim never gets access. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from app.kbo import make_number
from app.services import assessments, auth, claims, organisations
from app.services.errors import AccessDenied, ConflictError
from app.services.principal import SYSTEM

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


def test_a_claim_on_an_organisation_with_its_own_account_should_be_for_an_admin(store):
    """The earlier account's data: the federation may not let a stranger in; the admin may."""
    org, member = organisation(store, 3, consent=False)
    view = assessments.start_assessment(store, member, org.id, YEAR)
    newcomer = _newcomer(store)
    claim_id = _register(store, newcomer, org.kbo).claim_id
    _sees_nothing(store, newcomer.user_id, org.id, view.id)
    federation = principal(store, "federation", "fed@example.be", [PROFILE])
    assert claims.pending_claims(store, federation) == []
    with pytest.raises(AccessDenied):
        claims.decide_claim(store, federation, claim_id, approve=True)
    admin = principal(store, "admin", "admin@example.be")
    [waiting] = claims.pending_claims(store, admin)
    assert waiting.has_own_account
    claims.decide_claim(store, admin, claim_id, approve=True)
    assert auth.get_principal(store, newcomer.user_id).organisation_id == org.id


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
