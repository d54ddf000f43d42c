"""Legal thresholds at the organisation's size (issue 13 item 2): ``Framework.legal_notes``
gives the notes that apply at an FTE (whistleblower channel and CPBW from 50, works council
from 100, Arbeidsdeal training rights below 10, 10-19 and 20+), once each."""

from __future__ import annotations

import pytest

from frameworks.loader import shipped_catalogue


def _bands(fte):
    notes = shipped_catalogue().framework("iso26000").legal_notes(fte)
    return [(n.from_employees, n.below) for n in notes]


@pytest.mark.parametrize(
    ("fte", "expected"),
    [
        (None, []),
        (0, []),
        (5, [(1, 10)]),
        (12, [(10, 20)]),
        (60, [(50, None), (50, None), (20, None)]),
        (150, [(50, None), (50, None), (100, None), (20, None)]),
    ],
)
def test_the_notes_that_apply_at_a_size(fte, expected):
    assert _bands(fte) == expected


def test_each_note_once_with_its_source():
    notes = shipped_catalogue().framework("iso26000").legal_notes(60)
    texts = [n.text.nl for n in notes]
    assert len(set(texts)) == len(texts)
    assert any("klokkenluiders" in t for t in texts) and any("CPBW" in t for t in texts)
    assert not any("ondernemingsraad" in t for t in texts)
    assert all(n.source for n in notes)
