"""The Streamlit entry point: ``streamlit run app/main.py``.

Thin on purpose: the shell (``app.ui.shell``) builds the navigation for the visitor's role and
runs the chosen page from ``app/ui/pages/``.
"""

from app.ui.shell import run

run()
