"""The words of the exports are one gettext catalogue (issue 11): every label id the exports
and the app ask for has a Dutch and an English text in ``exports/locale``, no text holds both
languages, both texts of an id have the same placeholders, and a label rendered in one
language does not contain the other language's text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from exports import text
from exports.batch import MANIFEST_LABELS
from exports.data import ORG_COLUMNS
from frameworks.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)[^}]*\}")
#: Labels that are the same word in both languages (a proper name, a symbol, an id column).
SAME_IN_BOTH = re.compile(
    r"^(p25|p75|sha256|Status|Sector|Score|Mat\.|CONCEPT|< \{k\}|\w+_id|l/100 km|Score \{year\}|Score \(0-100\)|.*[²³].*)$"
)


def _catalogue(language: str) -> dict[str, str]:
    with text.EXPORTS.po_path(language).open("rb") as po_file:
        return {m.id: m.string for m in read_po(po_file, locale=language) if m.id}


def _label_names(tree: ast.Module, *, own: bool) -> set[str]:
    """The names under which a module calls ``exports.text.label`` (a page may have its own)."""
    names = {"label"} if own else set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "exports.text":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "label"}
    return names


def _used_ids() -> set[str]:
    """Every literal id passed to ``label(...)`` / ``export_label(...)`` in exports/ and app/,
    the column ids of the sheets and the manifest, and the f-string families (status_*)."""
    used = set(ORG_COLUMNS) | set(MANIFEST_LABELS.values())
    for folder in ("exports", "app"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = _label_names(tree, own=path.parent.name == "exports" and path.stem == "text")
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in names
                    and node.args
                ):
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        used.add(first.value)
    used |= {"status_submitted", "status_draft", "micro", "small", "medium", "large"}
    return used


def test_the_catalogue_has_a_dutch_and_an_english_text_for_every_id():
    nl, en = _catalogue("nl"), _catalogue("en")
    assert set(nl) == set(en)
    assert [i for i in nl if not nl[i] or not en[i]] == []
    missing = sorted(_used_ids() - set(nl))
    assert not missing, f"label ids without a text: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_label_holds_both_languages(language):
    assert {i: s for i, s in _catalogue(language).items() if " / " in s} == {}


def test_both_texts_of_a_label_have_the_same_placeholders():
    nl, en = _catalogue("nl"), _catalogue("en")
    assert [
        i for i in nl if set(PLACEHOLDER.findall(nl[i])) != set(PLACEHOLDER.findall(en[i]))
    ] == []


def test_a_label_rendered_in_one_language_holds_none_of_the_other():
    nl, en = _catalogue("nl"), _catalogue("en")
    for msgid in sorted(nl):
        dutch, english = nl[msgid], en[msgid]
        if dutch == english:
            assert SAME_IN_BOTH.match(dutch), f"{msgid}: {dutch!r} is not translated"
            continue
        if len(english) > 6 and len(dutch) > 6:
            assert english not in dutch and dutch not in english, msgid


def test_label_and_unit_label_read_the_catalogue():
    assert text.label("passport_title", "nl") == "MVO-paspoort"
    assert text.label("passport_title", "en") == "CSR passport"
    assert text.label("page_of", "en", page=1, pages=3) == "page 1 of 3"
    assert text.unit_label("hours/FTE", "nl") == "uren/VTE"
    assert text.unit_label("EUR", "nl") == "EUR"
    with pytest.raises(KeyError):
        text.label("no_such_label", "nl")


def test_exports_text_is_pure():
    tree = ast.parse((ROOT / "exports" / "text.py").read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"streamlit", "sqlalchemy", "app"}
