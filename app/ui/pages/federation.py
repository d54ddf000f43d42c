"""Placeholder (being built)."""

from app.ui import session

session.require("federation")
