"""The plain VSME report every output renders: entity, period, currency and facts.

Facts are keyed by the Digital Template's named range: a concept's local name
(``TotalEnergyConsumption``) or ``<Concept>_<Member>`` for a preset dimension member
(``EnergyConsumptionFromElectricity_RenewableEnergyMember``). Values follow one convention:
numbers in the taxonomy's unit (MWh, tCO2e, t, m3, ha, the report's currency), percentages as
fractions (0.25 is 25 %), booleans as ``True``/``False``, an enumeration as a member QName
(``vsme:PrivateLimitedLiabilityUndertakingMember``, ``country:BE``, ``nace:NACE_C2511``) and an
enumeration set as a list of them, dates as ISO strings, years as int. Table rows (sites,
subsidiaries, materials, pollutants, waste, countries) are ``TableRow``s keyed by their row-key
range. ``with_derived`` adds the totals the template computes itself, each with its formula in
``trail``, so the three outputs agree and the PDF can say how a figure was obtained.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field

FactValue = bool | int | float | str | list[str]

KBO_PATTERN = r"^0?[01]\d{9}$|^\d{10}$"


class VsmeEntity(BaseModel):
    """The reporting SME. Its identifier is the KBO number, reported as an EU ID (EUID)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kbo: str = Field(pattern=r"^\d{10}$")
    nace: str | None = None
    municipality: str | None = None
    fte: float | None = None

    @property
    def euid(self) -> str:
        """The European Unique Identifier of a Belgian company: ``BEKBOBCE.<KBO number>``
        (BRIS: country code, register code of the Crossroads Bank for Enterprises, number)."""
        return f"BEKBOBCE.{self.kbo}"


class TableRow(BaseModel):
    """One row of a template table: ``axis`` names the row-key range (a typed axis such as
    ``IdentifierOfSiteTypedAxis`` or an explicit one such as ``TypeOfPollutantAxis``), ``key``
    is the typed identifier or the member QName, ``values`` the columns by named range."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    axis: str
    key: str
    values: dict[str, FactValue]


class CalculationStep(BaseModel):
    """How a reported figure was obtained (the calculator's trail, or a template total)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    datapoint: str
    formula: str
    source: str = ""
    #: Whether the factor of this step was verified (``factors.yaml``); None without a factor
    verified: bool | None = None


class VsmeReport(BaseModel):
    """One VSME report: what the template, the xBRL-JSON and the PDF are made from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity: VsmeEntity
    period_start: dt.date
    period_end: dt.date
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    facts: dict[str, FactValue] = Field(default_factory=dict)
    rows: list[TableRow] = Field(default_factory=list)
    trail: list[CalculationStep] = Field(default_factory=list)

    @property
    def year(self) -> int:
        return self.period_end.year


def _num(facts: dict[str, FactValue], name: str) -> float | None:
    value = facts.get(name)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _sum(facts, names: list[str]) -> float | None:
    parts = [_num(facts, n) for n in names]
    return None if all(p is None for p in parts) else sum(p or 0.0 for p in parts)


#: The template's own totals (its formula cells), as (datapoint, parts, formula text).
_TEMPLATE_SUMS: list[tuple[str, list[str], str]] = [
    (
        "EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember",
        [
            "EnergyConsumptionFromElectricity_RenewableEnergyMember",
            "EnergyConsumptionFromElectricity_NonRenewableEnergyMember",
        ],
        "renewable + non-renewable electricity",
    ),
    (
        "EnergyConsumptionFromSelfGeneratedElectricity_TotalRenewableAndNonRenewableEnergyMember",
        [
            "EnergyConsumptionFromSelfGeneratedElectricity_RenewableEnergyMember",
            "EnergyConsumptionFromSelfGeneratedElectricity_NonRenewableEnergyMember",
        ],
        "renewable + non-renewable self-generated electricity",
    ),
    (
        "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember",
        [
            "EnergyConsumptionFromFuels_RenewableEnergyMember",
            "EnergyConsumptionFromFuels_NonRenewableEnergyMember",
        ],
        "renewable + non-renewable fuels",
    ),
    (
        "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
        ["GrossScope1GreenhouseGasEmissions", "GrossLocationBasedScope2GreenhouseGasEmissions"],
        "Scope 1 + Scope 2 (location-based)",
    ),
    (
        "TotalGrossMarketBasedScope1AndScope2GHGEmissions",
        ["GrossScope1GreenhouseGasEmissions", "GrossMarketBasedScope2GreenhouseGasEmissions"],
        "Scope 1 + Scope 2 (market-based)",
    ),
    (
        "TotalRevenuesDerivedFromFossilFuelCoalOilAndGasSector",
        ["RevenueDerivedFromCoal", "RevenueDerivedFromOil", "RevenueDerivedFromGas"],
        "coal + oil + gas revenue",
    ),
]

_TEMPLATE_RATIOS: list[tuple[str, str, str, str]] = [
    (
        "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
        "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
        "Turnover",
        "(Scope 1 + Scope 2 location-based) / turnover",
    ),
    (
        "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
        "TotalGrossMarketBasedScope1AndScope2GHGEmissions",
        "Turnover",
        "(Scope 1 + Scope 2 market-based) / turnover",
    ),
]


def with_derived(report: VsmeReport) -> VsmeReport:
    """The report with the totals the Digital Template computes (energy per source, Scope 1+2,
    intensity per turnover, fossil revenue) added where their parts are known and the facts
    do not already hold them; each added figure gets a step in ``trail``."""
    facts = dict(report.facts)
    trail = list(report.trail)
    for name, parts, formula in _TEMPLATE_SUMS:
        # a market-based total needs both parts, as the template's OR(D22="",D24="") does
        needs_all = "Market" in name
        known = [p for p in parts if _num(facts, p) is not None]
        if name in facts or not known or (needs_all and len(known) < len(parts)):
            continue
        facts[name] = _sum(facts, parts)
        trail.append(CalculationStep(datapoint=name, formula=formula, source="template"))
    for name, top, bottom, formula in _TEMPLATE_RATIOS:
        a, b = _num(facts, top), _num(facts, bottom)
        if name in facts or a is None or not b:
            continue
        facts[name] = a / b
        trail.append(CalculationStep(datapoint=name, formula=formula, source="template"))
    return report.model_copy(update={"facts": facts, "trail": trail})


def snake_case(name: str) -> str:
    """``TotalEnergyConsumption`` -> ``total_energy_consumption`` (runs of capitals such as
    ``GHG`` or ``URL`` stay one word)."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    return name.lower()


def with_calculation(report: VsmeReport, result) -> VsmeReport:
    """The report with the calculator's B3 figures (``CalculatorResult.as_datapoints``) as
    facts and each figure's steps (quantity x factor, with the factor's source) in ``trail``."""
    from exports.vsme.calculator import CONCEPTS  # noqa: PLC0415

    facts = {**report.facts, **result.as_datapoints()}
    trail = list(report.trail)
    for key, figure in result.figures.items():
        for step in figure.steps:
            trail.append(
                CalculationStep(
                    datapoint=CONCEPTS[key],
                    formula=(
                        f"{step.label}: {step.quantity:g} {step.quantity_unit} x "
                        f"{step.factor_value:g} {step.factor_unit} = "
                        f"{step.value:g} {step.value_unit}"
                    ),
                    source=step.source,
                    verified=step.verified,
                )
            )
    return report.model_copy(update={"facts": facts, "trail": trail})
