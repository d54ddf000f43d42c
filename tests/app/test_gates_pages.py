"""The results page shows the red flags of failed gates, and the questionnaire page asks a firm
without employees no employee question (README S2, S6a), through the served app (AppTest)."""

from __future__ import annotations

import pytest
from app_support import signed_in_app

pytestmark = pytest.mark.slow


def _bouw_member(seeded, kbo_seed: int, email: str, fte: float):
    from app.kbo import make_number
    from app.services import assessments, auth, organisations
    from app.services.principal import SYSTEM

    kbo = make_number(kbo_seed)
    org = organisations.register_organisation(
        seeded.store, SYSTEM, kbo=kbo, name="Bouw A&B", profile="bouw", nace="41.001", fte=fte
    )
    auth.create_user(seeded.store, SYSTEM, email, "sme", password="demo", organisation_kbo=kbo)
    view = assessments.start_assessment(seeded.store, SYSTEM, org.id, 2025)
    return org, view


def _open(email: str):
    at = signed_in_app(email)
    at.selectbox(key="home:year").set_value(2025).run()
    at.button(key="home:open").click().run()
    assert not at.exception
    return at


def test_results_page_shows_a_failed_gate_with_what_the_law_asks(seeded):
    """S6a: "no" to the minimum wage is a red flag on the results page, with the law."""
    from app.services import assessments
    from app.services.principal import SYSTEM

    _org, view = _bouw_member(seeded, 8200001, "wage@demo.be", 12)
    assessments.save_answer(seeded.store, SYSTEM, view.id, "iso_6_4_4_b", False, expected_version=0)
    at = _open("wage@demo.be")
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    flags = [e.value for e in at.error if "minimummaandinkomen" in e.value]
    assert len(flags) == 1 and "cao nr. 43" in flags[0].lower()
    assert any("Wettelijke verplichtingen niet nagekomen" in s.value for s in at.subheader)


def test_questionnaire_page_asks_a_firm_without_employees_no_employee_question(seeded):
    """S2: at 0 FTE the labour section draws only the question on freelancers (which offers
    "weet niet")."""
    _bouw_member(seeded, 8200002, "solo@demo.be", 0)
    at = _open("solo@demo.be")
    at.button(key="section:s6_4").click().run()
    assert not at.exception
    drawn = {r.key.split(":")[2] for r in at.radio if r.key.startswith("w:iso26000:")}
    assert drawn == {"iso_6_4_3_b"}
    # S3: "weet niet" is a real option where the question offers it
    assert at.radio(key="w:iso26000:iso_6_4_3_b").options == ["Ja", "Nee", "Weet niet"]


def test_results_page_shows_the_legal_thresholds_at_60_fte(seeded):
    """Issue 13 item 2: at 60 FTE the results page lists the whistleblower channel, the CPBW
    and the 20+ training rights as information (not the works council, from 100)."""
    _org, _view = _bouw_member(seeded, 8200003, "zestig@demo.be", 60)
    at = _open("zestig@demo.be")
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    assert any("Wettelijke drempels bij uw grootte" in s.value for s in at.subheader)
    shown = " ".join(i.value for i in at.info)
    assert "klokkenluiders" in shown and "CPBW" in shown and "5 opleidingsdagen" in shown
    assert "ook een ondernemingsraad op" not in shown
