"""The Start-to-MVO scan report (1..2 pages) and the federation's sector benchmark report
(issue 6, parts 1 and 2): nothing from a group smaller than k, members named only with consent
(S9, S10), distributions without min or max.
"""

from __future__ import annotations

import random

import pytest
from export_helpers import make_passport, one_decimal, pdf_pages_text, qpdf_check, random_answers

from exports.documents import build_scan_document, build_sector_report
from exports.pdf import render_scan, render_sector_report
from scoring.models import Organisation


def _members(framework, profile, count, *, year=2026, seed=1, status="submitted"):
    rng = random.Random(seed)
    return [
        make_passport(
            framework,
            profile,
            random_answers(rng),
            Organisation(name=f"Lid {i:02d}", kbo=f"0403{year}{i:04d}", fte=[3, 20, 120][i % 3]),
            year=year,
            status=status,
        )
        for i in range(count)
    ]


def test_scan_report_shows_result_per_section_three_steps_and_what_next(
    passport, framework, profile
):
    doc = build_scan_document(passport, framework, "nl", profiles=[profile])
    card = passport.scorecards["example"]
    assert doc.results.rows == (
        ("Mensen", one_decimal(card.sections["people"].score)),
        ("Planeet", one_decimal(card.sections["planet"].score)),
    )
    assert len(doc.steps) == min(3, len(passport.improvement_plan))
    assert doc.suggested == ("Voorbeeldsector (Voorbeeldfederatie)",)  # NACE 41.001 matches
    assert "sectorpaspoort" in doc.next_text or "MVO-paspoort" in doc.next_text


def test_scan_report_pdf_has_one_or_two_pages(passport, framework, profile, tmp_path):
    pdf = render_scan(passport, framework, "en", profiles=[profile])
    pages = pdf_pages_text(pdf)
    assert 1 <= len(pages) <= 2
    assert f"page 1 of {len(pages)}" in pages[0]
    assert "Where to go next?" in "".join(pages)
    assert qpdf_check(pdf, tmp_path).returncode == 0


def test_sector_report_suppresses_every_group_smaller_than_k(framework, profile):
    """k = 5: 6 members this year (2 per size class), 3 last year: counts below k print
    "< 5", section distributions need >= 5 scores."""
    members = _members(framework, profile, 6) + _members(framework, profile, 3, year=2025)
    doc = build_sector_report(profile, {framework.id: framework}, members, year=2026, language="en")
    assert doc.participation.header == ("Size class", "2025", "2026")
    rows = {r[0]: r[1:] for r in doc.participation.rows}
    assert rows["micro (<10 FTE)"] == ("< 5", "< 5")
    assert rows["Total"] == ("< 5", "6")
    assert [b.n for b in doc.boxplots] == [6, 6, 6]
    topic_rows = {r[0]: r for r in doc.topic_medians.rows}
    assert topic_rows["6.4.6 Safety"][1] == "6"


def test_sector_report_shows_no_distribution_for_fewer_than_k(framework, profile):
    members = _members(framework, profile, 4)
    doc = build_sector_report(profile, {framework.id: framework}, members, year=2026)
    assert doc.boxplots == ()
    assert all(row[2:] == ("-", "-", "-", "-") for row in doc.distribution.rows)
    assert all(row[2] in ("-", "") for row in doc.topic_medians.rows)
    assert all(row[3:] == ("-", "-", "-") for row in doc.kpi_medians.rows)
    assert dict(doc.facts)["Deelnemers"] == "< 5"


def test_sector_report_names_only_consenting_members_and_counts_only_submitted(framework, profile):
    members = _members(framework, profile, 6)
    drafts = _members(framework, profile, 3, seed=9, status="draft")
    consented = [
        members[0].organisation.kbo,
        members[3].organisation.kbo,
        drafts[0].organisation.kbo,
    ]
    doc = build_sector_report(
        profile, {framework.id: framework}, members + drafts, year=2026, consented=consented
    )
    assert [r[0] for r in doc.members.rows] == ["Lid 00", "Lid 03"]
    assert doc.members.rows[0][3] == one_decimal(members[0].overall)
    assert dict(doc.facts)["Deelnemers"] == "6"


def test_sector_report_quartiles_match_the_section_scores(framework, profile):
    members = _members(framework, profile, 9)
    doc = build_sector_report(profile, {framework.id: framework}, members, year=2026)
    scores = sorted(p.scorecards["example"].sections["people"].score for p in members)
    people = next(b for b in doc.boxplots if b.label == "Mensen")
    assert people.median == pytest.approx(scores[4])
    assert people.p25 <= people.median <= people.p75


def test_sector_report_pdf_is_valid_and_numbered(framework, profile, tmp_path, artifacts):
    members = _members(framework, profile, 12)
    pdf = render_sector_report(
        profile,
        {framework.id: framework},
        members,
        year=2026,
        consented=[members[1].organisation.kbo],
    )
    (artifacts / "sector_report.pdf").write_bytes(pdf)
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    assert all(f"pagina {i} van {len(pages)}" in t for i, t in enumerate(pages, start=1))
    assert "Lid 01" in "".join(pages) and "Lid 02" not in "".join(pages)
    assert qpdf_check(pdf, tmp_path).returncode == 0


def test_scan_report_of_the_shipped_start_to_mvo_scan_has_seven_core_subjects():
    """The real Start-to-MVO scan: one result row per ISO 26000 core subject (6.2 .. 6.8),
    at most three steps, 1..2 pages."""
    from export_helpers import random_framework_answers

    from frameworks.loader import shipped_catalogue
    from scoring import score
    from scoring.passport import build

    framework = shipped_catalogue().frameworks["start_to_mvo"]
    card = score(framework, random_framework_answers(framework, random.Random(4)))
    org = Organisation(name="Frituur Ürün", kbo="0403170701", fte=3, nace="56.101")
    passport = build({card.framework: card}, None, organisation=org, year=2026, status="submitted")
    doc = build_scan_document(
        passport, framework, "nl", profiles=list(shipped_catalogue().profiles.values())
    )
    assert len(doc.results.rows) == 7
    assert len(doc.steps) == min(3, len(passport.improvement_plan))
    pages = pdf_pages_text(render_scan(passport, framework, "nl"))
    assert 1 <= len(pages) <= 2


def test_exports_stay_pure():
    """The core never imports streamlit, sqlalchemy or the app shell."""
    import subprocess
    import sys

    code = (
        "import sys, exports.pdf, exports.batch, exports.data, exports.documents;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('streamlit', 'sqlalchemy', 'app'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
