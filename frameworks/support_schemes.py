"""Support schemes (subsidies) that can pay for an action of an SME's action plan.

One YAML file (``frameworks/support_schemes.yaml``) declares them: each scheme's name in Dutch
and English, what it covers as its source said it on the date checked, the agency, the source
URL and which questions it matches, by ISO 26000 clause or by question id. This module loads
it with ``file:line`` problems (the loader's own source map) and answers one question: which
schemes match a question. Matching is a hint for the SME ("check whether ..."); eligibility is
the agency's decision, never computed here.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from frameworks.loader import _display, _schema_problems, parse_yaml, read_text
from frameworks.models import (
    ID_PATTERN,
    ISO_CLAUSE_PATTERN,
    LocalizedText,
    Model,
    QuestionBase,
    Topic,
)
from frameworks.problems import FrameworkFileError, ProblemCode, Report
from frameworks.reference import reference

SCHEMES_FILE = Path(__file__).resolve().parent / "support_schemes.yaml"


class SchemeMatches(Model):
    """Which questions a scheme can pay for: by ISO 26000 clause (the question's own clause
    mappings or its topic's clause) or by question id."""

    iso26000: list[Annotated[str, Field(pattern=ISO_CLAUSE_PATTERN)]] = []
    questions: list[Annotated[str, Field(pattern=ID_PATTERN)]] = []


class SupportScheme(Model):
    """One support scheme, as its source described it on ``source_date``."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    name: LocalizedText
    agency: Annotated[str, Field(min_length=1)]
    covers: LocalizedText
    source: Annotated[str, Field(pattern=r"^https://\S+$")]
    source_date: date
    matches: SchemeMatches

    def matches_question(self, question: QuestionBase, topic: Topic | None) -> bool:
        """Whether this scheme can pay for raising ``question`` (of ``topic``)."""
        if question.id in self.matches.questions:
            return True
        clauses = set(question.mappings.iso26000)
        if topic is not None and topic.clause:
            clauses.add(topic.clause)
        return bool(clauses & set(self.matches.iso26000))


class SupportSchemes(Model):
    """Every support scheme the action plan offers, checked on ``checked``."""

    version: Annotated[str, Field(min_length=1)]
    checked: date
    schemes: Annotated[list[SupportScheme], Field(min_length=1)]

    def get(self, scheme_id: str | None) -> SupportScheme | None:
        return next((s for s in self.schemes if s.id == scheme_id), None)

    def ids(self) -> list[str]:
        return [s.id for s in self.schemes]

    def matching(self, question: QuestionBase, topic: Topic | None) -> list[SupportScheme]:
        """The schemes that match ``question``, in file order."""
        return [s for s in self.schemes if s.matches_question(question, topic)]


def read_support_schemes(path: str | Path = SCHEMES_FILE) -> tuple[SupportSchemes | None, Report]:
    """The schemes file as a model (None when it has errors) and the report of its problems."""
    path = Path(path)
    report = Report()
    text, problems = read_text(path)
    report.extend(problems)
    if text is None:
        return None, report
    data, source, problems = parse_yaml(text, _display(path))
    report.extend(problems)
    if problems:
        return None, report
    if not isinstance(data, dict):
        report.extend(
            [
                source.problem(
                    ProblemCode.NOT_A_MAPPING,
                    (),
                    "the file holds no mapping of keys. Please start it with 'version:', "
                    "'checked:' and 'schemes:'.",
                )
            ]
        )
        return None, report
    try:
        model = SupportSchemes.model_validate(data)
    except ValidationError as exc:
        report.extend(_schema_problems(exc, SupportSchemes, data, source))
        return None, report
    known_clauses = reference().iso_clauses
    seen: set[str] = set()
    for number, scheme in enumerate(model.schemes):
        for i, clause in enumerate(scheme.matches.iso26000):
            if clause not in known_clauses:
                report.extend(
                    [
                        source.problem(
                            ProblemCode.ISO_CLAUSE,
                            ("schemes", number, "matches", "iso26000", i),
                            f"'{clause}' is not an ISO 26000:2010 core subject, issue or "
                            "principle. Please use a clause such as 6.4.7 (issues run "
                            "6.3.3..6.8.9) or 4.2..4.8.",
                        )
                    ]
                )
        if scheme.id in seen:
            report.extend(
                [
                    source.problem(
                        ProblemCode.DUPLICATE_ID,
                        ("schemes", number, "id"),
                        f"the scheme id '{scheme.id}' is used twice. Please give each scheme "
                        "its own id.",
                    )
                ]
            )
        seen.add(scheme.id)
    return (model if report.valid else None), report


@lru_cache(maxsize=4)
def load_support_schemes(path: str | Path = SCHEMES_FILE) -> SupportSchemes:
    """The schemes file as a model; raises ``FrameworkFileError`` listing every problem."""
    model, report = read_support_schemes(path)
    if model is None:
        raise FrameworkFileError(report)
    return model
