"""The process pool must not re-run the parent's ``__main__`` in its workers.

Under Streamlit (and its AppTest) ``__main__`` is the page script, or a temporary file that is
already gone; a spawned worker that re-imports it dies or runs the page. Seen in CI: every
batch test failed with BrokenProcessPool after the app tests had run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import pathlib, sys, tempfile, types
fake = types.ModuleType("__main__")
fake.__file__ = tempfile.mktemp(suffix=".py")  # a page script that no longer exists
sys.modules["__main__"] = fake
from exports.batch import _Pool, RenderContext
pool = _Pool(pathlib.Path(tempfile.mkdtemp()), RenderContext.of({}, {}), 2, None)
try:
    print(len(pool.executor._processes))
finally:
    pool.close()
"""


def test_pool_workers_start_when_main_is_a_vanished_page_script():
    """Both workers start and the pool is usable although __main__ points at no file."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "2"
