"""The import at scale (issue 14, item 4), on SQLite and PostgreSQL: the batch freeze gives
every imported assessment the card the one-by-one engine gives its stored answers; a bad cell
deep in a large file still writes nothing and is reported by row and column, worded as in a
small file; the answers are stored as ``encode_value`` stores them."""

from __future__ import annotations

import csv
import random
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from app.kbo import make_number, normalise
from app.services import catalogue, importing, scoring_bridge, submission
from app.services.principal import SYSTEM
from app.services.values import decode_value, encode_value
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, ScoreSnapshotRow
from scoring.batch import score_cards
from scoring.models import ScoreCard
from scoring.validation import InvalidAnswers

from .helpers import PROFILE

YEAR = 2025
HEADER = [
    "kbo",
    "name",
    "fte",
    "safety_policy",
    "has_prevention_advisor",
    "accidents",
    "training_plan",
    "training_topics",
    "energy_mwh",
    "energy_story",
    "climate_plan",
    "sector_charter",
]


def varied_row(n: int, rng: random.Random) -> list:
    """Every kind of cell: empty ones (required questions open: drafts), n/a, a multi, a
    condition (training_topics shows only with a training plan), 0 FTE (employee questions
    hidden), decimal commas."""
    return [
        make_number(6_000_000 + n),
        f"Bedrijf {n}",
        rng.choice(["0", "3", "12", "60", ""]),
        rng.choice(["", "0", "1", "2", "3", "4", "4", "3"]),
        rng.choice(["ja", "nee", "", "true"]),
        rng.choice(["", "n/a", "0", "3"]),
        rng.choice(["none", "informal", "written", ""]),
        rng.choice(["", "safety", "safety;digital", "language;leadership;digital"]),
        rng.choice(["", "12,5", "300", "0"]),
        rng.choice(["", f"verhaal {n}"]),
        rng.choice(["", "n/a", "2", "4"]),
        rng.choice(["ja", "nee"]),
    ]


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run(store, path):
    return importing.import_answers(
        store, SYSTEM, path, framework="example", profile=PROFILE, year=YEAR
    )


def counts(store) -> tuple[int, ...]:
    with store.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (OrganisationRow, AssessmentRow, AnswerRow, ScoreSnapshotRow)
        )


def test_the_batch_freeze_should_give_the_cards_of_the_one_by_one_engine(store, tmp_path):
    rng = random.Random(14)
    rows = [varied_row(n, rng) for n in range(300)]
    report = run(store, write_csv(tmp_path / "in.csv", rows))
    assert report.valid and report.written == 300
    assert 0 < report.submitted < 300  # drafts (safety_policy open) and submitted ones
    cat = store.catalogue
    base, profile = cat.frameworks["example"], cat.profiles[PROFILE]
    with store.read() as session:
        found = session.execute(
            select(AssessmentRow.id, AssessmentRow.status, OrganisationRow.fte)
            .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
            .order_by(AssessmentRow.id)
        ).all()
        stored = submission.stored_answers(session, [a.id for a in found])
        snapshots = {
            aid: card
            for aid, card in session.execute(
                select(ScoreSnapshotRow.assessment_id, ScoreSnapshotRow.scorecard_json)
            )
        }
    assert any(a.fte == 0 for a in found) and any(a.fte is None for a in found)
    for a in found:
        engine = scoring_bridge.scorecard(base, profile, stored[a.id], a.fte)
        if engine.required_open:
            assert a.status == "draft" and a.id not in snapshots
            continue
        assert a.status == "submitted"
        frozen = ScoreCard.model_validate_json(snapshots[a.id])
        assert frozen.model_dump(mode="json") == engine.model_dump(mode="json")
    # and the batch scorer itself on the same answers, beside the engine
    batch = score_cards(
        base, {a.id: stored[a.id] for a in found}, profile, employees={a.id: a.fte for a in found}
    )
    for a in found:
        engine = scoring_bridge.scorecard(base, profile, stored[a.id], a.fte)
        assert batch[a.id].model_dump(mode="json") == engine.model_dump(mode="json")


def test_the_stored_answers_should_be_what_encode_value_stores(store, tmp_path, monkeypatch):
    # a whole second: the time SQLAlchemy would write with ".000000" (the driver's own
    # adapter would not), compared below as the database holds it
    monkeypatch.setattr(importing, "utcnow", lambda: datetime(2025, 3, 1, 12, 0, 0))
    rng = random.Random(3)
    rows = [varied_row(n, rng) for n in range(40)]
    run(store, write_csv(tmp_path / "in.csv", rows))
    questions = catalogue.questionnaire(store.catalogue, "example", PROFILE).questions
    with store.read() as session:
        answers = session.execute(
            select(
                OrganisationRow.kbo,
                AnswerRow.question_id,
                AnswerRow.value,
                AnswerRow.na,
                AnswerRow.version,
                AnswerRow.note,
                AnswerRow.updated_at,
            )
            .join(AssessmentRow, AssessmentRow.id == AnswerRow.assessment_id)
            .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
        ).all()
        same_time = session.execute(
            text(
                "SELECT DISTINCT a.updated_at = s.updated_at FROM answers a "
                "JOIN assessments s ON s.id = a.assessment_id"
            )
        ).all()
    assert [bool(r[0]) for r in same_time] == [True]
    by_kbo = {normalise(r[0]): r for r in rows}
    assert answers
    for kbo, qid, stored_text, na, version, note, updated_at in answers:
        cell = by_kbo[kbo][HEADER.index(qid)]
        question = questions[qid]
        expected = question.normalise(question.parse_cell(cell))
        assert (stored_text, bool(na)) == encode_value(expected)
        assert decode_value(stored_text, na) == expected
        assert version == 1 and note is None and updated_at is not None


@pytest.mark.parametrize("rows_n", [9_001])
def test_a_bad_cell_in_row_9000_should_write_nothing_and_be_reported_as_in_a_small_file(
    store, tmp_path, rows_n
):
    rng = random.Random(9)
    rows = [varied_row(n, rng) for n in range(rows_n)]
    column = HEADER.index("safety_policy")
    rows[8998][column] = "7"  # file row 9000 (the header is row 1)
    rows[8999][column] = "7"  # the same bad cell again: reported again, not remembered away
    report = run(store, write_csv(tmp_path / "big.csv", rows))
    assert not report.valid and report.written == 0 and report.rows == rows_n
    assert [(p.row, p.column) for p in report.problems] == [
        (9000, "safety_policy"),
        (9001, "safety_policy"),
    ]
    assert counts(store) == (0, 0, 0, 0)

    small = run(store, write_csv(tmp_path / "small.csv", [rows[8998]]))
    assert [(p.row, p.column) for p in small.problems] == [(2, "safety_policy")]
    for language in ("nl", "en"):
        said = small.problems[0].render(language).replace("2", "9000", 1)
        assert report.problems[0].render(language) == said
        assert "9000" in said and "safety_policy" in said
    assert report.flatten()[0][2] == small.flatten()[0][2]
    assert counts(store) == (0, 0, 0, 0)


def test_the_batch_scorer_should_report_every_assessments_problems_together(store):
    cat = store.catalogue
    base, profile = cat.frameworks["example"], cat.profiles[PROFILE]
    with pytest.raises(InvalidAnswers) as raised:
        score_cards(
            base,
            {
                1: {"safety_policy": 3},
                2: {"safety_policy": 9},
                3: {"training_topics": ["cooking"], "nope": 1},
            },
            profile,
        )
    found = sorted((p.assessment, p.question) for p in raised.value.problems)
    assert found == [(2, "safety_policy"), (3, "nope"), (3, "training_topics")]


def _with_cached_value(path, formula: str, value: str) -> None:
    """Give ``formula``'s cell the value Excel would have saved with it (openpyxl saves none)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml, found = re.subn(
        rf"(<f>{re.escape(formula)}</f>)(<v\s*/>|<v></v>)?",
        rf"\g<1><v>{value}</v>",
        parts[sheet].decode(),
    )
    assert found == 1
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_an_excel_file_should_be_read_once_until_its_first_formula_and_computed_after(
    store, tmp_path
):
    """Rows before the first formula are the cells as written; from it on the computed values
    are read beside the formulas: a computed formula is its value, one never computed is
    reported by row and column."""
    rng = random.Random(5)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    rows = [varied_row(n, rng) for n in range(5)]
    for row in rows:
        row[HEADER.index("safety_policy")] = "2"
    rows[2][HEADER.index("safety_policy")] = "=1+2"  # file row 4, computed by "Excel": 3
    for row in rows:
        sheet.append(row)
    workbook.save(tmp_path / "in.xlsx")
    _with_cached_value(tmp_path / "in.xlsx", "1+2", "3")
    report = run(store, tmp_path / "in.xlsx")
    assert report.valid and report.written == 5, report.problems
    with store.read() as session:
        values = dict(
            session.execute(
                select(OrganisationRow.kbo, AnswerRow.value)
                .join(AssessmentRow, AssessmentRow.organisation_id == OrganisationRow.id)
                .join(AnswerRow, AnswerRow.assessment_id == AssessmentRow.id)
                .where(AnswerRow.question_id == "safety_policy")
            ).all()
        )
    assert [values[normalise(r[0])] for r in rows] == ["2", "2", "3", "2", "2"]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    more = [varied_row(n, rng) for n in range(10, 14)]
    more[1][HEADER.index("safety_policy")] = "=1+2"  # row 3: computed (below)
    more[3][HEADER.index("energy_mwh")] = "=2*2"  # row 5: never computed
    for row in more:
        sheet.append(row)
    workbook.save(tmp_path / "more.xlsx")
    _with_cached_value(tmp_path / "more.xlsx", "1+2", "3")
    report = run(store, tmp_path / "more.xlsx")
    assert [(p.row, p.column) for p in report.problems] == [(5, "energy_mwh")]
    assert report.written == 0
