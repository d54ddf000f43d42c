"""Bulk import (``mvo import``): every row checked first and reported as (row, column,
problem); any problem -> nothing written unless skip_invalid; one transaction, so a failure
halfway leaves the database as it was; the same answer values as ``mvo score``."""

from __future__ import annotations

import csv
import json
import threading

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.kbo import make_number
from app.services import assessments, importing, passports, scoring_bridge
from app.services.errors import AccessDenied, ConflictError, InvalidInput, ReadOnly
from app.services.principal import SYSTEM
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, ScoreSnapshotRow

from .helpers import PROFILE, organisation, principal

YEAR = 2025
HEADER = [
    "kbo",
    "name",
    "fte",
    "safety_policy",
    "has_prevention_advisor",
    "training_plan",
    "training_topics",
    "energy_mwh",
    "accidents",
    "energy_story",
    "sector_charter",
]


def good_row(n: int) -> list:
    return [
        make_number(5000000 + n),
        f"Bedrijf {n} <&> “é”",
        8 + n,
        n % 5,
        "ja",
        "written",
        "safety;digital",
        f"{n},5",
        "n/a",
        f"verhaal {n}",
        "nee",
    ]


def write_csv(path, rows, header=HEADER, delimiter=";"):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def counts(store) -> tuple[int, int, int, int]:
    with store.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (OrganisationRow, AssessmentRow, AnswerRow, ScoreSnapshotRow)
        )


def run(store, path, **options):
    return importing.import_answers(
        store, SYSTEM, path, framework="example", profile=PROFILE, year=YEAR, **options
    )


def test_valid_csv_should_create_organisations_and_submitted_assessments(store, tmp_path):
    report = run(store, write_csv(tmp_path / "in.csv", [good_row(n) for n in range(1, 4)]))
    assert report.valid and report.written == 3 and report.submitted == 3
    assert counts(store) == (3, 3, 3 * 8, 3)
    with store.read() as session:
        org = session.scalar(select(OrganisationRow).where(OrganisationRow.name.like("%2%")))
        aid = session.scalar(
            select(AssessmentRow.id).where(AssessmentRow.organisation_id == org.id)
        )
    assert org.name == "Bedrijf 2 <&> “é”" and org.fte == 10 and org.profile == PROFILE
    values = assessments.get_assessment(store, SYSTEM, aid).answer_values()
    assert values == {
        "safety_policy": 2,
        "has_prevention_advisor": True,
        "training_plan": "written",
        "training_topics": ["safety", "digital"],
        "energy_mwh": 2.5,
        "accidents": "n/a",
        "energy_story": "verhaal 2",
        "sector_charter": False,
    }


def test_any_invalid_row_should_write_nothing_and_report_row_column_problem(store, tmp_path):
    rows = [good_row(1), good_row(2), good_row(3)]
    rows[1][3] = 7  # maturity out of range, file row 3
    rows[2][0] = "0403019262"  # bad checksum, file row 4
    rows[2][6] = "safety;cooking"  # unknown option, file row 4
    report = run(store, write_csv(tmp_path / "in.csv", rows))
    assert not report.valid and report.written == 0
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "safety_policy"),
        (4, "kbo"),
        (4, "training_topics"),
    ]
    assert "check digits" in str(report.problems[1].problem)
    assert counts(store) == (0, 0, 0, 0)


def test_skip_invalid_should_write_only_the_valid_rows(store, tmp_path):
    rows = [good_row(1), good_row(2), good_row(3)]
    rows[1][4] = "misschien"
    report = run(store, write_csv(tmp_path / "in.csv", rows), skip_invalid=True)
    assert report.written == 2 and report.skipped == 1
    assert report.flatten()[0][:2] == (3, "has_prevention_advisor")
    assert counts(store)[:2] == (2, 2)


def test_unknown_or_missing_columns_should_be_reported_on_the_header(store, tmp_path):
    header = ["kbo", "safety_policy", "no_such_question"]
    report = run(store, write_csv(tmp_path / "in.csv", [["0403019261", 3, 1]], header=header))
    assert sorted(report.flatten()) == [
        (1, "name", "column-missing"),
        (1, "no_such_question", "unknown-question-id-in"),
    ]
    assert counts(store) == (0, 0, 0, 0)


def test_duplicate_kbo_in_the_file_should_be_reported(store, tmp_path):
    rows = [good_row(1), good_row(1)]
    report = run(store, write_csv(tmp_path / "in.csv", rows))
    assert report.flatten()[0][:2] == (3, "kbo")


def test_failure_halfway_should_leave_the_database_as_it_was(store, tmp_path, monkeypatch):
    org, sme = organisation(store, 1)
    before = counts(store)
    calls = {"n": 0}
    real = scoring_bridge.passport

    def failing_passport(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring_bridge, "passport", failing_passport)
    with pytest.raises(RuntimeError):
        run(store, write_csv(tmp_path / "in.csv", [good_row(n) for n in range(1, 6)]))
    assert counts(store) == before


def test_excel_and_json_should_import_the_same_values_as_csv(store, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = good_row(1)
    row[0] = int(row[0])  # Excel drops the leading zero of a number cell
    row[3], row[4], row[7] = 3.0, True, 12.5
    sheet.append(row)
    workbook.save(tmp_path / "in.xlsx")
    assert run(store, tmp_path / "in.xlsx").written == 1
    record = dict(zip(HEADER, good_row(2), strict=True))
    record.update(
        safety_policy=1,
        has_prevention_advisor=False,
        training_topics=["digital"],
        energy_mwh=4,
        accidents=None,
    )
    (tmp_path / "in.json").write_text(json.dumps([record]), encoding="utf-8")
    assert run(store, tmp_path / "in.json").written == 1
    with store.read() as session:
        ids = list(session.scalars(select(AssessmentRow.id).order_by(AssessmentRow.id)))
    first = assessments.get_assessment(store, SYSTEM, ids[0]).answer_values()
    second = assessments.get_assessment(store, SYSTEM, ids[1]).answer_values()
    assert first["safety_policy"] == 3 and first["has_prevention_advisor"] is True
    assert second["training_topics"] == ["digital"] and "accidents" not in second


def test_an_imported_draft_should_be_updated_and_submitted_a_submitted_one_refused(store, tmp_path):
    row = good_row(1)
    row[3] = ""  # required question open: stays a draft
    assert run(store, write_csv(tmp_path / "in.csv", [row])).drafts == 1
    row[3] = 2
    report = run(store, write_csv(tmp_path / "again.csv", [row]))
    assert report.written == 1 and report.submitted == 1 and report.new_organisations == 0
    report = run(store, write_csv(tmp_path / "third.csv", [row]))
    assert report.flatten()[0][:2] == (2, "kbo")
    assert "already submitted" in str(report.problems[0].problem)
    assert row[0] in str(report.problems[0].problem)


def test_rows_with_open_required_questions_should_stay_drafts(store, tmp_path):
    row = good_row(1)
    row[3] = ""
    report = run(store, write_csv(tmp_path / "in.csv", [row]))
    assert report.written == 1 and report.submitted == 0 and report.drafts == 1


def test_only_admins_and_the_sectors_federation_should_import(store, tmp_path):
    path = write_csv(tmp_path / "in.csv", [good_row(1)])
    _org, sme = organisation(store, 9)
    with pytest.raises(AccessDenied):
        importing.import_answers(store, sme, path, framework="example", profile=PROFILE, year=YEAR)
    fed = principal(store, "federation", "fed@example.be", [PROFILE])
    report = importing.import_answers(
        store, fed, path, framework="example", profile=PROFILE, year=YEAR
    )
    assert report.written == 1


def test_unreadable_files_should_be_refused_clearly(store, tmp_path):
    (tmp_path / "in.pdf").write_bytes(b"%PDF")
    with pytest.raises(InvalidInput, match="unknown file type"):
        run(store, tmp_path / "in.pdf")
    (tmp_path / "latin1.csv").write_bytes("kbo;name\n0403019261;Caf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        run(store, tmp_path / "latin1.csv")
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(InvalidInput, match="JSON"):
        run(store, tmp_path / "bad.json")


# --------------------------------------------------------------------------- what an import may touch
def _fed(store):
    return principal(store, "federation", "fed@example.be", [PROFILE])


def _import_as(store, who, path, **options):
    return importing.import_answers(
        store, who, path, framework="example", profile=PROFILE, year=YEAR, **options
    )


def _row_for(org, safety=4):
    row = good_row(1)
    row[0], row[3] = org.kbo, safety
    return row


def test_an_import_should_never_touch_an_assessment_the_sme_started(store, tmp_path):
    """The SME's own draft is neither overwritten nor submitted: the row is refused, naming
    the organisation and its KBO number, and nothing of the file is written."""
    org, sme = organisation(store, 1)
    draft = assessments.start_assessment(store, sme, org.id, YEAR)
    assessments.save_answer(store, sme, draft.id, "safety_policy", 1, expected_version=0)
    before = assessments.get_assessment(store, sme, draft.id)
    report = _import_as(store, _fed(store), write_csv(tmp_path / "in.csv", [_row_for(org)]))
    assert report.written == 0 and [(p.row, p.column) for p in report.problems] == [(2, "kbo")]
    assert org.kbo in str(report.problems[0].problem) and "never overwrites" in str(
        report.problems[0].problem
    )
    after = assessments.get_assessment(store, sme, draft.id)
    assert after.status == "draft" and after.answers == before.answers
    assert after.version == before.version


def test_an_import_should_not_change_the_sector_or_fte_of_an_organisation_with_an_account(
    store, tmp_path
):
    """FTE decides the peer group: an organisation with its own account keeps its FTE (the
    file's value is a warning) and, without a sector, is not moved into the importer's."""
    org, _sme = organisation(store, 1, fte=12.0)
    row = _row_for(org)
    row[2] = 300
    report = _import_as(store, _fed(store), write_csv(tmp_path / "in.csv", [row]))
    assert report.written == 1 and [(w.row, w.column) for w in report.warnings] == [(2, "fte")]
    no_sector, _ = organisation(store, 2, profile=None, fte=5.0)
    row = _row_for(no_sector)
    row[2] = 300
    report = run(store, write_csv(tmp_path / "system.csv", [row]))
    assert report.written == 1
    with store.read() as session:
        stored = {
            o.kbo: (o.profile, o.fte)
            for o in session.scalars(select(OrganisationRow).order_by(OrganisationRow.id))
        }
    assert stored == {org.kbo: (PROFILE, 12.0), no_sector.kbo: (None, 5.0)}


def test_a_federation_import_into_an_organisation_outside_its_sector_should_be_refused(
    store, tmp_path
):
    """An organisation without a sector (no account yet) is not one of the federation's
    members: refused, and it stays without a sector."""
    from app.services import organisations as organisation_service

    outsider = organisation_service.register_organisation(
        store, SYSTEM, kbo=make_number(4000009), name="Buiten", profile=None, fte=3.0
    )
    report = _import_as(store, _fed(store), write_csv(tmp_path / "in.csv", [_row_for(outsider)]))
    assert report.written == 0 and report.flatten()[0][:2] == (2, "kbo")
    assert "not in your sector" in str(report.problems[0].problem)
    with store.read() as session:
        assert session.get(OrganisationRow, outsider.id).profile is None
    assert counts(store)[1:] == (0, 0, 0)


def test_an_import_racing_the_smes_submit_should_never_overwrite_it(store, tmp_path, backend):
    """The SME submits while a federation imports its row: whichever goes first, the SME's
    stored answers stay its own and its snapshot matches them (one transaction, rows held)."""
    fed = _fed(store)
    for n in range(1, 5):
        org, sme = organisation(store, n)
        draft = assessments.start_assessment(store, sme, org.id, YEAR)
        assessments.save_answer(store, sme, draft.id, "safety_policy", 1, expected_version=0)
        path = write_csv(tmp_path / f"in{n}.csv", [_row_for(org)])
        barrier = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def do_submit(barrier=barrier, outcome=outcome, sme=sme, draft=draft) -> None:
            barrier.wait()
            outcome["submit"] = assessments.submit(store, sme, draft.id)

        def do_import(barrier=barrier, outcome=outcome, path=path) -> None:
            barrier.wait()
            try:
                outcome["import"] = _import_as(store, fed, path)
            except ConflictError as error:
                outcome["import"] = error

        threads = [threading.Thread(target=do_submit), threading.Thread(target=do_import)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        stored = assessments.get_assessment(store, sme, draft.id)
        assert stored.status == "submitted" and stored.answer_values() == {"safety_policy": 1}
        frozen = passports.get_passport(store, sme, draft.id).scorecard
        assert frozen.questions["safety_policy"].value == 1
        assert not isinstance(outcome["import"], importing.ImportReport) or (
            outcome["import"].written == 0
        )


def test_an_import_racing_autosaves_should_not_deadlock(store, tmp_path):
    """SMEs keep saving into drafts an earlier import made while a second import updates and
    submits them: no deadlock or "locked" report. A save either lands or meets a conflict; the
    import either writes or refuses the touched rows, or reports a retryable conflict."""
    orgs = [organisation(store, n) for n in range(1, 7)]
    rows = [_row_for(org, safety="") for org, _ in orgs]
    assert run(store, write_csv(tmp_path / "first.csv", rows)).drafts == len(orgs)
    ids = {org.id: _assessment_of(store, org.kbo) for org, _ in orgs}
    for row in rows:
        row[3] = 3
    path = write_csv(tmp_path / "second.csv", rows)
    stop = threading.Event()
    failures: list[BaseException] = []

    def autosave(org, sme) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                version = assessments.get_assessment(store, sme, ids[org.id]).answer_version(
                    "energy_story"
                )
                assessments.save_answer(
                    store, sme, ids[org.id], "energy_story", f"v{n}", expected_version=version
                )
            except (ConflictError, ReadOnly):
                pass
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)
                return

    savers = [threading.Thread(target=autosave, args=pair) for pair in orgs]
    for saver in savers:
        saver.start()
    outcomes = []
    try:
        for _ in range(3):
            try:
                outcomes.append(run(store, path, skip_invalid=True))
            except ConflictError as error:
                assert "try again" in str(error)
                outcomes.append(error)
    finally:
        stop.set()
        for saver in savers:
            saver.join(60)
    assert not failures, failures
    for org, sme in orgs:
        view = assessments.get_assessment(store, sme, ids[org.id])
        if view.status == "submitted":
            assert _snapshot_overall(store, view.id) == pytest.approx(
                _score(store, view.answer_values())
            )


def _assessment_of(store, kbo: str) -> int:
    with store.read() as session:
        return session.scalar(
            select(AssessmentRow.id)
            .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
            .where(OrganisationRow.kbo == kbo)
        )


def _snapshot_overall(store, assessment_id: int) -> float | None:
    with store.read() as session:
        return session.scalar(
            select(ScoreSnapshotRow.overall).where(ScoreSnapshotRow.assessment_id == assessment_id)
        )


def _score(store, values) -> float | None:
    cat = store.catalogue
    return scoring_bridge.scorecard(
        cat.frameworks["example"], cat.profiles[PROFILE], values
    ).overall


# --------------------------------------------------------------------------- what the file holds
def test_a_header_only_file_should_be_reported_on_the_first_row(store, tmp_path):
    report = run(store, write_csv(tmp_path / "in.csv", []))
    assert report.flatten() == [(2, "kbo", "no-rows-below-the-header")]
    assert report.written == 0


def test_a_cell_beyond_the_header_should_be_reported_with_row_and_column(store, tmp_path):
    row = good_row(1) + ["", "vergeten"]  # columns L (empty) and M
    report = run(store, write_csv(tmp_path / "in.csv", [good_row(2), row]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "M")]
    assert "beyond the header" in str(report.problems[0].problem) and report.written == 0


def test_a_formula_without_a_computed_value_should_be_reported_with_row_and_column(store, tmp_path):
    """openpyxl (and other scripts) write formulas without their value: read as data the cell
    is empty, so it must be reported, not taken for an unanswered question."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = good_row(1)
    row[0], row[3] = int(row[0]), "=1+2"
    sheet.append(row)
    sheet.append([*good_row(2)[:11], "=A1"])  # a formula beyond the header, too
    workbook.save(tmp_path / "in.xlsx")
    report = run(store, tmp_path / "in.xlsx")
    assert [(p.row, p.column) for p in report.problems] == [(2, "safety_policy"), (3, "L")]
    assert "formula without a computed value" in str(report.problems[0].problem)
    assert report.written == 0


def test_an_import_waiting_too_long_for_a_save_should_be_a_retryable_conflict(
    store, tmp_path, backend, monkeypatch
):
    """While an organisation's save holds its assessment (PostgreSQL), the import gives up
    after its lock timeout with a clear "try again" and writes nothing."""
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers on BEGIN IMMEDIATE and its busy timeout")
    org, _sme = organisation(store, 1)
    row = _row_for(org, safety="")
    run(store, write_csv(tmp_path / "first.csv", [row]))
    aid = _assessment_of(store, org.kbo)
    before = counts(store)
    monkeypatch.setattr(importing, "LOCK_TIMEOUT_MS", 300)
    row[3] = 3
    with store.engine.connect() as holder, holder.begin():
        holder.execute(
            select(AssessmentRow.id).where(AssessmentRow.id == aid).with_for_update(key_share=True)
        )
        with pytest.raises(ConflictError, match="try again"):
            run(store, write_csv(tmp_path / "second.csv", [row]))
    assert counts(store) == before
