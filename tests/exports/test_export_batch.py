"""Batch export of passports (issue 6, part 4): 200 passports on a process pool and on a Dask
LocalCluster: manifest complete with the exact header, sha256 of every file right, a rerun
skips every unchanged passport, a changed passport is rendered again, the Dask run gives
identical files, the zip holds manifest and PDFs, and progress reaches total.
"""

from __future__ import annotations

import hashlib
import random
import zipfile

import pytest
from export_helpers import make_benchmark, make_passport, random_answers

from exports.batch import (
    PassportJob,
    RenderContext,
    export_passports,
    manifest_header,
    read_manifest,
)
from scoring.models import Organisation

COUNT = 200


def _kbo(number: int) -> str:
    """A valid Belgian enterprise number (97 - n mod 97 check digits)."""
    base = 20_000_000 + number
    return f"0{base:08d}{97 - base % 97:02d}"


@pytest.fixture(scope="module")
def jobs(framework, profile) -> list[PassportJob]:
    rng = random.Random(2026)
    result = []
    for number in range(COUNT):
        org = Organisation(
            name=f"Bedrijf {number} Łódź & <Zonen>", kbo=_kbo(number), fte=rng.choice([4, 20, 80])
        )
        passport = make_passport(framework, profile, random_answers(rng), org)
        benchmark = make_benchmark(passport) if number % 2 else None
        result.append(PassportJob.of(passport, benchmark=benchmark))
    return result


@pytest.fixture(scope="module")
def context(framework, profile) -> RenderContext:
    return RenderContext.of({framework.id: framework}, {profile.id: profile})


@pytest.fixture(scope="module")
def pool_run(jobs, context, tmp_path_factory):
    out = tmp_path_factory.mktemp("pool")
    calls: list[tuple[int, int]] = []
    result = export_passports(
        jobs,
        out,
        context=context,
        workers=2,
        zip_path=out.parent / "pool.zip",
        progress=lambda done, total: calls.append((done, total)),
    )
    return out, result, calls


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_lists_every_passport_with_the_exact_header_and_right_hashes(pool_run, jobs):
    out, result, _ = pool_run
    lines = (out / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert (
        lines[0]
        == "Organisatie,KBO-nummer,Sectorprofiel,Totaalscore (0-100),Niveau,level_id,Bestand,sha256"
    )
    assert tuple(lines[0].split(",")) == manifest_header("nl")
    rows = read_manifest(out / "manifest.csv")
    assert [r["file"] for r in rows] == [j.file for j in jobs]
    assert result.rendered == COUNT and result.skipped == 0
    for row in rows:
        assert _sha(out / row["file"]) == row["sha256"]
        assert (out / row["file"]).read_bytes().startswith(b"%PDF-")
    assert rows[3]["organisation"] == "Bedrijf 3 Łódź & <Zonen>"
    assert rows[3]["kbo"] == _kbo(3)


def test_manifest_score_and_level_are_the_passports(pool_run, jobs):
    from scoring.models import Passport

    _, result, _ = pool_run
    for job, row in zip(jobs[:20], result.rows[:20], strict=True):
        passport = Passport.model_validate_json(job.passport_json)
        assert row.score == f"{passport.overall:.1f}"
        assert row.level_id == passport.level
        assert row.level and row.level != passport.level  # a label for people, not the id
        assert row.profile == passport.profile


def test_progress_is_reported_for_every_passport(pool_run):
    _, _, calls = pool_run
    assert len(calls) == COUNT
    assert calls[-1] == (COUNT, COUNT)
    assert [done for done, _ in calls] == list(range(1, COUNT + 1))


def test_zip_holds_the_manifest_and_every_pdf(pool_run):
    out, result, _ = pool_run
    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
        assert names[0] == "manifest.csv"
        assert sorted(names[1:]) == sorted(r.file for r in result.rows)
        first = result.rows[0].file
        assert hashlib.sha256(archive.read(first)).hexdigest() == result.rows[0].sha256


def test_rerun_skips_every_unchanged_passport_and_renders_a_changed_one(
    pool_run, jobs, context, framework, profile
):
    out, first, _ = pool_run
    manifest_before = (out / "manifest.csv").read_bytes()
    again = export_passports(jobs, out, context=context, workers=2)
    assert (again.rendered, again.skipped) == (0, COUNT)
    assert (out / "manifest.csv").read_bytes() == manifest_before

    org = Organisation(name="Bedrijf 0 Łódź & <Zonen>", kbo=_kbo(0), fte=4)
    changed = make_passport(framework, profile, random_answers(random.Random(99)), org)
    new_jobs = [PassportJob.of(changed, file=jobs[0].file), *jobs[1:]]
    assert new_jobs[0].passport_json != jobs[0].passport_json
    third = export_passports(new_jobs, out, context=context, workers=2)
    assert (third.rendered, third.skipped) == (1, COUNT - 1)
    row = read_manifest(out / "manifest.csv")[0]
    assert row["sha256"] == _sha(out / row["file"])
    # put the original back for the other tests of this module
    export_passports(jobs, out, context=context, workers=2)


def test_rerun_renders_again_a_file_that_was_removed_or_damaged(pool_run, jobs, context):
    out, _, _ = pool_run
    (out / jobs[5].file).unlink()
    (out / jobs[6].file).write_bytes(b"damaged")
    again = export_passports(jobs, out, context=context, workers=1)
    assert (again.rendered, again.skipped) == (2, COUNT - 2)
    for job in jobs[5:7]:
        assert (out / job.file).read_bytes().startswith(b"%PDF-")


def test_two_jobs_for_one_file_are_refused(jobs, context, tmp_path):
    with pytest.raises(ValueError, match="same file"):
        export_passports([jobs[0], jobs[0]], tmp_path, context=context, workers=1)


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_files(pool_run, jobs, context, tmp_path):
    """The same jobs on a Dask LocalCluster (2 worker processes) give byte-identical PDFs."""
    import distributed  # the dev extra installs it; a missing package must fail, not skip

    out, _, _ = pool_run
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        # the address, as `mvo export passports --scheduler tcp://...` passes it
        result = export_passports(
            jobs, tmp_path, context=context, scheduler=cluster.scheduler_address
        )
    assert result.rendered == COUNT
    assert (tmp_path / "manifest.csv").read_bytes() == (out / "manifest.csv").read_bytes()
    for row in result.rows:
        assert _sha(tmp_path / row.file) == _sha(out / row.file) == row.sha256


def test_resume_state_is_written_entry_by_entry_and_reads_back(tmp_path):
    """The resume state is streamed to disk one entry at a time (from a mapping or from pairs
    made on demand); both read back as the same JSON object, in file order."""
    from exports.batch import STATE, _load_state, _save_state

    state = {
        f"{name}.pdf": {"input": f"digest-{name}", "row": {"file": f"{name}.pdf", "n": n}}
        for n, name in enumerate(["b", "a", 'quote"d', "ü"])
    }
    _save_state(tmp_path, state)
    assert _load_state(tmp_path) == state
    assert list(_load_state(tmp_path)) == sorted(state)
    _save_state(tmp_path, lambda: iter(sorted(state.items())[:2]))
    assert _load_state(tmp_path) == dict(sorted(state.items())[:2])
    _save_state(tmp_path, {})
    assert (tmp_path / STATE).read_text(encoding="utf-8") == "{\n}"
    assert _load_state(tmp_path) == {}
