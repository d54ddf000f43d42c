"""The effective questionnaire of a sector passport: a framework plus the profile's sector section.

A sector profile may add a section of sector-specific questions to the first framework it
includes. Scoring, the app and the exports all use ``effective_framework`` so that they agree
on which questions exist.
"""

from __future__ import annotations

from frameworks.models import Framework, SectorProfile


def effective_framework(framework: Framework, profile: SectorProfile | None) -> Framework:
    """The framework with the profile's sector questions appended where they belong to it."""
    if profile is None or profile.sector_section is None:
        return framework
    if profile.frameworks[0].id != framework.id:
        return framework
    # Remembered on the base framework (the app asks on every saved answer); an equal profile
    # gives the same result, so the memo is checked by value, never by identity.
    memo = framework.derived
    key = ("effective", profile.id, profile.version)
    found = memo.get(key)
    if found is not None and found[0] == profile:
        return found[1]
    effective = _with_sector_section(framework, profile)
    memo[key] = (profile, effective)
    return effective


def _with_sector_section(framework: Framework, profile: SectorProfile) -> Framework:
    # A fresh model rather than model_copy: model_copy would carry over cached properties.
    fields = {name: getattr(framework, name) for name in Framework.model_fields}
    fields["sections"] = [*framework.sections, profile.sector_section]  # type: ignore[list-item]
    return Framework(**fields)
