"""Fixtures for the export tests (factories live in ``export_helpers``)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from export_helpers import (
    ARTIFACTS,
    example_framework,
    example_profile,
    make_passport,
    random_answers,
)

from frameworks.models import Framework, SectorProfile
from scoring.models import Organisation, Passport


@pytest.fixture(scope="session")
def framework() -> Framework:
    return example_framework()


@pytest.fixture(scope="session")
def profile() -> SectorProfile:
    return example_profile()


@pytest.fixture()
def passport(framework, profile) -> Passport:
    org = Organisation(name="Łódź Çelik Ürün bv", kbo="0403170701", fte=23, nace="41.001")
    return make_passport(framework, profile, random_answers(random.Random(7)), org)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
