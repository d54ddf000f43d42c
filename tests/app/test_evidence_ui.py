"""The SME sees its evidence in the questionnaire (issue 10, exports): under a question that
asks for evidence, each stored file is listed by its (cleaned) name with a download button
and, in a draft, a remove button; a refused name is shown as the services' message."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import PASSWORD, YEAR
from streamlit.testing.v1 import AppTest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "example_framework.yaml"
PDF = b"%PDF-1.4 bewijs"
BASE = "w:example:safety_policy:evidence"


def _script(fixture: str, url: str, user_id: int, assessment_id: int, read_only: bool) -> None:
    import streamlit as st
    import yaml

    from app.services import auth
    from app.store.db import Store
    from app.ui.evidence import EvidenceShelf
    from app.ui.questionnaire import render_question, save_status_line
    from frameworks.models import Framework

    data = yaml.safe_load(open(fixture, encoding="utf-8"))
    data["sections"][0]["topics"][0]["questions"][0]["evidence"] = True
    framework = Framework.model_validate(data)
    if "test:store" not in st.session_state:
        st.session_state["test:store"] = Store(url)
    store = st.session_state["test:store"]
    shelf = EvidenceShelf(store, auth.get_principal(store, user_id), assessment_id)
    save_status_line()
    for question_id in ("safety_policy", "has_prevention_advisor"):
        render_question(
            framework,
            framework.questions[question_id],
            None,
            lambda change: None,
            attach=shelf,
            read_only=read_only,
        )


@pytest.fixture()
def sme_draft(seeded):
    from app.services import assessments, auth

    sme = auth.authenticate(seeded.store, "kmo@demo.be", PASSWORD)
    draft = assessments.start_assessment(seeded.store, sme, seeded.sme_org_id, YEAR)
    return seeded, sme, draft


def _app(seeded, sme, draft, read_only=False) -> AppTest:
    import os

    args = (str(FIXTURE), os.environ["MVO_DATABASE_URL"], sme.user_id, draft.id, read_only)
    app = AppTest.from_function(_script, args=args, default_timeout=30).run()
    assert not app.exception
    return app


def _names(app) -> list[str]:
    return [m.value for m in app.markdown if ":material/attach_file:" in m.value]


def test_stored_evidence_is_listed_with_its_name_and_a_download_button(sme_draft):
    from app.services import assessments

    seeded, sme, draft = sme_draft
    stored = assessments.add_evidence(
        seeded.store, sme, draft.id, "safety_policy", "risico_analyse.pdf", PDF
    )
    app = _app(seeded, sme, draft)
    assert len(_names(app)) == 1 and "risico\\_analyse\\.pdf" in _names(app)[0]
    assert [b.key for b in app.download_button] == [f"{BASE}:{stored.id}:download"]
    assert [b.key for b in app.button if b.key.startswith(BASE)] == [f"{BASE}:{stored.id}:remove"]
    assert any("1 van hoogstens 20 bestanden" in c.value for c in app.caption)


def test_an_upload_appears_in_the_list_under_its_clean_name_and_remove_drops_it(sme_draft):
    seeded, sme, draft = sme_draft
    app = _app(seeded, sme, draft)
    assert _names(app) == [] and len(app.download_button) == 0
    [uploader] = app.file_uploader
    uploader.set_value(("../factuur.pdf", PDF, "application/pdf")).run()
    assert not app.exception
    [name] = _names(app)
    assert "factuur\\.pdf" in name and "\\.\\./" not in name and ".." not in name
    [download] = app.download_button
    remove = app.button(key=download.key.replace(":download", ":remove"))
    remove.click().run()
    assert not app.exception
    assert _names(app) == [] and len(app.download_button) == 0


def test_a_refused_name_is_shown_as_the_services_message(sme_draft):
    seeded, sme, draft = sme_draft
    app = _app(seeded, sme, draft)
    app.file_uploader[0].set_value(("factuur\u202efdp.pdf", PDF, "application/pdf")).run()
    assert not app.exception
    assert any("U+202E" in e.value for e in app.error)
    assert _names(app) == []


def test_a_read_only_assessment_lists_and_downloads_but_does_not_remove(sme_draft):
    from app.services import assessments

    seeded, sme, draft = sme_draft
    assessments.add_evidence(seeded.store, sme, draft.id, "safety_policy", "beleid.pdf", PDF)
    app = _app(seeded, sme, draft, read_only=True)
    assert len(_names(app)) == 1 and len(app.download_button) == 1
    assert not [b for b in app.button if b.key.startswith(BASE)]
    assert len(app.file_uploader) == 0
