"""Problems found in a framework or sector-profile file, collected into one report, and the
source map that locates them (shared by the loader and the rules, so neither imports the other).

Every user-facing problem has a code from ``ProblemCode``; its message says where, why, and a
way out ("Please either: ..."). Checks yield problems instead of raising at the first one, so
``mvo validate`` shows everything wrong with a file in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Severity = Literal["error", "warning"]


class ProblemCode(StrEnum):
    """Codes of every problem the loader and the rules report."""

    # reading the file
    FILE_NOT_FOUND = "file-not-found"
    FILE_TOO_LARGE = "file-too-large"
    BINARY_FILE = "binary-file"
    NOT_UTF8 = "not-utf8"
    EMPTY_FILE = "empty-file"
    YAML_SYNTAX = "yaml-syntax"
    UNSAFE_TAG = "unsafe-tag"
    DUPLICATE_KEY = "duplicate-key"
    NOT_A_MAPPING = "not-a-mapping"
    UNKNOWN_KIND = "unknown-kind"
    # the schema (pydantic)
    UNKNOWN_KEY = "unknown-key"
    MISSING_KEY = "missing-key"
    WRONG_TYPE = "wrong-type"
    INVALID_VALUE = "invalid-value"
    # cross-references (rules)
    DUPLICATE_ID = "duplicate-id"
    UNKNOWN_QUESTION = "unknown-question"
    CONDITION_ORDER = "condition-order"
    CONDITION_VALUE = "condition-value"
    UNKNOWN_SCALE = "unknown-scale"
    LEVELS_AND_SCALE = "levels-and-scale"
    RANGE_ORDER = "range-order"
    THRESHOLD_ORDER = "threshold-order"
    ISO_CLAUSE = "unknown-iso26000-clause"
    GRI_CODE = "unknown-gri-code"
    GRI_YEAR = "wrong-gri-year"
    GRI_WITHDRAWN = "withdrawn-gri-standard"
    VSME_CODE = "unknown-vsme-code"
    EFQM_CODE = "unknown-efqm-code"
    SECTION_WEIGHTS = "section-weights"
    MISSING_TEXT = "missing-text"
    UNKNOWN_FRAMEWORK = "unknown-framework"
    FRAMEWORK_VERSION = "framework-version"
    UNKNOWN_TOPIC = "unknown-topic"
    LEVEL_ORDER = "level-order"
    UNKNOWN_LEVEL = "unknown-level"
    KPI_QUESTION = "kpi-question"
    NACE_OVERLAP = "nace-overlap"
    DUPLICATE_FILE_ID = "duplicate-file-id"
    MATERIALITY_REASON = "materiality-reason"
    # The scoring rules' guards (README S1, S3, S6a)
    SCORED_INCIDENT = "scored-incident"
    SCALE_WITHOUT_NONE = "scale-without-none"
    GATE_WITHOUT_LEGAL_BASIS = "gate-without-legal-basis"
    SCORED_GATE = "scored-gate"
    GATE_VALUE = "gate-value"
    DONT_KNOW_TYPE = "dont-know-type"
    # carrying answers over between versions
    CARRY_OVER_VERSION = "carry-over-version"
    CARRY_OVER_QUESTION = "carry-over-question"
    ARCHIVE_NAME = "archive-name"
    # Sector KPIs and plausibility checks (issue 13 item 5)
    KPI_DENOMINATOR = "kpi-denominator"
    KPI_THRESHOLD_SOURCE = "kpi-threshold-source"
    PLAUSIBILITY_QUESTION = "plausibility-question"
    # When a source was read (issue 13 item 1)
    SOURCE_CHECKED = "source-checked"


@dataclass(frozen=True)
class Problem:
    """One problem: what (code, message), how bad (severity) and where (file, line, loc)."""

    code: ProblemCode
    message: str
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None
    column: int | None = None
    loc: str | None = None

    def format(self) -> str:
        """``PATH:LINE: CODE loc: message`` (the line ``mvo validate`` prints)."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        severity = "" if self.severity == "error" else " (warning)"
        at = f" {self.loc}:" if self.loc else ""
        column = f" (column {self.column})" if self.column and self.code in _COLUMN_CODES else ""
        return f"{where}: {self.code}{severity}{at} {self.message}{column}"


_COLUMN_CODES = {ProblemCode.YAML_SYNTAX, ProblemCode.UNSAFE_TAG, ProblemCode.DUPLICATE_KEY}


@dataclass
class Report:
    """Every problem found, in the order found; valid when none is an error."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def flatten(self, keys: Sequence[str]) -> list[list[object]]:
        """The problems as rows of the given attributes, for compact test assertions."""
        return [[getattr(p, k) for k in keys] for p in self.problems]


class FrameworkFileError(Exception):
    """A framework or profile file could not be loaded; ``report`` lists every problem."""

    def __init__(self, report: Report) -> None:
        self.report = report
        lines = "\n".join(p.format() for p in report.errors) or "invalid file"
        super().__init__(lines)


Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value of a parsed document stands in its file (1-based lines)."""

    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return None
            path = path[:-1]

    def problem(
        self,
        code: ProblemCode,
        path: Sequence[str | int],
        message: str,
        severity: str = "error",
        *,
        key: bool = False,
    ) -> Problem:
        """A problem located at ``path`` in this file."""
        pos = self.locate(path, key=key)
        return Problem(
            code=code,
            message=message,
            severity=severity,  # type: ignore[arg-type]
            file=self.file,
            line=pos[0] if pos else None,
            column=pos[1] if pos else None,
            loc=".".join(str(p) for p in path) or None,
        )


class _NoPositions(SourceMap):
    """A source map for models built in code: problems carry a loc but no line."""

    def __init__(self, name: str = "<model>") -> None:
        super().__init__(file=name)


def no_positions(name: str = "<model>") -> SourceMap:
    """A source map for models built in code (problems get a loc, no line)."""
    return _NoPositions(name)
