"""EFRAG's VSME taxonomy (2026-05-01, as JSON): concepts, labels, units, periods, dimensions.

Resolves a template named range to its concept and dimensions: a concept's local name is the
concept itself; ``<Concept>_<Member>`` is that concept with the member on the axis whose
domain holds it, and a member that is its axis's default adds no dimension (XBRL leaves
defaults out). Units follow EFRAG's converter configuration: the data type's default unit,
the report's currency for monetary items, tCO2e per currency for intensities.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_FILE = DATA_DIR / "vsme-2026-05-01.json"

#: Default units per data type (EFRAG converter ``vsme.json`` ``dataTypesToUnits``).
UNITS_BY_TYPE = {
    "dtr-types:areaItemType": "utr:ha",
    "dtr-types:energyItemType": "utr:MWh",
    "dtr-types:ghgEmissionsItemType": "utr:tCO2e",
    "dtr-types:massItemType": "utr:t",
    "dtr-types:percentItemType": "xbrli:pure",
    "dtr-types:volumeItemType": "utr:m3",
    "xbrli:decimalItemType": "xbrli:pure",
}
LABEL_ROLE = "http://www.xbrl.org/2003/role/label"


@dataclass(frozen=True)
class Datapoint:
    """A named range resolved against the taxonomy."""

    name: str
    concept: str  # QName, e.g. "vsme:TotalEnergyConsumption"
    dimensions: dict[str, str] = field(default_factory=dict)  # non-default explicit members
    member: str | None = None  # the member of a <Concept>_<Member> range, default or not


class Taxonomy:
    """The taxonomy JSON with the look-ups the outputs need."""

    def __init__(self, raw: dict) -> None:
        self.raw = raw
        self.concepts: dict[str, dict] = raw["concepts"]
        self.namespaces: dict[str, str] = raw["namespaces"]
        self.entry_point: str = raw["entryPoint"]
        self.defaults: dict[str, str] = raw["dimensions"]["_defaults"]
        # axis -> members, over every hypercube of every role
        self.axis_members: dict[str, set[str]] = {}
        self.typed_axes: set[str] = set()
        self.tables_of: dict[str, list[dict]] = {}  # primary item -> hypercubes
        for role, tables in raw["dimensions"].items():
            if role == "_defaults":
                continue
            for table in tables.values():
                for axis, members in table.get("explicitDimensions", {}).items():
                    self.axis_members.setdefault(axis, set()).update(members)
                self.typed_axes.update(table.get("typedDimensions", []))
                for _, item in table.get("primaryItems", []):
                    self.tables_of.setdefault(item, []).append(table)

    def has(self, local_name: str) -> bool:
        return f"vsme:{local_name}" in self.concepts

    def concept(self, qname: str) -> dict:
        return self.concepts[qname]

    def label(self, qname: str, language: str = "en") -> str:
        labels = self.concepts[qname].get("labels", {})
        text = (labels.get(language) or labels.get("en") or {}).get(LABEL_ROLE, qname)
        return " ".join(text.removesuffix("[member]").split())

    def axis_of(self, member: str) -> str | None:
        for axis, members in self.axis_members.items():
            if member in members:
                return axis
        return None

    def resolve(self, name: str) -> Datapoint | None:
        """The concept and dimensions of a template named range, or None if it is none."""
        if self.has(name):
            return Datapoint(name, f"vsme:{name}")
        concept, _, member = name.rpartition("_")
        if not concept or not self.has(concept):
            return None
        member_qname = f"vsme:{member}"
        axis = self.axis_of(member_qname)
        if axis is None:
            return None
        dims = {} if self.defaults.get(axis) == member_qname else {axis: member_qname}
        return Datapoint(name, f"vsme:{concept}", dims, member_qname)

    def unit(self, qname: str, currency: str) -> str | None:
        """The unit of a numeric concept, None for a non-numeric one."""
        info = self.concepts[qname]
        if not info.get("numeric"):
            return None
        data_type = info["dataType"]
        if data_type == "xbrli:monetaryItemType":
            return f"iso4217:{currency}"
        if data_type == "dtr-types:ghgEmissionsPerMonetaryItemType":
            return f"utr:tCO2e/iso4217:{currency}"
        return UNITS_BY_TYPE[data_type]

    def enumeration_members(self, qname: str) -> list[str]:
        return list(self.concepts[qname].get("other", {}).get("ee20DomainMembers", []))


@cache
def taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once per process."""
    return Taxonomy(json.loads(TAXONOMY_FILE.read_text(encoding="utf-8")))
