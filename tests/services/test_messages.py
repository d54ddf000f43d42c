"""Every message a service gives is in one language at a time (issue 11): each id used in
``app/`` has a Dutch and an English text in the services' catalogue, no text holds both
languages (" / "), and a message rendered in Dutch does not contain its English rendering nor
the other way round."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.services import errors
from app.services.messages import SERVICES, message
from frameworks.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)[^}]*\}")


def _catalogue(language: str):
    with SERVICES.po_path(language).open("rb") as po_file:
        return {m.id: m.string for m in read_po(po_file, locale=language) if m.id}


def _used_ids() -> set[str]:
    """Every literal id passed to ``message(...)`` (or ``service_message``) under ``app/``."""
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"message", "service_message"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.add(node.args[0].value)
            elif isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                if node.values[0].value == "invalid-answer-":  # f"invalid-answer-{code}"
                    from frameworks.answers import AnswerProblemCode

                    used |= {f"invalid-answer-{code}" for code in AnswerProblemCode}
    return used


def _sample(msgid: str) -> dict[str, object]:
    """Parameters for every placeholder of ``msgid`` (numbers where a format spec needs one)."""
    from datetime import datetime

    texts = _catalogue("en")[msgid] + _catalogue("nl")[msgid]
    params: dict[str, object] = {}
    for match in re.finditer(r"\{([a-z_0-9]+)(?::([^}]*))?[^}]*\}", texts):
        name, spec = match.group(1), match.group(2)
        if spec and "%" in spec:
            params[name] = datetime(2026, 1, 2, 3, 4)
        elif spec:
            params[name] = 7
        else:
            params[name] = f"<{name}>"
    return params


def test_every_message_id_used_in_app_has_a_dutch_and_an_english_text():
    for language in LANGUAGES:
        texts = _catalogue(language)
        missing = sorted(i for i in _used_ids() if not texts.get(i))
        assert not missing, f"no {language} text for {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_text_holds_both_languages(language):
    both = {i: s for i, s in _catalogue(language).items() if " / " in s}
    assert not both


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_texts_of_a_message_have_the_same_placeholders(language):
    nl, en = _catalogue("nl"), _catalogue("en")
    # the English text of an answer problem adds the check's own words ({detail})
    wrong = [
        i
        for i in nl
        if set(PLACEHOLDER.findall(nl[i])) - {"detail"}
        != set(PLACEHOLDER.findall(en[i])) - {"detail"}
    ]
    assert not wrong


def test_every_message_rendered_in_one_language_holds_none_of_the_other():
    for msgid in sorted(_used_ids()):
        said = message(msgid, **_sample(msgid))
        dutch, english = said.render("nl"), said.render("en")
        assert dutch != english, msgid
        assert english not in dutch and dutch not in english, msgid
        assert " / " not in dutch and " / " not in english, msgid


def _every_error_class():
    found, todo = [], [errors.ServiceError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", _every_error_class(), ids=lambda c: c.__name__)
def test_every_service_error_renders_in_one_language_and_str_is_english(cls):
    said = message("access-denied")
    extra = {
        errors.NotSubmittable: {"open_questions": []},
        errors.AccountLocked: {"until": None},
    }.get(cls, {})
    error = cls(said, *extra.values())
    assert error.render("nl") == "Geen toegang." and error.render("en") == "Access denied."
    assert str(error) == "Access denied."


def test_a_service_error_refuses_a_sentence_instead_of_a_message():
    with pytest.raises(TypeError):
        errors.AccessDenied("Geen toegang. / Access denied.")


def test_an_import_problem_keeps_its_row_and_column_in_each_language():
    from app.services.importing import ImportProblem

    problem = ImportProblem(3, "kbo", message("kbo-number-missing"))
    assert problem.render("nl") == "rij 3, kolom kbo: KBO-nummer ontbreekt"
    assert problem.render("en") == "row 3, column kbo: KBO number missing"


def test_the_cli_speaks_english_unless_mvo_language_says_dutch(monkeypatch):
    from app.services.messages import cli_language

    monkeypatch.delenv("MVO_LANGUAGE", raising=False)
    assert cli_language() == "en"
    monkeypatch.setenv("MVO_LANGUAGE", "nl")
    assert cli_language() == "nl"
