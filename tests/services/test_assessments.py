"""Yearly assessments: start pre-filled from last year, save one answer with per-answer
optimistic locking (no lost update, the loser gets the conflict, also under threads), submit
only when required questions are answered (snapshot stored), reopen audited, evidence limits."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.services import assessments, passports
from app.services.errors import (
    ConflictError,
    InvalidAnswer,
    InvalidInput,
    NotSubmittable,
    ReadOnly,
)
from app.store.models import AuditRow, ScoreSnapshotRow

from .helpers import organisation, principal

YEAR = 2025


@pytest.fixture()
def draft(store):
    org, sme = organisation(store)
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    return org, sme, started


def test_start_should_use_the_profile_and_its_first_framework_and_be_idempotent(store, draft):
    org, sme, started = draft
    assert (started.framework, started.profile, started.year) == ("example", "example_sector", YEAR)
    assert started.status == "draft" and started.answers == {}
    again = assessments.start_assessment(store, sme, org.id, YEAR)
    assert again.id == started.id


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("safety_policy", 4),
        ("has_prevention_advisor", True),
        ("training_plan", "written"),
        ("training_topics", ["safety", "digital"]),
        ("energy_mwh", 12.5),
        ("accidents", 3),
        ("accidents", "n/a"),
        ("energy_story", "Zonnepanelen ☀️ <b>sinds</b> 2019 & meer"),
        ("sector_charter", False),
    ],
)
def test_every_answer_type_should_round_trip_exactly(store, draft, question, value):
    _org, sme, started = draft
    saved = assessments.save_answer(store, sme, started.id, question, value, expected_version=0)
    assert saved.version == 1
    loaded = assessments.get_assessment(store, sme, started.id)
    assert loaded.answers[question].value == value
    assert type(loaded.answers[question].value) is type(value)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("safety_policy", 5),
        ("safety_policy", True),
        ("has_prevention_advisor", "yes"),
        ("training_plan", "maybe"),
        ("training_topics", ["safety", "safety"]),
        ("energy_mwh", float("nan")),
        ("energy_mwh", -1),
        ("accidents", 2.5),
        ("safety_policy", "n/a"),
        ("energy_story", 42),
        ("no_such_question", 1),
    ],
)
def test_invalid_answers_should_be_refused_and_nothing_stored(store, draft, question, value):
    _org, sme, started = draft
    with pytest.raises(InvalidInput) as caught:
        assessments.save_answer(store, sme, started.id, question, value, expected_version=0)
    assert question in str(caught.value)
    assert assessments.get_assessment(store, sme, started.id).answers == {}


def test_note_should_be_kept_exactly_and_survive_a_value_change(store, draft):
    _org, sme, started = draft
    note = "Zie verslag <2024> & bijlage “B” — ok\n✓"
    first = assessments.save_answer(
        store, sme, started.id, "safety_policy", 2, expected_version=0, note=note
    )
    assessments.save_answer(
        store, sme, started.id, "safety_policy", 3, expected_version=first.version
    )
    assert assessments.get_assessment(store, sme, started.id).answers["safety_policy"].note == note


def test_open_questionnaires_should_share_one_string_per_question_id(store, draft):
    # every browser session keeps its assessment's answers: two loads (two sessions) hold the
    # same question id objects, not a copy each, and an answer carries no per-instance dict
    _org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "safety_policy", 2, expected_version=0)
    first = assessments.get_assessment(store, sme, started.id).answers
    second = assessments.get_assessment(store, sme, started.id).answers
    (key_one, answer_one), (key_two, answer_two) = (
        next(iter(first.items())),
        next(iter(second.items())),
    )
    assert key_one == key_two == "safety_policy"
    assert key_one is key_two and answer_one.question_id is answer_two.question_id
    assert answer_one is not answer_two and not hasattr(answer_one, "__dict__")


def test_stale_save_of_the_same_question_should_conflict_and_keep_the_colleagues_answer(
    store, draft
):
    org, sme, started = draft
    from app.services import auth
    from app.services.principal import SYSTEM

    colleague_view = auth.create_user(
        store, SYSTEM, "collega@example.be", "sme", organisation_kbo=org.kbo
    )
    colleague = auth.get_principal(store, colleague_view.id)
    seen = assessments.get_assessment(store, sme, started.id).answer_version("safety_policy")
    assessments.save_answer(store, colleague, started.id, "safety_policy", 4, expected_version=seen)
    with pytest.raises(ConflictError) as caught:
        assessments.save_answer(store, sme, started.id, "safety_policy", 1, expected_version=seen)
    assert caught.value.current_value == 4 and caught.value.current_version == 1
    assert assessments.get_assessment(store, sme, started.id).answers["safety_policy"].value == 4


def test_saving_a_different_question_from_a_second_tab_should_succeed(store, draft):
    _org, sme, started = draft
    tab1 = assessments.get_assessment(store, sme, started.id)
    tab2 = assessments.get_assessment(store, sme, started.id)
    assessments.save_answer(
        store,
        sme,
        started.id,
        "safety_policy",
        2,
        expected_version=tab1.answer_version("safety_policy"),
    )
    assessments.save_answer(
        store,
        sme,
        started.id,
        "training_plan",
        "informal",
        expected_version=tab2.answer_version("training_plan"),
    )
    values = assessments.get_assessment(store, sme, started.id).answer_values()
    assert values == {"safety_policy": 2, "training_plan": "informal"}


def test_two_sessions_saving_concurrently_should_lose_no_update(store, draft):
    """Two threads save the same question on the same version: exactly one wins, the other
    gets the conflict, and the stored value is the winner's (repeated rounds)."""
    _org, sme, started = draft
    for round_ in range(8):
        version = assessments.get_assessment(store, sme, started.id).answer_version("accidents")
        barrier = threading.Barrier(2)
        outcome: dict[int, object] = {}

        def save(value: int, version=version, barrier=barrier, outcome=outcome) -> None:
            barrier.wait()
            try:
                outcome[value] = assessments.save_answer(
                    store, sme, started.id, "accidents", value, expected_version=version
                )
            except ConflictError as error:
                outcome[value] = error

        threads = [threading.Thread(target=save, args=(100 * round_ + i,)) for i in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        winners = [v for v, r in outcome.items() if not isinstance(r, Exception)]
        losers = [v for v, r in outcome.items() if isinstance(r, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1, outcome
        stored = assessments.get_assessment(store, sme, started.id).answers["accidents"]
        assert stored.value == winners[0] and stored.version == version + 1


def test_concurrent_read_modify_write_with_retry_should_count_every_increment(store, draft):
    """The classic lost-update check: threads add 1 to a number with retry on conflict."""
    _org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "accidents", 0, expected_version=0)
    per_thread, threads_n = 10, 3

    def add_one_repeatedly() -> None:
        for _ in range(per_thread):
            while True:
                answer = assessments.get_assessment(store, sme, started.id).answers["accidents"]
                try:
                    assessments.save_answer(
                        store,
                        sme,
                        started.id,
                        "accidents",
                        answer.value + 1,
                        expected_version=answer.version,
                    )
                    break
                except ConflictError:
                    continue

    threads = [threading.Thread(target=add_one_repeatedly) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    final = assessments.get_assessment(store, sme, started.id).answers["accidents"]
    assert final.value == per_thread * threads_n
    assert final.version == per_thread * threads_n + 1


def test_every_save_should_be_audited_old_to_new(store, draft):
    _org, sme, started = draft
    first = assessments.save_answer(store, sme, started.id, "safety_policy", 1, expected_version=0)
    assessments.save_answer(
        store, sme, started.id, "safety_policy", 3, expected_version=first.version
    )
    entries = [e for e in assessments.history(store, sme, started.id) if e["action"] == "answer"]
    assert [(e["old"] and e["old"]["value"], e["new"]["value"]) for e in entries] == [
        (None, 1),
        (1, 3),
    ]
    assert {e["actor"] for e in entries} == {sme.email}


def test_submit_should_refuse_while_required_questions_are_open(store, draft):
    _org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "training_plan", "written", expected_version=0)
    with pytest.raises(NotSubmittable) as caught:
        assessments.submit(store, sme, started.id)
    assert caught.value.open_questions == ["safety_policy"]
    assert assessments.get_assessment(store, sme, started.id).status == "draft"


def test_submit_should_freeze_the_assessment_and_store_the_snapshot(store, draft):
    _org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "safety_policy", 4, expected_version=0)
    result = assessments.submit(store, sme, started.id)
    assert result.assessment.status == "submitted" and result.overall is not None
    with store.read() as session:
        snapshot = session.scalar(select(ScoreSnapshotRow))
    assert snapshot.assessment_id == started.id and snapshot.overall == result.overall
    assert snapshot.size_class == "small" and snapshot.level == result.level
    with pytest.raises(ReadOnly):
        assessments.save_answer(store, sme, started.id, "safety_policy", 1, expected_version=1)
    assert passports.get_passport(store, sme, started.id).passport.status == "submitted"


def test_submit_with_a_stale_revision_should_conflict(store, draft):
    _org, sme, started = draft
    reviewed = assessments.get_assessment(store, sme, started.id)
    assessments.save_answer(store, sme, started.id, "safety_policy", 4, expected_version=0)
    with pytest.raises(ConflictError):
        assessments.submit(store, sme, started.id, expected_version=reviewed.version)


def test_reopen_should_be_audited_and_drop_the_snapshot(store, draft):
    _org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "safety_policy", 4, expected_version=0)
    assessments.submit(store, sme, started.id)
    department = principal(store, "department", "dep@example.be")
    with pytest.raises(InvalidInput):
        assessments.reopen(store, department, started.id, "  ")
    reopened = assessments.reopen(store, department, started.id, "verkeerd jaar")
    assert reopened.status == "draft"
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(ScoreSnapshotRow)) == 0
        entry = session.scalar(select(AuditRow).where(AuditRow.action == "reopen"))
    assert entry.actor == "dep@example.be" and "verkeerd jaar" in entry.new
    assessments.save_answer(store, sme, started.id, "safety_policy", 3, expected_version=1)


def test_new_year_should_start_from_last_years_answers(store, draft):
    org, sme, started = draft
    assessments.save_answer(
        store, sme, started.id, "safety_policy", 4, expected_version=0, note="notitie"
    )
    assessments.save_answer(store, sme, started.id, "energy_story", "€ verhaal", expected_version=0)
    assessments.submit(store, sme, started.id)
    next_year = assessments.start_assessment(store, sme, org.id, YEAR + 1)
    assert next_year.id != started.id and next_year.status == "draft"
    assert next_year.answer_values() == {"safety_policy": 4, "energy_story": "€ verhaal"}
    assert next_year.answers["safety_policy"].note == "notitie"
    assert next_year.answers["safety_policy"].version == 1


def test_prefill_should_skip_a_new_major_framework_version(store, catalogue, draft):
    org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "safety_policy", 4, expected_version=0)
    from app.store.models import AssessmentRow

    with store.write() as session:
        session.get(AssessmentRow, started.id).framework_version = "0.9"
    assert assessments.start_assessment(store, sme, org.id, YEAR + 1).answers == {}


def test_invalid_year_should_be_refused(store, draft):
    org, sme, _started = draft
    for year in (1999, 3000, "2025"):
        with pytest.raises(InvalidInput):
            assessments.start_assessment(store, sme, org.id, year)


def test_evidence_should_accept_allowed_types_and_refuse_others(store, draft):
    _org, sme, started = draft
    pdf = b"%PDF-1.7\n" + b"0" * 100
    view = assessments.add_evidence(store, sme, started.id, "safety_policy", "Rapport é.pdf", pdf)
    assert view.size == len(pdf) and len(view.sha256) == 64
    stored_view, data = assessments.get_evidence_file(store, sme, view.id)
    assert data == pdf and stored_view.name == "Rapport é.pdf"
    with pytest.raises(InvalidInput):
        assessments.add_evidence(store, sme, started.id, "safety_policy", "x.exe", b"MZ")
    with pytest.raises(InvalidInput):  # a .pdf that is not a PDF
        assessments.add_evidence(store, sme, started.id, "safety_policy", "x.pdf", b"<html>")
    with pytest.raises(InvalidInput):
        assessments.add_evidence(
            store, sme, started.id, "safety_policy", "big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)
        )
    assert len(assessments.list_evidence(store, sme, started.id)) == 1


def test_invalid_answer_error_should_name_the_question(store, draft):
    _org, sme, started = draft
    with pytest.raises(InvalidAnswer) as caught:
        assessments.save_answer(store, sme, started.id, "safety_policy", 9, expected_version=0)
    assert caught.value.field == "safety_policy"


def test_save_racing_a_submit_should_either_land_before_it_or_be_refused(store, draft):
    """No answer slips into a submitted assessment behind its snapshot's back."""
    _org, sme, started = draft
    assessments.save_answer(store, sme, started.id, "safety_policy", 2, expected_version=0)
    for round_ in range(5):
        if round_:
            department = principal(store, "department", f"dep{round_}@example.be")
            assessments.reopen(store, department, started.id, "opnieuw")
        version = assessments.get_assessment(store, sme, started.id).answer_version("accidents")
        barrier = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def do_submit(barrier=barrier, outcome=outcome) -> None:
            barrier.wait()
            outcome["submit"] = assessments.submit(store, sme, started.id)

        def do_save(barrier=barrier, outcome=outcome, version=version, value=round_) -> None:
            barrier.wait()
            try:
                outcome["save"] = assessments.save_answer(
                    store, sme, started.id, "accidents", value, expected_version=version
                )
            except ReadOnly as error:
                outcome["save"] = error

        threads = [threading.Thread(target=do_submit), threading.Thread(target=do_save)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        frozen = passports.get_passport(store, sme, started.id).scorecard
        stored = assessments.get_assessment(store, sme, started.id).answer_values()
        in_snapshot = frozen.questions["accidents"].value
        if isinstance(outcome["save"], ReadOnly):
            assert stored.get("accidents") == in_snapshot
        else:
            assert stored["accidents"] == in_snapshot == round_


SCAN = """\
id: scan
version: "1.0"
title: {nl: Korte scan, en: Short scan}
description: {nl: Een korte kennismaking, en: A short introduction}
derivation:
  statement: {nl: Voor tests, en: For tests}
  sources: [{name: ISO 26000, edition: "2010"}]
sections:
  - id: st_6_4
    title: {nl: Arbeid, en: Labour}
    topics:
      - id: st_safety
        title: {nl: Veiligheid, en: Safety}
        questions:
          - id: st_safety_plan
            type: yes_no
            points: 4
            text: {nl: Heeft u een veiligheidsplan, en: Do you have a safety plan}
            help: {nl: Een plan, en: A plan}
            advice: {nl: Maak een plan, en: Make a plan}
"""


def test_a_framework_outside_the_organisations_profile_starts_as_a_standalone_scan(
    db_url, tmp_path
):
    """An SME of a sector can still take the Start-to-MVO scan: the profile defaults to the
    organisation's, but a framework that profile does not include is taken without one."""
    from app.store import Store
    from frameworks.loader import load_catalogue
    from tests.pg_cluster import FIXTURES

    scan_file = tmp_path / "scan.yaml"
    scan_file.write_text(SCAN, encoding="utf-8")
    cat = load_catalogue(
        [FIXTURES / "example_framework.yaml", FIXTURES / "example_profile.yaml", scan_file]
    )
    store = Store(db_url, catalogue=cat)
    try:
        org, sme = organisation(store)
        scan = assessments.start_assessment(store, sme, org.id, YEAR, framework="scan")
        assert (scan.framework, scan.profile) == ("scan", None)
        saved = assessments.save_answer(
            store, sme, scan.id, "st_safety_plan", True, expected_version=0
        )
        assert saved.version == 1
        with pytest.raises(InvalidInput, match="not part of sector profile"):
            assessments.start_assessment(
                store, sme, org.id, YEAR, profile="example_sector", framework="scan"
            )
    finally:
        store.dispose()
