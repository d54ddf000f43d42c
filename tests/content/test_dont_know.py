"""'Weet niet' where an SME may genuinely not know (issue 13 item 3): facts held by others
(the payroll secretariat, the external prevention service, the IT provider), what employees
know, and legal fine print. It counts as unanswered in S3, is "find out" in the plan and is
reported apart in completeness (tests/scoring/test_gates.py)."""

from __future__ import annotations

import pytest

from frameworks.loader import shipped_catalogue

#: question -> why an SME may not know the answer
MAY_NOT_KNOW = {
    # held by the social secretariat / the payroll
    "iso_6_4_4_b": "the barema of the joint committee is applied by the social secretariat",
    "gri_202_1_minimum_wage": "the barema of the joint committee is applied by the social secretariat",
    # what employees (or temps) know
    "iso_6_3_6_b": "whether employees and temps know where to complain",
    "iso_6_3_8_d": "whether employees know the cameras and controls in advance",
    "iso_6_7_7_b": "whether everyone knows whom to tell about a data breach",
    "gri_2_24_policy_communicated": "whether employees and suppliers know the policy",
    # done by an external prevention service or a temp agency
    "iso_6_4_6_d": "safety instructions of temps are often given by the agency",
    "gri_403_5_safety_training": "safety instructions of temps are often given by the agency",
    "gri_403_2_risk_assessment": "the risk analysis is often kept by the external prevention service",
    # legal fine print, permits and contracts
    "iso_6_3_5_b": "what the standard purchase terms with suppliers say",
    "iso_6_5_3_b": "which permit or notification the activities need",
    "iso_6_5_3_d": "which conditions the environmental permit sets",
    "iso_6_7_3_d": "whether a clause of the terms is unfair is a legal question",
    "iso_6_6_7_a": "whether every image, text and program is licensed",
    "gri_306_2_waste_management": "which fractions the VLAREMA sorting obligation asks",
    # handled by others
    "iso_6_8_6_b": "written-off devices are often taken back by the IT provider",
    "iso_6_6_6_b": "which suppliers were screened is known to purchasing only",
}


@pytest.mark.parametrize("question_id", sorted(MAY_NOT_KNOW))
def test_a_question_an_sme_may_not_know_offers_weet_niet(question_id):
    cat = shipped_catalogue()
    framework = cat.frameworks[question_id.split("_", 1)[0].replace("iso", "iso26000")]
    question = framework.questions[question_id]
    assert question.allow_dont_know, f"{question_id}: {MAY_NOT_KNOW[question_id]}"
    assert question.offers_dont_know
