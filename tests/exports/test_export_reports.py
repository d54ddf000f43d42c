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


def _report(framework, profile, passports, *, year=2026, consented=(), language="nl", pdf=False):
    """The sector report over the published cells of ``passports`` (as disclosure builds it)."""
    import pandas as pd

    from scoring.benchmark import MemberPosition, quartile_band, sector_row, sector_statistics

    rows = [
        sector_row(p, assessment=i, consent=p.organisation.kbo in consented)
        for i, p in enumerate(passports)
    ]
    statistics = sector_statistics(pd.DataFrame(rows), profile=profile.id, k=profile.k)
    cell = statistics.cell(year)
    members = [
        MemberPosition(
            assessment=str(r["assessment"]),
            organisation=r["organisation"],
            kbo=r["kbo"],
            size_class=r["size_class"],
            level=r["level"],
            band=quartile_band(r["overall"], cell.overall),
        )
        for r in rows
        if r["consent"] and r["status"] == "submitted" and r["year"] == year
    ]
    build = render_sector_report if pdf else build_sector_report
    return build(
        profile,
        {framework.id: framework},
        statistics,
        year=year,
        members=members,
        language=language,
    )


def test_sector_report_suppresses_every_group_smaller_than_k(framework, profile):
    """S9, k = 5: 6 members this year (2 per size class), 3 last year: counts below k print
    "< 5", section distributions need >= 5 scores."""
    members = _members(framework, profile, 6) + _members(framework, profile, 3, year=2025)
    doc = _report(framework, profile, members, language="en")
    assert doc.participation.header == ("Size class", "2025", "2026")
    rows = {r[0]: r[1:] for r in doc.participation.rows}
    assert rows["micro (<10 FTE)"] == ("< 5", "< 5")
    assert rows["Total"] == ("< 5", "6")
    assert [b.n for b in doc.boxplots] == [6, 6, 6]
    topic_rows = {r[0]: r for r in doc.topic_medians.rows}
    assert topic_rows["6.4.6 Safety"][1] == "6"


def test_sector_report_shows_no_distribution_for_fewer_than_k(framework, profile):
    """S9: 4 members (k = 5): no figure at all, the participant count withheld."""
    doc = _report(framework, profile, _members(framework, profile, 4))
    assert doc.boxplots == ()
    assert all(row[2:] == ("-", "-", "-", "-") for row in doc.distribution.rows)
    assert all(row[2] in ("-", "") for row in doc.topic_medians.rows)
    assert all(row[3:] == ("-", "-", "-") for row in doc.kpi_medians.rows)
    assert dict(doc.facts)["Deelnemers"] == "< 5"


def test_sector_report_names_only_consenting_members_and_counts_only_submitted(framework, profile):
    """S10: consenting submitted members by name, with a quartile band, never a score."""
    members = _members(framework, profile, 6)
    drafts = _members(framework, profile, 3, seed=9, status="draft")
    consented = [
        members[0].organisation.kbo,
        members[3].organisation.kbo,
        drafts[0].organisation.kbo,
    ]
    doc = _report(framework, profile, members + drafts, consented=consented)
    assert [r[0] for r in doc.members.rows] == ["Lid 00", "Lid 03"]
    assert one_decimal(members[0].overall) not in doc.members.rows[0]
    assert dict(doc.facts)["Deelnemers"] == "6"


def test_sector_report_quartiles_match_the_section_scores(framework, profile):
    members = _members(framework, profile, 9)
    doc = _report(framework, profile, members)
    scores = sorted(p.scorecards["example"].sections["people"].score for p in members)
    people = next(b for b in doc.boxplots if b.label == "Mensen")
    assert people.median == pytest.approx(scores[4])
    assert people.p25 <= people.median <= people.p75


def test_sector_report_pdf_is_valid_and_numbered(framework, profile, tmp_path, artifacts):
    members = _members(framework, profile, 12)
    pdf = _report(framework, profile, members, consented=[members[1].organisation.kbo], pdf=True)
    (artifacts / "sector_report.pdf").write_bytes(pdf)
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    assert all(f"pagina {i} van {len(pages)}" in t for i, t in enumerate(pages, start=1))
    assert "Lid 01" in "".join(pages) and "Lid 02" not in "".join(pages)
    assert qpdf_check(pdf, tmp_path).returncode == 0
