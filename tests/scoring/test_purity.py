"""The scoring core is pure: importing and using it loads no UI, database or app code.

Covers S1-S10 indirectly: every rule lives in ``scoring`` and runs without I/O.
"""

from __future__ import annotations

import subprocess
import sys


def test_scoring_imports_no_streamlit_sqlalchemy_or_app():
    """S1-S10: scoring, passport, batch and benchmark import without streamlit, sqlalchemy or
    the app package."""
    code = (
        "import sys\n"
        "import scoring, scoring.passport, scoring.batch, scoring.benchmark, scoring.plan\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('streamlit', 'sqlalchemy', 'app', 'exports'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
