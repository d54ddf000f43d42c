"""Fixtures of the app tests (defined in ``app_support``)."""

from __future__ import annotations

from app_support import browser_cookies, seeded, seeded_template  # noqa: F401 (fixtures)
