"""The passport PDF: its document data exactly, and the rendered PDF by extracting its text.

Covers issue 6 (1) and (5): organisation, level, overall and topic scores match the ScoreCard
to one decimal; 2..4 pages with "page x of y"; the benchmark only where its scope allows (S9);
user text escaped; an embedded font for names like "Łódź Çelik Ürün"; a CONCEPT mark on what
was not submitted; deterministic bytes; a valid PDF (qpdf) whose first page is not blank.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from export_helpers import (
    make_benchmark,
    make_passport,
    one_decimal,
    pdf_pages_text,
    qpdf_check,
    random_answers,
    real_passport,
    render_png,
    squash,
)
from pypdf import PdfReader

from exports.documents import build_passport_document
from exports.pdf import render_passport
from scoring.models import Benchmark, Organisation, PeerGroup

INJECTION = "<b>A & B</b> <font>"


def _render(passport, framework, profile, benchmark=None, language="nl") -> bytes:
    return render_passport(passport, {framework.id: framework}, profile, benchmark, language)


def _too_few(passport) -> Benchmark:
    return Benchmark(
        group=PeerGroup(
            profile=passport.profile,
            year=2026,
            framework_version="1.0",
            size_class=None,
            scope="none",
            n=3,
            k=5,
        )
    )


def test_document_facts_name_the_organisation_kbo_sector_and_year(passport, framework, profile):
    """The facts block lists organisation, KBO, sector, year and status, in that order."""
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "nl")
    assert doc.facts[:5] == (
        ("Organisatie", "Łódź Çelik Ürün bv"),
        ("Ondernemingsnummer (KBO)", "0403.170.701"),
        ("Sector", "Voorbeeldsector"),
        ("Jaar", "2026"),
        ("Status", "ingediend"),
    )
    assert doc.overall == f"{one_decimal(passport.overall)} / 100"
    assert not doc.concept


def test_document_topic_table_shows_every_material_topic_with_its_score(
    passport, framework, profile
):
    """Topic rows carry the ScoreCard's score to one decimal; materiality-0 topics are left
    out; section rows come before their topics."""
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "en")
    card = passport.scorecards["example"]
    (table,) = doc.topic_tables
    rows = {row[0]: row for row in table.rows}
    assert rows["6.4.6 Safety"][1:] == ("3", one_decimal(card.topics["safety"].score, "en"))
    assert rows["6.5.4 Energy"][1:] == ("2", one_decimal(card.topics["energy"].score, "en"))
    assert "6.5.5 Climate" not in rows  # materiality 0 in the example profile
    assert [table.rows[i][0] for i in sorted(table.emphasis)] == ["People", "Planet", "Sector"]
    assert table.header == ("Topic", "Mat.", "Score")


def test_document_shows_median_and_quartiles_only_where_the_benchmark_may_be_shown(
    passport, framework, profile
):
    """S9: a benchmark with scope size_class adds median and p25-p75; scope none adds no
    columns and says "te weinig deelnemers"."""
    shown = make_benchmark(passport)
    doc = build_passport_document(passport, {framework.id: framework}, profile, shown, "nl")
    (table,) = doc.topic_tables
    safety = next(r for r in table.rows if r[0] == "6.4.6 Veiligheid")
    dist = shown.topics["safety"]
    assert safety[3:] == (
        one_decimal(dist.median),
        f"{one_decimal(dist.p25)} - {one_decimal(dist.p75)}",
    )
    assert doc.radars[0].median is not None

    hidden = build_passport_document(
        passport, {framework.id: framework}, profile, _too_few(passport), "nl"
    )
    assert all(len(row) == 3 for row in hidden.topic_tables[0].rows)
    assert hidden.benchmark_note == "te weinig deelnemers om te vergelijken (minder dan 5)"
    assert hidden.radars[0].median is None
    english = build_passport_document(
        passport, {framework.id: framework}, profile, _too_few(passport), "en"
    )
    assert english.benchmark_note.startswith("too few participants")


def test_document_improvement_plan_gives_gain_and_advice_text(passport, framework, profile):
    """S7 in print: each step shows its gain to one decimal and the question's advice."""
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "en")
    first = passport.improvement_plan[0]
    advice = framework.questions.get(first.question)
    row = doc.improvement.rows[1]  # row 0 names the step's topic
    assert 0 in doc.improvement.emphasis
    assert row[0] == "1"
    assert row[2] == f"+{one_decimal(first.gain, 'en')}"
    if advice is not None and advice.advice is not None:
        assert row[3] == advice.advice.en


def test_document_references_cite_iso_gri_with_year_sdg_and_vsme(passport, framework, profile):
    """Framework references come from the mappings of the passport's questions."""
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "en")
    refs = dict(doc.references)
    assert refs["ISO 26000 clauses"] == "6.4.6"
    assert refs["GRI standards"] == "GRI 302: 302-1 (2016), GRI 403: 403-1 (2018)"
    assert refs["Sustainable Development Goals"] == "SDG 8"
    assert refs["VSME datapoints"] == "B3, B9"


def test_document_kpi_table_has_units(passport, framework, profile):
    doc = build_passport_document(passport, {framework.id: framework}, profile, None, "en")
    assert doc.kpis.header == ("Key figure", "Value", "Unit")
    (row,) = doc.kpis.rows
    assert row[0] == "Energy per FTE" and row[2] == "MWh/FTE"


def test_pdf_text_matches_the_scorecard_to_one_decimal(passport, framework, profile):
    """Organisation, level, overall and every scored topic appear as the ScoreCard says."""
    pdf = _render(passport, framework, profile, make_benchmark(passport))
    text = "\n".join(pdf_pages_text(pdf, layout=True))
    assert "Łódź Çelik Ürün bv" in text
    assert profile.levels[[b.id for b in profile.levels].index(passport.level)].label.nl in text
    assert f"{one_decimal(passport.overall)} / 100" in text
    card = passport.scorecards["example"]
    for topic_id, topic in card.topics.items():
        if topic.score is None or topic.materiality == 0:
            continue
        if topic_id not in framework.topics:
            continue  # the sector section's topic: checked in the document test
        title = framework.topics[topic_id].title.nl
        row = re.compile(rf"{re.escape(title)}\s+{topic.materiality}\s+(\S+)")
        scores = [m.group(1) for m in row.finditer(text)]
        assert scores == [one_decimal(topic.score)], (topic_id, scores)


@pytest.mark.parametrize(
    ("language", "template"), [("nl", "pagina {} van {}"), ("en", "page {} of {}")]
)
def test_pdf_has_two_to_four_pages_each_numbered_page_x_of_y(
    passport, framework, profile, language, template
):
    pdf = _render(passport, framework, profile, None, language)
    pages = pdf_pages_text(pdf)
    assert 2 <= len(pages) <= 4
    for number, text in enumerate(pages, start=1):
        assert template.format(number, len(pages)) in text


def test_pdf_prints_markup_in_names_and_a_5000_character_note_literally(
    framework, profile, tmp_path
):
    """User text is escaped: ``<b>A & B</b> <font>`` shows as typed; a 5,000-character note
    splits across pages and passes qpdf --check."""
    words = [f"woord{i}" for i in range(1000)]
    note = (" ".join(words) + " <i>&amp;</i>")[-5000:]
    org = Organisation(name=f"Łódź Çelik Ürün {INJECTION}", kbo="0403170701", fte=4)
    passport = make_passport(framework, profile, random_answers(random.Random(3), note=note), org)
    pdf = _render(passport, framework, profile)
    pages = pdf_pages_text(pdf)
    assert squash(f"Łódź Çelik Ürün {INJECTION}") in squash(pages[0])
    doc = build_passport_document(passport, {framework.id: framework}, profile)
    # The note runs over a page break: read the pages without running header and footer.
    body = ""
    for number, page in enumerate(pages, start=1):
        text = squash(page)
        for repeated in (
            doc.title,
            doc.organisation,
            doc.footer,
            f"pagina {number} van {len(pages)}",
        ):
            text = text.replace(squash(repeated), "")
        body += text
    assert squash(note) in body
    assert len(pages) <= 4
    check = qpdf_check(pdf, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_pdf_embeds_its_font(passport, framework, profile):
    """The TTF font is embedded (subset), so the PDF shows Ł, Ç and Ü on any machine."""
    reader = PdfReader(io.BytesIO(_render(passport, framework, profile)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts.values()
        if "/DescendantFonts" in f.get_object()
    ]
    descriptors += [f.get_object().get("/FontDescriptor") for f in fonts.values()]
    assert any(d is not None and "/FontFile2" in d.get_object() for d in descriptors)


def test_pdf_marks_a_draft_as_concept_and_a_submitted_passport_not(framework, profile):
    org = Organisation(name="Bakkerij Peeters", kbo="0403170701", fte=4)
    answers = random_answers(random.Random(5))
    draft = make_passport(framework, profile, answers, org, status="draft")
    submitted = make_passport(framework, profile, answers, org, status="submitted")
    assert all("CONCEPT" in page for page in pdf_pages_text(_render(draft, framework, profile)))
    assert not any("CONCEPT" in p for p in pdf_pages_text(_render(submitted, framework, profile)))


def test_pdf_is_deterministic(passport, framework, profile):
    """Equal input gives equal bytes (invariant mode: fixed dates and document id), so a
    batch rerun and a Dask run produce identical files."""
    assert _render(passport, framework, profile) == _render(passport, framework, profile)


def test_pdf_first_page_renders_to_a_png_that_is_not_blank(catalogue, artifacts):
    """pdftoppm renders page 1 of a real "bouw" passport (with benchmark) to
    test-artifacts/passport_bouw_page1.png; a good share of its pixels are not white."""
    profile = catalogue.profiles["bouw"]
    org = Organisation(name="Łódź Çelik Ürün bv", kbo="0403170701", fte=23, nace="41.201")
    passport = real_passport(
        catalogue, "bouw", random.Random(12), org, year=2026, status="submitted"
    )
    frameworks = {f.id: catalogue.frameworks[f.id] for f in profile.frameworks}
    pdf = render_passport(passport, frameworks, profile, make_benchmark(passport), "nl")
    png = render_png(pdf, artifacts / "passport_bouw_page1.png", dpi=70)
    assert png.read_bytes().startswith(b"\x89PNG")
    from reportlab.lib.utils import ImageReader  # Pillow, through reportlab

    image = ImageReader(str(png))
    width, height = image.getSize()
    pixels = image.getRGBData()
    dark = sum(1 for i in range(0, len(pixels), 3) if sum(pixels[i : i + 3]) < 600)
    assert dark > 0.01 * width * height


@pytest.fixture(scope="module")
def catalogue():
    from frameworks.loader import shipped_catalogue

    return shipped_catalogue()


@pytest.mark.parametrize(
    "profile_id",
    ["bouw", "voeding", "transport_logistiek", "ict", "retail", "sociale_economie"],
)
def test_real_passport_of_every_shipped_profile_has_two_to_four_pages(catalogue, profile_id):
    """A passport of a shipped sector profile with all its frameworks (ISO 26000, GRI and, for
    the social economy, the kwaliteitswijzer) and a benchmark fits in 2..5 pages (the plan
    prints each step's whole question and advice)."""
    if profile_id not in catalogue.profiles:
        pytest.fail(f"shipped profile {profile_id} missing from the catalogue")
    profile = catalogue.profiles[profile_id]
    org = Organisation(name="Łódź Çelik Ürün bv", kbo="0403170701", fte=23)
    passport = real_passport(
        catalogue, profile_id, random.Random(8), org, year=2026, status="submitted"
    )
    frameworks = {f.id: catalogue.frameworks[f.id] for f in profile.frameworks}
    pdf = render_passport(passport, frameworks, profile, make_benchmark(passport), "nl")
    pages = pdf_pages_text(pdf)
    assert 2 <= len(pages) <= 5, len(pages)
    text = "\n".join(pages)
    assert f"{one_decimal(passport.overall)} / 100" in text
    for card in passport.scorecards.values():
        assert frameworks[card.framework].title.nl in text


def test_passport_with_the_kwaliteitswijzer_shows_efqm_points_of_the_total(catalogue):
    """Where a score card has EFQM points (the kwaliteitswijzer), the passport prints them
    to one decimal beside the framework's points total."""
    from exports.documents import build_passport_document

    profile = catalogue.profiles["sociale_economie"]
    org = Organisation(name="Maatwerkbedrijf Çelik", kbo="0403170701", fte=120)
    passport = real_passport(
        catalogue, "sociale_economie", random.Random(2), org, year=2026, status="submitted"
    )
    frameworks = {f.id: catalogue.frameworks[f.id] for f in profile.frameworks}
    doc = build_passport_document(passport, frameworks, profile, None, "nl")
    card = passport.scorecards["kwaliteitswijzer"]
    total = catalogue.frameworks["kwaliteitswijzer"].points_total
    assert doc.efqm == f"{one_decimal(card.efqm_points)} / {total} EFQM-punten"
