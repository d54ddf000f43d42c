"""Access rules, each checked in the service layer: an SME reaches only its own organisation
(also when guessing ids), a federation only its sector profiles and names only of consenting
members (S10), the department everything read-only, the admin manages users."""

from __future__ import annotations

import pytest

from app.services import (
    assessments,
    department,
    disclosure,
    federation,
    organisations,
    passports,
)
from app.services.errors import AccessDenied
from app.services.principal import SYSTEM

from .helpers import PROFILE, organisation, principal

YEAR = 2025


def _submitted(store, org, sme):
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    assessments.save_answer(store, sme, started.id, "safety_policy", 3, expected_version=0)
    assessments.submit(store, sme, started.id)
    return started.id


@pytest.fixture()
def world(store):
    """Two SMEs of the example sector (one consenting), a federation of the sector, a
    federation of another sector, the department and an admin."""
    own, own_sme = organisation(store, 1)
    other, other_sme = organisation(store, 2, consent=True)
    hidden, hidden_sme = organisation(store, 3, consent=False)
    return {
        "own": own,
        "own_sme": own_sme,
        "own_id": _submitted(store, own, own_sme),
        "other": other,
        "other_id": _submitted(store, other, other_sme),
        "hidden": hidden,
        "hidden_id": _submitted(store, hidden, hidden_sme),
        "federation": principal(store, "federation", "fed@example.be", [PROFILE]),
        "department": principal(store, "department", "dep@example.be"),
        "admin": principal(store, "admin", "admin@example.be"),
    }


def test_sme_should_reach_its_own_organisation_and_assessment(store, world):
    sme = world["own_sme"]
    assert organisations.get_organisation(store, sme, world["own"].id).name == "Organisatie 1"
    assert (
        assessments.get_assessment(store, sme, world["own_id"]).organisation_id == world["own"].id
    )
    assert passports.get_passport(store, sme, world["own_id"]).passport.overall is not None


def test_sme_guessing_another_assessment_id_should_be_denied(store, world):
    sme = world["own_sme"]
    for guessed in (world["other_id"], world["hidden_id"], 9999):
        with pytest.raises(AccessDenied):
            assessments.get_assessment(store, sme, guessed)
        with pytest.raises(AccessDenied):
            passports.get_passport(store, sme, guessed)
        with pytest.raises(AccessDenied):
            assessments.save_answer(store, sme, guessed, "safety_policy", 1, expected_version=0)
        with pytest.raises(AccessDenied):
            assessments.history(store, sme, guessed)


def test_sme_should_not_reach_another_organisation_or_start_its_assessment(store, world):
    sme = world["own_sme"]
    with pytest.raises(AccessDenied):
        organisations.get_organisation(store, sme, world["other"].id)
    with pytest.raises(AccessDenied):
        assessments.start_assessment(store, sme, world["other"].id, YEAR + 1)
    with pytest.raises(AccessDenied):
        assessments.list_assessments(store, sme, organisation_id=world["other"].id)
    with pytest.raises(AccessDenied):
        organisations.update_organisation(store, sme, world["other"].id, name="Overgenomen")
    listed = assessments.list_assessments(store, sme)
    assert {a.organisation_id for a in listed} == {world["own"].id}


def test_sme_should_not_read_federation_or_department_views(store, world):
    sme = world["own_sme"]
    with pytest.raises(AccessDenied):
        disclosure.sector_release(store, sme, PROFILE, YEAR)
    with pytest.raises(AccessDenied):
        department.overview(store, sme)


def test_federation_should_see_names_only_of_consenting_members(store, world):
    """S10: only the consenting member is a row; the others only a count (3 < k: withheld)."""
    fed = world["federation"]
    release = disclosure.sector_release(store, fed, PROFILE, YEAR)
    assert release.members == () and release.anonymous is None  # 3 submitted, k = 5
    assert release.participation.submitted is None  # S9: no count below k either
    hidden = organisations.get_organisation(store, fed, world["hidden"].id)
    assert (hidden.name, hidden.kbo, hidden.fte, hidden.municipality) == (None,) * 4


def test_federation_should_read_passports_of_consenting_members_only(store, world):
    fed = world["federation"]
    assert passports.get_passport(store, fed, world["other_id"]).passport is not None
    with pytest.raises(AccessDenied):
        passports.get_passport(store, fed, world["hidden_id"])


def test_federation_should_not_write_answers(store, world):
    with pytest.raises(AccessDenied):
        assessments.save_answer(
            store, world["federation"], world["other_id"], "safety_policy", 1, expected_version=1
        )


def test_federation_should_reach_only_its_own_sectors(store, world):
    fed = world["federation"]
    outside_org = organisations.register_organisation(
        store, SYSTEM, kbo="0440966354", name="Elders", profile=None, consent_named=True
    )
    with pytest.raises(AccessDenied):
        organisations.get_organisation(store, fed, outside_org.id)
    with pytest.raises(AccessDenied):
        disclosure.sector_release(store, fed, "voeding", YEAR)
    with pytest.raises(AccessDenied):
        federation.participation(store, fed, "voeding", YEAR)
    with pytest.raises(AccessDenied):
        assessments.list_assessments(store, fed, profile="voeding")
    assert federation.sectors_of(fed, store) == [PROFILE]
    assert {a.profile for a in assessments.list_assessments(store, fed)} == {PROFILE}


def test_federation_should_list_only_assessments_of_consenting_members(store, world):
    """S10: a federation's list of assessments holds the consenting member only; the ids and
    statuses of the others would be member-level rows (and counts below k)."""
    listed = {a.id for a in assessments.list_assessments(store, world["federation"])}
    assert listed == {world["other_id"]}


def test_department_should_read_everything(store, world):
    dep = world["department"]
    for key in ("own_id", "other_id", "hidden_id"):
        assert passports.get_passport(store, dep, world[key]).passport is not None
    assert organisations.get_organisation(store, dep, world["hidden"].id).name == "Organisatie 3"
    assert len(department.submitted_passports(store, dep, YEAR)) == 3


def test_department_should_not_change_anything_but_reopen(store, world):
    dep = world["department"]
    with pytest.raises(AccessDenied):
        assessments.save_answer(store, dep, world["own_id"], "safety_policy", 1, expected_version=1)
    with pytest.raises(AccessDenied):
        assessments.start_assessment(store, dep, world["own"].id, YEAR + 1)
    with pytest.raises(AccessDenied):
        assessments.submit(store, dep, world["own_id"])
    with pytest.raises(AccessDenied):
        organisations.update_organisation(store, dep, world["own"].id, name="X")
    with pytest.raises(AccessDenied):
        organisations.register_organisation(store, dep, kbo="0440966354", name="X")
    reopened = assessments.reopen(store, dep, world["own_id"], "fout in energiecijfer")
    assert reopened.status == "draft"


def test_only_department_and_admin_should_reopen(store, world):
    for who in ("own_sme", "federation"):
        with pytest.raises(AccessDenied):
            assessments.reopen(store, world[who], world["own_id"], "reden")
    assert assessments.reopen(store, world["admin"], world["own_id"], "reden").status == "draft"


def test_anonymised_rows_should_carry_no_names_or_kbo(store, world):
    rows = department.anonymised_rows(store, world["department"], YEAR)
    assert len(rows) == 3
    flat = repr(rows)
    for n in (1, 2, 3):
        assert f"Organisatie {n}" not in flat
    for org in (world["own"], world["other"], world["hidden"]):
        assert org.kbo not in flat
