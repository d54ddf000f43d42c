"""The passport PDF lists the legal thresholds at the organisation's size as information, not
score (issue 13 item 2): 60 FTE gets the whistleblower channel, the CPBW and the 20+ training
rights, not the works council (from 100). Read back by text extraction."""

from __future__ import annotations

from export_helpers import pdf_pages_text, squash

from exports.pdf import render_passport
from exports.text import label
from frameworks.compose import effective_framework
from frameworks.loader import shipped_catalogue
from scoring import score
from scoring.models import Organisation
from scoring.passport import build as build_passport


def _pdf(fte: float, language: str = "nl") -> str:
    cat = shipped_catalogue()
    base, profile = cat.frameworks["iso26000"], cat.profiles["bouw"]
    answers = {
        q.id: 2 for q in effective_framework(base, profile).questions.values() if q.type == "maturity"
    }
    card = score(base, answers, profile)
    org = Organisation(name="Bouw Zestig", kbo="0403019261", fte=fte)
    passport = build_passport({card.framework: card}, profile, organisation=org, year=2026)
    pdf = render_passport(passport, cat.frameworks, profile, None, language)
    return squash(" ".join(pdf_pages_text(pdf)))


def test_the_pdf_lists_the_legal_thresholds_at_60_fte():
    iso = shipped_catalogue().frameworks["iso26000"]
    notes = [n for q in iso.questions.values() for n in q.legal]
    text = _pdf(60)
    assert squash(label("legal_notes", "nl")) in text
    shown = [n for n in notes if n.from_employees in (50, 20) and n.below is None]
    hidden = [n for n in notes if n.from_employees == 100 or n.below is not None]
    assert len(shown) == 3 and len(hidden) == 3
    for note in shown:
        assert squash(note.text.nl)[:80] in text, note.text.nl
    for note in hidden:
        assert squash(note.text.nl)[:60] not in text, note.text.nl


def test_a_micro_firm_gets_only_its_training_rights_note_in_english():
    iso = shipped_catalogue().frameworks["iso26000"]
    below_ten = next(n for q in iso.questions.values() for n in q.legal if n.below == 10)
    text = _pdf(5, "en")
    assert squash(label("legal_notes", "en")) in text
    assert squash(below_ten.text.en)[:60] in text
    assert "whistleblow" not in text.lower()
