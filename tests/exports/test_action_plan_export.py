"""The action plan in the passport (issue #13 item 9): the document lists each action with
owner, deadline, cost, support scheme and status, and beside the status the topic's score
change since last year; the PDF holds the same text (read back with pypdf)."""

from __future__ import annotations

from datetime import date

from export_helpers import make_passport, one_decimal, pdf_pages_text, squash

from exports.actionplan import PlannedAction, action_plan_table
from exports.documents import build_passport_document
from exports.pdf import render_passport
from frameworks.support_schemes import load_support_schemes
from scoring.models import Organisation
from scoring.passport import build

ORG = Organisation(name="Bouw & Co <bv>", kbo="0403170701", fte=12)
ACTIONS = [
    PlannedAction(
        title="Risicoanalyse <maken> & opvolgen",
        owner="Preventieadviseur An",
        deadline=date(2026, 3, 31),
        status="in_progress",
        year=2025,
        listed_year=2026,
        cost_cents=125050,
        scheme="werkbaarheidscheque",
        framework="example",
        question="safety_policy",
    ),
    PlannedAction(
        title="Fietsleasing bekijken",
        owner="Jan",
        deadline=date(2026, 9, 30),
        status="planned",
        year=2026,
        listed_year=2026,
    ),
]


def _two_years(framework, profile):
    last = make_passport(framework, profile, {"safety_policy": 1}, ORG, year=2025)
    card = next(
        iter(make_passport(framework, profile, {"safety_policy": 3}, ORG).scorecards.values())
    )
    return build({card.framework: card}, profile, organisation=ORG, year=2026, previous=last)


def test_document_should_list_each_action_with_its_status_beside_the_topic_change(
    framework, profile
):
    passport = _two_years(framework, profile)
    delta = passport.change.topic_deltas["safety"]
    assert delta > 0
    table = action_plan_table(
        ACTIONS, passport, {"example": framework}, load_support_schemes(), "nl"
    )
    assert table.header == (
        "Actie",
        "Eigenaar",
        "Streefdatum",
        "Kost",
        "Steunmaatregel",
        "Status",
        "Scoreverschil thema sinds 2025",
    )
    assert table.rows[0] == (
        "Risicoanalyse <maken> & opvolgen (overgedragen uit 2025)",
        "Preventieadviseur An",
        "31/03/2026",
        "€ 1.250,50",
        "Werkbaarheidscheque",
        "bezig",
        f"6.4.6 Veiligheid: +{one_decimal(delta)}",
    )
    assert table.rows[1] == ("Fietsleasing bekijken", "Jan", "30/09/2026", "-", "-", "gepland", "-")


def test_document_without_an_earlier_year_should_have_no_change_column(framework, profile):
    passport = make_passport(framework, profile, {"safety_policy": 3}, ORG)
    table = action_plan_table(
        ACTIONS, passport, {"example": framework}, load_support_schemes(), "en"
    )
    assert table.header[-1] == "Status"
    assert table.rows[0][:6] == (
        "Risicoanalyse <maken> & opvolgen (carried over from 2025)",
        "Preventieadviseur An",
        "2026-03-31",
        "EUR 1,250.50",
        "Workability voucher (Werkbaarheidscheque)",
        "in progress",
    )


def test_passport_pdf_should_list_the_actions(framework, profile):
    passport = _two_years(framework, profile)
    for language, words in (
        ("nl", ["Actieplan", "Eigenaar", "Werkbaarheidscheque", "bezig", "gepland", "31/03/2026"]),
        (
            "en",
            ["Action plan", "Owner", "Workability voucher", "in progress", "planned", "2026-03-31"],
        ),
    ):
        pdf = render_passport(
            passport, {"example": framework}, profile, None, language, actions=ACTIONS
        )
        text = squash("".join(pdf_pages_text(pdf)))
        for word in [
            *words,
            "Risicoanalyse <maken> & opvolgen",
            "Preventieadviseur An",
            "Fietsleasing bekijken",
        ]:
            assert squash(word) in text, (language, word)


def test_passport_without_actions_given_should_not_print_an_action_plan(framework, profile):
    passport = make_passport(framework, profile, {"safety_policy": 3}, ORG)
    document = build_passport_document(passport, {"example": framework}, profile, None, "nl")
    assert document.actions is None
    text = "".join(pdf_pages_text(render_passport(passport, {"example": framework}, profile)))
    assert "Actieplan" not in text
    empty = build_passport_document(
        passport, {"example": framework}, profile, None, "nl", actions=[]
    )
    assert empty.actions.rows == () and empty.actions.note.startswith("Nog geen acties")


def test_scan_pdf_should_list_the_actions_too():
    from exports.pdf import render_scan
    from frameworks.loader import shipped_catalogue
    from scoring import score

    scan = shipped_catalogue().frameworks["start_to_mvo"]
    card = score(scan, {}, None)
    passport = build({card.framework: card}, None, organisation=ORG, year=2026)
    own = [ACTIONS[1]]
    text = squash("".join(pdf_pages_text(render_scan(passport, scan, "nl", actions=own))))
    for word in ("Actieplan", "Fietsleasing bekijken", "Jan", "30/09/2026", "gepland"):
        assert squash(word) in text, word
    assert "Actieplan" not in "".join(pdf_pages_text(render_scan(passport, scan, "nl")))
