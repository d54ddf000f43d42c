"""Read our filled VSME Digital Templates with EFRAG's own converter, and let LibreOffice
recompute the template's own validation ("Overall Validation Status") as a cross-check.

A verification tool for a developer, not part of the product or of CI (CI guards the same
properties without the converter: tests/exports/test_vsme_efrag_reader.py).

What it needs:
  * EFRAG's converter source (github EFRAG-EU/Digital-Template-to-XBRL-Converter, checked at
    56114ee), e.g. unpacked into /tmp/efrag:  git -C MIRROR archive HEAD | tar x -C /tmp/efrag
  * a separate venv with the converter's registry dependencies (never the project's venv):
      python3 -m venv /tmp/efrag-venv
      /tmp/efrag-venv/bin/pip install arelle-release babel openpyxl rich python-dateutil \\
          python-dotenv markupsafe jinja2 msgpack pillow rcssmin==1.2.2 mammoth
    Its ``aoix`` dependency (``ixbrltemplates``) is not on the package registry; it only
    renders the Inline XBRL page, which the xlsx reading does not use, so a stand-in module
    that refuses to render is put on the converter's path.
  * optional, for ``--recalc``: LibreOffice (``apt-get install -y libreoffice-calc-nogui``).
  * a database with VSME answers, e.g. a fresh demo:
      MVO_DATABASE_URL=sqlite:////tmp/vsme-demo.sqlite PYTHONPATH=$PWD \\
          .venv/bin/python -m app.cli demo

How to run (from the repository root, with the project's python):
  MVO_DATABASE_URL=sqlite:////tmp/vsme-demo.sqlite PYTHONPATH=$PWD .venv/bin/python \\
      tools/check_vsme_with_efrag.py --year 2026 --converter /tmp/efrag \\
      --efrag-python /tmp/efrag-venv/bin/python --out /tmp/vsme-check \\
      [--kbo 0765432146 ...] [--recalc]

For every organisation it writes ``vsme-<KBO>-<year>.xlsx`` (the bytes ``mvo export vsme``
writes), runs the converter's ``XlsxProcessor`` on it and prints the number of facts read and
every message of the converter, the template's own validation as the file caches it (overall
status and every row that is not OK: ``fill`` computes the formulas' values), and with
``--recalc`` the overall status LibreOffice computes when it recalculates the same file.
Exit status 1 when the converter reports an error or warning other than the converter's own
version notice.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAND_IN = """
class ParseError(Exception):
    pass


def Parser(*args, **kwargs):
    raise NotImplementedError("aoix (ixbrltemplates) is not on the package registry")


def lineAndOffset(*args, **kwargs):
    return (0, 0)
"""

READER = """
import json, sys
import mireport
from mireport.conversionresults import ConversionResultsBuilder
from mireport.data.disclosures import VSME_DEFAULTS
from mireport.xlsx_template_reader.processor import XlsxProcessor

mireport.loadBuiltInTaxonomyJSON()
out = []
for path in sys.argv[1:]:
    builder = ConversionResultsBuilder(consoleOutput=False)
    facts, failed = None, None
    try:
        with builder.processingContext("read") as pc:
            report = XlsxProcessor.from_file(path, builder, VSME_DEFAULTS).createReport()
            facts = report.factCount
    except Exception as exc:  # the converter aborts with its own exceptions
        failed = f"{type(exc).__name__}: {exc}"
    results = builder.build()
    out.append({
        "file": path,
        "facts": facts,
        "failed": failed,
        "messages": [
            {
                "severity": str(m.severity.name),
                "text": str(m.messageText),
                "ref": str(m.excelReference or ""),
            }
            for m in results.messages
        ],
    })
print(json.dumps(out))
"""

#: The converter's notice that our template is newer than a converter run from a plain
#: checkout (its version comes from installed package metadata, 0.0.0 here).
VERSION_NOTICE = "newer than the converter version"


def run_converter(converter: Path, python: str, files: list[Path]) -> list[dict]:
    """The converter's reading of each file: facts read and its messages."""
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "ixbrltemplates.py").write_text(STAND_IN)
        script = Path(work) / "read.py"
        script.write_text(READER)
        env_path = f"{converter / 'src'}:{work}"
        done = subprocess.run(
            [python, str(script), *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
            env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        )
    if done.returncode != 0:
        raise SystemExit(f"the converter failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def validation_status(path: Path) -> tuple[str, list[tuple[int, str, str]]]:
    """The template's own validation as the file holds it (cached values, what a reader that
    does not recalculate sees): (overall status, [(row, check, status)] not OK)."""
    import openpyxl  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        done = openpyxl.load_workbook(path, data_only=True)
    toc = done["Table of Contents & Validation"]
    bad = [
        (row, str(toc[f"B{row}"].value), str(toc[f"C{row}"].value))
        for row in range(5, 71)
        if toc[f"C{row}"].value not in (None, "", "-", "OK")
    ]
    return str(toc["C3"].value), bad


def recalculated_status(path: Path, work: Path) -> tuple[str, list[tuple[int, str, str]]]:
    """Our filled file with its cached values stripped (openpyxl saves none), recalculated
    by LibreOffice: the template's validation as LibreOffice computes it from the formulas."""
    import openpyxl  # noqa: PLC0415

    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("--recalc needs LibreOffice: apt-get install -y libreoffice-calc-nogui")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(path)
    source = work / f"stripped-{path.name}"
    wb.save(source)
    out_dir = work / "recalculated"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return validation_status(out_dir / source.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--kbo", action="append", default=[], help="KBO number (repeatable)")
    parser.add_argument("--others", type=int, default=3, help="other VSME organisations too")
    parser.add_argument("--as-user", default="departement@demo.be")
    parser.add_argument("--converter", type=Path, required=True, help="converter source dir")
    parser.add_argument("--efrag-python", required=True, help="python of the converter's venv")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--recalc", action="store_true", help="recalculate with LibreOffice")
    args = parser.parse_args(argv)

    from app.commands.exporting import _organisation_id, _principal_of  # noqa: PLC0415
    from app.services import vsme  # noqa: PLC0415
    from app.store.db import Store  # noqa: PLC0415

    store = Store()
    principal = _principal_of(store, args.as_user)
    kbos = list(args.kbo) or ["0765432146"]
    for _id, kbo in vsme.vsme_organisations(store, principal, args.year):
        if len(kbos) >= len(args.kbo or ["0765432146"]) + args.others:
            break
        if kbo not in kbos:
            kbos.append(kbo)
    args.out.mkdir(parents=True, exist_ok=True)
    files = []
    for kbo in kbos:
        organisation_id = _organisation_id(store, principal, kbo)
        report = vsme.vsme_report(store, principal, organisation_id, args.year)
        path = args.out / vsme.download_name(kbo, args.year, "xlsx")
        path.write_bytes(vsme.render(report, "xlsx"))
        files.append(path)
    failing = 0
    for result in run_converter(args.converter, args.efrag_python, files):
        problems = [
            m
            for m in result["messages"]
            if m["severity"] in ("ERROR", "WARNING") and VERSION_NOTICE not in m["text"]
        ]
        failing += bool(problems or result["failed"])
        print(f"{result['file']}: {result['facts']} facts read, {len(problems)} problems")
        if result["failed"]:
            print(f"  aborted: {result['failed']}")
        for m in result["messages"]:
            print(f"  {m['severity']}: {m['text']} {m['ref']}")
        status, bad = validation_status(Path(result["file"]))
        print(f"  template's validation as cached in the file: overall status {status}")
        for row, check, value in bad:
            print(f"    row {row}: {check} -> {value}")
        if args.recalc:
            again, _bad = recalculated_status(Path(result["file"]), args.out)
            print(f"  LibreOffice recalculation of the same file: overall status {again}")
    return 1 if failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
