"""The loader: YAML into models with file:line positions, and every bad input reported.

Each bad-input case of the foundation issue is a test here: malformed YAML, wrong types,
missing nl/en text, unknown keys with a typo, negative weights, unsafe tags, empty and binary
files, non-UTF-8 text, duplicate keys, files over the size limit.
"""

from __future__ import annotations

from frameworks import loader
from frameworks.loader import load_catalogue, load_file, load_framework
from frameworks.models import Framework
from frameworks.problems import FrameworkFileError, ProblemCode

from .conftest import MINIMAL


def codes_and_lines(loaded) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in loaded.report.problems]


def test_minimal_framework_loads_without_problems(write):
    """A valid file should load into a Framework with no problem at all."""
    loaded = load_file(write(MINIMAL))
    assert loaded.report.problems == []
    assert isinstance(loaded.model, Framework)
    assert list(loaded.model.questions) == ["q1", "q2"]


def test_malformed_yaml_points_at_line_and_column(write):
    """A syntax error should name the line and the column where the parser stopped."""
    text = MINIMAL.replace("title: {nl: Sectie, en: Section}", "title: {nl: Sectie, en: Section")
    loaded = load_file(write(text))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.YAML_SYNTAX
    assert problem.line == 12 and problem.column is not None
    assert "column" in problem.format()


def test_wrong_type_names_the_dotted_path_and_line(write):
    """A list where a number belongs should be reported at that key's line with its path."""
    text = MINIMAL.replace(
        "            type: yes_no\n", "            type: yes_no\n            weight: [1, 2]\n"
    )
    loaded = load_file(write(text))
    assert codes_and_lines(loaded) == [(ProblemCode.WRONG_TYPE, 18)]
    assert loaded.report.problems[0].loc == "sections.0.topics.0.questions.0.weight"


def test_missing_dutch_text_is_reported_as_missing_text(write):
    """A text with only English should say the Dutch text is missing, where."""
    text = MINIMAL.replace("text: {nl: Vraag een, en: Question one}", "text: {en: Question one}")
    loaded = load_file(write(text))
    [problem] = loaded.report.problems
    assert (problem.code, problem.line, problem.loc) == (
        ProblemCode.MISSING_TEXT,
        18,
        "sections.0.topics.0.questions.0.text.nl",
    )


def test_unknown_key_with_a_typo_suggests_the_nearest_key(write):
    """'advise' is not a key; the message should suggest 'advice'."""
    text = MINIMAL.replace("advice: {nl: Doe het, en: Do it}", "advise: {nl: Doe het, en: Do it}")
    loaded = load_file(write(text))
    [problem] = loaded.report.problems
    assert (problem.code, problem.line) == (ProblemCode.UNKNOWN_KEY, 19)
    assert "rename it to 'advice'" in problem.message


def test_negative_weight_is_an_invalid_value(write):
    """Weights must be > 0."""
    text = MINIMAL.replace(
        "            type: maturity\n", "            type: maturity\n            weight: -2\n"
    )
    loaded = load_file(write(text))
    assert codes_and_lines(loaded) == [(ProblemCode.INVALID_VALUE, 22)]
    assert "greater than 0" in loaded.report.problems[0].message


def test_every_problem_is_collected_not_only_the_first(write):
    """Three independent errors should give three problems in one report."""
    text = (
        MINIMAL.replace("advice: {nl: Doe het, en: Do it}", "advise: {nl: Doe het, en: Do it}")
        .replace("text: {nl: Vraag twee, en: Question two}", "text: {nl: Vraag twee}")
        .replace('version: "1.0"', "version: one")
    )
    loaded = load_file(write(text))
    assert sorted(p.code for p in loaded.report.problems) == sorted(
        [ProblemCode.UNKNOWN_KEY, ProblemCode.MISSING_TEXT, ProblemCode.INVALID_VALUE]
    )


def test_python_object_tags_are_refused(write):
    """'!!python/object' must never be constructed; it is reported at its line."""
    text = MINIMAL + "extra: !!python/object/apply:os.system ['echo hacked']\n"
    loaded = load_file(write(text))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.UNSAFE_TAG
    assert problem.line == MINIMAL.count("\n") + 1


def test_empty_file_is_reported(write):
    """An empty (or comment-only) file should say it is empty."""
    for content in ("", "# only a comment\n"):
        loaded = load_file(write(content))
        assert [p.code for p in loaded.report.problems] == [ProblemCode.EMPTY_FILE]


def test_binary_file_is_reported(write):
    """A file with NUL bytes is binary, not YAML."""
    loaded = load_file(write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert [p.code for p in loaded.report.problems] == [ProblemCode.BINARY_FILE]


def test_non_utf8_text_names_the_line(write):
    """Latin-1 text should be refused with the line of the first bad byte."""
    content = MINIMAL.replace("Vraag twee", "Vraag twee caf\u00e9").encode("latin-1")
    loaded = load_file(write(content))
    [problem] = loaded.report.problems
    assert (problem.code, problem.line) == (ProblemCode.NOT_UTF8, 22)


def test_duplicate_keys_are_reported_instead_of_silently_overwritten(write):
    """YAML keeps the last of two equal keys; we report the second one."""
    text = MINIMAL.replace('version: "1.0"\n', 'version: "1.0"\nversion: "2.0"\n')
    loaded = load_file(write(text))
    [problem] = loaded.report.problems
    assert (problem.code, problem.line) == (ProblemCode.DUPLICATE_KEY, 3)


def test_file_over_the_size_limit_is_not_read(write, monkeypatch):
    """Files above MAX_BYTES are refused before parsing."""
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    loaded = load_file(write(MINIMAL))
    assert [p.code for p in loaded.report.problems] == [ProblemCode.FILE_TOO_LARGE]


def test_unquoted_yes_and_no_stay_text_as_in_yaml_1_2(write):
    """`id: no` and `en: No` are text (YAML 1.2 booleans are only true/false)."""
    text = MINIMAL.replace(
        "          - id: q2\n            type: maturity\n",
        "          - id: q2\n            type: choice\n            options:\n"
        "              - {id: no, label: {nl: Nee, en: No}}\n"
        "              - {id: ja, label: {nl: Ja, en: Yes}, points: 1}\n",
    )
    loaded = load_file(write(text))
    assert loaded.report.problems == []
    options = loaded.model.questions["q2"].options
    assert [(o.id, o.label.en) for o in options] == [("no", "No"), ("ja", "Yes")]


def test_a_boolean_where_text_belongs_explains_how_to_quote(write):
    """`en: true` is a boolean; the message should say to quote it."""
    loaded = load_file(write(MINIMAL.replace("en: Question one", "en: true")))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.WRONG_TYPE and "quote" in problem.message


def test_unknown_question_type_lists_the_types(write):
    """A type that is not in the union should list the valid types."""
    loaded = load_file(write(MINIMAL.replace("type: maturity", "type: slider")))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.WRONG_TYPE and "maturity, yes_no" in problem.message


def test_load_framework_raises_with_the_whole_report(write):
    """load_framework should raise one error that carries every problem."""
    path = write(MINIMAL.replace("type: maturity", "type: slider"))
    try:
        load_framework(path)
    except FrameworkFileError as exc:
        assert exc.report.errors and str(path.name) in str(exc)
    else:
        raise AssertionError("expected FrameworkFileError")


def test_catalogue_replaces_a_shipped_framework_with_a_dropped_in_one(write, fixtures_dir):
    """A federation's own file with the same id replaces the earlier one, with a warning."""
    own = write(
        (fixtures_dir / "example_framework.yaml")
        .read_text()
        .replace('version: "1.0"', 'version: "2.0"'),
        "own.yaml",
    )
    cat = load_catalogue([fixtures_dir / "example_framework.yaml", own])
    assert cat.frameworks["example"].version == "2.0"
    assert [p.code for p in cat.report.problems] == [ProblemCode.DUPLICATE_FILE_ID]


def test_frameworks_package_imports_no_streamlit_sqlalchemy_or_app():
    """The core stays pure: loading frameworks pulls in no UI, database, app or scoring code."""
    import subprocess
    import sys

    code = (
        "import sys, frameworks.loader, frameworks.rules, frameworks.catalogue\n"
        "frameworks.loader.load_catalogue()\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('streamlit', 'sqlalchemy', 'app', 'scoring', 'exports'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_plain_scalars_follow_the_yaml_1_2_core_schema():
    """Numbers and true/false/null are typed; yes/no/on, dates and quoted text stay text;
    merge keys and anchors work; positions are kept for merged-into mappings."""
    data, source, problems = loader.parse_yaml(
        "base: &b {x: 1, y: 2}\n"
        "other:\n  <<: *b\n  y: 3\n"
        "n: [1, 1.5, -2, 1e3, .inf, null, ~, yes, No, on, true, '3', 2024-01-01, '']\n",
        "t.yaml",
    )
    assert problems == []
    assert data["other"] == {"y": 3, "x": 1}
    assert data["n"][:7] == [1, 1.5, -2, 1000.0, float("inf"), None, None]
    assert data["n"][7:] == ["yes", "No", "on", True, "3", "2024-01-01", ""]
    assert source.locate(("other", "y")) == (4, 6)
