"""Freezing a submission has one owner (``app.services.submission``): submit, the import and the
demo seeding freeze the same snapshot for the same stored answers, scored from what is stored
(never from a file's answers alone); one assessment per organisation, framework, profile (or
none) and year, also under concurrent starts; no import cycle between assessments and
passports."""

from __future__ import annotations

import ast
import json
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services import assessments, demo, importing, scoring_bridge, submission
from app.services.principal import SYSTEM
from app.store import Store
from app.store.models import AssessmentRow, ScoreSnapshotRow
from frameworks.loader import shipped_catalogue

from .helpers import PROFILE, organisation, principal
from .test_import import HEADER, good_row, write_csv

YEAR = 2025
ROOT = Path(__file__).resolve().parents[2]


def _snapshot(store, assessment_id: int) -> ScoreSnapshotRow:
    with store.read() as session:
        return session.scalar(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id == assessment_id)
        )


def _stored_card(store, assessment_id: int):
    values = assessments.get_assessment(store, SYSTEM, assessment_id).answer_values()
    cat = store.catalogue
    return scoring_bridge.scorecard(cat.frameworks["example"], cat.profiles[PROFILE], values)


def _assessment_of(store, kbo: str) -> int:
    from app.store.models import OrganisationRow

    with store.read() as session:
        return session.scalar(
            select(AssessmentRow.id)
            .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
            .where(OrganisationRow.kbo == kbo)
        )


def test_import_should_freeze_the_score_of_the_stored_answers_not_of_the_file(store, tmp_path):
    """A second file that only adds the required answer submits the draft an earlier import
    made: the frozen score is that of every stored answer (earlier file + this one), and
    equals what ``submit`` freezes for the same answers."""
    first = good_row(1)
    first[3] = ""  # the required maturity question is open: the first import keeps a draft
    assert (
        importing.import_answers(
            store,
            SYSTEM,
            write_csv(tmp_path / "a.csv", [first]),
            framework="example",
            profile=PROFILE,
            year=YEAR,
        ).drafts
        == 1
    )
    second = write_csv(
        tmp_path / "b.csv", [[first[0], first[1], 3]], header=HEADER[:2] + [HEADER[3]]
    )
    report = importing.import_answers(
        store, SYSTEM, second, framework="example", profile=PROFILE, year=YEAR
    )
    assert report.submitted == 1
    imported = _assessment_of(store, first[0])
    frozen = _snapshot(store, imported)
    stored = _stored_card(store, imported)
    cat = store.catalogue
    file_only = scoring_bridge.scorecard(
        cat.frameworks["example"], cat.profiles[PROFILE], {"safety_policy": 3}
    )
    assert frozen.overall == pytest.approx(stored.overall)
    assert frozen.overall != pytest.approx(file_only.overall)

    org, sme = organisation(store, 2)
    draft = assessments.start_assessment(store, sme, org.id, YEAR)
    for question, value in (
        assessments.get_assessment(store, SYSTEM, imported).answer_values().items()
    ):
        assessments.save_answer(store, sme, draft.id, question, value, expected_version=0)
    assessments.submit(store, sme, draft.id)
    submitted = _snapshot(store, draft.id)
    assert submitted.scorecard_json == frozen.scorecard_json
    assert (submitted.overall, submitted.level, submitted.completeness) == (
        frozen.overall,
        frozen.level,
        frozen.completeness,
    )


def test_demo_should_freeze_what_submitting_its_stored_answers_freezes(db_url):
    """Reopening the demo's submitted assessments of one organisation and year and submitting
    them again, in the profile's framework order, gives the very same snapshots."""
    store = Store(db_url, catalogue=shipped_catalogue())
    try:
        demo.seed_demo(store, per_sector=2, current_year=2026)
        with store.read() as session:
            organisation_id = session.scalar(
                select(ScoreSnapshotRow.organisation_id)
                .where(ScoreSnapshotRow.year == 2026)
                .group_by(ScoreSnapshotRow.organisation_id)
                .having(func.count() > 1)
                .order_by(ScoreSnapshotRow.organisation_id)
                .limit(1)
            )
            rows = session.scalars(
                select(ScoreSnapshotRow)
                .where(
                    ScoreSnapshotRow.organisation_id == organisation_id,
                    ScoreSnapshotRow.year == 2026,
                )
                .order_by(ScoreSnapshotRow.assessment_id)
            ).all()
        columns = ("overall", "level", "completeness", "size_class", "scorecard_json")
        seeded = {r.assessment_id: [getattr(r, c) for c in columns] for r in rows}
        seeded_passports = {r.assessment_id: r.passport_json for r in rows}
        department = principal(store, "department", "dep@example.be")
        for assessment_id in seeded:
            assessments.reopen(store, department, assessment_id, "test")
        for assessment_id in seeded:
            assessments.submit(store, SYSTEM, assessment_id)
        again = {a: _snapshot(store, a) for a in seeded}
        assert {a: [getattr(s, c) for c in columns] for a, s in again.items()} == seeded
        assert {a: s.passport_json for a, s in again.items()} == seeded_passports
    finally:
        store.dispose()


def test_a_snapshot_should_hold_its_card_once_and_give_back_the_frozen_passport(
    db_url, monkeypatch
):
    """The passport JSON holds the other frameworks' cards, not its own (that is the row's
    scorecard_json); ``stored_passport`` gives back the passport ``freeze`` built, equal and
    to the byte, also for the demo's passports of several frameworks."""
    frozen = {}
    freeze = submission.freeze

    def capture(*args, **kwargs):
        results = freeze(*args, **kwargs)
        frozen.update({f.assessment_id: f.passport for f in results if f.submitted})
        return results

    monkeypatch.setattr(submission, "freeze", capture)
    store = Store(db_url, catalogue=shipped_catalogue())
    try:
        demo.seed_demo(store, per_sector=2, current_year=2026)
        with store.read() as session:
            rows = session.scalars(select(ScoreSnapshotRow)).all()
        with_others = 0
        for row in rows:
            held = json.loads(row.passport_json)["scorecards"]
            assert row.framework not in held
            with_others += bool(held)
            passport = submission.stored_passport(
                row.passport_json, row.scorecard_json, row.framework
            )
            assert passport == frozen[row.assessment_id]
            assert passport.model_dump_json() == frozen[row.assessment_id].model_dump_json()
        assert rows and with_others
    finally:
        store.dispose()


def test_only_the_submission_module_should_build_a_snapshot():
    """Nothing but ``app/services/submission.py`` constructs or inserts a ScoreSnapshotRow."""
    builders = []
    for path in (ROOT / "app").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?<!class )ScoreSnapshotRow\(|insert\(ScoreSnapshotRow", text):
            builders.append(path.relative_to(ROOT).as_posix())
    assert builders == ["app/services/submission.py"]


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_assessments_and_passports_should_not_import_each_other():
    """No import cycle: neither module imports the other (also not inside a function)."""
    services = ROOT / "app" / "services"
    assert "app.services.passports" not in _imported_modules(services / "assessments.py")
    assert "app.services.assessments" not in _imported_modules(services / "passports.py")
    assert "app.services.assessments" not in _imported_modules(services / "submission.py")
    assert "app.services.passports" not in _imported_modules(services / "submission.py")


def test_concurrent_starts_of_a_scan_without_profile_should_give_one_assessment(store):
    """Eight browser tabs start the same assessment without a sector profile (a Start-to-MVO
    scan) at once: exactly one assessment exists and every tab gets it."""
    org, sme = organisation(store, 1, profile=None)
    for year in (2024, 2025):
        barrier = threading.Barrier(8)
        got: list[object] = []

        def start(barrier=barrier, got=got, year=year) -> None:
            barrier.wait()
            try:
                got.append(
                    assessments.start_assessment(store, sme, org.id, year, framework="example").id
                )
            except Exception as error:  # noqa: BLE001 - the test reports what went wrong
                got.append(error)

        threads = [threading.Thread(target=start) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        with store.read() as session:
            ids = session.scalars(
                select(AssessmentRow.id).where(
                    AssessmentRow.organisation_id == org.id, AssessmentRow.year == year
                )
            ).all()
        assert len(ids) == 1 and got == [ids[0]] * 8


def test_the_database_should_refuse_a_second_assessment_without_profile(store):
    """The key holds in the database itself, not only in ``start_assessment``."""
    from sqlalchemy.exc import IntegrityError

    org, _sme = organisation(store, 1, profile=None)
    row = dict(organisation_id=org.id, framework="example", framework_version="1.0", year=YEAR)
    with store.write() as session:
        session.add(AssessmentRow(**row))
    with pytest.raises(IntegrityError), store.write() as session:
        session.add(AssessmentRow(**row))
