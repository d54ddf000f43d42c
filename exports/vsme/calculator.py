"""Energy and greenhouse-gas calculator for VSME B3 (Scope 1 and 2).

The SME enters what is on its invoices and fuel cards; the calculator turns it into the B3
datapoints (energy in MWh split electricity/fuels and renewable/non-renewable, Scope 1,
Scope 2 location- and market-based, intensity per euro of turnover) with, for every figure,
the trail of inputs x factor (id, source) that produced it. Factors come from the one
versioned file ``factors.yaml`` beside this module. Pure: no streamlit, no database.
"""

from __future__ import annotations

import enum
import math
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

FACTORS_PATH = Path(__file__).with_name("factors.yaml")
KWH_PER_MWH = 1000.0
KG_PER_T = 1000.0
# Above this an SME's electricity use per FTE is unusual enough to ask for a second look
# (an office uses ~2-5 MWh per FTE a year; energy-intensive workshops more).
ELECTRICITY_KWH_PER_FTE_WARNING = 100_000.0
# Refused as a typing error rather than an input: 1 TWh of electricity, 1e9 m3 gas, ...
ABSURD_QUANTITY = 1e9


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    title: str
    url: str


class Factor(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    value: float
    unit: str
    year: int
    source: Source
    licence: str = Field(min_length=1)
    verified: bool
    #: What was read to verify the value, and where (a file of a public repository, a sheet
    #: of EFRAG's template); required for ``verified: true``.
    checked_against: str | None = None
    note: str = ""
    basis: str | None = None

    @model_validator(mode="after")
    def _verified_or_marked(self):
        """A factor is either verified against something read (``checked_against``) or
        explicitly unverified with a note that says why; never neither."""
        if self.verified and not (self.checked_against or "").strip():
            raise ValueError(f"{self.id}: verified: true needs checked_against")
        if not self.verified and not self.note.strip():
            raise ValueError(f"{self.id}: verified: false needs a note saying why")
        if not self.verified and self.checked_against:
            raise ValueError(f"{self.id}: checked_against given but verified is false")
        return self


class Blend(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    components: dict[str, float]
    #: Where the mass fractions were read; without it the blend counts as unverified.
    checked_against: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _fractions_add_up(self):
        if abs(sum(self.components.values()) - 1.0) > 1e-9:
            raise ValueError(
                f"{self.id}: the mass fractions add up to {sum(self.components.values())}"
            )
        return self


class FactorSet(_Frozen):
    version: str
    factors: tuple[Factor, ...]
    blends: tuple[Blend, ...] = ()

    def get(self, factor_id: str) -> Factor:
        """The factor with that id; a blend is computed from its components."""
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        for blend in self.blends:
            if blend.id == factor_id:
                parts = [(self.get(c), share) for c, share in blend.components.items()]
                return Factor(
                    id=blend.id,
                    value=sum(f.value * share for f, share in parts),
                    unit="kgCO2e/kg",
                    year=max(f.year for f, _ in parts),
                    source=Source(
                        title="Computed: "
                        + " + ".join(f"{share} x {f.id} ({f.value:g})" for f, share in parts),
                        url=parts[0][0].source.url,
                    ),
                    licence=parts[0][0].licence,
                    verified=bool(blend.checked_against) and all(f.verified for f, _ in parts),
                    checked_against=(
                        "; ".join([blend.checked_against] + [f.checked_against for f, _ in parts])
                        if blend.checked_against and all(f.verified for f, _ in parts)
                        else None
                    ),
                    note=blend.note
                    or "A component's GWP or the blend's mass fractions are not verified.",
                )
        raise KeyError(factor_id)


@lru_cache(maxsize=4)
def load_factors(path: Path = FACTORS_PATH) -> FactorSet:
    """Read and validate the factors file."""
    return FactorSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class Refrigerant(enum.StrEnum):
    R32 = "r32"
    R134A = "r134a"
    R404A = "r404a"
    R410A = "r410a"
    R407C = "r407c"
    R744 = "r744"
    R290 = "r290"


class GasKwhBasis(enum.StrEnum):
    GROSS = "gcv"
    NET = "ncv"


class CalculatorInput(_Frozen):
    """What is on the invoices and fuel cards of one reporting year."""

    electricity_kwh: float = 0.0
    electricity_green_with_guarantees_of_origin: bool = False
    supplier_factor_kg_per_kwh: float | None = None
    natural_gas_m3: float = 0.0
    natural_gas_kwh: float = 0.0
    natural_gas_kwh_basis: GasKwhBasis = GasKwhBasis.GROSS
    heating_oil_litres: float = 0.0
    diesel_litres: float = 0.0
    petrol_litres: float = 0.0
    lpg_litres: float = 0.0
    refrigerant_top_ups_kg: dict[Refrigerant, float] = Field(default_factory=dict)
    turnover_eur: float | None = None
    fte: float | None = None


class TrailStep(_Frozen):
    """One line of "how it was computed": quantity x factor = value."""

    label: str
    quantity: float
    quantity_unit: str
    factor_id: str | None
    factor_value: float
    factor_unit: str
    source: str
    value: float
    value_unit: str
    #: The factor's ``verified`` (None for a step without a factor, e.g. a unit conversion)
    verified: bool | None = None


class Figure(_Frozen):
    value: float
    unit: str
    steps: tuple[TrailStep, ...]


class Problem(_Frozen):
    field: str
    code: str
    message: str


class CalculatorError(ValueError):
    """Inputs refused; ``problems`` names every field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


# Concept local names (= named ranges) of the VSME Digital Template 1.3.0, B3.
CONCEPTS = {
    "total_energy": "TotalEnergyConsumption",
    "electricity_renewable": "EnergyConsumptionFromElectricity_RenewableEnergyMember",
    "electricity_non_renewable": "EnergyConsumptionFromElectricity_NonRenewableEnergyMember",
    "electricity_total": "EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember",  # noqa: E501
    "fuels_renewable": "EnergyConsumptionFromFuels_RenewableEnergyMember",
    "fuels_non_renewable": "EnergyConsumptionFromFuels_NonRenewableEnergyMember",
    "fuels_total": "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember",
    "scope1": "GrossScope1GreenhouseGasEmissions",
    "scope2_location": "GrossLocationBasedScope2GreenhouseGasEmissions",
    "scope2_market": "GrossMarketBasedScope2GreenhouseGasEmissions",
    "total_location": "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
    "total_market": "TotalGrossMarketBasedScope1AndScope2GHGEmissions",
    "intensity_location": "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
    "intensity_market": "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
}


class CalculatorResult(_Frozen):
    factors_version: str
    figures: dict[str, Figure]
    warnings: tuple[Problem, ...] = ()

    def as_datapoints(self) -> dict[str, float]:
        """The B3 answers keyed by concept local name (named range of the template)."""
        return {CONCEPTS[key]: fig.value for key, fig in self.figures.items()}


def _step(label, qty, qty_unit, factor: Factor, value, value_unit) -> TrailStep:
    return TrailStep(
        label=label,
        quantity=qty,
        quantity_unit=qty_unit,
        factor_id=factor.id,
        factor_value=factor.value,
        factor_unit=factor.unit,
        source=f"{factor.source.title} ({factor.year}, {factor.licence})",
        value=value,
        value_unit=value_unit,
        verified=factor.verified,
    )


def _sum(label: str, unit: str, steps: list[TrailStep]) -> Figure:
    return Figure(value=sum(s.value for s in steps), unit=unit, steps=tuple(steps))


def check_inputs(data: CalculatorInput) -> list[Problem]:
    """Every refused input, by field name (negative, not finite or absurdly large)."""
    problems = []
    quantities = {
        name: getattr(data, name)
        for name in (
            "electricity_kwh",
            "natural_gas_m3",
            "natural_gas_kwh",
            "heating_oil_litres",
            "diesel_litres",
            "petrol_litres",
            "lpg_litres",
            "supplier_factor_kg_per_kwh",
            "turnover_eur",
            "fte",
        )
    }
    quantities |= {f"refrigerant_top_ups_kg.{k}": v for k, v in data.refrigerant_top_ups_kg.items()}
    for name, value in quantities.items():
        if value is None:
            continue
        if not math.isfinite(value):
            problems.append(Problem(field=name, code="not-a-number", message="is not a number"))
        elif value < 0:
            problems.append(Problem(field=name, code="negative", message="may not be negative"))
        elif value > ABSURD_QUANTITY and name != "turnover_eur":
            problems.append(Problem(field=name, code="absurd", message="is implausibly large"))
    if data.supplier_factor_kg_per_kwh is not None and data.supplier_factor_kg_per_kwh > 2:
        problems.append(
            Problem(
                field="supplier_factor_kg_per_kwh",
                code="absurd",
                message="is above 2 kg CO2e/kWh (give kg, not g, per kWh)",
            )
        )
    if data.turnover_eur is not None and data.turnover_eur == 0:
        problems.append(Problem(field="turnover_eur", code="zero", message="may not be 0"))
    return problems


def calculate(data: CalculatorInput, factors: FactorSet | None = None) -> CalculatorResult:
    """Compute the B3 figures with their trails; raise CalculatorError on refused inputs."""
    problems = check_inputs(data)
    if problems:
        raise CalculatorError(problems)
    fs = factors or load_factors()
    f = fs.get

    # Energy (MWh, NCV basis as in EFRAG's Fuel Converter); all fuels are non-renewable.
    fuel_energy: list[TrailStep] = []
    scope1: list[TrailStep] = []
    if data.natural_gas_m3:
        fac = f("natural_gas_ncv_kwh_per_m3")
        fuel_energy.append(
            _step(
                "Aardgas (m³)",
                data.natural_gas_m3,
                "m3",
                fac,
                data.natural_gas_m3 * fac.value / KWH_PER_MWH,
                "MWh",
            )
        )
        fac = f("natural_gas_m3")
        scope1.append(
            _step(
                "Aardgas (m³)",
                data.natural_gas_m3,
                "m3",
                fac,
                data.natural_gas_m3 * fac.value / KG_PER_T,
                "tCO2e",
            )
        )
    if data.natural_gas_kwh:
        if data.natural_gas_kwh_basis is GasKwhBasis.GROSS:
            fac = f("natural_gas_ncv_per_gcv")
            fuel_energy.append(
                _step(
                    "Aardgas (kWh BVW)",
                    data.natural_gas_kwh,
                    "kWh GCV",
                    fac,
                    data.natural_gas_kwh * fac.value / KWH_PER_MWH,
                    "MWh",
                )
            )
            fac = f("natural_gas_kwh_gcv")
        else:
            fuel_energy.append(
                TrailStep(
                    label="Aardgas (kWh OVW)",
                    quantity=data.natural_gas_kwh,
                    quantity_unit="kWh NCV",
                    factor_id=None,
                    factor_value=1 / KWH_PER_MWH,
                    factor_unit="MWh/kWh",
                    source="unit conversion",
                    value=data.natural_gas_kwh / KWH_PER_MWH,
                    value_unit="MWh",
                )
            )
            fac = f("natural_gas_kwh_ncv")
        scope1.append(
            _step(
                "Aardgas (kWh)",
                data.natural_gas_kwh,
                "kWh",
                fac,
                data.natural_gas_kwh * fac.value / KG_PER_T,
                "tCO2e",
            )
        )
    liquids = (
        ("Stookolie", data.heating_oil_litres, "gas_oil_ncv_kwh_per_litre", "gas_oil_litre"),
        ("Diesel", data.diesel_litres, "gas_oil_ncv_kwh_per_litre", "diesel_litre"),
        ("Benzine", data.petrol_litres, "petrol_ncv_kwh_per_litre", "petrol_litre"),
        ("LPG", data.lpg_litres, "lpg_ncv_kwh_per_litre", "lpg_litre"),
    )
    for label, litres, energy_id, emission_id in liquids:
        if not litres:
            continue
        fac = f(energy_id)
        fuel_energy.append(_step(label, litres, "L", fac, litres * fac.value / KWH_PER_MWH, "MWh"))
        fac = f(emission_id)
        scope1.append(_step(label, litres, "L", fac, litres * fac.value / KG_PER_T, "tCO2e"))
    for refrigerant, kg in data.refrigerant_top_ups_kg.items():
        if not kg:
            continue
        fac = f(f"gwp_{refrigerant.value}")
        scope1.append(
            _step(
                f"Koelmiddel {refrigerant.value.upper()}",
                kg,
                "kg",
                fac,
                kg * fac.value / KG_PER_T,
                "tCO2e",
            )
        )

    # Electricity: renewable only when backed by guarantees of origin.
    kwh = data.electricity_kwh
    unit_mwh = TrailStep(
        label="Elektriciteit",
        quantity=kwh,
        quantity_unit="kWh",
        factor_id=None,
        factor_value=1 / KWH_PER_MWH,
        factor_unit="MWh/kWh",
        source="unit conversion",
        value=kwh / KWH_PER_MWH,
        value_unit="MWh",
    )
    green = data.electricity_green_with_guarantees_of_origin
    location_fac = f("electricity_be_location")
    scope2_location = [
        _step(
            "Elektriciteit", kwh, "kWh", location_fac, kwh * location_fac.value / KG_PER_T, "tCO2e"
        )
    ]
    if green:
        market_fac = f("electricity_green_go")
    elif data.supplier_factor_kg_per_kwh is not None:
        market_fac = Factor(
            id="supplier_factor",
            value=data.supplier_factor_kg_per_kwh,
            unit="kgCO2e/kWh",
            year=0,
            source=Source(title="Supplier's own factor, entered by the SME", url=""),
            licence="n/a",
            verified=False,
            note="Entered by the SME from its supplier's fuel mix disclosure; not checked here.",
        )
    else:
        market_fac = f("electricity_be_residual_mix")
    scope2_market = [
        _step("Elektriciteit", kwh, "kWh", market_fac, kwh * market_fac.value / KG_PER_T, "tCO2e")
    ]

    figures: dict[str, Figure] = {
        "electricity_renewable": _sum("", "MWh", [unit_mwh] if green else []),
        "electricity_non_renewable": _sum("", "MWh", [] if green else [unit_mwh]),
        "fuels_renewable": _sum("", "MWh", []),
        "fuels_non_renewable": _sum("", "MWh", fuel_energy),
        "scope1": _sum("", "tCO2e", scope1),
        "scope2_location": _sum("", "tCO2e", scope2_location),
        "scope2_market": _sum("", "tCO2e", scope2_market),
    }
    figures["electricity_total"] = _sum("", "MWh", [unit_mwh])
    figures["fuels_total"] = _sum("", "MWh", fuel_energy)
    figures["total_energy"] = _sum("", "MWh", [unit_mwh, *fuel_energy])
    figures["total_location"] = _sum("", "tCO2e", scope1 + scope2_location)
    figures["total_market"] = _sum("", "tCO2e", scope1 + scope2_market)
    if data.turnover_eur:
        for kind in ("location", "market"):
            total = figures[f"total_{kind}"].value
            figures[f"intensity_{kind}"] = Figure(
                value=total / data.turnover_eur,
                unit="tCO2e/EUR",
                steps=(
                    TrailStep(
                        label=f"Scope 1+2 ({kind}) / omzet",
                        quantity=total,
                        quantity_unit="tCO2e",
                        factor_id=None,
                        factor_value=1 / data.turnover_eur,
                        factor_unit="1/EUR",
                        source=f"turnover {data.turnover_eur:g} EUR",
                        value=total / data.turnover_eur,
                        value_unit="tCO2e/EUR",
                    ),
                ),
            )

    warnings = []
    if data.fte and kwh / data.fte > ELECTRICITY_KWH_PER_FTE_WARNING:
        warnings.append(
            Problem(
                field="electricity_kwh",
                code="high-per-fte",
                message=f"{kwh / data.fte:,.0f} kWh per FTE is unusually high; "
                "check the unit (kWh, not Wh) and the FTE",
            )
        )
    if fuel_energy and not scope1:  # cannot happen by construction; kept as a guard
        raise AssertionError("fuel used but Scope 1 is 0")
    return CalculatorResult(factors_version=fs.version, figures=figures, warnings=tuple(warnings))
