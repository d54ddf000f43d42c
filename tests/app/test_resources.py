"""The server's start-up preparation (``app.ui.resources``): what the pages import is read
from the page scripts, and ``prepare_at_start`` leaves the store, its catalogue and those
modules ready, so that no first user's run loads them."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from app.ui import resources

ROOT = Path(__file__).resolve().parents[2]


def _imports_of(script: str) -> set[str]:
    tree = ast.parse((resources.PAGES_DIR / script).read_text(encoding="utf-8"))
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__"
    }


def test_page_modules_should_list_what_every_page_imports():
    names = resources.page_modules()
    for script in ("signin.py", "sme_home.py", "sme_questionnaire.py", "sme_results.py"):
        assert _imports_of(script) <= set(names), script
    # the heavy libraries a page imports directly, and no module twice
    assert {"pandas", "streamlit"} <= set(names)
    assert len(names) == len(set(names))


PREPARE = """
import json, sys
from app.ui import resources
before = {name for name in resources.page_modules() if name in sys.modules}
resources.prepare_at_start()
missing = [name for name in resources.page_modules() if name not in sys.modules]
print(json.dumps([len(before), missing, sorted(resources.catalogue().frameworks)]))
"""


def test_prepare_at_start_should_leave_the_catalogue_and_the_pages_modules_loaded(seeded):
    """In a fresh interpreter, as ``streamlit run app/server.py`` is."""
    done = subprocess.run(
        [sys.executable, "-c", PREPARE],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    before, missing, frameworks = json.loads(done.stdout.strip().splitlines()[-1])
    assert before < len(resources.page_modules())  # there was something to prepare
    assert missing == []
    assert frameworks  # the catalogue is loaded
