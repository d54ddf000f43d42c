"""The application shell: navigation by role, the language toggle and the signed-in user.

Every page is registered with ``st.navigation`` for every visitor, so that a page opened by
URL always resolves; pages outside the visitor's role are hidden from the menu, and the page
itself refuses to show anything (``app.ui.session.require``). The menu therefore lists only
what the role may use, and a typed URL meets a refusal, not data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.ui import keys, session
from app.ui.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _
from app.ui.markup import literal

PAGES_DIR = Path(__file__).resolve().parent / "pages"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class PageSpec:
    """A page: its script, menu title (an English message id), URL and the roles it serves."""

    script: str
    title: str
    icon: str
    url_path: str
    roles: tuple[str, ...]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("signin.py", N_("Sign in"), ":material/login:", "aanmelden", (ANONYMOUS,)),
    PageSpec("sme_home.py", N_("My organisation"), ":material/home:", "start", ("sme",)),
    PageSpec(
        "sme_questionnaire.py",
        N_("Questionnaire"),
        ":material/checklist:",
        "vragenlijst",
        ("sme",),
    ),
    PageSpec(
        "sme_results.py",
        N_("Results and passport"),
        ":material/insights:",
        "resultaten",
        ("sme",),
    ),
    PageSpec("sme_vsme.py", N_("VSME report"), ":material/eco:", "vsme-rapport", ("sme",)),
    PageSpec(
        "federation.py",
        N_("Sector benchmark"),
        ":material/groups:",
        "federatie",
        ("federation",),
    ),
    PageSpec(
        "department.py",
        N_("Overview and export"),
        ":material/account_balance:",
        "departement",
        ("department", "admin"),
    ),
    PageSpec(
        "admin.py",
        N_("Administration"),
        ":material/admin_panel_settings:",
        "beheer",
        ("admin",),
    ),
)


#: English addresses of the pages (a link typed from the English menu titles): each opens the
#: page itself, so that no typed address meets Streamlit's English "Page not found" popup.
ALIASES = {
    "sign-in": "signin.py",
    "home": "sme_home.py",
    "questionnaire": "sme_questionnaire.py",
    "results": "sme_results.py",
    "vsme-report": "sme_vsme.py",
    "federation": "federation.py",
    "department": "department.py",
    "admin": "admin.py",
}


def _alias_page(url_path: str, script: str) -> st.Page:
    def open_page() -> None:
        st.switch_page(str(PAGES_DIR / script))

    open_page.__name__ = f"alias_{url_path.replace('-', '_')}"
    return st.Page(open_page, title=url_path, url_path=url_path, visibility="hidden")


def home_page(role: str) -> str:
    """The script path (relative to ``app/``) of a role's first page, for ``st.switch_page``."""
    spec = next((spec for spec in PAGES if role in spec.roles), PAGES[0])
    return f"ui/pages/{spec.script}"


def page_addresses() -> frozenset[str]:
    """Every address the navigation serves (pages, their English aliases and the root's)."""
    return frozenset({"home", *(spec.url_path for spec in PAGES), *ALIASES})


def missing_page_notice(page: st.Page) -> None:
    """Where the server sent a browser from an address that is no page (``?missing=``): say so
    in the chosen language on the page the visitor lands on (after the root forwarded them)."""
    missing = st.query_params.get(keys.QP_MISSING)
    if missing is not None:
        del st.query_params[keys.QP_MISSING]
        st.session_state[keys.MISSING_PAGE] = str(missing)[:200]
    if page.url_path in ("", "home") or keys.MISSING_PAGE not in st.session_state:
        return  # the root forwards at once: the notice goes with the page it forwards to
    st.warning(
        _("There is no page at the address /{address}. Here is your start page instead.").format(
            address=literal(st.session_state.pop(keys.MISSING_PAGE))
        ),
        icon=":material/explore_off:",
    )


def role_of_visitor() -> str:
    principal = session.current_principal()
    return principal.role if principal is not None else ANONYMOUS


def _open_home() -> None:
    """The app's root address: on to the visitor's first page (the sign-in page, or the
    role's own), which then shows its own address."""
    st.switch_page(str(PAGES_DIR / home_page(role_of_visitor()).removeprefix("ui/pages/")))


def navigation_pages(role: str) -> list[st.Page]:
    """All pages, those of ``role`` visible, others hidden. The default page (the root
    address) only forwards to the role's first page: Streamlit serves its default page at the
    root instead of at its own address, so a role's page that were the default could not be
    opened by its address (a bookmark of /federatie would meet "Page not found")."""
    own = [spec for spec in PAGES if role in spec.roles]
    home = st.Page(
        _open_home, title="MVO-paspoort", url_path="home", default=True, visibility="hidden"
    )
    return [
        home,
        *(
            st.Page(
                str(PAGES_DIR / spec.script),
                title=_(spec.title),
                icon=spec.icon,
                url_path=spec.url_path,
                visibility="visible" if spec in own else "hidden",
            )
            for spec in PAGES
        ),
        *(
            _alias_page(url_path, script)
            for url_path, script in ALIASES.items()
            if url_path != "home"
        ),
    ]


def _on_language_change() -> None:
    chosen = st.session_state.get(keys.LANGUAGE_TOGGLE)
    if chosen in LANGUAGES:
        session.set_language(chosen)


def language_toggle() -> None:
    """Nederlands / English, remembered in the session and the URL."""
    st.session_state[keys.LANGUAGE_TOGGLE] = session.language()
    st.sidebar.radio(
        "Taal / Language",
        list(LANGUAGES),
        key=keys.LANGUAGE_TOGGLE,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        on_change=_on_language_change,
    )


def user_box() -> None:
    principal = session.current_principal()
    if principal is None:
        return
    st.sidebar.caption(
        _("Signed in as {email} ({role})").format(
            email=literal(principal.email),
            role=_(session.ROLE_NAMES.get(principal.role, principal.role)),
        )
    )
    if st.sidebar.button(_("Sign out"), key="ui:signout", icon=":material/logout:"):
        with st.sidebar:
            session.sign_out()


#: Headings wrap between words: a long organisation name keeps its words whole on a phone
#: (the heading shrinks to fit a long word; a word wider than the screen still breaks, as the
#: last resort, rather than run off the screen).
PAGE_STYLE = """<style>
[data-testid="stMain"] :is(h1, h2, h3) {
  word-break: normal !important; hyphens: manual !important; overflow-wrap: anywhere !important;
}
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: clamp(1.5rem, 7.5vw, 2.75rem) !important; }
  [data-testid="stMain"] h2 { font-size: clamp(1.3rem, 6vw, 2.25rem) !important; }
}
</style>"""


def run() -> None:
    """One run of the app: restore the session, draw the shell, run the chosen page."""
    st.set_page_config(page_title="MVO-paspoort", page_icon="🌱", layout="wide")
    st.html(PAGE_STYLE)
    session.restore()
    page = st.navigation(navigation_pages(role_of_visitor()))
    language_toggle()
    user_box()
    session.mirror_to_url()
    missing_page_notice(page)
    page.run()
