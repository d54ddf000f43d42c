"""Batch export of passports to PDF files on a process pool or a Dask cluster.

The department exports every submitted passport of a year into a folder (optionally a zip)
with ``manifest.csv`` (``organisation,kbo,profile,score,level,file,sha256``). The work is
split so that it scales past one machine and stays light on memory:

- a ``PassportJob`` carries what one PDF needs (the passport and its benchmark as JSON, the
  ids of its frameworks and profile, the language); a ``RenderContext`` carries the frameworks
  and profiles once, shipped to each worker once (pool initializer / Dask scatter);
- at most a few jobs are in flight at a time, so PDFs stream to disk rather than pile up;
- a rerun skips every passport whose inputs did not change (``.inputs.json`` next to the
  manifest keeps the hash of each file's inputs), so an interrupted export resumes;
- one ``progress(done, total)`` callback drives the terminal progress bar and ``st.progress``.

PDFs are deterministic (reportlab invariant mode), so a pool run and a Dask run give identical
files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import threading
import types
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from exports import safety
from exports.documents import level_label as _level_label
from exports.text import label
from frameworks.loader import passport_models
from frameworks.models import Framework, SectorProfile
from scoring.models import Benchmark, Passport

#: Bump when the layout changes, so that a rerun renders every passport again.
RENDERER_VERSION = "passport-2"
MANIFEST = "manifest.csv"
#: The manifest's columns (``ManifestRow`` fields); the header row shows them as the labels
#: of ``MANIFEST_LABELS`` in the export's language, ``level_id`` stays the id a program reads.
MANIFEST_HEADER = (
    "organisation",
    "kbo",
    "profile",
    "score",
    "level",
    "level_id",
    "file",
    "sha256",
)
MANIFEST_LABELS = {
    "organisation": "col_organisation",
    "kbo": "col_kbo",
    "profile": "col_profile",
    "score": "col_overall",
    "level": "col_level",
    "level_id": "col_level_id",
    "file": "col_file",
    "sha256": "col_sha256",
}
STATE = ".inputs.json"
#: A ZipInfo date for every member, so that equal PDFs give an equal zip.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)

#: Seconds to wait for a Dask scheduler before giving up with a clear message.
CONNECT_TIMEOUT = 15

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PassportJob:
    """Everything (besides the shared context) that one passport PDF needs; plain strings so
    that it pickles cheaply and hashes stably."""

    passport_json: str
    frameworks: tuple[str, ...]
    profile: str | None
    file: str
    benchmark_json: str | None = None
    language: str = "nl"

    @classmethod
    def of(
        cls,
        passport: Passport,
        *,
        benchmark: Benchmark | None = None,
        language: str = "nl",
        file: str | None = None,
    ) -> PassportJob:
        """The job of one passport; ``file`` defaults to ``<profile>/<year>-<kbo>.pdf``."""
        return cls(
            passport_json=passport.model_dump_json(),
            frameworks=tuple(passport.scorecards),
            profile=passport.profile,
            file=file or default_file(passport, language),
            benchmark_json=benchmark.model_dump_json() if benchmark is not None else None,
            language=language,
        )


def default_file(passport: Passport, language: str = "nl") -> str:
    """``<profile>/<year>-<kbo>[-en].pdf``: unique per organisation, profile, year, language.
    Built only from validated parts (``exports.safety``): a profile id that is not an id or a
    KBO number with other than letters and digits raises ``UnsafeName``."""
    kbo = safety.safe_kbo(passport.organisation.kbo) if passport.organisation else "unknown"
    suffix = "" if language == "nl" else f"-{safety.safe_id(language, 'language')}"
    profile = safety.safe_id(passport.profile, "profile")
    return safety.safe_member(f"{profile}/{passport.year}-{kbo}{suffix}.pdf")


@dataclass(frozen=True)
class RenderContext:
    """The frameworks and sector profiles jobs refer to by id, as JSON (sent once per worker),
    and their earlier versions (``archived``, keyed ``kind:id:version``): a passport renders
    with the versions it was scored on (``frameworks.loader.passport_models``)."""

    frameworks: Mapping[str, str]
    profiles: Mapping[str, str]
    archived: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        frameworks: Mapping[str, Framework],
        profiles: Mapping[str, SectorProfile],
        archived: Mapping[tuple[str, str, str], Framework | SectorProfile] | None = None,
    ) -> RenderContext:
        return cls(
            frameworks={k: v.model_dump_json(by_alias=True) for k, v in frameworks.items()},
            profiles={k: v.model_dump_json(by_alias=True) for k, v in profiles.items()},
            archived={
                ":".join(k): v.model_dump_json(by_alias=True) for k, v in (archived or {}).items()
            },
        )

    @classmethod
    def of_catalogue(cls, catalogue: Any) -> RenderContext:
        """Every model of a catalogue, every version."""
        return cls.of(
            catalogue.frameworks, catalogue.profiles, getattr(catalogue, "archived", None)
        )

    def digest(self, kind: str, item_id: str | None) -> str:
        """sha256 of one framework's or profile's JSON ("" where absent)."""
        return self._digests.get((kind, item_id or ""), "")

    @cached_property
    def _digests(self) -> dict[tuple[str, str], str]:
        """Computed once per process: hashing a framework's JSON per job would cost more
        than rendering a small passport."""
        digests = {}
        tables = (
            ("framework", self.frameworks),
            ("profile", self.profiles),
            ("archived", self.archived),
        )
        for kind, table in tables:
            for item_id, text in table.items():
                digests[(kind, item_id)] = hashlib.sha256(text.encode()).hexdigest()
        return digests

    @cached_property
    def key(self) -> str:
        """One hash of the whole context (which parsed models a worker keeps)."""
        return hashlib.sha256(json.dumps(sorted(self._digests.items())).encode()).hexdigest()


@dataclass(frozen=True)
class ManifestRow:
    organisation: str
    kbo: str
    profile: str
    score: str
    level: str
    file: str
    sha256: str
    level_id: str = ""
    language: str = "nl"


@dataclass
class BatchResult:
    """What a batch export did: counts, the manifest and (where asked) the zip."""

    total: int = 0
    rendered: int = 0
    skipped: int = 0
    manifest: Path | None = None
    zip_path: Path | None = None
    rows: list[ManifestRow] = field(default_factory=list)


# -- worker side ------------------------------------------------------------------------------

_models: dict[str, types.SimpleNamespace] = {}


def _parsed(context: RenderContext) -> types.SimpleNamespace:
    """The context's models as a catalogue (``frameworks``, ``profiles``, ``archived``), parsed
    once per worker process and kept."""
    key = context.key
    if key not in _models:
        _models.clear()
        archived: dict[tuple[str, str, str], Framework | SectorProfile] = {}
        for name, text in context.archived.items():
            kind, model_id, version = name.split(":", 2)
            model = Framework if kind == "framework" else SectorProfile
            archived[(kind, model_id, version)] = model.model_validate_json(text)
        _models[key] = types.SimpleNamespace(
            frameworks={k: Framework.model_validate_json(v) for k, v in context.frameworks.items()},
            profiles={k: SectorProfile.model_validate_json(v) for k, v in context.profiles.items()},
            archived=archived,
        )
    return _models[key]


def render_job(job: PassportJob, context: RenderContext) -> tuple[ManifestRow, bytes]:
    """Render one job: its manifest row (sha256 filled) and the PDF bytes."""
    from exports.pdf.passport import render_passport  # noqa: PLC0415 (keeps workers lean)

    catalogue = _parsed(context)
    profiles = catalogue.profiles
    passport = Passport.model_validate_json(job.passport_json)
    benchmark = Benchmark.model_validate_json(job.benchmark_json) if job.benchmark_json else None
    missing = [fw_id for fw_id in job.frameworks if fw_id not in catalogue.frameworks]
    if missing:
        raise KeyError(f"{job.file}: framework(s) {', '.join(missing)} not in the render context")
    try:  # the versions the passport was scored on
        frameworks, profile = passport_models(catalogue, passport)
    except KeyError as exc:
        raise KeyError(f"{job.file}: {exc.args[0]}") from None
    used = {fw_id: frameworks[fw_id] for fw_id in job.frameworks}
    pdf = render_passport(passport, used, profile, benchmark, job.language)
    org = passport.organisation
    row = ManifestRow(
        organisation=org.name if org else "",
        kbo=org.kbo if org else "",
        profile=passport.profile,
        score="" if passport.overall is None else f"{passport.overall:.1f}",
        level=_level_label(profile or profiles.get(passport.profile), passport.level, job.language),
        level_id=passport.level,
        language=job.language,
        file=job.file,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    return row, pdf


_pool_context: RenderContext | None = None


def _ready() -> bool:
    """A no-op task: submitting one per worker spawns the whole pool at once."""
    return True


_MAIN_LOCK = threading.Lock()


@contextmanager
def _plain_main() -> Iterator[None]:
    """Let spawned workers start without re-running the parent's ``__main__``.

    A spawned worker imports the parent's ``__main__`` file again. Under Streamlit (and its
    AppTest) ``__main__`` is the page script being run, which a worker must never execute (and
    AppTest's temporary script may already be gone). Workers need only this module, so while
    they start ``__main__`` is an empty module.
    """
    with _MAIN_LOCK:
        saved = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if saved is not None:
                sys.modules["__main__"] = saved


def _init_pool_worker(context: RenderContext) -> None:
    global _pool_context
    _pool_context = context
    _parsed(context)


def _write(out_dir: Path, file: str, pdf: bytes) -> None:
    target = safety.inside(out_dir, file)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(pdf)
    os.replace(partial, target)


def _pool_task(job: PassportJob, out_dir: str) -> ManifestRow:
    """Render and write in the worker; only the small manifest row travels back."""
    assert _pool_context is not None, "worker started without a render context"
    row, pdf = render_job(job, _pool_context)
    _write(Path(out_dir), job.file, pdf)
    return row


def _dask_task(job: PassportJob, context: RenderContext) -> tuple[ManifestRow, bytes]:
    """Render on a Dask worker; the bytes come back so that no shared disk is needed."""
    return render_job(job, context)


# -- driver side ------------------------------------------------------------------------------


def input_hash(job: PassportJob, context: RenderContext) -> str:
    """sha256 over everything that decides a PDF's bytes: the job, the frameworks and profile
    it uses, and the renderer version."""
    digest = hashlib.sha256()
    for part in (
        RENDERER_VERSION,
        job.file,
        job.language,
        job.profile or "",
        ",".join(job.frameworks),
        job.passport_json,
        job.benchmark_json or "",
        *(context.digest("framework", fw_id) for fw_id in job.frameworks),
        context.digest("profile", job.profile),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return None


def _load_state(out_dir: Path) -> dict[str, dict]:
    try:
        return json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _save_state(out_dir: Path, state: Mapping[str, dict] | Callable[[], Iterator[tuple]]) -> None:
    """Write the resume state (file -> {"input", "row"}) atomically. ``state`` is a mapping or
    a function giving (file, entry) pairs in file order: the entries are then written one by
    one, never held together (an export of 20,000 passports keeps one row per passport, not
    a second copy of each as a dict)."""
    partial = out_dir / (STATE + ".part")
    pairs = (lambda: sorted(state.items())) if isinstance(state, Mapping) else state
    with partial.open("w", encoding="utf-8") as handle:
        handle.write("{")
        for number, (file, entry) in enumerate(pairs()):
            separator = "," if number else ""
            handle.write(f"{separator}\n{json.dumps(file)}: {json.dumps(entry, sort_keys=True)}")
        handle.write("\n}")
    os.replace(partial, out_dir / STATE)


def manifest_header(language: str = "nl") -> tuple[str, ...]:
    """The header row of ``manifest.csv`` in ``language``."""
    return tuple(label(MANIFEST_LABELS[name], language) for name in MANIFEST_HEADER)


def write_manifest(out_dir: Path, rows: Iterable[ManifestRow], language: str | None = None) -> Path:
    """``manifest.csv``: a header in the export's language (``manifest_header``), the level
    as its label beside ``level_id``, the score rounded to one decimal; text that would start
    a formula is neutralised (``exports.safety.cell``)."""
    path = out_dir / MANIFEST
    rows = list(rows)
    if language is None:
        language = rows[0].language if rows else "nl"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(manifest_header(language))
        for row in rows:
            writer.writerow(safety.row(getattr(row, name) for name in MANIFEST_HEADER))
    return path


def write_zip(out_dir: Path, rows: Iterable[ManifestRow], zip_path: Path) -> Path:
    """A zip of the manifest and every PDF, streamed from disk file by file (stored: PDFs are
    compressed already), with fixed dates so that equal PDFs give an equal zip. Every member
    name passes ``exports.safety.safe_member`` (no ``..``, no absolute path)."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in (MANIFEST, *(row.file for row in rows)):
            info = zipfile.ZipInfo(safety.safe_member(name), date_time=ZIP_DATE)
            with (
                safety.inside(out_dir, name).open("rb") as source,
                archive.open(info, "w") as target,
            ):
                while chunk := source.read(1 << 16):
                    target.write(chunk)
    os.replace(partial, zip_path)
    return zip_path


class _Pool:
    """A bounded-window runner over a process pool or a Dask client (same interface)."""

    def __init__(self, out_dir: Path, context: RenderContext, workers: int, scheduler):
        self.out_dir = out_dir
        self.scheduler = scheduler
        self.client = None
        self.executor = None
        if scheduler is not None:
            from distributed import Client  # noqa: PLC0415 (optional extra)

            self.owns_client = not isinstance(scheduler, Client)
            if self.owns_client:
                try:
                    self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
                except (OSError, TimeoutError) as exc:
                    raise ConnectionError(
                        f"cannot reach the Dask scheduler at {scheduler} ({exc})"
                    ) from exc
            else:
                self.client = scheduler
            self.context_future = self.client.scatter(context, broadcast=True)
            self.window = max(4, 4 * sum(self.client.nthreads().values()))
        else:
            with _plain_main():
                self.executor = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=get_context("spawn"),
                    initializer=_init_pool_worker,
                    initargs=(context,),
                )
                # Spawn every worker now, while __main__ is plain (see _plain_main).
                for warm_up in [self.executor.submit(_ready) for _ in range(workers)]:
                    warm_up.result()
            self.window = 4 * workers

    def submit(self, job: PassportJob):
        if self.client is not None:
            return self.client.submit(_dask_task, job, self.context_future, pure=False)
        return self.executor.submit(_pool_task, job, str(self.out_dir))

    def result(self, future) -> ManifestRow:
        if self.client is not None:
            row, pdf = future.result()
            _write(self.out_dir, row.file, pdf)
            return row
        return future.result()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        if self.client is not None and self.owns_client:
            self.client.close()


def export_passports(
    jobs: Iterable[PassportJob],
    out_dir: str | Path,
    *,
    context: RenderContext,
    workers: int = 2,
    scheduler: object | None = None,
    zip_path: str | Path | None = None,
    progress: Progress | None = None,
    total: int | None = None,
) -> BatchResult:
    """Render every job to ``out_dir/<job.file>`` and write ``manifest.csv``.

    ``scheduler`` (a ``tcp://host:port`` address or a ``distributed.Client``) runs the jobs on
    Dask; otherwise a process pool of ``workers``. Jobs whose inputs did not change since the
    last run into ``out_dir`` are skipped (their files are kept and checked by sha256).
    ``progress(done, total)`` is called after each passport, skipped ones included.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if total is None and hasattr(jobs, "__len__"):
        total = len(jobs)  # type: ignore[arg-type]
    total = total or 0
    previous = _load_state(out)
    digests: dict[str, str] = {}
    order: list[str] = []
    seen: set[str] = set()
    rows: dict[str, ManifestRow] = {}
    result = BatchResult(total=total)
    done = 0
    saved_at = 0

    def state(*, keep_previous: bool):
        """The resume state's entries, built one at a time from ``rows`` and ``digests``."""

        def pairs() -> Iterator[tuple[str, dict]]:
            files = sorted({*previous, *rows} if keep_previous else rows)
            for file in files:
                if file in rows:
                    yield file, {"input": digests[file], "row": asdict(rows[file])}
                else:
                    yield file, previous[file]

        return pairs

    def finished(row: ManifestRow, digest: str) -> None:
        nonlocal done, saved_at
        rows[row.file] = row
        digests[row.file] = digest
        done += 1
        if progress is not None:
            progress(done, max(total, done))
        # saved every 100 passports, and at most ten times per doubling of the batch: writing
        # the whole state every 100 would cost the square of the batch size
        if done - saved_at >= max(100, done // 10):
            saved_at = done
            _save_state(out, state(keep_previous=True))

    pool: _Pool | None = None
    in_flight: deque[tuple[Future, str]] = deque()
    try:
        for job in jobs:
            safety.safe_member(job.file)
            if job.file in seen:
                raise ValueError(f"two passports would be written to the same file {job.file}")
            seen.add(job.file)
            order.append(job.file)
            digest = input_hash(job, context)
            before = previous.get(job.file)
            if (
                before is not None
                and before.get("input") == digest
                and _file_sha256(out / job.file) == before["row"]["sha256"]
            ):
                result.skipped += 1
                finished(ManifestRow(**before["row"]), digest)
                continue
            if pool is None:
                pool = _Pool(out, context, workers, scheduler)
            in_flight.append((pool.submit(job), digest))
            while len(in_flight) >= pool.window:
                future, job_digest = in_flight.popleft()
                finished(pool.result(future), job_digest)
                result.rendered += 1
        while in_flight:
            future, job_digest = in_flight.popleft()
            finished(pool.result(future), job_digest)
            result.rendered += 1
    finally:
        if pool is not None:
            pool.close()
        _save_state(out, state(keep_previous=True))
    result.total = len(order)
    result.rows = [rows[f] for f in order]
    _save_state(out, state(keep_previous=False))
    result.manifest = write_manifest(out, result.rows)
    if zip_path is not None:
        result.zip_path = write_zip(out, result.rows, Path(zip_path))
    return result


def read_manifest(path: str | Path) -> list[dict[str, str]]:
    """The rows of a ``manifest.csv`` (for checks and the app), keyed by the column ids of
    ``MANIFEST_HEADER`` whichever language the header was written in."""
    ids = {
        label(MANIFEST_LABELS[name], language): name
        for name in MANIFEST_HEADER
        for language in ("nl", "en")
    }
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return [{ids.get(k, k): v for k, v in row.items()} for row in csv.DictReader(handle)]


__all__ = [
    "MANIFEST_HEADER",
    "BatchResult",
    "ManifestRow",
    "PassportJob",
    "RenderContext",
    "export_passports",
    "input_hash",
    "read_manifest",
    "render_job",
    "write_manifest",
    "write_zip",
]


def pool_map(
    function: Callable, items: Iterable, workers: int, window: int | None = None
) -> Iterator:
    """``function(item)`` for every item, in order, on a pool of ``workers`` spawned
    processes started as the passport export starts its pool (``_plain_main``, spawn); at
    most ``window`` items (default 4 per worker) in flight, so results stream. ``function``
    must be importable (a module-level function) and its items and results picklable."""
    window = window or 4 * workers
    with _plain_main():
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        for warm_up in [executor.submit(_ready) for _ in range(workers)]:
            warm_up.result()
    try:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(executor.submit(function, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
