"""The frameworks and sector profiles the services work with, and lookups on them.

A ``Store`` carries a catalogue (``frameworks`` and ``profiles`` dicts, the earlier versions in
``archived``); by default the shipped one from ``frameworks.loader``. The questionnaire of an
assessment is the *effective* framework: the framework plus its profile's sector section
(``frameworks.compose``), both **at the versions the assessment was started on**
(``of_assessment``): every service that reads an assessment's questions asks here, and the
lookup of (id, version) itself is ``frameworks.loader.resolve``.
"""

from __future__ import annotations

from typing import Any

from app.services.errors import InvalidInput
from app.services.messages import message
from frameworks.compose import effective_framework
from frameworks.loader import UnknownVersion, resolve
from frameworks.models import Framework, SectorProfile


def load_default_catalogue() -> Any:
    """The shipped catalogue (plus ``MVO_FRAMEWORKS_DIR``), loaded once per process."""
    from frameworks.loader import shipped_catalogue

    return shipped_catalogue()


def _known(pool: dict) -> str:
    return ", ".join(sorted(pool)) or "-"


def framework(catalogue: Any, framework_id: str, version: str | None = None) -> Framework:
    """The framework at ``version`` (None: the current one); refused with what is shipped."""
    try:
        return resolve(catalogue, "framework", framework_id, version)  # type: ignore[return-value]
    except UnknownVersion as exc:
        if exc.known:
            raise InvalidInput(
                message(
                    "unknown-framework-version",
                    framework_id=framework_id,
                    version=version,
                    known=", ".join(exc.known),
                ),
                field="framework_version",
            ) from None
        raise InvalidInput(
            message(
                "unknown-framework",
                framework_id=framework_id,
                known=_known(catalogue.frameworks),
            ),
            field="framework",
        ) from None


def profile(
    catalogue: Any, profile_id: str | None, version: str | None = None
) -> SectorProfile | None:
    """The sector profile at ``version`` (None: the current one), or None without a profile."""
    if profile_id is None:
        return None
    try:
        return resolve(catalogue, "profile", profile_id, version)  # type: ignore[return-value]
    except UnknownVersion as exc:
        if exc.known:
            raise InvalidInput(
                message(
                    "unknown-profile-version",
                    profile_id=profile_id,
                    version=version,
                    known=", ".join(exc.known),
                ),
                field="profile_version",
            ) from None
        raise InvalidInput(
            message(
                "unknown-sector-profile", profile_id=profile_id, known=_known(catalogue.profiles)
            ),
            field="profile",
        ) from None


def questionnaire(
    catalogue: Any,
    framework_id: str,
    profile_id: str | None,
    framework_version: str | None = None,
    profile_version: str | None = None,
) -> Framework:
    """The effective framework an assessment of ``framework_id`` under ``profile_id`` answers,
    at the given versions (None: the current ones). Built once per framework object:
    ``effective_framework`` remembers it on the framework, so saving an answer does not
    rebuild it."""
    return effective_framework(
        framework(catalogue, framework_id, framework_version),
        profile(catalogue, profile_id, profile_version),
    )


def of_assessment(catalogue: Any, row: Any) -> Framework:
    """The questionnaire of an assessment (a row or view with ``framework``, ``profile``,
    ``framework_version`` and ``profile_version``): the versions it was started on."""
    return questionnaire(
        catalogue,
        row.framework,
        row.profile,
        row.framework_version,
        getattr(row, "profile_version", None),
    )


def parts_of(catalogue: Any, row: Any) -> tuple[Framework, SectorProfile | None]:
    """(base framework, profile) of an assessment at the versions it was started on."""
    return (
        framework(catalogue, row.framework, row.framework_version),
        profile(catalogue, row.profile, getattr(row, "profile_version", None)),
    )


def is_current(catalogue: Any, row: Any) -> bool:
    """Whether an assessment is on the current versions of its framework and profile."""
    base = catalogue.frameworks.get(row.framework)
    if base is None or row.framework_version != base.version:
        return False
    if row.profile is None:
        return True
    current = catalogue.profiles.get(row.profile)
    version = getattr(row, "profile_version", None)
    return current is not None and (version is None or version == current.version)
