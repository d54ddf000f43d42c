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


#: Per kind: the id's keyword in the messages, the messages of an unknown id and of an
#: unknown version, and the fields they name.
_REFUSALS = {
    "framework": ("framework_id", "unknown-framework", "unknown-framework-version", "framework"),
    "profile": ("profile_id", "unknown-sector-profile", "unknown-profile-version", "profile"),
}


def _resolve(catalogue: Any, kind: str, model_id: str, version: str | None) -> Any:
    """``frameworks.loader.resolve`` with an unshipped id or version refused as InvalidInput
    naming what is shipped."""
    try:
        return resolve(catalogue, kind, model_id, version)  # type: ignore[arg-type]
    except UnknownVersion as exc:
        keyword, unknown_id, unknown_version, field = _REFUSALS[kind]
        if exc.known:
            raise InvalidInput(
                message(
                    unknown_version,
                    **{keyword: model_id},
                    version=version,
                    known=", ".join(exc.known),
                ),
                field=f"{field}_version",
            ) from None
        pool = catalogue.frameworks if kind == "framework" else catalogue.profiles
        raise InvalidInput(
            message(unknown_id, **{keyword: model_id}, known=_known(pool)), field=field
        ) from None


def framework(catalogue: Any, framework_id: str, version: str | None = None) -> Framework:
    """The framework at ``version`` (None: the current one); refused with what is shipped."""
    return _resolve(catalogue, "framework", framework_id, version)


def profile(
    catalogue: Any, profile_id: str | None, version: str | None = None
) -> SectorProfile | None:
    """The sector profile at ``version`` (None: the current one), or None without a profile."""
    if profile_id is None:
        return None
    return _resolve(catalogue, "profile", profile_id, version)


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
