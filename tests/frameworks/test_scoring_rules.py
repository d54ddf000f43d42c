"""`mvo validate` refuses a framework that breaks the scoring rules (README S1, S3, S6a).

- S1: no points for an incident (``kind: incident``/``fact`` or a text with incident words);
  a scale (options earning different points) has a "none" worth 0.
- S3: "weet niet" only on yes/no and choice questions; ``parse_cell`` reads it.
- S6a: a gate names its legal basis (law and source), earns no points for being met, fails on
  values the question can take, and caps at a level that exists.
"""

from __future__ import annotations

from frameworks.answers import DONT_KNOW
from frameworks.loader import load_file
from frameworks.models import YesNoQuestion
from frameworks.problems import ProblemCode

from .conftest import MINIMAL

LAW = """\
              law: {nl: De wet vraagt dit, en: The law asks this}
              source: "Wet van 1 januari 2000, art. 1"
"""


def codes(loaded) -> list[list[object]]:
    return loaded.report.flatten(["loc", "code"])


def question(body: str) -> str:
    return MINIMAL + "          - id: q3\n" + body


def test_scored_question_phrased_as_an_incident_is_refused(write):
    """S1: points for "free of fines" reward luck; the rule names the word it found."""
    loaded = load_file(
        write(
            question(
                "            type: yes_no\n"
                "            points: 4\n"
                "            text: {nl: Bleef u vrij van boetes?, en: Were you free of fines?}\n"
                "            advice: {nl: Doe het, en: Do it}\n"
            )
        )
    )
    assert codes(loaded) == [["sections.0.topics.0.questions.2.text", ProblemCode.SCORED_INCIDENT]]
    assert "'boetes'" in loaded.report.problems[0].message


def test_scored_question_of_kind_incident_is_refused(write):
    """S1: ``kind: incident`` with points that depend on the answer is refused."""
    loaded = load_file(
        write(
            question(
                "            type: yes_no\n"
                "            kind: incident\n"
                "            text: {nl: Was er een ongeval?, en: Was there an accident?}\n"
                "            advice: {nl: Doe het, en: Do it}\n"
            )
        )
    )
    assert codes(loaded) == [["sections.0.topics.0.questions.2.kind", ProblemCode.SCORED_INCIDENT]]


def test_unscored_incident_and_a_disclosure_point_for_any_value_pass(write):
    """S1: asked plainly with ``points: 0`` an incident is fine, and so is a number that earns
    the same point whatever its value (a disclosure, not a reward for a low count)."""
    loaded = load_file(
        write(
            question(
                "            type: yes_no\n"
                "            points: 0\n"
                "            kind: incident\n"
                "            text: {nl: Werd u beboet?, en: Were you fined?}\n"
                "          - id: q4\n"
                "            type: number\n"
                "            unit: count\n"
                "            min: 0\n"
                "            thresholds: [{gte: 0, points: 1}]\n"
                "            text: {nl: Hoeveel boetes?, en: How many fines?}\n"
                "            advice: {nl: Meld het, en: Report it}\n"
            )
        )
    )
    assert codes(loaded) == []


def test_scale_without_a_none_option_is_refused(write):
    """S1: a choice whose lowest option earns points gives points for doing nothing."""
    loaded = load_file(
        write(
            question(
                "            type: choice\n"
                "            text: {nl: Welk systeem?, en: Which system?}\n"
                "            advice: {nl: Doe het, en: Do it}\n"
                "            options:\n"
                "              - {id: basic, label: {nl: Basis, en: Basic}, points: 1}\n"
                "              - {id: full, label: {nl: Volledig, en: Full}, points: 3}\n"
            )
        )
    )
    assert codes(loaded) == [
        ["sections.0.topics.0.questions.2.options", ProblemCode.SCALE_WITHOUT_NONE]
    ]


def test_gate_without_a_legal_basis_is_refused(write):
    """S6a: a red flag must say what the law asks and where."""
    loaded = load_file(
        write(
            question(
                "            type: yes_no\n"
                "            points: 0\n"
                "            text: {nl: Heeft u de vergunning?, en: Do you have the permit?}\n"
                "            gate:\n"
                "              fails: [no]\n"
            )
        )
    )
    assert codes(loaded) == [
        ["sections.0.topics.0.questions.2.gate", ProblemCode.GATE_WITHOUT_LEGAL_BASIS]
    ]
    assert "law and source missing" in loaded.report.problems[0].message


def test_gate_that_earns_points_for_being_met_is_refused(write):
    """S6a: a legal obligation is a gate, never a few points less."""
    loaded = load_file(
        write(
            question(
                "            type: yes_no\n"
                "            points: 4\n"
                "            text: {nl: Heeft u de vergunning?, en: Do you have the permit?}\n"
                "            advice: {nl: Vraag ze aan, en: Apply for it}\n"
                "            gate:\n"
                "              fails: [no]\n" + LAW
            )
        )
    )
    assert codes(loaded) == [["sections.0.topics.0.questions.2.gate", ProblemCode.SCORED_GATE]]


def test_gate_on_a_scale_scores_only_what_goes_beyond_the_law(write):
    """S6a: a choice may score what goes beyond the law if its failing option earns 0."""
    body = (
        "            type: choice\n"
        "            text: {nl: Welk systeem?, en: Which system?}\n"
        "            advice: {nl: Doe het, en: Do it}\n"
        "            options:\n"
        "              - {id: none, label: {nl: Geen, en: None}, points: 0}\n"
        "              - {id: basic, label: {nl: Basis, en: Basic}, points: 1}\n"
        "              - {id: full, label: {nl: Volledig, en: Full}, points: 3}\n"
        "            gate:\n"
        "              fails: [none]\n"
        "              caps_at: starter\n" + LAW
    )
    assert codes(load_file(write(question(body)))) == []
    wrong = body.replace("fails: [none]", "fails: [nothing]").replace(
        "caps_at: starter", "caps_at: x"
    )
    assert codes(load_file(write(question(wrong)))) == [
        ["sections.0.topics.0.questions.2.gate.fails", ProblemCode.GATE_VALUE],
        ["sections.0.topics.0.questions.2.gate.caps_at", ProblemCode.UNKNOWN_LEVEL],
    ]


def test_dont_know_only_on_yes_no_and_choice(write):
    """S3: "weet niet" on a maturity scale is refused (its level 0 is the honest answer)."""
    loaded = load_file(
        write(
            MINIMAL.replace(
                "type: maturity\n", "type: maturity\n            allow_dont_know: true\n"
            )
        )
    )
    assert codes(loaded) == [
        ["sections.0.topics.0.questions.1.allow_dont_know", ProblemCode.DONT_KNOW_TYPE]
    ]


def test_parse_cell_reads_weet_niet():
    """S3: import reads "weet niet" / "don't know" as the distinct answer, never as no."""
    question = YesNoQuestion(
        id="q", type="yes_no", text={"nl": "v", "en": "q"}, allow_dont_know=True
    )
    for cell in ["weet niet", "Weet niet", "don't know", " ? "]:
        assert question.parse_cell(cell) == DONT_KNOW
    assert question.normalise(question.parse_cell("weet niet")) == DONT_KNOW
    assert question.parse_cell("nee") is False
