"""The reference facts the rules check against, read from ``frameworks/reference.yaml``.

``reference.yaml`` is generated from the team's fact sheet by ``tools/build_reference.py`` and
ships with the package: ISO 26000 clauses and titles, GRI standards with their year and
disclosures (and which were withdrawn), EFQM 2013 criteria and weights, VSME datapoint ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REFERENCE_FILE = Path(__file__).with_name("reference.yaml")


@dataclass(frozen=True)
class GriStandard:
    standard: str
    title: str
    year: int
    disclosures: dict[str, str]
    withdrawn: str | None = None
    superseded_by: str | None = None


@dataclass(frozen=True)
class Reference:
    """Lookup tables built from the reference facts."""

    iso_core_subjects: dict[str, str]
    iso_issues: dict[str, str]
    iso_principles: dict[str, str]
    iso_issue_subject: dict[str, str]
    gri: dict[str, GriStandard]
    efqm_criteria: list[dict]
    efqm_sub_criteria: dict[str, str]
    vsme: dict[str, str]

    @property
    def iso_clauses(self) -> set[str]:
        return set(self.iso_core_subjects) | set(self.iso_issues) | set(self.iso_principles)


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The reference facts (read once per process)."""
    raw = yaml.load(REFERENCE_FILE.read_text(encoding="utf-8"), Loader=_Loader)
    iso = raw["iso26000"]
    core = {cs["clause"]: cs["title"] for cs in iso["core_subjects"]}
    issues = {i["clause"]: i["title"] for cs in iso["core_subjects"] for i in cs["issues"]}
    issue_subject = {i["clause"]: cs["clause"] for cs in iso["core_subjects"] for i in cs["issues"]}
    principles = {p["clause"]: p["title"] for p in iso["principles"]}
    gri = {
        s["standard"]: GriStandard(
            standard=s["standard"],
            title=s["title"],
            year=int(s["year"]),
            disclosures=dict(s.get("disclosures") or {}),
            withdrawn=s.get("withdrawn"),
            superseded_by=s.get("superseded_by"),
        )
        for s in raw["gri"]
    }
    return Reference(
        iso_core_subjects=core,
        iso_issues=issues,
        iso_principles=principles,
        iso_issue_subject=issue_subject,
        gri=gri,
        efqm_criteria=raw["efqm2013"]["criteria"],
        efqm_sub_criteria=dict(raw["efqm2013"]["sub_criteria"]),
        vsme=dict(raw["vsme"]),
    )


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
