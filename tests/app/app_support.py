"""Support of the app tests: a fresh SQLite database seeded through the services.

The catalogue is the shipped one plus the example framework and sector profile of
``tests/fixtures`` (through ``MVO_FRAMEWORKS_DIR``), so that the tests do not depend on the
shipped content while it grows. Seeded: one SME organisation (``kmo@demo.be``) with a draft,
``PEERS`` peer organisations of the example sector with submitted assessments (enough for a
benchmark, k = 5), a federation, a department and an admin account; password ``demo``.

AppTest has no browser, so it has no cookies: the ``browser_cookies`` fixture (autouse) is the
test's cookie jar, handed to the app by replacing ``app.ui.session._browser_cookies`` (the one
place the app reads ``st.context.cookies``). ``complete_sign_in`` does what the browser and the
``/session/signin`` route do with the ticket the sign-in form hands out.
"""

from __future__ import annotations

import html
import os
import re
import secrets
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


#: The cookies of the test's browser (see ``browser_cookies``).
JAR: dict[str, str] = {}


@pytest.fixture(autouse=True)
def browser_cookies(monkeypatch):
    """The test's browser: a fresh pre-session cookie, the app reads ``JAR`` as its cookies."""
    from app.ui import session
    from app.web import BROWSER_COOKIE

    JAR.clear()
    JAR[BROWSER_COOKIE] = secrets.token_urlsafe(16)
    monkeypatch.setattr(session, "_browser_cookies", lambda: dict(JAR))
    yield JAR
    JAR.clear()


def posted_form(at) -> tuple[str, dict[str, str]] | None:
    """The (action, fields) of the form the last run asked the browser to post, if any."""
    for element in at.get("html"):
        body = element.proto.body
        action = re.search(r'action="([^"]+)"', body)
        if action is None:
            continue
        fields = {
            html.unescape(name): html.unescape(value)
            for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', body)
        }
        return html.unescape(action.group(1)), fields
    return None


def complete_sign_in(at, *, timeout: float = 30):
    """What the browser does after the sign-in form: post the ticket to ``/session/signin``
    (here: the route's service call with this browser's pre-session cookie), keep the session
    cookie, and load the app again (a new AppTest, as after the route's redirect)."""
    from streamlit.testing.v1 import AppTest

    from app.services import auth
    from app.ui import resources
    from app.web import BROWSER_COOKIE, SESSION_COOKIE, SIGNIN_PATH

    posted = posted_form(at)
    assert posted is not None and posted[0].endswith(SIGNIN_PATH), "no sign-in ticket posted"
    fields = posted[1]
    token = auth.redeem_signin_ticket(resources.store(), fields["ticket"], JAR[BROWSER_COOKIE])
    JAR[SESSION_COOKIE] = token
    again = AppTest.from_file(str(MAIN), default_timeout=timeout)
    if fields.get("lang"):
        again.query_params["lang"] = fields["lang"]
    again.run()
    assert not again.exception
    return again


def open_app(*, timeout: float = 30, **params: str):
    """A new browser session of the app (this browser's cookies go along)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(MAIN), default_timeout=timeout)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def signed_in_app(email: str, *, timeout: float = 30):
    """An AppTest of ``app/main.py`` signed in as ``email`` (through the sign-in form, the
    ticket and the session cookie), in a browser not signed in before."""
    from streamlit.testing.v1 import AppTest

    from app.web import SESSION_COOKIE

    JAR.pop(SESSION_COOKIE, None)
    at = AppTest.from_file(str(MAIN), default_timeout=timeout).run()
    assert not at.exception
    at.text_input(key="signin:email").set_value(email)
    at.text_input(key="signin:password").set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return complete_sign_in(at, timeout=timeout)
