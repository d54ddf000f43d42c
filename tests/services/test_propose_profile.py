"""The NACE-BEL -> proposed sector profile rule: the profile with the longest matching NACE code
prefix wins; dots and spaces in the input do not matter; no match proposes nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.services.organisations import propose_profile


def _catalogue(**profiles: list[str]):
    return SimpleNamespace(
        profiles={
            pid: SimpleNamespace(id=pid, nace=SimpleNamespace(codes=codes))
            for pid, codes in profiles.items()
        }
    )


CATALOGUE = _catalogue(
    bouw=["41", "42", "43"],
    sloop=["43.110"],
    voeding=["10", "11"],
    retail=["47"],
    ict=["62", "63.1"],
)


def test_an_exact_nace_class_should_beat_its_division():
    assert propose_profile(CATALOGUE, "43.110") == "sloop"


def test_a_code_under_a_listed_division_should_get_that_divisions_profile():
    assert propose_profile(CATALOGUE, "41.001") == "bouw"
    assert propose_profile(CATALOGUE, "43.120") == "bouw"
    assert propose_profile(CATALOGUE, "10") == "voeding"


def test_a_group_prefix_should_match_only_codes_under_it():
    assert propose_profile(CATALOGUE, "63.110") == "ict"
    assert propose_profile(CATALOGUE, "63.910") is None


@pytest.mark.parametrize("code", ["01.110", "99", "4", "", "   ", None])
def test_no_matching_profile_should_propose_nothing(code):
    assert propose_profile(CATALOGUE, code) is None


@pytest.mark.parametrize("code", ["43.110", "43110", " 43.110 ", "43 110", "4 3.1 1 0", "43.11.0"])
def test_dots_and_spaces_in_the_input_should_not_matter(code):
    assert propose_profile(CATALOGUE, code) == "sloop"


def test_a_tie_should_go_to_the_first_profile_id_whatever_the_catalogue_order():
    forward = _catalogue(beta=["47"], alfa=["47"])
    backward = _catalogue(alfa=["47"], beta=["47"])
    assert propose_profile(forward, "47.111") == propose_profile(backward, "47.111") == "alfa"


def test_the_shipped_catalogue_should_propose_its_sector_profiles():
    from frameworks.loader import load_catalogue

    catalogue = load_catalogue()
    assert propose_profile(catalogue, "41.001") == "bouw"
    assert propose_profile(catalogue, "88.101") == "sociale_economie"
    assert propose_profile(catalogue, "88.20") is None
