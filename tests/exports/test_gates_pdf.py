"""The passport PDF shows the red flags of failed gates (README S6a), read back with pypdf."""

from __future__ import annotations

from export_helpers import pdf_pages_text, squash

from exports.documents import build_passport_document
from exports.pdf import render_passport
from frameworks.loader import shipped_catalogue
from scoring import score
from scoring.models import Organisation
from scoring.passport import build


def _passport(failing: bool):
    iso = shipped_catalogue().framework("iso26000")
    answers = {}
    for qid, question in iso.questions.items():
        if question.gate is not None:
            fails_on_yes = True in question.gate.fails or "yes" in question.gate.fails
            answers[qid] = fails_on_yes if failing else not fails_on_yes
        elif question.type == "maturity":
            answers[qid] = 4
    organisation = Organisation(name="Bakkerij A&B", kbo="0202239951", fte=12)
    card = score(iso, answers, employees=12)
    return iso, build({"iso26000": card}, None, organisation=organisation, year=2026)


def test_passport_pdf_lists_each_failed_gate_with_what_the_law_asks():
    """S6a: every failed gate is a red flag in the PDF, with the law and its source; the level
    says a legal obligation capped it."""
    iso, passport = _passport(failing=True)
    assert passport.level == "starter" and passport.gate_capped
    document = build_passport_document(passport, {"iso26000": iso}, None, None, "nl")
    assert len(document.red_flags) == len(passport.red_flags) >= 7
    assert "wettelijke verplichting" in document.level
    text = squash(
        " ".join(pdf_pages_text(render_passport(passport, {"iso26000": iso}, None, None, "nl")))
    )
    assert squash("Wettelijke verplichtingen niet nagekomen") in text
    assert squash("art. 16bis") in text  # the ban on political donations, with its source
    assert squash("minimummaandinkomen") in text


def test_passport_pdf_without_failed_gates_has_no_red_flags():
    iso, passport = _passport(failing=False)
    assert passport.red_flags == []
    text = squash(
        " ".join(pdf_pages_text(render_passport(passport, {"iso26000": iso}, None, None, "nl")))
    )
    assert squash("Wettelijke verplichtingen niet nagekomen") not in text


def test_passport_document_counts_weet_niet_apart_and_marks_find_out_steps():
    """S3/S7: the completeness says how many answers are "weet niet"; their plan steps say
    "zoek uit"."""
    from frameworks.models import DONT_KNOW

    start = shipped_catalogue().framework("start_to_mvo")
    card = score(start, {"st_mvo_owner": DONT_KNOW, "st_yearly_goal": DONT_KNOW})
    passport = build({"start_to_mvo": card}, None)
    document = build_passport_document(passport, {"start_to_mvo": start}, None, None, "nl")
    assert document.completeness.endswith("(2 × weet niet)")
    flagged = {s.question for s in passport.improvement_plan if s.find_out}
    assert flagged == {"st_mvo_owner", "st_yearly_goal"}
    marked = [step.question for step in document.plan if step.question.endswith("(zoek uit)")]
    assert marked == ["Is er iemand in uw bedrijf die MVO opvolgt? (zoek uit)"]  # in the top steps
