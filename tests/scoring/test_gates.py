"""Gates, "weet niet" and questions about employees on the shipped questionnaires.

Requirements covered (README "How scores are computed"): S1 (incidents and legal obligations
earn no points), S2 (a firm without employees is asked no employee question), S3 ("weet niet"
counts as unanswered, reported apart), S6a (a legal obligation not met caps the level and shows
what the law asks), S7 ("weet niet" is "zoek uit" in the plan).
"""

from __future__ import annotations

import pandas as pd
import pytest

from frameworks.loader import shipped_catalogue
from frameworks.models import DONT_KNOW, Framework, QuestionBase
from frameworks.visibility import visible_questions
from scoring import score
from scoring.batch import score_many
from scoring.passport import build


@pytest.fixture(scope="module")
def catalogue():
    return shipped_catalogue()


@pytest.fixture(scope="module")
def iso(catalogue) -> Framework:
    return catalogue.framework("iso26000")


def lowest(question: QuestionBase):
    """The zero-effort answer: level 0, "no", the option worth least, nothing chosen."""
    if question.type == "maturity":
        return 0
    if question.type == "yes_no":
        return False
    if question.type == "choice":
        return min(question.options, key=lambda o: o.points).id
    if question.type == "multi":
        return []
    if question.type == "number":
        return question.min if question.min is not None else 0
    return "niets"


def compliant(question: QuestionBase):
    """The answer that meets a gate: the other of yes/no, or the best option not failing."""
    fails = question.gate.fails
    if question.answer_options:
        passing = [o for o in question.answer_options if o.id not in fails]
        return max(passing, key=lambda o: o.points).id
    return not any(v in (True, "yes") for v in fails)


def zero_effort(framework: Framework) -> dict:
    """Every level 0, the lowest option everywhere, compliant answers to the gates and no
    incidents."""
    answers = {}
    for qid, question in framework.questions.items():
        if question.gate is not None:
            answers[qid] = compliant(question)
        elif question.kind == "incident":
            answers[qid] = False
        else:
            answers[qid] = lowest(question)
    return answers


def best(framework: Framework) -> dict:
    answers = {}
    for qid, question in framework.questions.items():
        if question.gate is not None:
            answers[qid] = compliant(question)
        elif question.kind == "incident":
            answers[qid] = False
        else:
            answer = question.best_answer()
            answers[qid] = answer if answer is not None else lowest(question)
    return answers


# ------------------------------------------------------------------------------- S1, S6a
@pytest.mark.parametrize("framework_id", ["iso26000", "start_to_mvo"])
def test_zero_effort_company_with_compliant_answers_scores_below_5_and_shows_its_gates(
    catalogue, framework_id
):
    """S1/S6a: obeying the law earns nothing; doing nothing else scores below 5 out of 100,
    and the card lists every gate that applies, met."""
    framework = catalogue.framework(framework_id)
    card = score(framework, zero_effort(framework))
    assert card.overall is not None and card.overall < 5
    gated = [qid for qid, q in framework.questions.items() if q.gate is not None]
    if framework_id == "iso26000":
        assert len(gated) >= 7
    assert sorted(g.question for g in card.gates) == sorted(gated)
    assert {g.status for g in card.gates} <= {"met"}
    passport = build({framework_id: card}, None)
    assert passport.red_flags == [] and passport.level == "starter"


def test_fair_operating_practices_no_longer_pay_for_obeying_the_law(iso):
    """S1: the fair-operating-practices section of the zero-effort company scores 0 (it was
    36.7 % from four compliant yes answers)."""
    card = score(iso, zero_effort(iso))
    assert card.sections["s6_6"].score == 0.0


def test_gate_and_incident_questions_are_unscored_but_keep_their_mappings(iso):
    """S1: incidents and legal obligations earn no points; they still feed GRI and VSME."""
    for qid in ["iso_6_6_3_c", "iso_6_6_5_b", "iso_6_6_4_b", "iso_6_4_4_b", "iso_6_7_3_b"]:
        assert iso.questions[qid].max_points == 0, qid
    assert {g.disclosure for g in iso.questions["iso_6_6_3_c"].mappings.gri} == {"205-3", "2-27"}
    assert iso.questions["iso_6_6_3_c"].mappings.vsme == ["B11"]
    assert {g.disclosure for g in iso.questions["iso_6_6_5_b"].mappings.gri} == {"206-1", "2-27"}


def test_a_failed_gate_caps_the_level_and_shows_what_the_law_asks(iso):
    """S6a: the best company that pays below the minimum wage is a starter, with a red flag
    naming the law; breaking copyright caps at "op weg"; the score itself does not move."""
    answers = best(iso)
    good = score(iso, answers, employees=12)
    assert build({"iso26000": good}, None).level == "voorloper"

    below_wage = score(iso, {**answers, "iso_6_4_4_b": False}, employees=12)
    assert below_wage.overall == pytest.approx(good.overall)
    passport = build({"iso26000": below_wage}, None)
    assert passport.level == "starter" and passport.capped and passport.gate_capped
    (flag,) = passport.red_flags
    assert flag.question == "iso_6_4_4_b" and flag.caps_at == "starter"
    assert "minimummaandinkomen" in flag.law["nl"] and "minimum monthly income" in flag.law["en"]
    assert "cao nr. 43" in flag.source.lower()

    unlicensed = build({"iso26000": score(iso, {**answers, "iso_6_6_7_a": False})}, None)
    assert unlicensed.level == "op_weg"
    assert [f.question for f in unlicensed.red_flags] == ["iso_6_6_7_a"]

    donations = build({"iso26000": score(iso, {**answers, "iso_6_6_4_b": True})}, None)
    assert donations.level == "op_weg"  # the ban on political donations fails on "yes"


def test_a_gate_of_a_hidden_or_unanswered_question_raises_no_flag(iso):
    """S6a: only an answered, visible value fails a gate; an open or "weet niet" one is open."""
    answers = best(iso)
    answers["iso_6_4_4_b"] = False
    hidden = score(iso, answers, employees=0)  # no employees: no wage question, no gate
    assert "iso_6_4_4_b" not in {g.question for g in hidden.gates}
    answers["iso_6_4_4_b"] = DONT_KNOW
    card = score(iso, answers)
    (gate,) = [g for g in card.gates if g.question == "iso_6_4_4_b"]
    assert gate.status == "open"
    assert build({"iso26000": card}, None).red_flags == []


def test_a_sector_gate_caps_the_passport(catalogue):
    """S6a in a sector passport: a food company without self-checking (autocontrole) is a
    starter whatever else it does."""
    profile = catalogue.profile("voeding")
    iso = catalogue.framework("iso26000")
    from frameworks.compose import effective_framework

    effective = effective_framework(iso, profile)
    answers = best(effective)
    assert build({"iso26000": score(iso, answers, profile)}, profile).level != "starter"
    answers["voeding_food_safety_system"] = "none"
    passport = build({"iso26000": score(iso, answers, profile)}, profile)
    assert passport.level == "starter"
    assert [f.question for f in passport.red_flags] == ["voeding_food_safety_system"]


# ------------------------------------------------------------------------------------ S2
def test_a_firm_without_employees_is_asked_no_employee_question(iso):
    """S2: at 0 FTE every question about employees is hidden, in the engine, in score_many
    and in the visible list the questionnaire page draws; iso_6_4_4_b is then not required."""
    employee_questions = {qid for qid, q in iso.questions.items() if q.about_employees}
    assert len(employee_questions) >= 20
    assert "iso_6_4_4_b" in employee_questions and iso.questions["iso_6_4_4_b"].required

    card = score(iso, {})
    assert "iso_6_4_4_b" in card.required_open
    solo = score(iso, {}, employees=0)
    assert {q for q, s in solo.questions.items() if s.status == "hidden"} >= employee_questions
    assert "iso_6_4_4_b" not in solo.required_open
    assert not employee_questions & visible_questions(iso, {}, employees=0)
    unconditional = {q for q in employee_questions if iso.questions[q].visible_if is None}
    assert unconditional <= visible_questions(iso, {}, employees=None)
    assert unconditional <= visible_questions(iso, {}, employees=1)

    answers = best(iso)
    table = pd.DataFrame(
        [(a, qid, v) for a in (1, 2) for qid, v in answers.items()],
        columns=["assessment", "question", "value"],
    )
    result = score_many(iso, table, employees={1: 0, 2: 25})
    assert result.loc[1, "overall"] == pytest.approx(score(iso, answers, employees=0).overall)
    assert result.loc[2, "overall"] == pytest.approx(score(iso, answers, employees=25).overall)
    assert result.loc[1, "completeness"] == pytest.approx(1.0)


def test_the_questionnaire_page_draws_no_employee_question_at_0_fte(iso):
    """S2: the page's visible list (``app.ui.questionnaire.visible_ids``) is the engine's."""
    from app.ui.questionnaire import section_progress, visible_ids

    shown = visible_ids(iso, {}, employees=0)
    assert not any(iso.questions[q].about_employees for q in shown)
    labour = next(s for s in iso.sections if s.id == "s6_4")
    answered, visible = section_progress(iso, labour, {}, employees=0)
    assert (answered, visible) == (0, 1)  # only iso_6_4_3_b (freelancers) is left


def test_legal_thresholds_are_information_at_the_right_size(iso):
    """Legal notes show from their size on, never as points."""
    consult = iso.questions["iso_6_4_5_b"]
    assert consult.legal_notes(10) == []
    assert [n.from_employees for n in consult.legal_notes(60)] == [50]
    assert [n.from_employees for n in consult.legal_notes(150)] == [50, 100]
    training = iso.questions["iso_6_4_7_a"]
    assert [n.from_employees for n in training.legal_notes(5)] == [1]
    assert [n.from_employees for n in training.legal_notes(12)] == [10]
    assert [n.from_employees for n in training.legal_notes(20)] == [20]
    assert iso.questions["iso_6_3_6_b"].legal_notes(49) == []
    assert "klokkenluiders" in iso.questions["iso_6_3_6_b"].legal_notes(50)[0].text.nl


# ------------------------------------------------------------------------------- S3, S7
def test_dont_know_counts_as_unanswered_and_is_reported_apart(catalogue):
    """S3: "weet niet" earns 0 points, stays in the denominator, is not answered, and the
    card counts it apart from the open questions; S7: the plan says "zoek uit"."""
    start = catalogue.framework("start_to_mvo")
    yes_no = [qid for qid, q in start.questions.items() if q.type == "yes_no"]
    assert yes_no and all(start.questions[q].allow_dont_know for q in yes_no)
    answers = {qid: start.questions[qid].best_answer() for qid in start.questions}
    answers = {q: v for q, v in answers.items() if v is not None}
    first, second = yes_no[:2]
    with_dk = {**answers, first: DONT_KNOW}
    without = {k: v for k, v in answers.items() if k != first}
    known = score(start, {**answers, first: False})
    dk = score(start, with_dk)
    open_ = score(start, without)
    assert dk.overall == pytest.approx(open_.overall) == pytest.approx(known.overall)
    assert dk.completeness == pytest.approx(open_.completeness)
    assert dk.completeness < known.completeness
    assert dk.questions[first].status == "dont_know"
    assert (dk.dont_know, open_.dont_know) == (1, 0)
    assert dk.open == open_.open - 1
    assert dk.answered == open_.answered

    passport = build({"start_to_mvo": score(start, {**with_dk, second: DONT_KNOW})}, None)
    assert passport.find_out == [first, second]
    steps = {s.question: s for s in passport.improvement_plan}
    assert steps[first].find_out and steps[second].find_out

    table = pd.DataFrame(
        [(1, q, v) for q, v in with_dk.items()], columns=["assessment", "question", "value"]
    )
    row = score_many(start, table).loc[1]
    assert row["dont_know"] == 1
    assert row["overall"] == pytest.approx(dk.overall)
    assert row["completeness"] == pytest.approx(dk.completeness)


def test_dont_know_is_refused_where_the_question_does_not_offer_it(iso):
    """S3: "weet niet" is an answer only where the question offers it."""
    from scoring.validation import InvalidAnswers

    assert not iso.questions["iso_6_3_3_b"].allow_dont_know
    with pytest.raises(InvalidAnswers) as caught:
        score(iso, {"iso_6_3_3_b": DONT_KNOW})
    assert caught.value.problems[0].code == "dont-know-not-allowed"


def test_mvo_score_reports_red_flags_and_hides_employee_questions_at_fte_0(tmp_path, iso):
    """S2/S6a through ``mvo score``: ``--fte 0`` hides the employee questions (no red flag of
    the wage gate then), and a failed gate is listed with its law in the JSON."""
    import json

    from typer.testing import CliRunner

    from app.cli import cli

    answers = {**best(iso), "iso_6_4_4_b": False}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"framework": "iso26000", "answers": answers}), encoding="utf-8")
    runner = CliRunner()
    args = ["score", "--framework", "iso26000", "--answers", str(path)]
    result = runner.invoke(cli, [*args, "--fte", "12"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["level"] == "starter"
    assert [f["question"] for f in data["red_flags"]] == ["iso_6_4_4_b"]
    assert "minimummaandinkomen" in data["red_flags"][0]["law"]["nl"]
    solo = json.loads(runner.invoke(cli, [*args, "--fte", "0"]).output)
    assert solo["red_flags"] == [] and solo["questions"]["iso_6_4_4_b"]["status"] == "hidden"
    assert solo["level"] == "voorloper"
