"""Passports and benchmarks from the store: snapshot-based passports with last year's change,
S9 peer groups (size class, widened to the sector below k, nothing below k), drafts placed
but never counted, and the federation view naming only consenting members (S10)."""

from __future__ import annotations

import pytest

from app.services import assessments, disclosure, passports

from .helpers import PROFILE, organisation, principal

YEAR = 2025


def submitted(store, n, *, maturity=3, fte=12.0, consent=False, year=YEAR):
    org, sme = organisation(store, n, fte=fte, consent=consent)
    started = assessments.start_assessment(store, sme, org.id, year)
    assessments.save_answer(store, sme, started.id, "safety_policy", maturity, expected_version=0)
    assessments.submit(store, sme, started.id)
    return org, sme, started.id


def test_benchmark_should_use_the_size_class_when_it_has_k_members(store):
    ids = [submitted(store, n, maturity=n % 5)[2] for n in range(1, 7)]  # six small ones
    dep = principal(store, "department", "dep@example.be")
    result = passports.get_benchmark(store, dep, ids[0])
    assert result.group.scope == "size_class" and result.group.size_class == "small"
    assert result.group.n == 6 and result.overall.n == 6
    assert 0 <= result.percentile_rank <= 100


def test_benchmark_should_widen_to_the_sector_and_then_show_nothing(store):
    ids = [submitted(store, n, fte=5 if n < 3 else 100)[2] for n in range(1, 6)]
    dep = principal(store, "department", "dep@example.be")
    widened = passports.get_benchmark(store, dep, ids[0])
    assert widened.group.scope == "sector" and widened.group.n == 5
    few = [submitted(store, n, year=YEAR - 1)[2] for n in range(10, 13)]
    nothing = passports.get_benchmark(store, dep, few[0])
    assert nothing.group.scope == "none" and nothing.overall is None


def test_draft_should_be_placed_among_its_peers_but_not_counted(store):
    for n in range(1, 6):
        submitted(store, n)
    org, sme = organisation(store, 20)
    draft = assessments.start_assessment(store, sme, org.id, YEAR)
    assessments.save_answer(store, sme, draft.id, "safety_policy", 4, expected_version=0)
    result = passports.get_benchmark(store, sme, draft.id)
    assert result.group.n == 5 and result.percentile_rank is None  # S9: a draft gets a band
    assert result.band == "above_p75"


def test_benchmark_should_be_refused_to_outsiders(store):
    _org, _sme, own_id = submitted(store, 1)
    _other, other_sme = organisation(store, 2)
    from app.services.errors import AccessDenied

    with pytest.raises(AccessDenied):
        passports.get_benchmark(store, other_sme, own_id)


def test_passport_should_show_the_change_against_last_year(store):
    org, sme, first = submitted(store, 1, maturity=1, year=YEAR - 1)
    second = assessments.start_assessment(store, sme, org.id, YEAR)
    assert second.answer_values() == {"safety_policy": 1}  # pre-filled
    assessments.save_answer(store, sme, second.id, "safety_policy", 4, expected_version=1)
    assessments.submit(store, sme, second.id)
    view = passports.get_passport(store, sme, second.id)
    assert view.passport.change.previous_year == YEAR - 1
    assert view.passport.change.overall_delta > 0
    assert view.passport.overall == pytest.approx(
        passports.get_passport(store, sme, second.id).passport.overall
    )


def test_draft_passport_should_be_live_and_concept_while_required_open(store):
    org, sme = organisation(store, 1)
    draft = assessments.start_assessment(store, sme, org.id, YEAR)
    assessments.save_answer(store, sme, draft.id, "training_plan", "written", expected_version=0)
    view = passports.get_passport(store, sme, draft.id)
    assert view.status == "draft" and view.passport.level == "concept"


def test_federation_view_should_name_only_consenting_members(store):
    """S10: the sector release names only consenting members; the others are a count."""
    for n in range(1, 7):
        submitted(store, n, consent=n <= 2)
    fed = principal(store, "federation", "fed@example.be", [PROFILE])
    release = disclosure.sector_release(store, fed, PROFILE, YEAR)
    assert release.selection.n == 6
    assert [m.organisation for m in release.members] == ["Organisatie 1", "Organisatie 2"]
    assert release.anonymous == 4
    assert "Organisatie 3" not in repr(release)
