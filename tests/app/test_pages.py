"""AppTest of every page on a seeded database: no exception after any run, the expected
widgets, answers set through a widget end up in the database, and role gating refuses pages
opened without the role."""

from __future__ import annotations

import pytest
from app_support import JAR, MAIN, YEAR, complete_sign_in, posted_form, signed_in_app
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow


def _texts(at) -> str:
    parts = [
        e.value
        for e in (
            *at.markdown,
            *at.title,
            *at.header,
            *at.subheader,
            *at.caption,
            *at.info,
            *at.warning,
            *at.error,
            *at.success,
        )
    ]
    return "\n".join(str(p) for p in parts)


def _frame_with(at, *columns: str):
    """The first dataframe on the page that has all ``columns`` (AppTest exposes no keys)."""
    for element in at.dataframe:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no dataframe with columns {columns}")


def _open_questionnaire(seeded, year: int = YEAR):
    at = signed_in_app("kmo@demo.be")
    at.selectbox(key="home:year").set_value(year).run()
    assert not at.exception
    at.button(key="home:open").click().run()
    assert not at.exception
    return at


def _assessment(seeded, year: int = YEAR):
    from app.services import assessments
    from app.services.principal import SYSTEM

    [summary] = assessments.list_assessments(
        seeded.store, SYSTEM, organisation_id=seeded.sme_org_id, year=year
    )
    return assessments.get_assessment(seeded.store, SYSTEM, summary.id)


def test_anonymous_visitor_sees_only_the_sign_in_page(seeded):
    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    assert not at.exception
    assert at.text_input(key="signin:email") is not None
    assert [t.value for t in at.title] == ["MVO-paspoort"]


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("nl", "E-mailadres of wachtwoord klopt niet.", "Wrong e-mail address or password"),
        ("en", "Wrong e-mail address or password.", "klopt niet"),
    ],
)
def test_wrong_password_is_refused_in_the_interface_language_only(seeded, language, said, not_said):
    """Issue 11: the refusal is in the chosen language, not "Dutch / English"."""
    at = AppTest.from_file(str(MAIN), default_timeout=30)
    at.query_params["lang"] = language
    at.run()
    at.text_input(key="signin:email").set_value("kmo@demo.be")
    at.text_input(key="signin:password").set_value("wrong")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and at.error[0].value == said
    assert not_said not in _texts(at) and " / " not in at.error[0].value
    assert "ui:user" not in at.session_state


def test_page_opened_by_url_without_sign_in_leads_to_the_sign_in_form(seeded):
    """Never a dead end: the sign-in form, with a word on why, and no data."""
    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    at.switch_page("ui/pages/federation.py").run()
    assert not at.exception
    assert any("Meld u aan" in i.value for i in at.info)
    assert at.text_input(key="signin:email")
    assert not at.dataframe


def test_sme_opening_the_federation_page_is_refused_without_data(seeded):
    at = signed_in_app("kmo@demo.be")
    at.switch_page("ui/pages/federation.py").run()
    assert not at.exception
    assert at.error and "Geen toegang" in at.error[0].value
    assert not at.dataframe and not at.metric


@pytest.mark.parametrize(
    ("email", "page"),
    [
        ("federatie@demo.be", "ui/pages/department.py"),
        ("federatie@demo.be", "ui/pages/sme_questionnaire.py"),
        ("departement@demo.be", "ui/pages/admin.py"),
        ("kmo@demo.be", "ui/pages/admin.py"),
    ],
)
def test_every_role_is_refused_pages_of_other_roles(seeded, email, page):
    at = signed_in_app(email)
    at.switch_page(page).run()
    assert not at.exception
    assert at.error and "Geen toegang" in at.error[0].value


def test_sme_home_shows_the_organisation_and_the_questionnaire_choice(seeded):
    at = signed_in_app("kmo@demo.be")
    from app.ui.markup import literal

    assert literal(seeded.sme_name) in [t.value for t in at.title]  # Markdown-escaped
    assert at.radio(key="home:choice") is not None
    assert at.button(key="home:open") is not None


def test_answer_set_through_a_widget_is_saved_in_the_database(seeded):
    at = _open_questionnaire(seeded)
    at.radio(key="w:example:safety_policy").set_value(3).run()
    assert not at.exception
    assert _assessment(seeded).answers["safety_policy"].value == 3
    assert any("Opgeslagen" in c.value for c in at.caption)


def test_every_question_type_gets_its_widget_and_not_applicable_only_where_allowed(seeded):
    at = _open_questionnaire(seeded)
    radios = {r.key for r in at.radio}
    assert {
        "w:example:safety_policy",
        "w:example:has_prevention_advisor",
        "w:example:training_plan",
    } <= radios
    assert at.text_input(key="w:example:accidents") is not None
    checkboxes = {c.key for c in at.checkbox}
    assert "w:example:accidents:na" in checkboxes  # allow_na: true
    assert "w:example:safety_policy:na" not in checkboxes  # allow_na: false
    # visible_if: training_topics shows only after training_plan is informal or written
    assert "w:example:training_topics" not in {m.key for m in at.multiselect}
    at.radio(key="w:example:training_plan").set_value("written").run()
    assert not at.exception
    assert "w:example:training_topics" in {m.key for m in at.multiselect}


def test_not_applicable_is_saved_as_na(seeded):
    at = _open_questionnaire(seeded)
    at.checkbox(key="w:example:accidents:na").check().run()
    assert not at.exception
    assert _assessment(seeded).answers["accidents"].value == "n/a"


def test_number_out_of_range_shows_the_range_and_is_not_saved(seeded):
    at = _open_questionnaire(seeded)
    at.button(key="section:planet").click().run()
    at.text_input(key="w:example:energy_mwh").input("-5").run()
    assert not at.exception
    assert any("0" in e.value and "MWh" in e.value for e in at.error)
    assert "energy_mwh" not in _assessment(seeded).answers
    at.text_input(key="w:example:energy_mwh").input("42").run()
    assert not at.exception
    assert _assessment(seeded).answers["energy_mwh"].value == 42
    assert not at.error


def test_note_is_saved_and_kept_when_the_answer_changes_later(seeded):
    at = _open_questionnaire(seeded)
    assert "w:example:safety_policy:note" not in {t.key for t in at.text_area}, "lazy note"
    at.session_state["w:example:safety_policy:note:open"] = True  # the user opens "Notitie"
    at.run()
    at.text_area(key="w:example:safety_policy:note").input("Zie risicoanalyse 2025").run()
    assert not at.exception
    assert _assessment(seeded).answers["safety_policy"].note == "Zie risicoanalyse 2025"
    again = _open_questionnaire(seeded)  # a new session: the note box opens by itself
    again.radio(key="w:example:safety_policy").set_value(2).run()
    answer = _assessment(seeded).answers["safety_policy"]
    assert (answer.value, answer.note) == (2, "Zie risicoanalyse 2025")


def test_answers_are_there_again_in_a_new_session(seeded):
    at = _open_questionnaire(seeded)
    at.radio(key="w:example:has_prevention_advisor").set_value(True).run()
    again = _open_questionnaire(seeded)
    assert again.radio(key="w:example:has_prevention_advisor").value is True


def test_sections_in_the_sidebar_switch_the_section_and_next_unanswered_jumps(seeded):
    at = _open_questionnaire(seeded)
    assert {"section:people", "section:planet", "section:sector"} <= {
        b.key for b in at.sidebar.button
    }
    at.button(key="section:planet").click().run()
    assert not at.exception
    assert "w:example:energy_mwh" in {n.key for n in at.text_input}
    at.button(key="nav:next").click().run()
    assert not at.exception
    assert at.session_state["ui:current_section"] == "people"
    assert at.session_state["ui:focus_question"] == "safety_policy"


def test_a_conflicting_save_keeps_the_colleagues_answer(seeded):
    from app.services import assessments, auth

    at = _open_questionnaire(seeded)
    at.radio(key="w:example:safety_policy").set_value(1).run()
    view = _assessment(seeded)
    colleague = auth.authenticate(seeded.store, "kmo@demo.be", "demo")
    assessments.save_answer(
        seeded.store,
        colleague,
        view.id,
        "safety_policy",
        4,
        expected_version=view.answers["safety_policy"].version,
    )
    at.radio(key="w:example:safety_policy").set_value(2).run()
    assert not at.exception
    assert at.warning, "a conflict is shown"
    assert _assessment(seeded).answers["safety_policy"].value == 4


def test_language_toggle_switches_to_english_and_is_kept_in_the_url(seeded):
    at = signed_in_app("kmo@demo.be")
    at.radio(key="ui:language_toggle").set_value("en").run()
    assert not at.exception
    assert at.button(key="home:open").label == "Open questionnaire"
    assert at.query_params["lang"] in ("en", ["en"])


def test_language_from_the_url_is_used_by_a_new_session(seeded):
    at = AppTest.from_file(str(MAIN), default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.text_input(key="signin:email").label == "E-mail address"
    dutch = AppTest.from_file(str(MAIN), default_timeout=30).run()
    assert dutch.text_input(key="signin:email").label == "E-mailadres"


def test_results_show_the_score_of_the_passport_and_submit_asks_confirmation(seeded):
    from app.services import passports
    from app.services.principal import SYSTEM
    from exports.text import format_score

    at = _open_questionnaire(seeded)
    at.radio(key="w:example:safety_policy").set_value(3).run()
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    view = _assessment(seeded)
    passport = passports.get_passport(seeded.store, SYSTEM, view.id).passport
    overall = next(m for m in at.metric if m.label == "Totaalscore")
    assert overall.value == f"{format_score(passport.overall, 'nl')} / 100"
    assert at.get("download_button")
    at.button(key="results:submit").click().run()
    assert not at.exception
    assert at.warning and _assessment(seeded).status == "draft"
    at.button(key="results:confirm").click().run()
    assert not at.exception
    assert _assessment(seeded).status == "submitted"
    assert at.success


@pytest.mark.parametrize(
    ("language", "question_text", "other_text"),
    [
        ("nl", "Hoe beheert u veiligheid?", "How do you manage safety?"),
        ("en", "How do you manage safety?", "Hoe beheert u veiligheid?"),
    ],
)
def test_open_required_questions_are_named_and_linked_before_any_confirmation(
    seeded, language, question_text, other_text
):
    """Issue 11: the results page names each open required question by its text (not its id),
    links to its section of the questionnaire, and says so before Submit asks to confirm."""
    at = _open_questionnaire(seeded)
    if language == "en":
        at.radio(key="ui:language_toggle").set_value("en").run()
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    [warning] = [w for w in at.warning if "(1)" in w.value]
    links = at.get("page_link")
    labels = [link.proto.label for link in links]
    assert question_text in labels and other_text not in labels
    assert "safety_policy" not in _texts(at) + " ".join(labels)
    [link] = [link for link in links if link.proto.label == question_text]
    assert link.proto.page == "vragenlijst"  # the questionnaire page's url path
    assert link.proto.query_string == "section=people&question=safety_policy"
    assert at.button(key="results:submit").disabled
    assert not [b for b in at.button if b.key == "results:confirm"]
    assert _assessment(seeded).status == "draft"


def test_a_second_confirm_click_does_not_submit_twice(seeded):
    from app.services import assessments
    from app.services.principal import SYSTEM

    at = _open_questionnaire(seeded)
    at.radio(key="w:example:safety_policy").set_value(3).run()
    at.switch_page("ui/pages/sme_results.py").run()
    at.button(key="results:submit").click().run()
    confirm = at.button(key="results:confirm")
    confirm.click().run()
    # the browser may deliver a queued second click on the old button
    at.session_state["ui:confirm_submit"] = True
    at.run()
    assert not at.exception
    history = assessments.history(seeded.store, SYSTEM, _assessment(seeded).id)
    assert sum(1 for h in history if h.get("action") == "submit") == 1


def test_federation_sees_the_benchmark_and_only_consenting_members_by_name(seeded):
    at = signed_in_app("federatie@demo.be")
    assert not at.exception
    assert "Sectorbenchmark" in [t.value for t in at.title]
    at.selectbox(key="fed:year").set_value(YEAR).run()
    assert not at.exception
    assert at.dataframe
    members = _frame_with(at, "KBO", "Organisatie")
    names = set(members["Organisatie"])
    assert {"Peer 0", "Peer 2", "Peer 4"} <= names
    assert not names & {"Peer 1", "Peer 3", "Peer 5"}


def test_federation_size_class_with_fewer_than_k_is_withheld(seeded):
    at = signed_in_app("federatie@demo.be")
    at.selectbox(key="fed:year").set_value(YEAR).run()
    at.selectbox(key="fed:size").set_value("micro").run()
    assert not at.exception
    distribution = _frame_with(at, "p25", "Mediaan", "p75")
    assert len(distribution) and (distribution["Mediaan"] == "-").all(), "no median under k"


def test_department_overview_and_batch_export_make_a_zip(seeded):
    at = signed_in_app("departement@demo.be")
    assert not at.exception
    at.selectbox(key="dep:year").set_value(YEAR).run()
    assert not at.exception
    overview = _frame_with(at, "Sector", "Gestarte beoordelingen", "Ingediende beoordelingen")
    assert overview["Ingediende beoordelingen"].sum() == 6
    at.button(key="dep:export").click().run(timeout=120)
    assert not at.exception
    batch = at.session_state["ui:batch_result"]
    assert len(batch["manifest"]) == 6
    assert batch["zip"][:2] == b"PK"


def test_admin_sees_users_and_the_loaded_frameworks(seeded):
    at = signed_in_app("admin@demo.be")
    at.switch_page("ui/pages/admin.py").run()
    assert not at.exception
    users = _frame_with(at, "E-mailadres", "Rol")
    assert "kmo@demo.be" in set(users["E-mailadres"])
    frameworks = _frame_with(at, "id", "Versie", "Vragen")
    assert "example" in set(frameworks["id"])


def test_sign_out_forgets_the_user(seeded):
    at = signed_in_app("kmo@demo.be")
    at.button(key="ui:signout").click().run()
    assert not at.exception
    assert "ui:user" not in at.session_state


def test_registration_checks_the_kbo_number_proposes_a_sector_and_signs_in(seeded):
    from app.kbo import make_number
    from app.services import organisations
    from app.services.principal import SYSTEM

    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    at.text_input(key="register:email").set_value("nieuw@demo.be")
    at.text_input(key="register:password").set_value("een-lang-wachtwoord")
    at.text_input(key="register:password_repeat").set_value("een-lang-wachtwoord")
    at.text_input(key="register:name").set_value("Nieuwbouw NV")
    at.text_input(key="register:kbo").set_value("0403.019.262").run()
    assert not at.exception
    assert any("KBO" in e.value for e in at.error)
    kbo = make_number(7123456)
    at.text_input(key="register:kbo").set_value(kbo).run()
    assert not at.error and at.success
    at.text_input(key="register:nace").set_value("41.001").run()
    assert not at.exception
    assert at.selectbox(key="register:profile").value is not None
    assert any("Voorgesteld sectorpaspoort" in i.value for i in at.info)
    at.selectbox(key="register:profile").set_value("example_sector")
    at.number_input(key="register:fte").set_value(8.0)
    at.button(key="register:submit").click().run()
    assert not at.exception
    at = complete_sign_in(at)
    assert at.session_state["ui:user"].email == "nieuw@demo.be"
    organisation = organisations.find_by_kbo(seeded.store, SYSTEM, kbo)
    assert organisation.name == "Nieuwbouw NV" and organisation.profile == "example_sector"
    assert "Nieuwbouw NV" in [t.value for t in at.title]


def test_without_an_identity_provider_only_local_sign_in_is_offered(seeded):
    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    assert not [b for b in at.button if "organisatie" in b.label]


def _with_identity_provider(user: dict):
    at = AppTest.from_file(str(MAIN), default_timeout=30)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-secret",
        "client_id": "mvo",
        "client_secret": "secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
    }
    at.user = user
    return at


def test_an_identity_provider_identity_signs_in_the_matching_account(seeded):
    at = _with_identity_provider(
        {"is_logged_in": True, "email": "federatie@demo.be", "email_verified": True}
    )
    at.run()
    assert not at.exception
    at = complete_sign_in(at)
    assert at.session_state["ui:user"].email == "federatie@demo.be"
    assert "Sectorbenchmark" in [t.value for t in at.title]


def test_an_identity_without_the_email_verified_claim_is_refused(seeded):
    """A missing ``email_verified`` is false: no ticket, nobody signed in, a clear message."""
    at = _with_identity_provider({"is_logged_in": True, "email": "federatie@demo.be"})
    at.run()
    assert not at.exception
    assert posted_form(at) is None
    assert "ui:user" not in at.session_state
    assert any("bevestigd e-mailadres" in e.value for e in at.error)


def test_an_organisation_without_sector_does_the_start_to_mvo_scan_and_sees_its_result(seeded):
    from app.kbo import make_number
    from app.services import auth, organisations
    from app.services.principal import SYSTEM

    kbo = make_number(8123456)
    organisations.register_organisation(seeded.store, SYSTEM, kbo=kbo, name="Starter BV")
    auth.create_user(
        seeded.store, SYSTEM, "starter@demo.be", "sme", password="demo", organisation_kbo=kbo
    )
    at = signed_in_app("starter@demo.be")
    assert at.radio(key="home:choice").options == ["Start-to-MVO-scan (korte kennismaking)"]
    at.button(key="home:open").click().run()
    assert not at.exception
    first = next(r for r in at.radio if r.key.startswith("w:start_to_mvo:"))
    first.set_value(_last_value(at, first.key)).run()
    assert not at.exception
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    assert any(m.label == "Totaalscore" for m in at.metric)
    assert at.get("download_button")


def _last_value(at, key: str):
    """The value of the last option of a questionnaire radio (from the questionnaire)."""
    from app.services import catalogue
    from app.ui.resources import store

    question = catalogue.questionnaire(store().catalogue, "start_to_mvo", None).questions[
        key.split(":")[2]
    ]
    if question.type == "maturity":
        return 4
    if question.type == "yes_no":
        return True
    return question.options[-1].id


def test_registering_a_known_kbo_waits_for_the_admins_approval_and_then_sees_it(seeded):
    """A competitor's KBO number: the new account sees nothing of that organisation (no name,
    no questionnaire) until the admin approves the claim in the admin page."""
    from app.kbo import make_number
    from app.services import claims
    from app.services.principal import SYSTEM

    taken = make_number(5000000)  # "Peer 0" of the seed, with submitted assessments
    at = AppTest.from_file(str(MAIN), default_timeout=30).run()
    at.text_input(key="register:email").set_value("concurrent@demo.be")
    at.text_input(key="register:password").set_value("een-lang-wachtwoord")
    at.text_input(key="register:password_repeat").set_value("een-lang-wachtwoord")
    at.text_input(key="register:name").set_value("Peer 0 (echt waar)")
    at.text_input(key="register:kbo").set_value(taken).run()
    at.button(key="register:submit").click().run()
    assert not at.exception
    at = complete_sign_in(at)
    assert at.session_state["ui:user"].organisation_id is None
    assert any("wacht op goedkeuring" in i.value for i in at.info)
    assert "Peer 0" not in _texts(at)
    assert not [b for b in at.button if b.key == "home:open"]
    claimants_cookies = dict(JAR)

    admin = signed_in_app("admin@demo.be")  # (another browser: the admin's)
    admin.switch_page("ui/pages/admin.py").run()
    assert not admin.exception
    [claim] = claims.pending_claims(seeded.store, SYSTEM)
    assert any("concurrent@demo.be" in t.value for t in admin.text)
    admin.button(key=f"admin:claim:{claim.id}:approve").click().run()
    assert not admin.exception
    assert claims.pending_claims(seeded.store, SYSTEM) == []

    JAR.clear()
    JAR.update(claimants_cookies)
    at.run()  # the claimant's next click, in its own browser: linked now
    assert not at.exception
    assert "Peer 0" in [t.value for t in at.title]


# ------------------------------------------------------------------ issue 11: the questionnaire
def _audit_count(seeded) -> int:
    from sqlalchemy import text

    with seeded.store.engine.connect() as connection:
        return connection.execute(text("select count(*) from audit_log")).scalar_one()


def test_a_language_switch_on_the_questionnaire_changes_no_stored_answer(seeded):
    """Issue 11 blocker: nl -> en -> nl in a section with maturity, yes/no and choice questions
    leaves the database, the audit log and the shown selections as they were."""
    at = _open_questionnaire(seeded)
    at.radio(key="w:example:safety_policy").set_value(3).run()
    at.radio(key="w:example:has_prevention_advisor").set_value(True).run()
    at.radio(key="w:example:training_plan").set_value("written").run()
    assert not at.exception
    shown = {r.key: r.value for r in at.radio if r.key.startswith("w:")}
    stored = {q: a.value for q, a in _assessment(seeded).answers.items()}
    audited = _audit_count(seeded)
    for language in ("en", "nl", "en"):
        at.radio(key="ui:language_toggle").set_value(language).run()
        assert not at.exception
        assert {r.key: r.value for r in at.radio if r.key.startswith("w:")} == shown
        assert {q: a.value for q, a in _assessment(seeded).answers.items()} == stored
        assert _audit_count(seeded) == audited
    assert at.radio(key="w:example:has_prevention_advisor").options == ["Yes", "No"]


def test_a_cleared_number_field_clears_the_stored_answer(seeded):
    at = _open_questionnaire(seeded)
    at.text_input(key="w:example:accidents").input("3").run()
    assert _assessment(seeded).answers["accidents"].value == 3
    at.text_input(key="w:example:accidents").input("").run()
    assert not at.exception
    answer = _assessment(seeded).answers.get("accidents")
    assert answer is None or answer.value is None


def test_the_section_is_kept_over_a_language_switch_and_in_the_url(seeded):
    at = _open_questionnaire(seeded)
    at.button(key="section:planet").click().run()
    at.radio(key="ui:language_toggle").set_value("en").run()
    assert not at.exception
    assert at.session_state["ui:current_section"] == "planet"
    assert at.query_params["section"] in ("planet", ["planet"])
    params = {name: at.query_params[name] for name in at.query_params}
    assert "session" not in params and all("token" not in name for name in params)


def test_results_plan_shows_each_steps_question_gain_and_whole_advice(seeded):
    """Issue 11: the plan on screen is cards with the question text, the gain and the whole
    advice, and each topic is named once (no clipped dataframe cell)."""
    from app.services import passports
    from app.services.principal import SYSTEM

    at = _open_questionnaire(seeded)
    at.radio(key="w:example:safety_policy").set_value(1).run()
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    view = _assessment(seeded)
    passport = passports.get_passport(seeded.store, SYSTEM, view.id).passport
    shown = " ".join(m.value.replace("\\", "") for m in at.markdown)
    captions = " ".join(c.value for c in at.caption)
    from exports.documents import effective_frameworks

    catalogue = seeded.store.catalogue
    frameworks = effective_frameworks(catalogue.frameworks, catalogue.profiles.get(view.profile))
    for step in passport.improvement_plan[:3]:
        question = frameworks[step.framework].questions[step.question]
        assert question.text.nl in shown
        if question.advice is not None:
            assert question.advice.nl in shown
        assert "Winst" in captions
    assert not any(df for df in at.dataframe if "Advies" in str(df.value.columns))
