"""What leaves the system for a role (``app.services.disclosure``), tried as an auditor would.

- S10: a federation reading every service and every download format (page data, XLSX, CSV,
  JSON, PDF) of a sector with non-consenting members finds no name, KBO, FTE, user e-mail,
  note, free text or evidence of theirs; it never opens raw answers, history or evidence, nor
  a Start-to-MVO scan without a profile.
- S9: no group below k follows by subtracting published figures across the filters offered
  (each size class, all sizes, each year); never min or max.
- S9: a draft's position is one of four quartile bands, never a percentile rank.
- The anonymised export's pseudonyms are keyed (HMAC with ``MVO_SECRET``), match no unkeyed
  hash, change with the secret; no FTE, NACE beyond the division, or free text.
- ``mvo export sector`` writes what the page's download gives the same user, and refuses a
  federation user of another sector.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services import assessments, disclosure, organisations, passports
from app.services.errors import AccessDenied
from app.services.principal import SYSTEM
from frameworks.models import SIZE_CLASSES
from scoring.benchmark import ALL, BANDS, publishable_classes, sector_statistics

from .helpers import PROFILE, organisation, principal

YEAR = 2025
K = 5
SECRET_NOTE = "Geheime notitie"
FREE_TEXT = "Firma Geheimzinnig"
EVIDENCE = b"%PDF-1.4 geheim bewijsstuk"


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("MVO_SECRET", "test-secret-1")


def _submit(store, org, sme, year, maturity, *, secrets_of=None):
    started = assessments.start_assessment(store, sme, org.id, year)
    assessments.save_answer(
        store,
        sme,
        started.id,
        "safety_policy",
        maturity,
        expected_version=0,
        note=f"{SECRET_NOTE} {secrets_of}" if secrets_of else None,
    )
    if secrets_of:
        assessments.save_answer(
            store, sme, started.id, "energy_story", f"{FREE_TEXT} {secrets_of}", expected_version=0
        )
        assessments.add_evidence(
            store, sme, started.id, "safety_policy", "bewijs.pdf", EVIDENCE + secrets_of.encode()
        )
    assessments.submit(store, sme, started.id)
    return started.id


@pytest.fixture()
def sector(store):
    """Year 2025: 6 small members and 1 large one (the bouw 2025 case: n = 1 < k); year 2024:
    5 small. Members 1 and 2 consent; the others carry notes, free text and evidence."""
    members = {}
    for n in range(1, 8):
        fte = 300.0 if n == 7 else 12.0
        org, sme = organisation(store, n, consent=n <= 2, fte=fte)
        hidden = n > 2
        ids = [_submit(store, org, sme, YEAR, n % 5, secrets_of=f"lid{n}" if hidden else None)]
        if n <= 5:
            ids.append(_submit(store, org, sme, YEAR - 1, (n + 1) % 5))
        members[n] = {"org": org, "sme": sme, "ids": ids, "hidden": hidden}
    fed = principal(store, "federation", "fed@example.be", [PROFILE])
    other_fed = principal(store, "federation", "fed-elders@example.be", [PROFILE])
    from app.store.models import UserRow

    with store.write() as session:  # a federation of a sector the catalogue does not load
        session.get(UserRow, other_fed.user_id).sectors = '["voeding"]'
    return {"members": members, "federation": fed, "other_federation": other_fed}


def _forbidden(world) -> list[str]:
    """Everything of the non-consenting members a federation must never receive."""
    words = []
    for n, member in world["members"].items():
        if member["hidden"]:
            org = member["org"]
            words += [org.name, org.kbo, f"kmo{n}@example.be", f"{SECRET_NOTE} lid{n}"]
            words += [f"{FREE_TEXT} lid{n}", (EVIDENCE + f"lid{n}".encode()).decode()]
    return words


def _text_of(format: str, data: bytes) -> str:
    if format == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if format == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    return data.decode("utf-8")


FILTERS = [(year, size) for year in (YEAR - 1, YEAR) for size in (None, *SIZE_CLASSES)]


def test_federation_finds_nothing_of_non_consenting_members_in_any_service_or_format(store, sector):
    """S10: release, every download format and filter, passports, organisations: no name, KBO,
    e-mail, note, free text or evidence of a member who did not consent."""
    fed = sector["federation"]
    forbidden = _forbidden(sector)
    seen = []
    for year, size in FILTERS:
        release = disclosure.sector_release(store, fed, PROFILE, year, size_class=size)
        seen.append(repr(release))
        for format in disclosure.FORMATS:
            data = disclosure.sector_download(
                store, fed, PROFILE, year, size_class=size, format=format
            )
            seen.append(_text_of(format, data))
    for member in sector["members"].values():
        view = organisations.get_organisation(store, fed, member["org"].id)
        seen.append(repr(view))
        for assessment_id in member["ids"]:
            try:
                seen.append(repr(passports.get_passport(store, fed, assessment_id)))
            except AccessDenied:
                assert member["hidden"]
    everything = "\n".join(seen)
    assert "Organisatie 1" in everything  # a consenting member is named
    for word in forbidden:
        assert word not in everything, word
    hidden = organisations.get_organisation(store, fed, sector["members"][3]["org"].id)
    assert (hidden.name, hidden.kbo, hidden.fte, hidden.municipality, hidden.nace) == (None,) * 5


def test_federation_never_reads_raw_answers_history_or_evidence(store, sector):
    """S10: answers, notes, history (users' e-mails), evidence and a member's own benchmark
    position stay with the organisation and the department, also for a consenting member."""
    fed = sector["federation"]
    reads = (
        assessments.get_assessment,
        assessments.history,
        assessments.list_evidence,
        passports.get_benchmark,
    )
    for member in sector["members"].values():
        assessment_id = member["ids"][0]
        for read in reads:
            with pytest.raises(AccessDenied):
                read(store, fed, assessment_id)
        for evidence in assessments.list_evidence(store, SYSTEM, assessment_id):
            with pytest.raises(AccessDenied):
                assessments.get_evidence_file(store, fed, evidence.id)
    own = sector["members"][3]
    assert assessments.list_evidence(store, own["sme"], own["ids"][0])


def test_federation_cannot_open_a_start_to_mvo_scan_without_profile(store, sector):
    """S10: a scan made without a sector profile is never a federation's, even after the
    organisation joined the sector and consented."""
    org = organisations.register_organisation(
        store, SYSTEM, kbo="0440966354", name="Scanner", profile=None, consent_named=True, fte=4
    )
    from app.services import auth

    user = auth.create_user(store, SYSTEM, "scan@example.be", "sme", organisation_kbo=org.kbo)
    sme = auth.get_principal(store, user.id)
    scan = assessments.start_assessment(store, sme, org.id, YEAR, framework="example")
    assert scan.profile is None
    organisations.update_organisation(store, SYSTEM, org.id, profile=PROFILE)
    for read in (passports.get_passport, assessments.get_assessment, assessments.history):
        with pytest.raises(AccessDenied):
            read(store, sector["federation"], scan.id)


def _differencing_problems(cells: list[dict], k: int) -> list[str]:
    """Generic S9 check over published cells: per year and figure (participants and every
    metric), each published n is >= k, and all sizes minus the published classes leaves 0 or
    at least k (so no withheld class, nor their sum, is a group of 1..k-1)."""
    problems = []
    frame = []
    for cell in cells:
        frame.append((cell["year"], cell["size_class"], "n", cell["n"]))
        for kind in ("overall", "sections", "topics", "kpis"):
            dists = {"": cell[kind]} if kind == "overall" else cell[kind]
            for item, dist in (dists or {}).items():
                if dist:
                    frame.append((cell["year"], cell["size_class"], f"{kind}:{item}", dist["n"]))
    table = pd.DataFrame(frame, columns=["year", "size_class", "figure", "n"])
    for (year, figure), part in table.groupby(["year", "figure"]):
        shown = part.dropna(subset=["n"])
        if figure == "n":
            shown = shown[shown["n"] > 0]
        for _, row in shown.iterrows():
            if row["n"] < k:
                problems.append(f"{year} {row['size_class']} {figure}: n {row['n']} < k")
        everyone = shown[shown["size_class"] == ALL]
        if everyone.empty:
            continue
        remainder = everyone["n"].iloc[0] - shown[shown["size_class"] != ALL]["n"].sum()
        if 0 < remainder < k:
            problems.append(f"{year} {figure}: all minus classes = {remainder} < k")
    return problems


def test_differencing_across_every_filter_derives_no_group_below_k(store, sector):
    """S9 complementary suppression: over every filter offered (size class, all sizes, year)
    the published counts and figures leave no withheld group of 1..k-1; the single large
    member of 2025 is not found as all minus small, in the JSON nor in the XLSX; no min/max."""
    fed = sector["federation"]
    published = []
    workbooks = set()
    for year, size in FILTERS:
        data = disclosure.sector_download(store, fed, PROFILE, year, size_class=size, format="json")
        document = json.loads(data)
        published += document["cells"]
        assert {"year", "size_class", "n"} <= set(document["cells"][0])
        assert "min" not in data.decode() and "max" not in data.decode()
        xlsx = disclosure.sector_download(store, fed, PROFILE, year, size_class=size, format="xlsx")
        workbooks.add(_text_of("xlsx", xlsx).split("\nmembers")[0])
        csv_rows = list(
            csv.reader(
                io.StringIO(
                    _text_of(
                        "csv",
                        disclosure.sector_download(
                            store, fed, PROFILE, year, size_class=size, format="csv"
                        ),
                    )
                )
            )
        )
        assert csv_rows[0][:4] == ["Jaar", "Grootteklasse", "size_class_id", "Deelnemers (n)"]
    unique = {json.dumps(c, sort_keys=True) for c in published}
    assert _differencing_problems([json.loads(c) for c in unique], K) == []
    cells = {(c["year"], c["size_class"]): c for c in published}
    assert cells[(YEAR, "large")]["n"] is None and cells[(YEAR, "small")]["n"] is None
    assert cells[(YEAR, ALL)]["n"] == 7
    assert cells[(YEAR - 1, "small")]["n"] == 5 and cells[(YEAR - 1, ALL)]["n"] == 5
    trend = disclosure.sector_release(store, fed, PROFILE, YEAR, size_class="large").trend()
    assert all(c.n is None or c.n >= K or c.n == 0 for c in trend)


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(
        st.tuples(
            st.sampled_from([2024, 2025]),
            st.sampled_from([3.0, 20.0, 100.0, 300.0, None]),
            st.floats(0, 100),
            st.booleans(),
        ),
        min_size=0,
        max_size=40,
    ),
    k=st.integers(3, 6),
)
def test_published_cells_never_allow_differencing(groups, k):
    """S9, generically: whatever the table, all = sum of classes reveals no class below k,
    per count and per metric (a metric may be empty for some members)."""
    rows = [
        {
            "profile": "p",
            "year": year,
            "fte": fte,
            "status": "submitted",
            "overall": value,
            "topic:x": value if answered else None,
        }
        for year, fte, value, answered in groups
    ]
    columns = ["profile", "year", "fte", "status", "overall", "topic:x"]
    table = pd.DataFrame(rows, columns=columns)
    statistics = sector_statistics(table, profile="p", k=k)
    cells = [c.model_dump(mode="json") for c in statistics.cells]
    assert _differencing_problems(cells, k) == []


def test_publishable_classes_withhold_the_next_smallest_class():
    """S9: with one class of 1..k-1 beside published ones, the next smallest goes too."""
    assert publishable_classes({"small": 6, "large": 1}, 5) == (frozenset(), True)
    counts = {"micro": 9, "small": 6, "medium": 2}
    assert publishable_classes(counts, 5) == (frozenset({"micro"}), True)
    assert publishable_classes({"micro": 5, "small": 5}, 5) == (frozenset({"micro", "small"}), True)
    assert publishable_classes({"micro": 4}, 5) == (frozenset(), False)


def test_a_draft_sees_only_one_of_four_bands_whatever_it_answers(store):
    """S9: varying a draft's answers gives at most four distinct positions (quartile bands),
    never a percentile rank, so no peer's score can be read off."""
    for n in range(1, 7):
        org, sme = organisation(store, n)
        _submit(store, org, sme, YEAR, n % 5)
    org, sme = organisation(store, 20)
    draft = assessments.start_assessment(store, sme, org.id, YEAR)
    version = 0
    positions = set()
    statistics = set()
    for maturity in (0, 1, 2, 3, 4, 3, 2, 1, 0):
        for choice in ("none", "informal", "written"):
            answer = assessments.save_answer(
                store, sme, draft.id, "safety_policy", maturity, expected_version=version
            )
            version = answer.version
            plan = assessments.get_assessment(store, sme, draft.id).answer_version("training_plan")
            assessments.save_answer(
                store, sme, draft.id, "training_plan", choice, expected_version=plan
            )
            result = passports.get_benchmark(store, sme, draft.id)
            assert result.percentile_rank is None
            positions.add(result.band)
            statistics.add(result.overall.model_dump_json())
    assert positions <= set(BANDS) and len(positions) >= 2
    assert len(statistics) == 1  # the peers' figures do not move with the draft


def test_pseudonyms_are_keyed_and_change_with_the_secret(store, sector, monkeypatch):
    """The anonymised export: no unkeyed hash of the KBO number matches; another MVO_SECRET
    gives other pseudonyms; no FTE, NACE only as a division, no free text."""
    dep = principal(store, "department", "dep@example.be")
    rows = disclosure.anonymised_rows(store, dep, YEAR)
    first = {r["pseudonym"] for r in rows}
    kbos = [m["org"].kbo for m in sector["members"].values()]
    unkeyed = set()
    for kbo in kbos:
        for text in (f"{kbo}:{YEAR}", kbo, f"{kbo}{YEAR}", f"{YEAR}:{kbo}"):
            for name in ("sha256", "sha1", "md5", "blake2b", "sha512"):
                digest = hashlib.new(name, text.encode()).hexdigest()
                unkeyed |= {digest, digest[:16]}
    assert len(first) == len(rows) == 7 and not first & unkeyed
    assert all("fte" not in r and r["size_class"] in SIZE_CLASSES for r in rows)
    assert all(r["nace_division"] is None or len(r["nace_division"]) == 2 for r in rows)
    anonymised = repr(disclosure.anonymised_passports(store, dep, YEAR))
    assert FREE_TEXT not in anonymised and not any(kbo in anonymised for kbo in kbos)
    monkeypatch.setenv("MVO_SECRET", "test-secret-2")
    second = {r["pseudonym"] for r in disclosure.anonymised_rows(store, dep, YEAR)}
    assert second and not first & second


def test_the_embedded_default_generates_its_secret_once_private(tmp_path, monkeypatch):
    """Without MVO_SECRET a random key is written once to var/secret (0600) and reused."""
    monkeypatch.delenv("MVO_SECRET")
    path = tmp_path / "var" / "secret"
    key = disclosure.deployment_secret(path)
    assert len(key) >= 32 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert disclosure.deployment_secret(path) == key


def _cli(store, monkeypatch, *args):
    from typer.testing import CliRunner

    from app.cli import cli
    from app.commands import exporting

    monkeypatch.setattr(exporting, "_store", lambda: store)
    return CliRunner().invoke(cli, ["export", "sector", *args])


@pytest.mark.parametrize("format", disclosure.FORMATS)
def test_mvo_export_sector_writes_what_the_page_downloads(
    store, sector, monkeypatch, tmp_path, format
):
    """The CLI and the page's download give the same data for the same user and filters."""
    out = tmp_path / f"sector.{format}"
    args = ["--profile", PROFILE, "--year", str(YEAR), "--size-class", "small"]
    result = _cli(
        store, monkeypatch, *args, "--as", "fed@example.be", "--format", format, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    page = disclosure.sector_download(
        store, sector["federation"], PROFILE, YEAR, size_class="small", format=format
    )
    if format == "xlsx":
        assert _text_of(format, out.read_bytes()) == _text_of(format, page)
    else:
        assert out.read_bytes() == page


def test_mvo_export_sector_refuses_a_federation_user_of_another_sector(
    store, sector, monkeypatch, tmp_path
):
    """S10: a federation user without that sector gets a clear refusal and a non-zero exit."""
    out = tmp_path / "sector.json"
    args = ["--profile", PROFILE, "--year", str(YEAR), "--format", "json", "--out", str(out)]
    result = _cli(store, monkeypatch, *args, "--as", "fed-elders@example.be")
    assert result.exit_code != 0 and "Access denied" in result.output and not out.exists()
    result = _cli(store, monkeypatch, *args, "--as", "kmo3@example.be")
    assert result.exit_code != 0 and not out.exists()
