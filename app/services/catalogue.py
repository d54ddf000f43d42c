"""The frameworks and sector profiles the services work with, and lookups on them.

A ``Store`` carries a catalogue (``frameworks`` and ``profiles`` dicts); by default the shipped
one from ``frameworks.loader``. The questionnaire of an assessment is the *effective*
framework: the framework plus its profile's sector section (``frameworks.compose``).
"""

from __future__ import annotations

from typing import Any

from app.services.errors import InvalidInput
from app.services.messages import message
from frameworks.compose import effective_framework
from frameworks.models import Framework, SectorProfile


def load_default_catalogue() -> Any:
    """The shipped catalogue (plus ``MVO_FRAMEWORKS_DIR``), loaded once per process."""
    from frameworks.loader import shipped_catalogue

    return shipped_catalogue()


def framework(catalogue: Any, framework_id: str) -> Framework:
    try:
        return catalogue.frameworks[framework_id]
    except KeyError:
        known = ", ".join(sorted(catalogue.frameworks)) or "-"
        raise InvalidInput(
            message("unknown-framework", framework_id=framework_id, known=known),
            field="framework",
        ) from None


def profile(catalogue: Any, profile_id: str | None) -> SectorProfile | None:
    if profile_id is None:
        return None
    try:
        return catalogue.profiles[profile_id]
    except KeyError:
        known = ", ".join(sorted(catalogue.profiles)) or "-"
        raise InvalidInput(
            message("unknown-sector-profile", profile_id=profile_id, known=known),
            field="profile",
        ) from None


def questionnaire(catalogue: Any, framework_id: str, profile_id: str | None) -> Framework:
    """The effective framework an assessment of ``framework_id`` under ``profile_id`` answers
    (built once per framework object: ``effective_framework`` remembers it on the framework,
    so saving an answer does not rebuild it)."""
    return effective_framework(framework(catalogue, framework_id), profile(catalogue, profile_id))
