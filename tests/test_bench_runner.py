"""``bench/run_all.py`` (``make bench``): per-script timeouts that keep what a slow script
measured, and the "Where people wait" table built from the rows the scripts print."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, time
BENCH_TIMEOUT = 4  # seconds
for database, value in (("demo DB", 120.0), ("20000 orgs DB", 180.0)):
    print(json.dumps({
        "bench": "slow", "metric": "answer_p95_" + database, "value": value, "unit": "ms",
        "target": "<= 150 ms p95", "wait": "answer_to_saved (p95)", "database": database,
        "limit": 150, "load": 1.5, "action": "an SME changes one answer",
    }), flush=True)
time.sleep(60)
"""

QUICK = """
import json
print(json.dumps({"bench": "quick", "metric": "other", "value": 2.0, "unit": "s"}))
"""


def test_a_slow_script_should_keep_its_rows_and_not_stop_the_table(tmp_path):
    slow = tmp_path / "bench_slow.py"
    slow.write_text(SCRIPT, encoding="utf-8")
    quick = tmp_path / "bench_quick.py"
    quick.write_text(QUICK, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), str(slow), str(quick)],
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert done.returncode == 1  # the timed-out script counts as a failure
    out = done.stdout
    assert "timed out after 4 s (2 figure(s) kept)" in out
    assert "other" in out  # the next script ran
    table = out.split("Where people wait", 1)[1].splitlines()
    header = next(line for line in table if line.startswith("figure"))
    assert header.split()[:6] == ["figure", "target", "demo", "DB", "20000", "orgs"]
    line = next(line for line in table if line.startswith("answer_to_saved (p95)"))
    assert "120.0 ms ok (load 1.5)" in line
    assert "180.0 ms OVER (load 1.5)" in line
    assert line.rstrip().endswith("an SME changes one answer")
