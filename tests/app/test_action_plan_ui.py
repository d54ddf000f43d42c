"""AppTest of the action plan part of the results page (issue #13 items 8-9), in Dutch and
English: a question flagged "ik wil dit aanpakken" in the questionnaire is the first proposal,
picking it fills in its advice and support scheme, adding stores the action, the status
changes in place, bad input keeps what was typed and says why, and an action of last year
that is not done is shown again with its status beside the topic's score change."""

from __future__ import annotations

from datetime import date

import pytest
from app_support import YEAR, signed_in_app

from app.services import actions, assessments
from app.services.principal import SYSTEM

pytestmark = pytest.mark.slow


def _texts(at) -> str:
    parts = [*at.markdown, *at.subheader, *at.caption, *at.error, *at.success]
    return "\n".join(str(p.value) for p in parts)


def _results(seeded, language: str = "nl", *, flag: str | None = None):
    at = signed_in_app("kmo@demo.be")
    at.selectbox(key="home:year").set_value(YEAR).run()
    at.button(key="home:open").click().run()
    assert not at.exception
    if flag is not None:
        at.checkbox(key=f"w:example:{flag}:tackle").check().run()
        assert not at.exception
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    if language != "nl":
        at.radio(key="ui:language_toggle").set_value(language).run()
        assert not at.exception
    return at


def _draft(seeded):
    [summary] = assessments.list_assessments(
        seeded.store, SYSTEM, organisation_id=seeded.sme_org_id, year=YEAR
    )
    return summary


@pytest.mark.parametrize(
    ("language", "part", "owner_label", "advice", "status_done"),
    [
        ("nl", "Actieplan", "Eigenaar (naam of rol)", "Maak een opleidingsplan.", "klaar"),
        ("en", "Action plan", "Owner (name or role)", "Make a training plan.", "done"),
    ],
)
def test_a_flagged_question_should_become_the_first_action_and_its_status_change(
    seeded, language, part, owner_label, advice, status_done
):
    at = _results(seeded, language, flag="training_plan")
    draft = _draft(seeded)
    assert actions.tackle_flags(seeded.store, SYSTEM, draft.id) == {"training_plan"}
    assert part in [s.value for s in at.subheader]
    step = at.selectbox(key="actions:new:step")
    assert step.value == "example:training_plan"  # the flagged question comes first
    assert step.options[0].startswith("★ ")
    assert at.text_area(key="actions:new:title").value == advice
    assert at.selectbox(key="actions:new:scheme").value == "kmo_portefeuille"
    assert at.text_input(key="actions:new:owner").label == owner_label

    at.text_input(key="actions:new:owner").set_value("Opleidingsverantwoordelijke Lien")
    at.text_input(key="actions:new:cost").set_value("1.500,00" if language == "nl" else "1500")
    at.button(key="actions:new:add").click().run()
    assert not at.exception
    [stored] = actions.list_actions(seeded.store, SYSTEM, seeded.sme_org_id, YEAR)
    assert (stored.question_id, stored.title, stored.scheme, stored.status) == (
        "training_plan",
        advice,
        "kmo_portefeuille",
        "planned",
    )
    assert stored.cost_cents == 150000
    assert "Opleidingsverantwoordelijke Lien" in _texts(at)
    # a question with an action is not proposed again
    assert "example:training_plan" not in at.selectbox(key="actions:new:step").options

    status = at.selectbox(key=f"actions:status:{stored.id}")
    assert status.format_func("done") == status_done
    status.set_value("done").run()
    assert not at.exception
    [done] = actions.list_actions(seeded.store, SYSTEM, seeded.sme_org_id, YEAR)
    assert (done.status, done.done_year) == ("done", YEAR)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Geef de actie een eigenaar"),
        ("en", "Give the action an owner"),
    ],
)
def test_an_action_without_owner_should_be_refused_keeping_what_was_typed(seeded, language, said):
    at = _results(seeded, language)
    at.selectbox(key="actions:new:step").set_value("__own__").run()
    at.text_area(key="actions:new:title").set_value("Zonneboiler <laten> offreren").run()
    at.button(key="actions:new:add").click().run()
    assert not at.exception
    assert any(said in e.value for e in at.error)
    assert at.text_area(key="actions:new:title").value == "Zonneboiler <laten> offreren"
    assert actions.list_actions(seeded.store, SYSTEM, seeded.sme_org_id, YEAR) == []


def test_last_years_open_action_should_show_with_its_status_beside_the_score_change(seeded):
    from app.services import auth

    sme = auth.authenticate(seeded.store, "kmo@demo.be", "demo")
    earlier = assessments.start_assessment(seeded.store, sme, seeded.sme_org_id, YEAR - 1)
    assessments.save_answer(seeded.store, sme, earlier.id, "safety_policy", 1, expected_version=0)
    assessments.submit(seeded.store, sme, earlier.id)
    actions.create_action(
        seeded.store,
        sme,
        seeded.sme_org_id,
        year=YEAR - 1,
        title="Risicoanalyse maken",
        owner="Preventieadviseur An",
        deadline=date(YEAR, 3, 31),
        status="in_progress",
        framework="example",
        question_id="safety_policy",
    )
    at = signed_in_app("kmo@demo.be")
    at.selectbox(key="home:year").set_value(YEAR).run()
    at.button(key="home:open").click().run()
    at.radio(key="w:example:safety_policy").set_value(3).run()
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    shown = _texts(at).replace("\\", "")
    assert f"Risicoanalyse maken (overgedragen uit {YEAR - 1})" in shown
    assert f"Scoreverschil thema sinds {YEAR - 1}" in shown
    assert "6.4.6 Veiligheid: +" in shown
    [carried] = [s for s in at.selectbox if s.key.startswith("actions:status:")]
    assert carried.value == "in_progress"
