"""The results page lists "te controleren" (README "Te controleren", issue 13 item 5): numbers
that do not fit together are a warning there, never a block, through the served app."""

from __future__ import annotations

import pytest
from app_support import signed_in_app

from app.kbo import make_number
from app.services import assessments, auth, organisations
from app.services.principal import SYSTEM

pytestmark = pytest.mark.slow


def test_scan_results_page_lists_zero_electricity_beside_employees(seeded):
    """Te controleren: 0 kWh beside 3 employees is shown on the results page as a warning."""
    kbo = make_number(8123461)
    org = organisations.register_organisation(seeded.store, SYSTEM, kbo=kbo, name="Winkel A&B")
    auth.create_user(
        seeded.store, SYSTEM, "check@demo.be", "sme", password="demo", organisation_kbo=kbo
    )
    view = assessments.start_assessment(
        seeded.store, SYSTEM, org.id, 2026, framework="start_to_mvo"
    )
    for question, value in {"st_employees": 3, "st_electricity_kwh": 0}.items():
        assessments.save_answer(seeded.store, SYSTEM, view.id, question, value, expected_version=0)
    at = signed_in_app("check@demo.be")
    at.button(key="home:open").click().run()
    at.switch_page("ui/pages/sme_results.py").run()
    assert not at.exception
    assert any(s.value == "Te controleren" for s in at.subheader)
    [warning] = [w.value for w in at.warning if "kWh" in w.value]
    assert "U hebt werknemers maar meldt 0 kWh elektriciteit" in warning
