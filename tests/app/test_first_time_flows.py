"""The flows a first-time user follows (issue 11): sign-out from every page, registration that
creates nothing when a field is wrong and keeps what was typed, user text shown literally, the
department's level columns, and the admin's account management."""

from __future__ import annotations

import pytest
from app_support import MAIN, YEAR, complete_sign_in, signed_in_app
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from app.kbo import display, make_number
from app.services import auth, organisations
from app.services.principal import SYSTEM
from app.store.models import AuditRow, OrganisationClaimRow, OrganisationRow, UserRow

PAGES_BY_ROLE = [
    ("kmo@demo.be", "ui/pages/sme_home.py"),
    ("kmo@demo.be", "ui/pages/sme_questionnaire.py"),
    ("kmo@demo.be", "ui/pages/sme_results.py"),
    ("federatie@demo.be", "ui/pages/federation.py"),
    ("departement@demo.be", "ui/pages/department.py"),
    ("admin@demo.be", "ui/pages/admin.py"),
]


def _counts(store) -> tuple[int, int, int]:
    with store.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (UserRow, OrganisationRow, OrganisationClaimRow)
        )


@pytest.mark.parametrize(("email", "page"), PAGES_BY_ROLE)
def test_signing_out_on_any_page_reaches_the_sign_in_form(seeded, email, page):
    at = signed_in_app(email)
    if page.endswith(("questionnaire.py", "results.py")):
        at.button(key="home:open").click().run()
    at.switch_page(page).run()
    assert not at.exception
    at.button(key="ui:signout").click().run()
    assert not at.exception
    assert "ui:user" not in at.session_state
    assert at.text_input(key="signin:email")  # the form itself, not a dead-end notice
    assert any("afgemeld" in s.value for s in at.success)


VALID = {
    "register:email": "nieuw@demo.be",
    "register:password": "een-lang-wachtwoord",
    "register:password_repeat": "een-lang-wachtwoord",
    "register:name": "Nieuwbouw NV",
    "register:kbo": make_number(7123456),
    "register:municipality": "Leuven",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("register:name", ""),
        ("register:name", "   "),
        ("register:kbo", "0403.019.262"),  # wrong check digits
        ("register:kbo", ""),
        ("register:email", "geen-adres"),
        ("register:password", "kort"),
        ("register:password_repeat", "een-ander-wachtwoord"),
    ],
)
def test_registration_with_an_invalid_field_creates_nothing_and_keeps_what_was_typed(
    seeded, field, value
):
    before = _counts(seeded.store)
    typed = {**VALID, field: value}
    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    for key, text in typed.items():
        at.text_input(key=key).set_value(text)
    at.button(key="register:submit").click().run()
    assert not at.exception
    assert at.error  # said why
    assert _counts(seeded.store) == before  # no user, organisation or claim
    assert "ui:user" not in at.session_state
    at.text_input(key="register:municipality").set_value("Leuven-Heverlee").run()  # a keystroke
    for key, text in typed.items():
        if key != "register:municipality":
            assert at.text_input(key=key).value == text


def test_registration_with_an_already_registered_kbo_and_an_empty_name_creates_nothing(seeded):
    before = _counts(seeded.store)
    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    for key, text in {**VALID, "register:kbo": seeded.sme_kbo, "register:name": ""}.items():
        at.text_input(key=key).set_value(text)
    at.button(key="register:submit").click().run()
    assert not at.exception and at.error
    assert _counts(seeded.store) == before
    assert at.text_input(key="register:kbo").value == seeded.sme_kbo


def _fill_registration(kbo: str, language: str = "nl"):
    at = AppTest.from_file(str(MAIN), default_timeout=30)
    at.query_params["lang"] = language
    at.run()
    for key, text in {**VALID, "register:kbo": kbo}.items():
        at.text_input(key=key).set_value(text)
    return at.run()


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", ("collega", "beheerder")), ("en", ("colleague", "administrator"))],
)
def test_registration_with_the_kbo_of_an_organisation_with_its_own_account_creates_nothing(
    seeded, language, words
):
    """should refuse the KBO number a colleague registered (typed, and again when sent),
    saying who gives access, create nothing and keep what was typed"""
    before = _counts(seeded.store)
    at = _fill_registration(seeded.sme_kbo, language)
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert display(seeded.sme_kbo) in shown and all(word in shown for word in words)
    at.button(key="register:submit").click().run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert all(word in shown for word in words)
    assert not at.success
    assert _counts(seeded.store) == before
    assert "ui:user" not in at.session_state
    at.text_input(key="register:municipality").set_value("Leuven-Heverlee").run()
    for key, text in {**VALID, "register:kbo": seeded.sme_kbo}.items():
        if key != "register:municipality":
            assert at.text_input(key=key).value == text


def test_registration_with_the_kbo_of_an_imported_organisation_waits_for_approval(seeded):
    """should say before sending that access follows approval, then record only a claim, and
    the new account's start page says it waits"""
    imported = make_number(5000000)  # a peer: answers in the database, no account of its own
    users, orgs, claims = _counts(seeded.store)
    at = _fill_registration(imported)
    assert not at.exception and not at.error
    [notice] = [i.value for i in at.info if display(imported) in i.value]
    assert "goedkeurt" in notice and "toegang" in notice
    at.button(key="register:submit").click().run()
    assert not at.exception and not at.error
    assert _counts(seeded.store) == (users + 1, orgs, claims + 1)
    home = complete_sign_in(at)
    assert home.session_state["ui:user"].organisation_id is None
    waiting = " ".join(i.value for i in home.info)
    assert display(imported) in waiting and "goedkeuring" in waiting


def test_markdown_in_an_organisation_name_is_shown_literally(seeded):
    organisations.update_organisation  # noqa: B018 - the service the name goes through
    with seeded.store.write() as session:
        session.get(OrganisationRow, seeded.sme_org_id).name = "**Vet** _schuin_ [link](x)"
    at = signed_in_app("kmo@demo.be")
    assert not at.exception
    [title] = at.title
    assert "\\*\\*Vet\\*\\*" in title.value  # escaped: Markdown shows the stars


def test_department_level_columns_show_no_none(seeded):
    at = signed_in_app("departement@demo.be")
    at.switch_page("ui/pages/department.py").run()
    at.selectbox(key="dep:year").set_value(YEAR).run()
    assert not at.exception
    [overview] = [d.value for d in at.dataframe if "Ingediende beoordelingen" in d.value.columns]
    [levels] = [d.value for d in at.dataframe if "Voorloper" in d.value.columns]
    for table in (overview, levels):
        assert not table.isna().any().any()
        assert "None" not in table.astype(str).to_numpy().ravel()
    assert list(levels.columns) == [
        "Sector",
        "Starter",
        "Op weg",
        "Gevorderd",
        "Voorloper",
        "Concept",
    ]
    # each line's level counts add up to its submitted assessments
    assert levels.set_index("Sector").sum(axis=1).to_dict() == dict(
        zip(overview["Sector"], overview["Ingediende beoordelingen"], strict=True)
    )


def _admin():
    at = signed_in_app("admin@demo.be")
    at.switch_page("ui/pages/admin.py").run()
    assert not at.exception
    return at


def _actions(store, action: str) -> list[AuditRow]:
    with store.read() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action)))


def test_admin_adds_an_account_with_a_one_time_password(seeded):
    at = _admin()
    at.text_input(key="admin:new:email").set_value("nieuwe.kmo@demo.be")
    at.selectbox(key="admin:new:role").set_value("sme").run()
    at.text_input(key="admin:new:kbo").set_value(seeded.sme_kbo)
    at.button(key="admin:new:submit").click().run()
    assert not at.exception, at.exception
    [shown] = [c.value for c in at.code]
    principal = auth.authenticate(seeded.store, "nieuwe.kmo@demo.be", shown)
    assert principal.organisation_id == seeded.sme_org_id
    assert _actions(seeded.store, "create") and _actions(seeded.store, "set_password")


def test_admin_changes_a_role_with_sectors_and_it_is_audited(seeded):
    at = _admin()
    [user] = [u for u in auth.list_users(seeded.store, SYSTEM) if u.email == "kmo@demo.be"]
    at.selectbox(key="admin:user").set_value("kmo@demo.be").run()
    at.selectbox(key=f"admin:role:{user.id}").set_value("federation").run()
    at.multiselect(key=f"admin:sectors:{user.id}").set_value(["example_sector"])
    at.button(key="admin:save_role").click().run()
    assert not at.exception
    changed = auth.get_principal(seeded.store, user.id)
    assert changed.role == "federation" and changed.sectors == {"example_sector"}
    assert changed.organisation_id is None
    [entry] = _actions(seeded.store, "change_role")
    assert entry.entity_id == user.id


def test_admin_resets_a_password_and_the_old_one_no_longer_works(seeded):
    at = _admin()
    at.selectbox(key="admin:user").set_value("kmo@demo.be").run()
    at.button(key="admin:reset_password").click().run()
    assert not at.exception
    [shown] = [c.value for c in at.code]
    assert auth.authenticate(seeded.store, "kmo@demo.be", shown).email == "kmo@demo.be"
    with pytest.raises(Exception):  # noqa: B017 - the old password is refused
        auth.authenticate(seeded.store, "kmo@demo.be", "demo")
    assert _actions(seeded.store, "set_password")


def test_a_user_of_another_role_opening_a_page_sees_a_refusal_not_data(seeded):
    at = signed_in_app("kmo@demo.be")
    at.switch_page("ui/pages/admin.py").run()
    assert not at.exception and at.error
    assert not at.dataframe


def test_a_signed_in_federation_user_lands_on_the_federation_page(seeded):
    at = signed_in_app("federatie@demo.be")
    assert not at.exception
    assert at.session_state["ui:user"].role == "federation"
    assert "signin:email" not in [t.key for t in at.text_input]
    assert at.selectbox(key="fed:year")  # the federation page itself
