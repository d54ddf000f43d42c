"""A VSME report for the tests: a small Belgian construction SME (Basic module)."""

import datetime as dt

from exports.vsme.report import CalculationStep, TableRow, VsmeEntity, VsmeReport


def sample_report() -> VsmeReport:
    """A small Belgian SME with Basic-module facts, a site and a calculator step."""
    return VsmeReport(
        entity=VsmeEntity(
            name="Bouw & Co <bv>", kbo="0123456749", nace="41.201", municipality="Gent", fte=12.5
        ),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        facts={
            "BasisForPreparation": "vsme:OptionABasicModuleOnlyMember",
            "BasisForReporting": "vsme:IndividualMember",
            "UndertakingsLegalForm": "vsme:PrivateLimitedLiabilityUndertakingMember",
            "NaceSectorClassificationCodes": ["nace:NACE_F4100"],
            "CountryOfPrimaryOperationsAndLocationOfSignificantAssets": "country:BE",
            "Turnover": 2500000,
            "Assets": 1200000,
            "NumberOfEmployees": 12.5,
            "EmployeeCountingMethodology": "vsme:AverageDuringTheReportingPeriodMember",
            "TypeOfNumberOfEmployees": "vsme:Full-TimeEquivalentFTEMember",
            "SustainabilityIssueAddressedByPracticePolicyAndOrFutureInitiative": [
                "vsme:ClimateChangeMember",
                "vsme:OwnWorkforceMember",
            ],
            "PracticePolicyAndOrFutureInitiativeIsPubliclyAvailable": False,
            "TotalEnergyConsumption": 210.5,
            "EnergyConsumptionFromElectricity_RenewableEnergyMember": 40.0,
            "EnergyConsumptionFromElectricity_NonRenewableEnergyMember": 20.0,
            "EnergyConsumptionFromFuels_NonRenewableEnergyMember": 150.5,
            "GrossScope1GreenhouseGasEmissions": 38.2,
            "GrossLocationBasedScope2GreenhouseGasEmissions": 9.6,
            "GrossMarketBasedScope2GreenhouseGasEmissions": 4.1,
            "TotalAmountOfWaterWithdrawnFromAllSites": 850,
            "UndertakingAppliesCircularEconomyPrinciples": True,
            "NumberOfPermanentContractEmployees": 11,
            "NumberOfMaleEmployees": 10,
            "NumberOfFemaleEmployees": 3,
            "NumberOfRecordableWorkRelatedAccidentsInTheReportingPeriod": 1,
            "NumberOfFatalitiesAsAResultOfWorkRelatedInjuriesAndWorkRelatedIllHealth": 0,
            "EmployeesReceivePayEqualOrAboveMinimumWageDeterminedByNationalLawOrCollectiveAgreement": True,
            "EmployeeTurnoverRate": 0.08,
            "AverageNumberOfAnnualTrainingHoursPerMaleEmployee": 14,
            "AverageNumberOfAnnualTrainingHoursPerFemaleEmployee": 18,
            "TotalNumberOfConvictionsForTheViolationOfAntiCorruptionAndAntiBriberyLaws": 0,
            "TotalAmountOfFinesForTheViolationOfAnticorruptionAndAntibriberyLaws": 0,
        },
        rows=[
            TableRow(
                axis="IdentifierOfSiteTypedAxis",
                key="1",
                values={
                    "AddressOfSite": "Kerkstraat 1",
                    "PostalCodeOfSite": "9000",
                    "CityOfSite": "Gent",
                    "CountryOfSite": "country:BE",
                },
            )
        ],
        trail=[
            CalculationStep(
                datapoint="GrossScope1GreenhouseGasEmissions",
                formula="15 000 l diesel x 2.51 kgCO2e/l / 1000",
                source="calculator",
            )
        ],
    )
