"""Structure the issue asks for: one owner per rule (issue 10).

- Per-type behaviour lives on the question classes (``frameworks.models``): no other module
  switches on a question's type, except the few places listed in ``ALLOWED`` with the reason
  they cannot ask the class. A ninth switch anywhere else fails this test, naming its line.
- No import cycle between the frameworks modules (``loader`` <-> ``rules`` was one, through a
  ``TYPE_CHECKING`` import): every module also imports on its own in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("frameworks", "scoring", "exports", "app")
QUESTION_CLASSES = {
    "QuestionBase",
    "MaturityQuestion",
    "YesNoQuestion",
    "ChoiceQuestion",
    "MultiQuestion",
    "NumberQuestion",
    "TextQuestion",
}
TYPE_NAMES = {"maturity", "yes_no", "choice", "multi", "number", "text"}
#: Names that hold a question's type where code compares them with a type's name.
TYPE_HOLDERS = {"type", "kind", "ref_type", "question_type", "types"}

#: module -> functions that may switch on the type, and why they cannot ask the class.
ALLOWED: dict[str, dict[str, str]] = {
    "frameworks/models.py": {"*": "the question classes themselves"},
    "scoring/batch.py": {
        "_read_question": "reads one type's values for 100,000 assessments at once (numpy)",
        "_problems": "a numeric value column writes yes/no as 1/0 (see the module docstring)",
    },
    "app/ui/questionnaire.py": {
        "widget_value": "the Streamlit widget's own value form (frameworks import no streamlit)",
        "answer_value": "the Streamlit widget's own value form (frameworks import no streamlit)",
        "_option_labels": "widget labels per type",
        "answer_text": "a stored answer shown by its widget label (presentation only)",
        "render_question": "which Streamlit widget draws the question",
        "_on_change": "the number field's inline range message",
    },
}


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def _type_literals(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in TYPE_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_type_literals(e) for e in node.elts)
    return False


def _holds_type(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in TYPE_HOLDERS
    if isinstance(node, ast.Name):
        return node.id in TYPE_HOLDERS
    if isinstance(node, ast.Subscript):
        return _holds_type(node.value)
    return False


class _SwitchFinder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.stack: list[str] = []
        self.found: list[tuple[int, str, str]] = []

    def _function(self, node) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _function

    def _report(self, node: ast.AST, what: str) -> None:
        self.found.append((node.lineno, self.stack[-1] if self.stack else "<module>", what))

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "isinstance" and len(node.args) == 2:
            classes = _names(node.args[1]) & QUESTION_CLASSES
            if classes:
                self._report(node, f"isinstance(..., {' | '.join(sorted(classes))})")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        sides = [node.left, *node.comparators]
        if any(_type_literals(s) for s in sides) and any(_holds_type(s) for s in sides):
            self._report(node, ast.unparse(node))
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)} & TYPE_NAMES
        if len(keys) >= 3:
            self._report(node, f"a table keyed by question types ({', '.join(sorted(keys))})")
        self.generic_visit(node)

    def visit_MatchClass(self, node: ast.MatchClass) -> None:
        if _names(node.cls) & QUESTION_CLASSES:
            self._report(node, f"case {ast.unparse(node)}")
        self.generic_visit(node)


def type_switches() -> list[str]:
    """Every switch on a question's type outside the allowed places, as ``path:line (where)``."""
    problems = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            allowed = ALLOWED.get(relative, {})
            if "*" in allowed:
                continue
            finder = _SwitchFinder()
            finder.visit(ast.parse(path.read_text(encoding="utf-8")))
            for line, where, what in finder.found:
                if where not in allowed:
                    problems.append(f"{relative}:{line} ({where}): {what}")
    return problems


def test_no_module_outside_the_question_classes_switches_on_question_type():
    """A type's behaviour is one class: check, normalise, points, best answer, cell, condition.
    Please either: add a method to the classes in frameworks/models.py and call it, or (for
    presentation only) list the function in ALLOWED with the reason."""
    assert type_switches() == []


def test_the_switch_finder_finds_a_new_switch(tmp_path, monkeypatch):
    """The guard itself: a ninth ``if question.type == ...`` (or isinstance) is reported."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "new.py").write_text(
        "def f(question):\n"
        "    kind = question.type\n"
        "    if kind == 'maturity':\n"
        "        return 1\n"
        "    if isinstance(question, YesNoQuestion):\n"
        "        return 2\n"
        "    return {'maturity': 1, 'yes_no': 2, 'choice': 3}[question.type]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ("app",))
    assert [p.split(": ")[0] for p in type_switches()] == [
        "app/new.py:3 (f)",
        "app/new.py:5 (f)",
        "app/new.py:7 (f)",
    ]


def _frameworks_imports() -> dict[str, set[str]]:
    """Module -> the frameworks modules it imports anywhere (also under TYPE_CHECKING and
    inside functions: a cycle there is still a cycle for readers and type checkers)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "frameworks").glob("*.py")):
        name = f"frameworks.{path.stem}"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "frameworks":
                    targets |= {f"frameworks.{a.name}" for a in node.names}
                elif node.module.startswith("frameworks."):
                    targets.add(node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("frameworks.")}
        graph[name] = targets - {name}
    return graph


def test_no_import_cycle_between_frameworks_modules():
    """``frameworks.loader`` imports ``frameworks.rules``; nothing the rules import leads back."""
    graph = _frameworks_imports()
    cycles = []

    def walk(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            else:
                walk(target, [*path, target])

    for module in graph:
        walk(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", ["frameworks.rules", "frameworks.loader", "frameworks.models"])
def test_each_frameworks_module_imports_first_in_a_fresh_interpreter(module):
    """Importing a module first (no other frameworks module loaded) works."""
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
