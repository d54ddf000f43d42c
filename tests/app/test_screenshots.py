"""Screenshots of every page (issue 11), in Chromium on the demo database served as ``make
run`` serves it (``app.devserver``): each role signs in (anonymous, the SME ``kmo@demo.be``,
the federation, the department, the admin) and every page it has is saved as a PNG in Dutch
and English, on a desktop (1280x900) and a phone (390x844), into ``var/screenshots/``
(git-ignored; CI keeps the folder as an artifact): also the VSME-rapport page, the action
plan on the results page and the result page of the demo SME's Start-to-MVO scan. Each page
must show its heading (and the sections it is for), no exception and no "Page not found". The Dutch and English passport PDFs downloaded from the
results page are saved and their first page rendered to PNG (pdftoppm).

The same served app also checks that an address that is no page lands on a real page with a
notice in the chosen language (no Streamlit popup), and that a long organisation name keeps
its words whole on a phone.
"""

# ruff: noqa: F811 (the browser fixture is imported from test_e2e_browser)
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_e2e_browser import IN_CI, ROOT, TIMEOUT_MS, _require_chromium, _settle, browser  # noqa: F401

from app.devserver import demo_environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

SHOTS = ROOT / "var" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
POPUP = re.compile(r"Page not found|running the app's main page", re.I)
SIGNED_IN = re.compile("Aangemeld als|Signed in as")
SIGN_IN_FORM = 'input[aria-label="E-mailadres"], input[aria-label="E-mail address"]'

#: (account, page address, screenshot name, heading per language) of every role's pages.
ROLE_PAGES = {
    "sme": (
        "kmo@demo.be",
        [
            ("start", "sme-home", {"nl": "Bouwonderneming Verbeke & Zonen", "en": None}),
            ("vragenlijst", "sme-questionnaire", {"nl": r"· \d{4}$", "en": None}),
            ("resultaten", "sme-results", {"nl": "^MVO-paspoort", "en": "^CSR passport"}),
            ("vsme-rapport", "sme-vsme", {"nl": "^VSME-rapport$", "en": "^VSME report$"}),
        ],
    ),
    "federation": (
        "federatie@demo.be",
        [("federatie", "federation", {"nl": "^Sectorbenchmark$", "en": "^Sector benchmark$"})],
    ),
    "department": (
        "departement@demo.be",
        [
            (
                "departement",
                "department",
                {"nl": "^Overzicht en export$", "en": "^Overview and export$"},
            )
        ],
    ),
    "admin": (
        "admin@demo.be",
        [
            ("beheer", "admin", {"nl": "^Beheer$", "en": "^Administration$"}),
            (
                "departement",
                "admin-department",
                {"nl": "^Overzicht en export$", "en": "^Overview and export$"},
            ),
        ],
    ),
}


#: Sections a page must show besides its heading (the action plan on the results page, the
#: scan's result per core subject), per screenshot name and language.
SECTIONS = {
    "sme-results": {"nl": ["Verbeterplan", "Actieplan"], "en": ["Improvement plan", "Action plan"]},
    "sme-scan-result": {
        "nl": ["Resultaat per kernthema", "Uw volgende stappen"],
        "en": ["Result per core subject", "Your next steps"],
    },
    "sme-vsme": {"nl": ["Basismodule"], "en": ["Basic module"]},
}
_DEMO_SCAN: dict[str, int] = {}


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    _require_chromium()
    env = demo_environment(tmp_path_factory.mktemp("screenshots"))
    _DEMO_SCAN["id"] = _demo_scan_id(env["MVO_DATABASE_URL"])
    with serve(env) as app:
        yield app.base


def _demo_scan_id(url: str) -> int:
    """The id of the demo SME's submitted Start-to-MVO scan, read from the served database."""
    from sqlalchemy import create_engine, select

    from app.services.demo import DEMO_SME_KBO
    from app.store.models import AssessmentRow, OrganisationRow

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                select(AssessmentRow.id)
                .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
                .where(
                    OrganisationRow.kbo == DEMO_SME_KBO,
                    AssessmentRow.framework == "start_to_mvo",
                    AssessmentRow.status == "submitted",
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return found


def _page(browser, device: str):
    context = browser.new_context(viewport=VIEWPORTS[device], is_mobile=device == "phone")
    page = context.new_page()
    page.set_default_timeout(4 * TIMEOUT_MS)  # a loaded CI machine: slow, never a failure
    return context, page


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/?lang=nl")
    _settle(page)
    page.get_by_label("E-mailadres").first.fill(email)
    page.get_by_label("Wachtwoord", exact=True).first.fill("demo")
    page.get_by_role("button", name="Aanmelden").first.click()
    page.get_by_text(SIGNED_IN).first.wait_for()
    _settle(page)


QUIET_JS = """() => !document.querySelector(
    '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], .stSkeleton'
)"""
#: The tallest a screenshot's viewport is made (a full page: Streamlit scrolls inside its
#: main container, so ``full_page`` alone would capture one screen).
MAX_HEIGHT = 12_000


def _quiet(page) -> None:
    """Until the script has finished and stayed finished for a moment (a page's first run
    can start some 100 ms after the page loaded, and draws in steps)."""
    for _round in range(3):
        page.wait_for_function(QUIET_JS, timeout=4 * TIMEOUT_MS)
        page.wait_for_timeout(500)
    page.wait_for_function(QUIET_JS, timeout=4 * TIMEOUT_MS)


def _full_screenshot(page, target: Path) -> None:
    """A screenshot of the whole page: the viewport is made as tall as the content for it."""
    viewport = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"]'
        )].map((e) => e.scrollHeight), document.documentElement.scrollHeight)"""
    )
    page.set_viewport_size(
        {"width": viewport["width"], "height": min(max(height, viewport["height"]), MAX_HEIGHT)}
    )
    page.wait_for_timeout(300)
    _quiet(page)
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size(viewport)


def _heading(page) -> str:
    heading = page.locator('[data-testid="stMain"] h1').first
    heading.wait_for()
    return heading.inner_text().strip()


def _check_and_shoot(page, name: str, heading: str | None, sections=()) -> Path:
    """The page shows its heading (matching ``heading``) and ``sections`` (headings of
    parts it must have), no exception and no popup; its full-page screenshot is saved as
    ``name``.png."""
    shown = _heading(page)
    _quiet(page)
    shown = _heading(page)
    assert shown, name
    if heading is not None:
        assert re.search(heading, shown), (name, shown)
    for section in sections:
        part = page.locator('[data-testid="stMain"] :is(h2, h3)', has_text=section).first
        assert part.count(), (name, section)
    assert page.locator('[data-testid="stException"]').count() == 0, name
    assert page.get_by_text(POPUP).count() == 0, name
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    _full_screenshot(page, target)
    return target


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_of_every_role_renders_and_is_saved(served_app, browser, language, device):
    """should render each page of each role with its heading, in Dutch and English, on a
    desktop and a phone, and save its screenshot"""
    saved = []
    context, page = _page(browser, device)
    page.goto(f"{served_app}/?lang={language}")
    _settle(page)
    page.locator(SIGN_IN_FORM).first.wait_for()
    title = {"nl": "^MVO-paspoort$", "en": "^MVO passport$"}[language]
    saved.append(_check_and_shoot(page, f"signin-{language}-{device}", title))
    page.get_by_role("tab", name=re.compile("Registreren|Register")).click()
    _settle(page)
    saved.append(_check_and_shoot(page, f"registration-{language}-{device}", title))
    context.close()
    for role, (email, pages) in ROLE_PAGES.items():
        context, page = _page(browser, device)  # a fresh browser per account
        _sign_in(page, served_app, email)
        query = f"lang={language}"
        if role == "sme":
            page.get_by_role("button", name="Vragenlijst openen").click()
            page.wait_for_url(re.compile(r"vragenlijst.*beoordeling=\d+"))
            found = re.search(r"beoordeling=(\d+)", page.url)
            assert found, page.url
            query += f"&beoordeling={found.group(1)}"
        for address, name, headings in pages:
            page.goto(f"{served_app}/{address}?{query}")
            _quiet(page)
            heading = headings[language] or headings["nl"]
            sections = SECTIONS.get(name, {}).get(language, ())
            saved.append(_check_and_shoot(page, f"{name}-{language}-{device}", heading, sections))
        if role == "sme":  # the Start-to-MVO scan's result page (a scan the demo SME submitted)
            page.goto(f"{served_app}/resultaten?lang={language}&beoordeling={_DEMO_SCAN['id']}")
            _quiet(page)
            heading = {"nl": "^Start-to-MVO: resultaat van de scan$"}
            heading["en"] = "^Start-to-MVO: scan result$"
            sections = SECTIONS["sme-scan-result"][language]
            name = f"sme-scan-result-{language}-{device}"
            saved.append(_check_and_shoot(page, name, heading[language], sections))
        context.close()
    assert all(path.stat().st_size > 10_000 for path in saved)


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        message = "pdftoppm is missing (apt-get install poppler-utils)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_passport_pdf_page_one_is_rendered_to_png(served_app, browser, language):
    """should download the demo SME's passport from its results page in each language and
    render its first page to a PNG beside the screenshots"""
    from pypdf import PdfReader

    tool = _pdftoppm()
    context, page = _page(browser, "desktop")
    _sign_in(page, served_app, "kmo@demo.be")
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile(r"vragenlijst.*beoordeling=\d+"))
    assessment = re.search(r"beoordeling=(\d+)", page.url).group(1)
    page.goto(f"{served_app}/resultaten?lang={language}&beoordeling={assessment}")
    _settle(page)
    button = {"nl": "PDF-paspoort downloaden", "en": "Download the PDF passport"}[language]
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=button).click()
    pdf = Path(download.value.path()).read_bytes()
    context.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"passport-{language}.pdf"
    target.write_bytes(pdf)
    first = PdfReader(target).pages[0].extract_text()
    assert ("MVO-paspoort" if language == "nl" else "CSR passport") in first
    assert "Bouwonderneming Verbeke" in first
    prefix = SHOTS / f"passport-{language}-page1"
    subprocess.run(
        [tool, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(target), str(prefix)],
        check=True,
        timeout=120,
    )
    assert prefix.with_suffix(".png").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("nl", "Er is geen pagina op het adres /bestaat-niet"),
        ("en", "There is no page at the address /bestaat-niet"),
    ],
)
def test_an_address_that_is_no_page_shows_the_sign_in_form_with_a_notice(
    served_app, browser, language, notice
):
    """should send an unknown address to the sign-in form with a notice in the chosen
    language, never Streamlit's English "Page not found" popup"""
    context, page = _page(browser, "desktop")
    page.goto(f"{served_app}/bestaat-niet?lang={language}")
    _settle(page)
    page.locator(SIGN_IN_FORM).first.wait_for()
    page.get_by_text(notice).first.wait_for()
    assert page.get_by_text(POPUP).count() == 0
    assert "missing=" not in page.url
    context.close()


def test_a_signed_in_user_at_an_address_that_is_no_page_lands_on_their_start_page(
    served_app, browser
):
    context, page = _page(browser, "desktop")
    _sign_in(page, served_app, "federatie@demo.be")
    page.goto(f"{served_app}/oude/bladwijzer?lang=nl")
    _settle(page)
    assert re.search("^Sectorbenchmark$", _heading(page))
    page.get_by_text("Er is geen pagina op het adres /oude/bladwijzer").first.wait_for()
    assert page.get_by_text(POPUP).count() == 0
    page.goto(f"{served_app}/beheer?lang=en")  # another role's page: a refusal in English
    _settle(page)
    page.get_by_text(re.compile("this page is not available for your role")).first.wait_for()
    assert page.get_by_text(POPUP).count() == 0
    context.close()


BROKEN_WORDS_JS = """(element) => {
    const broken = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const re = /\\S+/g;
        let match;
        while ((match = re.exec(node.textContent)) !== null) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (tops.size > 1) broken.push(match[0]);
        }
    }
    return broken;
}"""


def test_a_long_organisation_name_keeps_its_words_whole_on_a_phone(served_app, browser):
    """should wrap the SME's name between words on a 390 px phone (no word split over two
    lines, nothing running off the screen)"""
    context, page = _page(browser, "phone")
    _sign_in(page, served_app, "kmo@demo.be")
    heading = page.locator('[data-testid="stMain"] h1').first
    assert heading.inner_text().strip() == "Bouwonderneming Verbeke & Zonen"
    assert heading.evaluate(BROKEN_WORDS_JS) == []
    assert heading.evaluate("(h) => h.scrollWidth <= h.clientWidth + 1")
    for other in page.locator('[data-testid="stMain"] h2').all():
        assert other.evaluate(BROKEN_WORDS_JS) == [], other.inner_text()
    context.close()
