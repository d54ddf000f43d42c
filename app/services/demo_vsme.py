"""Demo VSME reports (``mvo demo``): plausible, deterministic answers to the ``vsme`` framework.

Every demo organisation with a submitted passport gets a VSME report for both demo years. The
B3 energy and emission figures come from the calculator (``exports.vsme.calculator``) fed
with invoice quantities that scale with the organisation's FTE and sector (electricity kWh,
natural gas m³, diesel and petrol litres per FTE, refrigerant top-ups where the sector cools),
so the totals, Scope 1, Scope 2 and the intensity agree with the factors file exactly as a
calculator run by the SME would. Staff, accident, water and waste figures follow the FTE.
The demo SME (``kmo@demo.be``) answers every Basic module datapoint (B1-B11) of the current
year: each "Always" datapoint and, for "If applicable" ones, either a value or "not
applicable" (it is an NV, so its "other legal form" is named too); others skip a few
datapoints at random. A per-organisation generator seeded with
the demo seed, KBO number and year makes the reports the same on every run and leaves the
passport population untouched.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.services import catalogue
from app.services.answers import validate_answer
from app.services.errors import InvalidInput
from exports.vsme.calculator import CalculatorInput, Refrigerant, calculate
from exports.vsme.taxonomy import taxonomy
from frameworks.models import NA

FRAMEWORK = "vsme"
BASIC_SECTION = "vsme_basic"
#: A datapoint that is asked only when the legal form is "other".
OTHER_LEGAL_FORM = "OtherUndertakingsLegalForm"
#: Computed by the template from the other answers and left empty (nothing is omitted).
LEFT_TO_THE_TEMPLATE = ("ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation",)


@dataclass(frozen=True)
class SectorInputs:
    """Invoice quantities per FTE and year of a sector (before the maturity and noise
    factors): electricity kWh, natural gas m³, diesel and petrol litres, turnover EUR,
    share of women, recordable accidents per 200,000 hours, water m³, waste t, EWC code of the
    main waste stream."""

    electricity_kwh: float
    gas_m3: float
    diesel_litres: float
    petrol_litres: float
    turnover_eur: float
    female_share: float
    accident_rate: float
    water_m3: float
    waste_t: float
    waste_code: str
    refrigerant: Refrigerant | None = None


# Energy per FTE lands near the passport demo's MWh per FTE of the sector (demo.ENERGY_PER_FTE):
# gas ~10.5 kWh/m³ and diesel ~10 kWh/L at net calorific value.
SECTORS = {
    "bouw": SectorInputs(3_500, 550, 480, 60, 180_000, 0.12, 4.5, 18, 7.5, "17 09 04"),
    "voeding": SectorInputs(
        14_000, 1_900, 280, 40, 250_000, 0.45, 3.2, 280, 2.8, "02 02 03", Refrigerant.R404A
    ),
    "transport_logistiek": SectorInputs(
        3_000, 190, 4_800, 80, 200_000, 0.2, 3.8, 15, 0.6, "15 01 02"
    ),
    "ict": SectorInputs(2_900, 100, 60, 40, 150_000, 0.3, 0.4, 10, 0.3, "16 02 14"),
    "retail": SectorInputs(
        5_200, 380, 180, 40, 220_000, 0.55, 1.6, 12, 0.5, "15 01 01", Refrigerant.R410A
    ),
    "sociale_economie": SectorInputs(2_800, 290, 120, 30, 60_000, 0.45, 2.4, 20, 1.2, "20 01 01"),
}
DEFAULT_INPUTS = SectorInputs(4_000, 400, 300, 50, 150_000, 0.35, 2.0, 15, 0.5, "20 03 01")
POSTAL_CODES = {
    "Antwerpen": "2000",
    "Gent": "9000",
    "Brugge": "8000",
    "Leuven": "3000",
    "Mechelen": "2800",
    "Aalst": "9300",
    "Kortrijk": "8500",
    "Hasselt": "3500",
    "Sint-Niklaas": "9100",
    "Oostende": "8400",
    "Genk": "3600",
    "Roeselare": "8800",
    "Turnhout": "2300",
    "Lier": "2500",
    "Geel": "2440",
    "Dendermonde": "9200",
    "Vilvoorde": "1800",
    "Waregem": "8790",
    "Lokeren": "9160",
    "Beveren-Kruibeke-Zwijndrecht": "9120",
    "Tienen": "3300",
    "Herentals": "2200",
    "Ieper": "8900",
    "Diest": "3290",
    "Tongeren": "3700",
    "Lommel": "3920",
    "Mol": "2400",
    "Ninove": "9400",
    "Zottegem": "9620",
    "Eeklo": "9900",
    "Tielt": "8700",
    "Torhout": "8820",
    "Izegem": "8870",
    "Maasmechelen": "3630",
    "Bilzen-Hoeselt": "3740",
    "Halle": "1500",
    "Asse": "1730",
}
STREETS = ["Industrieweg", "Kouterstraat", "Stationsstraat", "Ambachtenlaan", "Nijverheidslaan"]
#: The legal form (last word of a demo name) as a VSME option; NV and vzw are "other" (with
#: their name: an NV is a public limited company, not a private one), a name without a form
#: is a BV unless the caller names its form (the demo SME is an NV).
LEGAL_FORMS = {
    "BV": "private_limited_liability_undertaking",
    "CV": "cooperative",
    "VOF": "partnership",
}
OTHER_FORMS = {"NV": "Naamloze vennootschap (NV)", "VZW": "Vereniging zonder winstoogmerk (vzw)"}
HOURS_PER_FTE = 1_580


def organisation_rng(seed: int, kbo: str, year_index: int) -> random.Random:
    """The generator of one organisation's VSME report of one year (0 last, 1 current)."""
    return random.Random(f"{seed}:vsme:{kbo}:{year_index}")


def calculator_input(org: Any, year_index: int, rng: random.Random) -> CalculatorInput:
    """What the organisation's invoices and fuel cards would show in a year (year_index 0 is
    last year, 1 the current year: about 3 % less energy)."""
    inputs = SECTORS.get(org.profile, DEFAULT_INPUTS)
    scale = org.fte * (1.25 - 0.5 * org.maturity) * (1.0 - 0.03 * year_index)

    def quantity(per_fte: float) -> float:
        return float(round(per_fte * scale * rng.uniform(0.85, 1.15)))

    refrigerants = {}
    if inputs.refrigerant is not None and rng.random() < 0.6:
        refrigerants[inputs.refrigerant] = round(0.05 * org.fte * rng.uniform(0.5, 1.5), 1) or 0.5
    return CalculatorInput(
        electricity_kwh=quantity(inputs.electricity_kwh),
        electricity_green_with_guarantees_of_origin=rng.random() < 0.15 + 0.6 * org.maturity,
        natural_gas_m3=quantity(inputs.gas_m3),
        diesel_litres=quantity(inputs.diesel_litres),
        petrol_litres=quantity(inputs.petrol_litres),
        refrigerant_top_ups_kg=refrigerants,
        turnover_eur=float(round(inputs.turnover_eur * org.fte * rng.uniform(0.8, 1.25), -3))
        or 1000.0,
        fte=org.fte,
    )


@cache
def waste_label(code: str) -> str:
    """The taxonomy's label of a European waste list code ("17 09 04 - Non-Hazardous - ..."),
    as the template's waste table shows its row keys."""
    tax = taxonomy()
    prefix = "W-" + code.replace(" ", "") + "-"
    member = next(m for m in sorted(tax.axis_members["vsme:TypeOfWasteAxis"]) if ":" + prefix in m)
    return tax.label(member, "nl")


def report_values(
    org: Any, year_index: int, seed: int, legal_form: str | None = None
) -> dict[str, Any]:
    """Every datapoint value of the organisation's report in that year, by named range (the
    calculator's B3 figures included); "n/a" where the datapoint does not apply. The legal
    form is the last word of the name unless ``legal_form`` (NV, BV, CV, VOF, VZW) says."""
    rng = organisation_rng(seed, org.kbo, year_index)
    inputs = SECTORS.get(org.profile, DEFAULT_INPUTS)
    m = org.maturity
    invoices = calculator_input(org, year_index, rng)
    b3 = calculate(invoices).as_datapoints()
    turnover_eur = invoices.turnover_eur
    headcount = max(1, round(org.fte * 1.1))
    female = min(headcount, round(headcount * inputs.female_share * rng.uniform(0.8, 1.2)))
    temporary = round(headcount * rng.uniform(0.0, 0.12))
    hours = org.fte * HOURS_PER_FTE
    accidents = int(rng.random() * inputs.accident_rate * hours / 200_000 * 2 * (1.3 - m))
    water = org.fte * inputs.water_m3 * rng.uniform(0.85, 1.15)
    waste_main = org.fte * inputs.waste_t * rng.uniform(0.85, 1.15)
    waste_packaging = org.fte * 0.15 * rng.uniform(0.5, 1.5)
    recycled_share = min(0.95, 0.35 + 0.5 * m)
    hazardous = org.fte * 0.02 * rng.uniform(0.5, 1.5)
    rows = [
        (waste_main * recycled_share, waste_main * (1 - recycled_share)),
        (waste_packaging * 0.9, waste_packaging * 0.1),
    ]
    non_hazardous = waste_main + waste_packaging
    form = legal_form or org.name.rsplit(" ", 1)[-1]
    scope3 = turnover_eur * 0.00008 * rng.uniform(0.7, 1.3)  # spend-based estimate, t per EUR
    s1 = b3["GrossScope1GreenhouseGasEmissions"]
    s2l = b3["GrossLocationBasedScope2GreenhouseGasEmissions"]
    s2m = b3["GrossMarketBasedScope2GreenhouseGasEmissions"]
    lat = 50.75 + rng.random() * 0.55
    lon = 2.7 + rng.random() * 3.0
    certified = m > 0.55
    values: dict[str, Any] = {
        # B1
        "BasisForPreparation": "option_a_basic_module_only",
        "BasisForReporting": "individual",
        "UndertakingsLegalForm": (
            "other_undertakings_legal_form"
            if form in OTHER_FORMS
            else LEGAL_FORMS.get(form, "private_limited_liability_undertaking")
        ),
        "NaceSectorClassificationCodes": org.nace,
        "Assets": float(round(turnover_eur * rng.uniform(0.4, 0.9), -3)),
        "Turnover": turnover_eur,
        "NumberOfEmployees": headcount,
        "EmployeeCountingMethodology": "at_the_end_of_the_reporting_period",
        "TypeOfNumberOfEmployees": "headcount",
        "CountryOfPrimaryOperationsAndLocationOfSignificantAssets": "BE",
        "IdentifierOfSubsidiaryTypedAxis": NA,
        "NameOfTheSubsidiary": NA,
        "RegisteredAddressOfTheSubsidiary": NA,
        "DescriptionOfSustainabilityRelatedCertificationsOrLabels": (
            "ISO 14001 (milieuzorgsysteem)" if certified else NA
        ),
        "IdentifierOfSiteTypedAxis": "S1",
        "AddressOfSite": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "PostalCodeOfSite": POSTAL_CODES.get(org.municipality, "1000"),
        "CityOfSite": org.municipality,
        "CountryOfSite": "BE",
        "GPSLocationOfSite": f"{lat:.5f}, {lon:.5f}",
        # B2
        "SustainabilityIssueAddressedByPracticePolicyAndOrFutureInitiative": (
            ["climate_change", "own_workforce"] if m > 0.45 else ["own_workforce"]
        ),
        "PracticePolicyAndOrFutureInitiativeIsPubliclyAvailable": m > 0.6,
        "UndertakingHasSetATargetWhichIsRelatedToAPolicy": m > 0.5,
        "DescriptionOfTheEffectiveParticipationOfWorkersUsersOrOtherInterestedPartiesOrCommunitiesInGovernance": (  # noqa: E501
            "Werknemers zetelen in de raad van bestuur."
            if org.profile == "sociale_economie"
            else NA
        ),
        "FinancialInvestmentInTheCapitalOrAssetsOfSocialEconomyEntities": NA,
        "DescriptionOfLimitsToTheDistributionOfProfitsConnectedToTheMutualisticNatureOrToTheNatureOfTheActivitiesConsistingInServicesOfGeneralEconomicInterestSGEI": (  # noqa: E501
            "Winst wordt herinvesteerd in het sociaal doel." if form == "VZW" else NA
        ),
        # B3 (calculator) and the Scope 3 estimate with its totals
        "GrossScope3GreenhouseGasEmissions_CurrentlyStatedMember": scope3,
        "TotalGrossLocationBasedGHGEmissions_CurrentlyStatedMember": s1 + s2l + scope3,
        "TotalGrossMarketBasedGHGEmissions_CurrentlyStatedMember": s1 + s2m + scope3,
        "TotalLocationBasedGreenhouseGasEmissionsIntensityValue": (s1 + s2l + scope3)
        / turnover_eur,
        "TotalMarketBasedGreenhouseGasEmissionsIntensityValue": (s1 + s2m + scope3) / turnover_eur,
        "EnergyConsumptionFromSelfGeneratedElectricity_RenewableEnergyMember": NA,
        "EnergyConsumptionFromSelfGeneratedElectricity_NonRenewableEnergyMember": NA,
        "EnergyConsumptionFromSelfGeneratedElectricity_TotalRenewableAndNonRenewableEnergyMember": NA,  # noqa: E501
        # B4, B5: no reporting duty for pollutants; no site near a protected area
        "PubliclyAvailableDisclosure": NA,
        "URLOrLinkToThePubliclyAvailableDisclosure": NA,
        "TypeOfPollutantAxis": NA,
        "AmountOfEmissionToAir": NA,
        "AmountOfEmissionToWater": NA,
        "AmountOfEmissionToSoil": NA,
        "IdentifierOfSitesInBiodiversitySensitiveAreasTypedAxis": NA,
        "AreaOfSiteInBiodiversitySensitiveArea": NA,
        "SiteLocatedInABiodiversitySensitiveArea": NA,
        "SiteLocatedNearABiodiversitySensitiveArea": NA,
        "TotalSealedArea": round(org.fte * 0.006 * rng.uniform(0.6, 1.4), 3),
        "TotalNatureOrientedAreaOnSite": round(org.fte * 0.001 * rng.uniform(0.2, 1.5), 3),
        "TotalNatureOrientedAreaOffSite": NA,
        "TotalUseOfLand": round(org.fte * 0.009 * rng.uniform(0.6, 1.4), 3),
        # B6
        "TotalAmountOfWaterWithdrawnFromAllSites": round(water, 1),
        "AmountOfWaterWithdrawnAtSitesLocatedInAreasOfHighWaterStress": 0,
        "WaterDischargeFromUndertakingProductionProcesses": (
            round(water * 0.8, 1) if org.profile == "voeding" else NA
        ),
        "TotalWaterConsumption": round(water * (0.2 if org.profile == "voeding" else 1.0), 1),
        # B7
        "UndertakingAppliesCircularEconomyPrinciples": m > 0.4,
        "DescriptionOfHowCircularEconomyPrinciplesAreApplied": (
            "Restmateriaal wordt gesorteerd en waar mogelijk hergebruikt."
            if m > 0.4
            else "Nog geen kringloopaanpak; afval wordt selectief ingezameld."
        ),
        "TypeOfWasteAxis": f"{waste_label(inputs.waste_code)}\n{waste_label('15 01 01')}",
        "WasteDivertedToRecycleOrReuseMass": "\n".join(table_line(r[0]) for r in rows),
        "WasteDirectedToDisposalMass": "\n".join(table_line(r[1]) for r in rows),
        "WasteDivertedToRecycleOrReuseVolume": "\n".join(table_line(r[0] * 1.6) for r in rows),
        "WasteDirectedToDisposalVolume": "\n".join(table_line(r[1] * 1.6) for r in rows),
        "TotalWasteRecycledReusedAndDirectedToDisposalMass": "\n".join(
            table_line(sum(r)) for r in rows
        ),
        "TotalWasteRecycledReusedAndDirectedToDisposalVolume": "\n".join(
            table_line(sum(r) * 1.6) for r in rows
        ),
        "TotalHazardousWasteGeneratedMass": round(hazardous, 3),
        "TotalNonHazardousWasteGeneratedMass": round(non_hazardous, 3),
        "TotalWasteGeneratedMass": round(hazardous + non_hazardous, 3),
        "TotalHazardousWasteGeneratedVolume": round(hazardous * 1.2, 3),
        "TotalNonHazardousWasteGeneratedVolume": round(non_hazardous * 1.6, 3),
        "TotalWasteGeneratedVolume": round(hazardous * 1.2 + non_hazardous * 1.6, 3),
        "IdentifierOfMaterialTypedAxis": NA,
        "NameOfMaterialUsed": NA,
        "VolumeOfMaterialUsed": NA,
        "WeightOfMaterialUsed": NA,
        "TotalMassOfMaterialUsed": NA,
        "TotalVolumeOfMaterialUsed": NA,
        # B8
        "NumberOfPermanentContractEmployees": headcount - temporary,
        "NumberOfTemporaryContractEmployees": temporary,
        "NumberOfMaleEmployees": headcount - female,
        "NumberOfFemaleEmployees": female,
        "NumberOfOtherGenderEmployees": 0,
        "NumberOfNonReportedGenderEmployees": 0,
        "CountryOfEmploymentContractAxis": "BE",
        "NumberOfEmployeesForCountryOfEmploymentContract": str(headcount),
        "EmployeeTurnoverRate": round(rng.uniform(4, 18), 1) if headcount >= 50 else NA,
        # B9: rate per 200,000 hours worked, as the template's formula
        "NumberOfRecordableWorkRelatedAccidentsInTheReportingPeriod": accidents,
        "RateOfRecordableWorkRelatedAccidentsInTheReportingPeriod": round(
            accidents * 200_000 / hours, 2
        ),
        "NumberOfFatalitiesAsAResultOfWorkRelatedInjuriesAndWorkRelatedIllHealth": 0,
        # B10
        "EmployeesReceivePayEqualOrAboveMinimumWageDeterminedByNationalLawOrCollectiveAgreement": True,  # noqa: E501
        "PercentageGapInPayBetweenFemaleAndMaleEmployees": (
            round(rng.uniform(2, 16), 1) if headcount >= 150 else NA
        ),
        "PercentageOfEmployeesCoveredByCollectiveBargainingAgreements": 100,
        "AverageNumberOfAnnualTrainingHoursPerMaleEmployee": round(
            (6 + 26 * m) * rng.uniform(0.8, 1.2), 1
        ),
        "AverageNumberOfAnnualTrainingHoursPerFemaleEmployee": round(
            (6 + 26 * m) * rng.uniform(0.8, 1.2), 1
        ),
        "AverageNumberOfAnnualTrainingHoursPerOtherGenderEmployee": 0,
        "AverageNumberOfAnnualTrainingHoursPerNonReportedGenderEmployee": 0,
        # B11
        "TotalNumberOfConvictionsForTheViolationOfAntiCorruptionAndAntiBriberyLaws": 0,
        "TotalAmountOfFinesForTheViolationOfAnticorruptionAndAntibriberyLaws": 0,
    }
    if form in OTHER_FORMS:
        values[OTHER_LEGAL_FORM] = OTHER_FORMS[form]
    for name, value in b3.items():
        values[name] = value
    return values


def table_line(value: float, digits: int = 3) -> str:
    """A number as one line of a table column (a decimal point, at most ``digits`` decimals)."""
    return f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".")


def answer_value(question: Any, value: Any) -> Any:
    """A figure as its question stores it: a column of the energy breakdown table is a text
    question and holds the number as text, exactly as ``app.services.vsme.save_calculation``
    writes the calculator's figures (16 significant digits)."""
    if question.free_text and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.16g}"
    return value


def _questions(cat: Any):
    framework = catalogue.questionnaire(cat, FRAMEWORK, None)
    return [
        (question, section.id)
        for section in framework.sections
        for topic in section.topics
        for question in topic.questions
    ]


def answers_for(
    cat: Any, org: Any, year_index: int, seed: int, *, complete: bool, legal_form: str | None = None
) -> dict[str, Any]:
    """The organisation's VSME answers of a year by question id, checked by each question's
    class. ``complete`` answers every Basic datapoint; otherwise about one in twelve of the
    optional ones outside B3 and the tables is left open (fewer for a more mature organisation)."""
    values = report_values(org, year_index, seed, legal_form)
    skip = random.Random(f"{seed}:vsme-skip:{org.kbo}:{year_index}")
    answers: dict[str, Any] = {}
    for question, section in _questions(cat):
        if section != BASIC_SECTION:
            continue
        name = question.vsme.datapoint
        if name not in values:
            continue
        value = values[name]
        value = answer_value(question, value)  # a table column holds its number as a line
        if value is NA and not question.allow_na:
            continue
        # a table's columns are answered together (a row needs its key)
        optional = (
            question.vsme.status != "always"
            and question.vsme.disclosure != "B3"
            and not question.vsme.table
        )
        if not complete and optional and skip.random() < 0.12 * (1.2 - org.maturity):
            continue
        try:
            answers[question.id] = validate_answer(question, value)
        except InvalidInput as error:  # a generator bug, not a demo choice: say which
            raise ValueError(f"demo VSME value of {question.id}: {error}") from None
    return answers


__all__ = ["SECTORS", "answers_for", "calculator_input", "report_values"]
