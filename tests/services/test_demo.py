"""Demo data: the demo accounts (password 'demo', never in production), at least 300
organisations over every sector profile and size class, two years, mostly submitted with
snapshots, answers varying by sector and size, and the same population on every run."""

from __future__ import annotations

from statistics import mean

import pytest
from sqlalchemy import func, select

from app.services import assessments, auth, demo, disclosure, federation, passports
from app.services.errors import ServiceError
from app.store import Store
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, ScoreSnapshotRow
from frameworks.loader import shipped_catalogue

YEAR = 2026


@pytest.fixture()
def shipped_store(db_url):
    opened = Store(db_url, catalogue=shipped_catalogue())
    yield opened
    opened.dispose()


def _dump(store: Store) -> list[tuple]:
    with store.read() as session:
        return session.execute(
            select(
                OrganisationRow.kbo,
                OrganisationRow.name,
                OrganisationRow.fte,
                AssessmentRow.framework,
                AssessmentRow.year,
                AssessmentRow.status,
                AnswerRow.question_id,
                AnswerRow.value,
                AnswerRow.na,
            )
            .join(AssessmentRow, AssessmentRow.organisation_id == OrganisationRow.id)
            .join(AnswerRow, AnswerRow.assessment_id == AssessmentRow.id)
            .order_by(
                OrganisationRow.kbo,
                AssessmentRow.framework,
                AssessmentRow.year,
                AnswerRow.question_id,
            )
        ).all()


@pytest.mark.slow
def test_full_demo_should_create_a_realistic_population(tmp_path):
    """The full population, once, on SQLite (PostgreSQL runs the smaller demo tests)."""
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}", catalogue=shipped_catalogue())
    summary = demo.seed_demo(store, current_year=YEAR)
    assert summary.organisations >= 300
    with store.read() as session:
        per_profile = dict(
            session.execute(
                select(OrganisationRow.profile, func.count()).group_by(OrganisationRow.profile)
            ).all()
        )
        statuses = dict(
            session.execute(
                select(AssessmentRow.status, func.count()).group_by(AssessmentRow.status)
            ).all()
        )
        snapshots = session.execute(
            select(
                ScoreSnapshotRow.profile,
                ScoreSnapshotRow.size_class,
                ScoreSnapshotRow.overall,
                ScoreSnapshotRow.year,
            ).where(ScoreSnapshotRow.framework == "iso26000")
        ).all()
    assert set(per_profile) == set(store.catalogue.profiles)
    assert statuses["submitted"] > 2 * statuses["draft"]
    assert {s.year for s in snapshots} == {YEAR - 1, YEAR}
    assert {s.size_class for s in snapshots} == {"micro", "small", "medium", "large"}
    by_size = {
        k: mean(s.overall for s in snapshots if s.size_class == k) for k in ("micro", "large")
    }
    assert by_size["large"] > by_size["micro"]  # varies plausibly with size
    by_sector = {p: mean(s.overall for s in snapshots if s.profile == p) for p in per_profile}
    assert max(by_sector.values()) - min(by_sector.values()) > 2  # and with sector
    store.dispose()


@pytest.mark.slow
def test_demo_accounts_should_sign_in_and_see_their_part(shipped_store, monkeypatch):
    monkeypatch.delenv("MVO_ENV", raising=False)
    store = shipped_store
    demo.seed_demo(store, per_sector=6, current_year=YEAR)
    sme = auth.authenticate(store, "kmo@demo.be", "demo")
    own = assessments.list_assessments(store, sme)
    assert {(a.year, a.status) for a in own} >= {(YEAR, "draft"), (YEAR - 1, "submitted")}
    current = next(a for a in own if a.year == YEAR)
    answered = assessments.get_assessment(store, sme, current.id).answer_values()
    total = len(store.catalogue.frameworks[current.framework].questions)
    assert 0 < len(answered) < total  # partly filled
    previous = next(a for a in own if a.year == YEAR - 1 and a.framework == current.framework)
    assert passports.get_passport(store, sme, previous.id).passport.level != "concept"
    fed = auth.authenticate(store, "federatie@demo.be", "demo")
    assert "bouw" in federation.sectors_of(fed, store)
    release = disclosure.sector_release(store, fed, "bouw", YEAR - 1)
    assert release.statistics.cells and all(m.organisation for m in release.members)
    assert auth.authenticate(store, "departement@demo.be", "demo").role == "department"
    assert auth.authenticate(store, "admin@demo.be", "demo").role == "admin"


def test_demo_should_be_deterministic(db_url, tmp_path, backend):
    first = Store(db_url, catalogue=shipped_catalogue())
    demo.seed_demo(first, per_sector=3, current_year=YEAR)
    other_url = f"sqlite:///{tmp_path / 'second.sqlite'}"
    second = Store(other_url, catalogue=shipped_catalogue())
    demo.seed_demo(second, per_sector=3, current_year=YEAR)
    assert _dump(first) == _dump(second) and _dump(first)
    first.dispose()
    second.dispose()


def test_demo_if_empty_should_not_add_twice(shipped_store):
    demo.seed_demo(shipped_store, per_sector=2, current_year=YEAR)
    assert demo.seed_demo(shipped_store, if_empty=True).skipped
    with pytest.raises(ServiceError):
        demo.seed_demo(shipped_store, per_sector=2)


def test_demo_should_be_refused_in_production(shipped_store, monkeypatch):
    monkeypatch.setenv("MVO_ENV", "production")
    with pytest.raises(ServiceError, match="production"):
        demo.seed_demo(shipped_store, per_sector=2)
    assert demo.is_empty(shipped_store)
