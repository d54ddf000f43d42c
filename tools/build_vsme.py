"""Build ``frameworks/vsme.yaml`` from EFRAG's VSME datapoint list and taxonomy JSON.

Reads ``vsme-datapoints.md`` (one table row per named range of the Digital Template 1.3.0)
and ``vsme-2026-05-01.json`` (labels in nl/en/fr, enumeration members) and writes one
question per B1-B11 / C1-C9 row. Run: ``python tools/build_vsme.py REFERENCE_DIR``. The
generated file is committed; re-run only when EFRAG publishes a new template or taxonomy.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "frameworks" / "vsme.yaml"
ROLE = "http://www.xbrl.org/2003/role/label"
MAX_ID = 64
SMALL_ENUM = 12  # larger enumerations (NACE, countries, disclosure lists) are typed as codes


def question_id(named_range: str) -> str:
    """``vsme_`` + snake_case of the named range; longer than 64 characters: the first 55
    characters, ``_`` and the first 8 hex digits of sha1(named range)."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", named_range)
    qid = "vsme_" + re.sub(r"_+", "_", snake).lower()
    if len(qid) > MAX_ID:
        qid = qid[:55].rstrip("_") + "_" + hashlib.sha1(named_range.encode()).hexdigest()[:8]
    return qid


def option_id(member: str) -> str:
    local = member.split(":", 1)[1]
    local = local[: -len("Member")] if local.endswith("Member") else local
    return re.sub(r"[^a-z0-9_]", "_", question_id(local)[len("vsme_") :])[:64]


def clean(text: str) -> str:
    """A taxonomy label as a person reads it: one space between words, no quotes and no
    taxonomy suffix "[member]" (as ``exports.vsme.taxonomy`` shows it)."""
    text = re.sub(r"\s+", " ", text.strip().strip('"').strip()).strip()
    return text.removesuffix("[member]").strip()


STATUS = {
    "Always": "always",
    "If applicable": "if_applicable",
    "If applicable (linked with B2)": "if_applicable",
    "Always + If applicable": "always_if_applicable",
    "May (optional)": "may",
}

#: Plain-language help per disclosure (nl, en): what the SME writes, where it finds it.
HELP = {
    "B1": (
        "Algemene gegevens van uw onderneming: rechtsvorm, sector, omzet, balans, personeel "
        "en vestigingen. U vindt ze in de jaarrekening en in de KBO.",
        "General facts about your business: legal form, sector, turnover, balance sheet, "
        "staff and sites. You find them in the annual accounts and the company register.",
    ),
    "B2": (
        "Welke praktijken, beleid of plannen hebt u om duurzamer te werken? Alleen als u er "
        "hebt; anders 'niet van toepassing'.",
        "Which practices, policies or plans help you work more sustainably? Only if you have "
        "any; otherwise 'not applicable'.",
    ),
    "B3": (
        "Energie uit uw facturen (elektriciteit, gas, stookolie, brandstofkaarten) in MWh, en "
        "de broeikasgasuitstoot in ton CO2-equivalent. De rekenhulp kan dit voor u berekenen.",
        "Energy from your invoices (electricity, gas, heating oil, fuel cards) in MWh, and "
        "greenhouse-gas emissions in tonnes CO2 equivalent. The calculator can work them out.",
    ),
    "B4": (
        "Alleen als u wettelijk verplicht bent uitstoot naar lucht, water of bodem te melden "
        "(bv. een milieuvergunning met meetplicht).",
        "Only if the law already requires you to report emissions to air, water or soil "
        "(e.g. an environmental permit with monitoring).",
    ),
    "B5": (
        "Vestigingen in of vlak bij beschermde natuur (Natura 2000 en dergelijke), en "
        "optioneel hoeveel grond u gebruikt en verhardt.",
        "Sites in or near protected nature (Natura 2000 and the like), and optionally how "
        "much land you use and seal.",
    ),
    "B6": (
        "Hoeveel water u afneemt (waterfactuur, eigen put) in m³.",
        "How much water you take in (water bill, own well) in m³.",
    ),
    "B7": (
        "Hoe u grondstoffen spaart en hergebruikt, en hoeveel afval u hebt (facturen of "
        "overzicht van de afvalophaler).",
        "How you save and reuse materials, and how much waste you produce (invoices or the "
        "waste collector's overview).",
    ),
    "B8": (
        "Uw personeel op het einde van het jaar: contracten, gender, land. Uit de "
        "personeelsadministratie of het sociaal secretariaat.",
        "Your staff at year end: contracts, gender, country. From your payroll or social "
        "secretariat.",
    ),
    "B9": (
        "Arbeidsongevallen die u aan de verzekeraar meldde, en eventuele dodelijke ongevallen.",
        "Work accidents reported to your insurer, and any fatal ones.",
    ),
    "B10": (
        "Loon, collectieve arbeidsovereenkomsten en opleidingsuren per werknemer.",
        "Pay, collective agreements and training hours per employee.",
    ),
    "B11": (
        "Veroordelingen en boetes voor corruptie of omkoping, als die er waren.",
        "Convictions and fines for corruption or bribery, if there were any.",
    ),
    "C1": (
        "Uw producten, markten, belangrijkste klanten en leveranciers, en hoe uw strategie "
        "met duurzaamheid te maken heeft.",
        "Your products, markets, main customers and suppliers, and how your strategy relates "
        "to sustainability.",
    ),
    "C2": (
        "Een korte beschrijving van het beleid uit B2, de doelen en wie verantwoordelijk is.",
        "A short description of the B2 policies, their targets and who is responsible.",
    ),
    "C3": (
        "Als u een doel hebt om uw uitstoot te verminderen: basisjaar, doeljaar en de "
        "uitstoot in beide jaren, en de belangrijkste acties.",
        "If you have a target to cut emissions: base year, target year and the emissions "
        "in both, and the main actions.",
    ),
    "C4": (
        "Klimaatrisico's voor uw bedrijf (overstroming, hitte, nieuwe regels) en wat u eraan doet.",
        "Climate risks for your business (flooding, heat, new rules) and what you do about them.",
    ),
    "C5": (
        "Optioneel: vrouwen en mannen in het management, zelfstandigen en uitzendkrachten.",
        "Optional: women and men in management, self-employed workers and agency workers.",
    ),
    "C6": (
        "Hebt u een gedragscode of mensenrechtenbeleid en een klachtenregeling voor uw personeel?",
        "Do you have a code of conduct or human-rights policy and a complaints procedure for "
        "your staff?",
    ),
    "C7": (
        "Ernstige mensenrechtenincidenten bij uw personeel of in uw waardeketen, en wat u deed.",
        "Severe human-rights incidents in your workforce or value chain, and what you did.",
    ),
    "C8": (
        "Omzet uit wapens, tabak, fossiele brandstoffen of chemie; meestal nul of niet van "
        "toepassing.",
        "Revenue from weapons, tobacco, fossil fuels or chemicals; usually zero or not applicable.",
    ),
    "C9": (
        "De verhouding vrouwen/mannen in de raad van bestuur.",
        "The ratio of women to men on your board.",
    ),
}

MEMBER_TEXT = {
    "RenewableEnergyMember": ("hernieuwbaar", "renewable"),
    "NonRenewableEnergyMember": ("niet-hernieuwbaar", "non-renewable"),
    "TotalRenewableAndNonRenewableEnergyMember": ("totaal", "total"),
    "CurrentlyStatedMember": ("verslagjaar", "reporting year"),
    "BaselineYearMember": ("basisjaar", "base year"),
    "TargetYearMember": ("doeljaar", "target year"),
}

#: Datapoints answered elsewhere: the question (or organisation field) with the same meaning
#: and unit. Prefill copies the value both ways (``app.services.vsme``).
SOURCES = {
    "NaceSectorClassificationCodes": [{"organisation": "nace"}],
    "NumberOfEmployees": [
        {"framework": "gri", "question": "gri_2_7_employees"},
        {"organisation": "fte"},
        {"framework": "start_to_mvo", "question": "st_employees"},
    ],
    "Turnover": [
        {"framework": "gri", "question": "gri_201_1_revenue"},
        {"framework": "start_to_mvo", "question": "st_turnover"},
    ],
    "EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember": [
        {"framework": "start_to_mvo", "question": "st_electricity_kwh"}
    ],
    "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember": [
        {"framework": "start_to_mvo", "question": "st_gas_m3"},
        {"framework": "start_to_mvo", "question": "st_fuel_litres"},
    ],
    "PercentageGapInPayBetweenFemaleAndMaleEmployees": [
        {"framework": "gri", "question": "gri_405_2_unadjusted_pay_gap"}
    ],
    "CityOfSite": [{"organisation": "municipality"}],
    "TotalEnergyConsumption": [{"framework": "gri", "question": "gri_302_1_energy"}],
    "GrossScope1GreenhouseGasEmissions": [{"framework": "gri", "question": "gri_305_1_scope1"}],
    "GrossLocationBasedScope2GreenhouseGasEmissions": [
        {"framework": "gri", "question": "gri_305_2_scope2"}
    ],
    "TotalAmountOfWaterWithdrawnFromAllSites": [
        {"framework": "gri", "question": "gri_303_3_water"}
    ],
    "TotalWaterConsumption": [{"framework": "gri", "question": "gri_303_5_water_consumption"}],
    "TotalMassOfMaterialUsed": [{"framework": "gri", "question": "gri_301_1_materials"}],
    "TotalWasteGeneratedMass": [
        {"framework": "gri", "question": "gri_306_3_waste"},
        {"framework": "start_to_mvo", "question": "st_waste_tonnes"},
    ],
    "TotalHazardousWasteGeneratedMass": [
        {"framework": "gri", "question": "gri_306_3_hazardous_waste"}
    ],
    "NumberOfFemaleEmployees": [{"framework": "gri", "question": "gri_2_7_women"}],
    "NumberOfTemporaryContractEmployees": [{"framework": "gri", "question": "gri_2_7_temporary"}],
    "NumberOfRecordableWorkRelatedAccidentsInTheReportingPeriod": [
        {"framework": "gri", "question": "gri_403_9_injuries"}
    ],
    "NumberOfFatalitiesAsAResultOfWorkRelatedInjuriesAndWorkRelatedIllHealth": [
        {"framework": "gri", "question": "gri_403_9_fatalities"}
    ],
    "EmployeesReceivePayEqualOrAboveMinimumWageDeterminedByNationalLawOrCollectiveAgreement": [
        {"framework": "gri", "question": "gri_202_1_minimum_wage"}
    ],
    "PercentageOfEmployeesCoveredByCollectiveBargainingAgreements": [
        {"framework": "gri", "question": "gri_2_30_collective_agreements"}
    ],
    "TotalNumberOfConvictionsForTheViolationOfAntiCorruptionAndAntiBriberyLaws": [
        {"framework": "gri", "question": "gri_205_3_corruption_incidents"}
    ],
    "TotalAmountOfFinesForTheViolationOfAnticorruptionAndAntibriberyLaws": [
        {"framework": "gri", "question": "gri_205_3_corruption_fines"}
    ],
    "TotalNumberOfSelfEmployedWorkersWithoutPersonnelThatAreWorkingExclusivelyForTheUndertaking": [
        {"framework": "gri", "question": "gri_2_8_self_employed"}
    ],
    # GRI 404-1 asks average training hours per employee by gender: the same figure, in
    # hours (the taxonomy's xbrli:pure "count" of hours; UNIT_FACTORS hours -> count is 1)
    "AverageNumberOfAnnualTrainingHoursPerMaleEmployee": [
        {"framework": "gri", "question": "gri_404_1_training_hours_men"}
    ],
    "AverageNumberOfAnnualTrainingHoursPerFemaleEmployee": [
        {"framework": "gri", "question": "gri_404_1_training_hours_women"}
    ],
    "UndertakingHasAComplaintHandlingMechanismForItsOwnWorkforce": [
        {"framework": "gri", "question": "gri_2_25_complaints_procedure"}
    ],
}


def parse_rows(md: str):
    """Yield (disclosure, block title, status, row cells) for every datapoint row."""
    disclosure = block = status = None
    for line in md.splitlines():
        m = re.match(r"^### ((?:B|C)\d+) — ", line)
        if m:
            disclosure = m.group(1)
            continue
        if line.startswith("### "):
            disclosure = None
            continue
        m = re.match(r"^\*\*(.+?)\*\* — \*(.+?)\*", line)
        if m:
            block, status = m.group(1), m.group(2)
            continue
        if disclosure and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            yield disclosure, block, status, cells


def unit_of(type_text: str) -> str:
    t = type_text.split(";")[0]
    for key, unit in (
        ("energy", "MWh"),
        ("GHG per monetary", "tCO2e/EUR"),
        ("GHG emissions", "tCO2e"),
        ("monetary", "EUR"),
        ("percent", "%"),
        ("mass", "t"),
        ("volume", "m3"),
        ("area", "ha"),
    ):
        if t.startswith(key):
            return unit
    return "count"


def main(reference: Path) -> None:
    md = (reference / "vsme-datapoints.md").read_text(encoding="utf-8")
    concepts = json.loads((reference / "vsme-2026-05-01.json").read_text("utf-8"))["concepts"]
    sections = {"basic": [], "comprehensive": []}
    topics: dict[str, dict] = {}
    for disclosure, _block, status, cells in parse_rows(md):
        named = cells[0].strip("`")
        type_text, nl_label, notes = cells[2], cells[3], cells[4]
        m = re.search(r"concept `(\w+)`", notes)
        concept = m.group(1) if m else named
        member = None
        m = re.search(r"Axis=(\w+Member)", notes)
        if m:
            member = m.group(1)
        info = concepts.get("vsme:" + concept, {})
        labels = info.get("labels", {})
        en = clean(labels.get("en", {}).get(ROLE, concept))
        nl = clean(labels.get("nl", {}).get(ROLE, nl_label))
        fr = labels.get("fr", {}).get(ROLE)
        if member:
            mnl, men = MEMBER_TEXT[member]
            nl, en = f"{nl} ({mnl})", f"{en} ({men})"
            fr = None
        if named == "IdentifierOfSitesInBiodiversitySensitiveAreasTypedAxis":
            nl, en = nl + " (biodiversiteitsgevoelig gebied)", en + " (biodiversity-sensitive area)"
        calc = "**calc**" in notes
        row_key = "row key" in notes
        column = "column of table" in notes
        status_id = STATUS.get(status, "may")
        q: dict = {"id": question_id(named), "text": {"nl": nl, "en": en}}
        if fr:
            q["text"]["fr"] = clean(fr)
        hnl, hen = HELP[disclosure]
        kind = type_text.split(",")[0].split(";")[0].strip()
        members = info.get("other", {}).get("ee20DomainMembers", [])
        table_note = ("", "")
        if row_key or column:
            table_note = (
                " Eén regel per rij van de tabel (bv. per vestiging), in dezelfde "
                "volgorde als de andere kolommen.",
                " One line per table row (e.g. per site), in the same order as the other columns.",
            )
        if calc:
            table_note = (
                table_note[0] + " In de EFRAG-template is dit een formule: laat leeg "
                "als de rekenhulp of het rapport het berekent.",
                table_note[1] + " In EFRAG's template this is a formula: leave it "
                "empty where the calculator or the report computes it.",
            )
        if row_key or column:
            q["type"] = "text"
            q["max_length"] = 20000
        elif kind.startswith("enumeration") and members and len(members) <= SMALL_ENUM:
            q["type"] = "multi" if "(set)" in kind else "choice"
            q["options"] = [
                {
                    "id": option_id(mm),
                    "label": {
                        "nl": clean(concepts[mm]["labels"].get("nl", {}).get(ROLE, mm)),
                        "en": clean(concepts[mm]["labels"]["en"][ROLE]),
                    },
                }
                for mm in members
            ]
        elif kind.startswith("enumeration"):
            q["type"] = "text"
            codes = {
                "NaceSectorClassificationCodes": (
                    "NACE-codes, gescheiden door komma's (bv. 43.22, 71.12)",
                    "NACE codes separated by commas (e.g. 43.22, 71.12)",
                )
            }.get(
                concept,
                (
                    "codes of namen uit de EFRAG-lijst, gescheiden door komma's",
                    "codes or names from EFRAG's list, separated by commas",
                ),
            )
            table_note = (f" Vul {codes[0]} in.", f" Enter {codes[1]}.")
        elif kind.startswith("boolean"):
            q["type"] = "yes_no"
            q["points"] = 0
        elif kind.startswith(("string", "text block", "date")):
            q["type"] = "text"
            if kind.startswith("date"):
                table_note = (" Datum als jjjj-mm-dd.", " Date as yyyy-mm-dd.")
        elif kind.startswith("year"):
            q["type"] = "number"
            q["unit"] = "year"
            q["integer"] = True
            q["min"] = 1990
            q["max"] = 2100
        else:
            q["type"] = "number"
            q["unit"] = unit_of(type_text)
            if q["unit"] != "tCO2e/EUR" or True:
                q["min"] = 0
            if q["unit"] == "%":
                q["max"] = 100
        q["help"] = {"nl": hnl + table_note[0], "en": hen + table_note[1]}
        if status_id != "always" or disclosure.startswith("C"):
            q["allow_na"] = True
        vsme = {
            "datapoint": named,
            "concept": concept,
            "disclosure": disclosure,
            "status": status_id,
        }
        if member:
            vsme["member"] = member
        if calc:
            vsme["calc"] = True
        if row_key or column:
            vsme["table"] = re.search(r"table `(\w+)`", notes).group(1)
            if row_key:
                vsme["row_key"] = True
        if named in SOURCES:
            vsme["sources"] = SOURCES[named]
        q["vsme"] = vsme
        q["mappings"] = {"vsme": [disclosure]}
        topic = topics.get(disclosure)
        if topic is None:
            title = re.search(rf"^### {disclosure} — (.+?)  \(", md, re.M).group(1)
            topic = {
                "id": "vsme_" + disclosure.lower(),
                "title": None,
                "questions": [],
                "_title_en": f"{disclosure} {title}",
            }
            topics[disclosure] = topic
            sections["basic" if disclosure.startswith("B") else "comprehensive"].append(topic)
        topic["questions"].append(q)
    for t in topics.values():
        en = t.pop("_title_en")
        t["title"] = {"nl": en.split(" ", 1)[0] + " " + TOPIC_NL[en.split(" ", 1)[0]], "en": en}
    header = HEADER
    body = {
        "id": "vsme",
        "version": "1.1",
        "languages": ["nl", "en", "fr"],
        "scored": False,
        "title": {
            "nl": "VSME-rapport (EFRAG-standaard voor kmo's)",
            "en": "VSME report (EFRAG standard for SMEs)",
        },
        "description": DESCRIPTION,
        "derivation": DERIVATION,
        "sections": [
            {
                "id": "vsme_basic",
                "title": {"nl": "Basismodule (B1-B11)", "en": "Basic module (B1-B11)"},
                "topics": sections["basic"],
            },
            {
                "id": "vsme_comprehensive",
                "title": {
                    "nl": "Uitgebreide module (C1-C9, optioneel)",
                    "en": "Comprehensive module (C1-C9, optional)",
                },
                "topics": sections["comprehensive"],
            },
        ],
    }
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
    OUT.write_text(header + text, encoding="utf-8")
    n = sum(len(t["questions"]) for t in topics.values())
    print(f"wrote {OUT} with {n} questions")


TOPIC_NL = {
    "B1": "Grondslag voor opstelling",
    "B2": "Praktijken, beleid en toekomstige initiatieven",
    "B3": "Energie en broeikasgasemissies",
    "B4": "Verontreiniging van lucht, water en bodem",
    "B5": "Biodiversiteit",
    "B6": "Water",
    "B7": "Grondstoffen, circulaire economie en afval",
    "B8": "Personeel: algemene kenmerken",
    "B9": "Personeel: gezondheid en veiligheid",
    "B10": "Personeel: beloning, cao's en opleiding",
    "B11": "Veroordelingen en boetes voor corruptie en omkoping",
    "C1": "Strategie: bedrijfsmodel en duurzaamheidsinitiatieven",
    "C2": "Beschrijving van praktijken, beleid en toekomstige initiatieven",
    "C3": "Broeikasgasreductiedoelen en klimaattransitie",
    "C4": "Klimaatrisico's",
    "C5": "Bijkomende kenmerken van het personeel",
    "C6": "Mensenrechtenbeleid en -processen voor het eigen personeel",
    "C7": "Ernstige negatieve mensenrechtenincidenten",
    "C8": "Inkomsten uit bepaalde activiteiten en uitsluiting van EU-benchmarks",
    "C9": "Genderdiversiteit in het bestuursorgaan",
}

HEADER = """\
# VSME: EFRAG's Voluntary Sustainability Reporting Standard for non-listed SMEs (December
# 2024), as datapoints of its Digital Template 1.3.0 and XBRL taxonomy 2026-05-01.
# GENERATED by tools/build_vsme.py from ../shared/reference/vsme (vsme-datapoints.md and
# vsme-2026-05-01.json); edit the generator, not this file.
#
# Taxonomy labels (nl, en, fr): Copyright (c) 2025 EFRAG, MIT licence (see
# exports/vsme/data/LICENSE). EFRAG is co-funded by the European Union through the Single
# Market Programme.
#
# A disclosure, never scored (`scored: false`): it never enters a passport's level or a
# benchmark; only its completeness (answered / applicable) is shown.
#
# One question per named range of the template (the Basic module B1-B11 in section
# vsme_basic, the Comprehensive module C1-C9 in vsme_comprehensive). Each question's `vsme`
# block holds: datapoint = the template's named range, concept = the taxonomy concept's
# local name (`vsme:` prefix; it differs from the named range only for
# <Concept>_<Member> ranges, whose dimension member is in `member`), disclosure (B1..C9),
# status (always / if_applicable / always_if_applicable / may), calc (a formula cell in the
# template), table / row_key (a column of a template table) and sources (questions of other
# frameworks or organisation fields with the same meaning and unit: prefill both ways).
#
# QUESTION ID RULE: id = "vsme_" + snake_case(named range), where snake_case puts "_" before
# every capital that follows a lower-case letter or digit, and before the last capital of a
# run of capitals followed by a lower-case letter (GPSLocationOfSite -> gps_location_of_site),
# then lower-cases. An id longer than 64 characters is cut to its first 55 characters
# (trailing "_" removed) + "_" + the first 8 hex digits of sha1(named range). The `vsme`
# block's `datapoint` is authoritative: map by it, not by re-deriving the id.
#
# Types: numbers carry the taxonomy unit (MWh, tCO2e, EUR = currency of the report, t, m3, ha,
# count = xbrli:pure, % = a percentage 0..100, which the template holds as a fraction);
# booleans are yes_no worth 0 points; enumerations of at most 12 members are choice / multi
# (option id = snake_case of the member's local name without "Member"); larger ones (NACE,
# countries, lists of disclosures) are text with codes separated by commas. Template tables
# (subsidiaries, sites, pollutants, biodiversity sites, waste, materials, country of
# employment) are text questions, one per column, one line per row in the same order: the
# simplest honest form, read row by row by the template filler.
# "Not applicable" (allow_na) is offered wherever the template's section is not "Always" and
# on every Comprehensive datapoint (the whole module is optional).
"""

DESCRIPTION = {
    "nl": (
        "De datapunten van de Europese vrijwillige duurzaamheidsstandaard voor kmo's (VSME) "
        "van EFRAG: de basismodule B1-B11 en, optioneel, de uitgebreide module C1-C9. Dit is "
        "een rapportering, geen score: wat u hier invult, telt niet mee voor uw "
        "MVO-paspoort. Wat u elders al beantwoordde (GRI, Start-to-MVO, uw "
        "bedrijfsgegevens) wordt overgenomen; u kunt het altijd aanpassen."
    ),
    "en": (
        "The datapoints of EFRAG's voluntary sustainability reporting standard for SMEs "
        "(VSME): the Basic module B1-B11 and, optionally, the Comprehensive module C1-C9. "
        "This is a disclosure, not a score: what you enter here does not count towards your "
        "CSR passport. What you already answered elsewhere (GRI, Start-to-MVO, your company "
        "details) is carried over; you can always change it."
    ),
}

DERIVATION = {
    "statement": {
        "nl": (
            "Overgenomen uit EFRAG's VSME Digital Template 1.3.0 en de XBRL-taxonomie "
            "2026-05-01 (labels in het Nederlands, Engels en Frans), © 2025 EFRAG, "
            "MIT-licentie. De uitleg per onderdeel is eigen vereenvoudiging voor kmo's; de "
            "standaard zelf is de referentie."
        ),
        "en": (
            "Taken from EFRAG's VSME Digital Template 1.3.0 and XBRL taxonomy 2026-05-01 "
            "(Dutch, English and French labels), © 2025 EFRAG, MIT licence. The help per "
            "disclosure is our own simplification for SMEs; the standard itself is the "
            "reference."
        ),
    },
    "sources": [
        {
            "name": "EFRAG VSME Standard",
            "edition": "2024-12-17",
            "url": "https://www.efrag.org/en/vsme",
        },
        {"name": "EFRAG VSME Digital Template", "edition": "1.3.0"},
        {
            "name": "EFRAG VSME XBRL taxonomy",
            "edition": "2026-05-01",
            "url": "https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd",
        },
    ],
    "replaceable": False,
}

if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/vsme"))
