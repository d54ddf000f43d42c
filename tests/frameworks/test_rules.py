"""Cross-reference rules: every problem collected into one report with its location."""

from __future__ import annotations

from frameworks.loader import load_catalogue, load_file
from frameworks.problems import ProblemCode

from .conftest import MINIMAL

Q3 = """\
          - id: q3
            type: yes_no
            text: {nl: Vraag drie, en: Question three}
            advice: {nl: Doe drie, en: Do three}
"""


def flat(loaded) -> list[list[object]]:
    return loaded.report.flatten(["line", "loc", "code"])


def test_duplicate_question_id_names_the_first_place(write):
    """Two questions with one id: the second is reported and the message names the first."""
    loaded = load_file(write(MINIMAL + Q3.replace("id: q3", "id: q1")))
    assert flat(loaded) == [[24, "sections.0.topics.0.questions.2.id", ProblemCode.DUPLICATE_ID]]
    assert "first at line 16" in loaded.report.problems[0].message


def test_visible_if_to_a_later_question_is_refused(write):
    """A condition may only look back: a later question is a condition-order error."""
    text = MINIMAL.replace(
        "            type: yes_no\n",
        "            type: yes_no\n            visible_if: {question: q2, gte: 2}\n",
        1,
    )
    loaded = load_file(write(text))
    assert flat(loaded) == [
        [18, "sections.0.topics.0.questions.0.visible_if.question", ProblemCode.CONDITION_ORDER]
    ]


def test_visible_if_to_an_unknown_question_is_refused(write):
    """A condition on a question that does not exist is reported."""
    text = MINIMAL + Q3 + "            visible_if: {question: q9, in: [yes]}\n"
    loaded = load_file(write(text))
    assert [p.code for p in loaded.report.problems] == [ProblemCode.UNKNOWN_QUESTION]


def test_visible_if_value_the_question_can_never_take(write):
    """`in: [5]` on a maturity question (levels 0..4) can never be true."""
    text = MINIMAL + Q3 + "            visible_if: {question: q2, in: [5]}\n"
    loaded = load_file(write(text))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.CONDITION_VALUE and "0, 1, 2, 3, 4" in problem.message


def test_yes_no_condition_accepts_yes(write):
    """`in: [yes]` on a yes/no question is fine."""
    loaded = load_file(write(MINIMAL + Q3 + "            visible_if: {question: q1, in: [yes]}\n"))
    assert loaded.report.problems == []


def mapped(gri: str) -> str:
    return MINIMAL + Q3 + f"            mappings:\n              gri: [{gri}]\n"


def test_unknown_gri_disclosure_is_reported(write):
    """302-9 does not exist in GRI 302: Energy 2016."""
    loaded = load_file(write(mapped("{standard: GRI 302, year: 2016, disclosure: '302-9'}")))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.GRI_CODE and "302-1" in problem.message


def test_gri_code_with_the_wrong_year_is_reported(write):
    """GRI 102 is Climate Change 2025; the 2016 GRI 102 was replaced by GRI 2."""
    loaded = load_file(write(mapped("{standard: GRI 102, year: 2016, disclosure: '102-1'}")))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.GRI_YEAR
    assert "Climate Change 2025" in problem.message and "GRI 2 (2021)" in problem.message


def test_withdrawn_gri_standard_points_to_2_27(write):
    """GRI 307 and 419 were withdrawn in favour of GRI 2-27."""
    loaded = load_file(write(mapped("{standard: GRI 419, year: 2016, disclosure: '419-1'}")))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.GRI_WITHDRAWN and "2-27" in problem.message


def test_valid_gri_mapping_passes(write):
    """A disclosure of the right standard and year raises nothing."""
    loaded = load_file(write(mapped("{standard: GRI 403, year: 2018, disclosure: '403-9'}")))
    assert loaded.report.problems == []


def test_unknown_iso_clause_and_vsme_code_are_reported(write):
    """6.9.1 is not an ISO 26000 clause (C9 is a valid VSME disclosure)."""
    text = MINIMAL + Q3 + "            mappings: {iso26000: ['6.9.1'], vsme: [C9]}\n"
    loaded = load_file(write(text))
    assert [p.code for p in loaded.report.problems] == [ProblemCode.ISO_CLAUSE]


def test_thresholds_must_ascend(write):
    """Number thresholds are a step function and must ascend by gte."""
    text = (
        MINIMAL
        + """\
          - id: q3
            type: number
            unit: MWh
            text: {nl: Energie, en: Energy}
            advice: {nl: Meet, en: Measure}
            thresholds: [{gte: 10, points: 1}, {gte: 5, points: 2}]
"""
    )
    loaded = load_file(write(text))
    assert [p.code for p in loaded.report.problems] == [ProblemCode.THRESHOLD_ORDER]


def test_profile_references_are_checked_against_the_frameworks(write, fixtures_dir):
    """Unknown topics in materiality and a KPI on a non-number question are reported."""
    profile = (
        (fixtures_dir / "example_profile.yaml")
        .read_text()
        .replace("climate: {value: 0", "climat: {value: 0")
        .replace("question: energy_mwh", "question: training_plan")
    )
    path = write(profile, "profile.yaml")
    cat = load_catalogue([fixtures_dir / "example_framework.yaml", path])
    assert sorted(p.code for p in cat.report.problems) == [
        ProblemCode.KPI_QUESTION,
        ProblemCode.UNKNOWN_TOPIC,
    ]
    assert "example_sector" not in cat.profiles


def test_nace_codes_may_not_overlap_between_profiles(write, fixtures_dir):
    """A division in one profile overlaps its classes in another."""
    other = (
        (fixtures_dir / "example_profile.yaml")
        .read_text()
        .replace("id: example_sector", "id: other_sector")
        .replace('codes: ["41.001", "43"]', 'codes: ["43.210"]')
    )
    cat = load_catalogue(
        [
            fixtures_dir / "example_framework.yaml",
            fixtures_dir / "example_profile.yaml",
            write(other, "other.yaml"),
        ]
    )
    [problem] = cat.report.problems
    assert problem.code == ProblemCode.NACE_OVERLAP and "'example_sector'" in problem.message


def test_a_materiality_without_reason_is_reported(write, fixtures_dir):
    """Issue 13 item 6: a bare materiality number loads, with a materiality-reason warning at
    its line; the value still weighs the topic."""
    profile = (
        (fixtures_dir / "example_profile.yaml")
        .read_text()
        .replace(
            "energy: {value: 2, reason: {nl: Energie-intensief werk., en: Energy-intensive work.}}",
            "energy: 2",
        )
    )
    path = write(profile, "profile.yaml")
    cat = load_catalogue([fixtures_dir / "example_framework.yaml", path])
    [problem] = cat.report.problems
    assert (problem.code, problem.severity, problem.loc) == (
        ProblemCode.MATERIALITY_REASON,
        "warning",
        "materiality.example.energy",
    )
    assert problem.line == profile.splitlines().index("    energy: 2") + 1
    assert cat.profiles["example_sector"].materiality_of("example", "energy") == 2


CARRY_OVER = """\
carry_over:
  from: "1.0"
  renamed: {q0: q1, q2: q1, q5: q9}
  not_carried:
    - ids: [q2, q7]
      reason: {nl: Andere schaal., en: Other scale.}
"""


def test_a_bad_carry_over_mapping_is_refused_with_its_line(write):
    """Version 1.1 of the mini framework says how 1.0 answers carry over: a rename into a
    question that does not exist (q5 -> q9), a rename of an id that still exists (q2), a
    not-carried id that is no question (q7) are each refused at their line."""
    text = MINIMAL.replace('version: "1.0"\n', 'version: "1.1"\n' + CARRY_OVER, 1)
    loaded = load_file(write(text))
    assert flat(loaded) == [
        [5, "carry_over.renamed.q2", ProblemCode.CARRY_OVER_QUESTION],
        [5, "carry_over.renamed.q5", ProblemCode.CARRY_OVER_QUESTION],
        [7, "carry_over.not_carried.0.ids.1", ProblemCode.CARRY_OVER_QUESTION],
    ]
    assert "'q9', which is no question of this version" in loaded.report.problems[1].message


def test_a_carry_over_from_the_same_or_a_later_version_is_refused(write):
    text = MINIMAL.replace('version: "1.0"\n', 'version: "1.0"\ncarry_over:\n  from: "1.0"\n', 1)
    loaded = load_file(write(text))
    assert flat(loaded) == [[4, "carry_over.from", ProblemCode.CARRY_OVER_VERSION]]


def test_a_good_carry_over_block_passes(write):
    text = MINIMAL.replace(
        'version: "1.0"\n',
        'version: "1.1"\ncarry_over:\n  from: "1.0"\n  renamed: {q0: q1}\n'
        "  not_carried:\n    - ids: [q2]\n      reason: {nl: Andere schaal., en: Other scale.}\n",
        1,
    )
    assert load_file(write(text)).report.problems == []


# --- when a source was read (issue 13 item 1): ``checked`` beside ``source`` ----------------

HELP_Q3 = """\
          - id: q3
            type: yes_no
            text: {nl: Vraag drie, en: Question three}
            advice: {nl: Doe drie, en: Do three}
            help:
              nl: Uitleg
              en: Explanation
HELP_LINES"""


def _with_help(write, lines: str):
    return load_file(write(MINIMAL + HELP_Q3.replace("HELP_LINES", lines)))


def test_checked_beside_a_source_passes(write):
    """``checked`` (the day the source was read) beside ``source``: no problem."""
    loaded = _with_help(
        write, "              source: https://example.org/law\n              checked: 2026-11-30\n"
    )
    assert loaded.report.problems == []
    assert str(loaded.model.questions["q3"].help.checked) == "2026-11-30"


def test_checked_without_a_source_is_refused(write):
    """A day the source was read, but no source: refused at the line of ``checked``."""
    loaded = _with_help(write, "              checked: 2026-11-30\n")
    assert flat(loaded) == [
        [31, "sections.0.topics.0.questions.2.help.checked", ProblemCode.SOURCE_CHECKED]
    ]
    assert "names no source" in loaded.report.problems[0].message


def test_checked_in_the_future_is_refused(write):
    """Nobody read a source in 2999: refused, naming today."""
    loaded = _with_help(
        write, "              source: https://example.org/law\n              checked: 2999-01-01\n"
    )
    [problem] = loaded.report.problems
    assert (problem.code, problem.loc) == (
        ProblemCode.SOURCE_CHECKED,
        "sections.0.topics.0.questions.2.help.checked",
    )
    assert "after today" in problem.message


def test_a_malformed_checked_day_names_its_line(write):
    """``checked: 2026-13-01`` is no day: the loader says where."""
    loaded = _with_help(
        write, "              source: https://example.org/law\n              checked: 2026-13-01\n"
    )
    assert not loaded.report.valid
    [problem] = loaded.report.problems
    assert problem.loc == "sections.0.topics.0.questions.2.help.checked"
    assert problem.line == 32


def test_checked_on_a_legal_note_is_checked_too(write):
    """A legal note (a threshold shown by size) carries ``checked`` the same way."""
    question = """\
          - id: q3
            type: yes_no
            text: {nl: Vraag drie, en: Question three}
            advice: {nl: Doe drie, en: Do three}
            legal:
              - from_employees: 50
                text: {nl: Vanaf 50, en: From 50}
                source: Wet
                checked: 2999-01-01
"""
    loaded = load_file(write(MINIMAL + question))
    assert [(p.code, p.loc) for p in loaded.report.problems] == [
        (ProblemCode.SOURCE_CHECKED, "sections.0.topics.0.questions.2.legal.0.checked")
    ]
