"""The Streamlit user interface: pages, widgets, translations and session-state keys.

Pages are thin: they call ``app.services`` and render what comes back. Everything the browser
session remembers is listed in ``app.ui.keys``.
"""
