"""Support of the app tests: a fresh SQLite database seeded through the services.

The catalogue is the shipped one plus the example framework and sector profile of
``tests/fixtures`` (through ``MVO_FRAMEWORKS_DIR``), so that the tests do not depend on the
shipped content while it grows. Seeded: one SME organisation (``kmo@demo.be``) with a draft,
``PEERS`` peer organisations of the example sector with submitted assessments (enough for a
benchmark, k = 5), a federation, a department and an admin account; password ``demo``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "app" / "main.py"
PASSWORD = "demo"
PEERS = 6
YEAR = 2025


@dataclass
class Seeded:
    """What the seed created: the store and ids the tests look up."""

    store: object
    sme_org_id: int
    sme_kbo: str
    sme_name: str


def _reset_caches() -> None:
    import streamlit as st

    from frameworks.loader import shipped_catalogue

    shipped_catalogue.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


def seed(store, peers: int = PEERS) -> Seeded:
    """Organisations, accounts and assessments for the app tests (all through the services)."""
    from app.kbo import make_number
    from app.services import assessments, auth, organisations
    from app.services.principal import SYSTEM

    sme_kbo = make_number(4030192)
    sme_name = "Bouw & Zonen <bv>"
    org = organisations.register_organisation(
        store,
        SYSTEM,
        kbo=sme_kbo,
        name=sme_name,
        profile="example_sector",
        nace="41.001",
        fte=12,
        municipality="Gent",
        consent_named=True,
    )
    auth.create_user(
        store, SYSTEM, "kmo@demo.be", "sme", password=PASSWORD, organisation_kbo=sme_kbo
    )
    auth.create_user(
        store,
        SYSTEM,
        "federatie@demo.be",
        "federation",
        password=PASSWORD,
        sectors=["example_sector"],
    )
    auth.create_user(store, SYSTEM, "departement@demo.be", "department", password=PASSWORD)
    auth.create_user(store, SYSTEM, "admin@demo.be", "admin", password=PASSWORD)
    for number in range(peers):
        kbo = make_number(5000000 + number)
        peer = organisations.register_organisation(
            store,
            SYSTEM,
            kbo=kbo,
            name=f"Peer {number}",
            profile="example_sector",
            fte=5 + 10 * number,
            municipality="Brugge",
            consent_named=number % 2 == 0,
        )
        for year in (YEAR - 1, YEAR):
            view = assessments.start_assessment(store, SYSTEM, peer.id, year)
            answers = {
                "safety_policy": (number + year) % 5,
                "has_prevention_advisor": number % 2 == 0,
                "training_plan": ["none", "informal", "written"][number % 3],
                "energy_mwh": 10.0 * (number + 1),
                "sector_charter": number % 3 == 0,
            }
            for question, value in answers.items():
                assessments.save_answer(
                    store,
                    SYSTEM,
                    view.id,
                    question,
                    value,
                    expected_version=view.answer_version(question),
                )
            assessments.submit(store, SYSTEM, view.id)
    return Seeded(store=store, sme_org_id=org.id, sme_kbo=sme_kbo, sme_name=sme_name)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> tuple[Path, dict]:
    """One seeded database file per test session; each test gets its own copy."""
    from app.store.db import Store

    folder = tmp_path_factory.mktemp("app-template")
    path = folder / "template.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MVO_FRAMEWORKS_DIR", str(ROOT / "tests" / "fixtures"))
        _reset_caches()
        store = Store(f"sqlite:///{path}")
        result = seed(store)
        with store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        store.dispose()
    _reset_caches()
    ids = {"sme_org_id": result.sme_org_id, "sme_kbo": result.sme_kbo, "sme_name": result.sme_name}
    return path, ids


@pytest.fixture()
def seeded(seeded_template, tmp_path, monkeypatch) -> Seeded:
    """A fresh copy of the seeded database that the app under test reads via
    ``MVO_DATABASE_URL`` (with the example framework and profile in the catalogue)."""
    import shutil

    from app.store.db import Store

    template, ids = seeded_template
    path = tmp_path / "app.sqlite"
    shutil.copyfile(template, path)
    monkeypatch.setenv("MVO_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("MVO_FRAMEWORKS_DIR", str(ROOT / "tests" / "fixtures"))
    _reset_caches()
    store = Store(os.environ["MVO_DATABASE_URL"])
    yield Seeded(store=store, **ids)
    store.dispose()
    monkeypatch.undo()
    _reset_caches()


def signed_in_app(email: str, *, timeout: float = 30):
    """An AppTest of ``app/main.py`` signed in as ``email`` (through the sign-in form)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(MAIN), default_timeout=timeout).run()
    assert not at.exception
    at.text_input(key="signin:email").set_value(email)
    at.text_input(key="signin:password").set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at
