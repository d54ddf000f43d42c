"""The questionnaire page says which of last year's answers were not carried over because the
question changed in this version (issue 13 item 10), through the served app (AppTest)."""

from __future__ import annotations

import pytest
from app_support import signed_in_app

pytestmark = pytest.mark.slow


def _on_1_0(store, org_id: int, year: int, status: str, version: int, answers: dict) -> int:
    """An iso26000/bouw assessment as version 1.0 left it, its rows written directly."""
    from sqlalchemy import insert

    from app.services.values import encode_value
    from app.store.models import AnswerRow, AssessmentRow, utcnow

    with store.write() as session:
        row = AssessmentRow(
            organisation_id=org_id,
            framework="iso26000",
            framework_version="1.0",
            profile="bouw",
            profile_version="1.0",
            year=year,
            status=status,
            version=version,
        )
        session.add(row)
        session.flush()
        session.execute(
            insert(AnswerRow),
            [
                {
                    "assessment_id": row.id,
                    "question_id": q,
                    "value": encode_value(v)[0],
                    "na": False,
                    "version": 1,
                    "updated_at": utcnow(),
                    "source": "user",
                    "confirmed": False,
                }
                for q, v in answers.items()
            ],
        )
        return row.id


def test_questionnaire_page_lists_the_answers_not_carried_over_and_why(seeded):
    from app.kbo import make_number
    from app.services import assessments, auth, organisations
    from app.services.principal import SYSTEM

    store = seeded.store
    kbo = make_number(8300001)
    org = organisations.register_organisation(
        store, SYSTEM, kbo=kbo, name="Bouw Versie", profile="bouw", nace="41.001", fte=12
    )
    auth.create_user(store, SYSTEM, "versie@demo.be", "sme", password="demo", organisation_kbo=kbo)
    # 2024 as version 1.0 left it (rows written directly)
    _on_1_0(
        store,
        org.id,
        2024,
        "submitted",
        2,
        {"iso_6_6_3_c": True, "bouw_subcontractor_checks": True, "iso_6_6_6_a": 2},
    )
    started = assessments.start_assessment(store, SYSTEM, org.id, 2025)
    assert started.answer_values() == {"iso_6_6_6_a": 2}

    at = signed_in_app("versie@demo.be")
    at.selectbox(key="home:year").set_value(2025).run()
    at.button(key="home:open").click().run()
    assert not at.exception
    assert [e.label for e in at.expander if e.label.startswith("Niet overgenomen")] == [
        "Niet overgenomen van vorig jaar (2)"
    ]
    shown = " ".join(t.value for t in at.text)
    assert (
        "Niet overgenomen uit 2024: de vraag iso_6_6_3_c veranderde in versie 1.1 "
        "(uw antwoord gold voor versie 1.0)." in shown
    )
    assert "bouw_subcontractor_checks" in shown and "gesplitst" in shown


def test_federation_trend_shows_each_years_version_and_marks_the_change(seeded):
    """The seeded peers answered 2024 and 2025 on the example framework 1.0; 2024 is marked
    as 0.9 here, so the trend's 2025 row says 1.0 and a caption marks the change."""
    from app_support import YEAR
    from sqlalchemy import select

    from app.services import statistics
    from app.store.models import ScoreSnapshotRow

    store = seeded.store
    with store.write() as session:
        for snapshot in session.scalars(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.year == YEAR - 1)
        ):
            snapshot.framework_version = "0.9"
        session.flush()
        statistics.refresh(store, session, [("example_sector", "example", YEAR - 1)])
    at = signed_in_app("federatie@demo.be")
    at.selectbox(key="fed:year").set_value(YEAR).run()
    assert not at.exception
    (trend,) = [d.value for d in at.dataframe if "Kaderversie" in d.value.columns]
    assert list(trend["Kaderversie"]) == ["0.9", "1.0"]
    assert any(
        f"Vanaf {YEAR} gaan de cijfers over kaderversie 1.0 (daarvoor: 0.9)" in c.value
        for c in at.caption
    )


def test_a_draft_on_an_earlier_version_shows_a_notice_and_switches(seeded):
    """A 2025 draft started on iso26000 1.0 (bouw 1.0) says so on the questionnaire page and
    offers the switch; after it the page says what was kept and the notice is gone."""
    from app.kbo import make_number
    from app.services import assessments, auth, organisations
    from app.services.principal import SYSTEM

    store = seeded.store
    kbo = make_number(8300002)
    org = organisations.register_organisation(
        store, SYSTEM, kbo=kbo, name="Bouw Oud", profile="bouw", nace="41.001", fte=12
    )
    auth.create_user(store, SYSTEM, "oud@demo.be", "sme", password="demo", organisation_kbo=kbo)
    assessment_id = _on_1_0(store, org.id, 2025, "draft", 1, {"iso_6_6_3_c": True, "iso_6_2_a": 2})

    at = signed_in_app("oud@demo.be")
    at.selectbox(key="home:year").set_value(2025).run()
    at.button(key="home:open").click().run()
    assert not at.exception
    notice = [w.value for w in at.warning if "versie 1.0" in w.value]
    assert notice == [
        "Dit ontwerp staat op versie 1.0 van MVO-zelfevaluatie volgens ISO 26000; de huidige "
        "versie is 1.1. Het wordt op versie 1.0 gescoord tot u overschakelt."
    ]
    at.button(key="versions:switch").click().run()
    assert not at.exception
    assert any(
        "Overgeschakeld naar versie 1.1: 1 antwoorden behouden, 1 niet overgenomen." in s.value
        for s in at.success
    )
    assert "iso_6_6_3_c" in " ".join(t.value for t in at.text)
    assert not [w for w in at.warning if "versie 1.0" in w.value]
    view = assessments.get_assessment(store, SYSTEM, assessment_id)
    assert view.framework_version == "1.1" and view.answer_values() == {"iso_6_2_a": 2}
