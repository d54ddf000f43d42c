"""Demo data (``mvo demo``): the demo accounts and a synthetic, deterministic population.

Accounts (password ``demo``, refused when ``MVO_ENV=production``):
``kmo@demo.be`` (an SME in the ``bouw`` sector with a submitted assessment last year and a
partly filled draft this year, and a submitted Start-to-MVO scan of last year),
``federatie@demo.be`` (the federation of ``bouw`` and ``voeding``), ``departement@demo.be``
(the department) and ``admin@demo.be`` (admin).

Population: ``ORGANISATIONS_PER_SECTOR`` organisations per sector profile, spread over the EU
size classes, each with its assessments of every framework of its profile for last year and
this year; mostly submitted (with score snapshots), some drafts, some not started. Answers
follow a latent maturity per organisation that rises with size, differs per sector, improves a
little from one year to the next, and is noisy per question; numbers (energy, emissions,
injuries, hours, percentages) scale with the organisation's FTE and sector. Every
organisation with a submitted passport also has a VSME report of both years
(``app.services.demo_vsme``: B3 through the calculator; ``kmo@demo.be``'s current one has the
whole Basic module). A seeded random generator makes the population the same on every run.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select

from app.kbo import make_number
from app.services import audit, auth, catalogue, demo_vsme, statistics, submission
from app.services.answers import validate_answer
from app.services.errors import InvalidInput, ServiceError
from app.services.messages import message
from app.services.principal import SYSTEM
from app.services.values import encode_value
from app.store import bulk
from app.store.db import Store
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, UserRow, utcnow
from frameworks.models import NA

SEED = 20240901
ORGANISATIONS_PER_SECTOR = 52
#: Organisations written per transaction by a large ``mvo demo --organisations N``.
BATCH = 2_000
DEMO_SME = "kmo@demo.be"
DEMO_FEDERATION = "federatie@demo.be"
DEMO_DEPARTMENT = "departement@demo.be"
DEMO_ADMIN = "admin@demo.be"
DEMO_SME_KBO = make_number(7_654_321)
DEMO_SME_NAME = "Bouwonderneming Verbeke & Zonen"
DEMO_SME_LEGAL_FORM = "NV"
DEMO_FEDERATION_SECTORS = ["bouw", "voeding"]
START_TO_MVO = "start_to_mvo"

SURNAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Vermeulen",
    "Van den Broeck",
    "De Backer",
    "Hermans",
    "Michiels",
    "Van Damme",
    "Aerts",
    "Lemmens",
    "Verstraete",
    "De Clercq",
    "Desmet",
    "Dewitte",
    "Coppens",
    "Verhoeven",
    "Van Dyck",
    "Martens",
    "Smets",
    "Pauwels",
    "Segers",
    "Declercq",
    "Vandenberghe",
    "Bogaert",
    "D'Hondt",
    "Cools",
    "Vercammen",
    "Van Hoof",
    "Stevens",
]
SECTOR_WORDS = {
    "bouw": [
        "Bouwwerken",
        "Dakwerken",
        "Renovatie",
        "Aannemingen",
        "Schrijnwerkerij",
        "Grondwerken",
        "Elektrotechniek",
        "Sanitair",
    ],
    "voeding": [
        "Bakkerij",
        "Slagerij",
        "Brouwerij",
        "Zuivelhoeve",
        "Conserven",
        "Chocolaterie",
        "Groentenverwerking",
        "Traiteur",
    ],
    "transport_logistiek": [
        "Transport",
        "Logistics",
        "Koeriers",
        "Expeditie",
        "Distributie",
        "Containervervoer",
    ],
    "ict": ["Software", "IT Solutions", "Digital", "Data Services", "Webbureau", "Cloud"],
    "retail": [
        "Mode",
        "Tuincentrum",
        "Fietsen",
        "Boekhandel",
        "Interieur",
        "Doe-het-zelf",
        "Optiek",
    ],
    "sociale_economie": [
        "Maatwerkbedrijf",
        "Kringloopcentrum",
        "Sociale werkplaats",
        "Groendienst",
        "Arbeidszorg",
        "Wasserij",
    ],
}
LEGAL_FORMS = ["NV", "BV", "BV", "BV", "CV", "VOF"]
MUNICIPALITIES = [
    "Antwerpen",
    "Gent",
    "Brugge",
    "Leuven",
    "Mechelen",
    "Aalst",
    "Kortrijk",
    "Hasselt",
    "Sint-Niklaas",
    "Oostende",
    "Genk",
    "Roeselare",
    "Turnhout",
    "Lier",
    "Geel",
    "Dendermonde",
    "Vilvoorde",
    "Waregem",
    "Lokeren",
    "Beveren-Kruibeke-Zwijndrecht",
    "Tienen",
    "Herentals",
    "Ieper",
    "Diest",
    "Tongeren",
    "Lommel",
    "Mol",
    "Ninove",
    "Zottegem",
    "Eeklo",
    "Tielt",
    "Torhout",
    "Izegem",
    "Maasmechelen",
    "Bilzen-Hoeselt",
    "Halle",
    "Asse",
]
#: Mean latent maturity per size class, the sector's offset, and MWh per FTE.
SIZE_MATURITY = {"micro": 0.33, "small": 0.43, "medium": 0.54, "large": 0.64}
SECTOR_OFFSET = {
    "bouw": -0.03,
    "voeding": 0.0,
    "transport_logistiek": -0.05,
    "ict": 0.04,
    "retail": -0.02,
    "sociale_economie": 0.05,
}
ENERGY_PER_FTE = {
    "bouw": 14.0,
    "voeding": 38.0,
    "transport_logistiek": 55.0,
    "ict": 4.5,
    "retail": 11.0,
    "sociale_economie": 7.0,
}
SIZE_SHARES = [("micro", 0.38), ("small", 0.36), ("medium", 0.20), ("large", 0.06)]
FTE_RANGE = {"micro": (1, 9.5), "small": (10, 49), "medium": (50, 249), "large": (250, 900)}
TEXTS = [
    "We volgen dit op in ons jaarlijks actieplan.",
    "Besproken op het directieoverleg; verbeterpunten genoteerd.",
    "Samen met de sectorfederatie uitgewerkt.",
    "Nog in opbouw, eerste stappen gezet.",
]


@dataclass
class DemoSummary:
    """What ``seed_demo`` created (or that it did nothing because data exists)."""

    skipped: bool = False
    organisations: int = 0
    assessments: int = 0
    submitted: int = 0
    answers: int = 0
    users: list[str] = field(default_factory=list)
    years: tuple[int, int] = (0, 0)


@dataclass
class _Org:
    kbo: str
    name: str
    profile: str
    nace: str
    fte: float
    municipality: str
    consent: bool
    maturity: float
    id: int = 0


def refuse_in_production() -> None:
    if auth.production():
        raise ServiceError(message("demo-data-and-demo-accounts"))


def is_empty(store: Store) -> bool:
    """Whether the database has no organisations and no users yet."""
    with store.read() as session:
        organisations = session.scalar(select(func.count()).select_from(OrganisationRow))
        users = session.scalar(select(func.count()).select_from(UserRow))
    return not organisations and not users


def seed_demo(
    store: Store,
    *,
    if_empty: bool = False,
    per_sector: int = ORGANISATIONS_PER_SECTOR,
    current_year: int | None = None,
    seed: int = SEED,
    organisations: int | None = None,
) -> DemoSummary:
    """Create the demo accounts and population (see module docstring). With ``if_empty`` it
    does nothing when the database already has organisations or users (``make run``).
    ``organisations`` (``mvo demo --organisations N``) spreads about N organisations over the
    sectors instead of ``per_sector`` each; a population above ``BATCH`` organisations is
    written ``BATCH`` at a time (bulk inserts, ``submission.freeze`` per batch) with the
    benchmark figures computed once at the end."""
    refuse_in_production()
    if if_empty and not is_empty(store):
        return DemoSummary(skipped=True)
    with store.read() as session:
        if session.scalar(select(UserRow.id).where(UserRow.email.like("%@demo.be"))):
            raise InvalidInput(
                message("the-demo-accounts-exist-already"),
            )
    cat = store.catalogue
    profiles = [p for p in sorted(cat.profiles) if p in SECTOR_WORDS] or sorted(cat.profiles)
    if not profiles:
        raise InvalidInput(message("no-sector-profiles-loaded"))
    year = current_year or date.today().year
    years = (year - 1, year)
    rng = random.Random(seed)
    if organisations is not None:
        if organisations < 1:
            raise InvalidInput(message("demo-organisations-at-least-one"), field="organisations")
        per_sector = max(1, math.ceil((organisations - 1) / len(profiles)))
    orgs = _population(rng, cat, profiles, per_sector)
    demo_profile = "bouw" if "bouw" in cat.profiles else profiles[0]
    sme = _Org(
        DEMO_SME_KBO,
        DEMO_SME_NAME,
        demo_profile,
        _nace(rng, cat, demo_profile),
        23.0,
        "Roeselare",
        True,
        0.47,
    )
    orgs.insert(0, sme)
    summary = DemoSummary(organisations=len(orgs), years=years)
    now = utcnow()
    batches = list(_chunks(orgs, BATCH))
    changes: set = set()
    for number, batch in enumerate(batches):
        with store.write() as session:
            _seed_batch(
                store, session, rng, cat, batch, years, now, summary, changes, number == 0, seed
            )
            if number == len(batches) - 1:
                if len(batches) > 1:  # the figures of every batch, once
                    statistics.refresh(store, session, changes)
                audit.record(
                    session,
                    SYSTEM,
                    "demo",
                    "database",
                    None,
                    new={"organisations": len(orgs), "assessments": summary.assessments},
                )
    federation_sectors = [s for s in DEMO_FEDERATION_SECTORS if s in cat.profiles] or profiles[:1]
    auth.create_user(store, SYSTEM, DEMO_SME, "sme", password="demo", organisation_kbo=sme.kbo)
    auth.create_user(
        store, SYSTEM, DEMO_FEDERATION, "federation", password="demo", sectors=federation_sectors
    )
    auth.create_user(store, SYSTEM, DEMO_DEPARTMENT, "department", password="demo")
    auth.create_user(store, SYSTEM, DEMO_ADMIN, "admin", password="demo")
    summary.users = [DEMO_SME, DEMO_FEDERATION, DEMO_DEPARTMENT, DEMO_ADMIN]
    return summary


def _seed_batch(store, session, rng, cat, orgs, years, now, summary, changes, first, seed) -> None:
    """Insert one batch of organisations with their assessments and answers, and freeze the
    submitted ones (figures refreshed here only when the whole population is one batch)."""
    for org, org_id in zip(orgs, _insert_organisations(session, orgs, now), strict=True):
        org.id = org_id
    assessments, answers, to_submit = _assessments(rng, cat, orgs, years, now, first=first)
    if "vsme" in cat.frameworks:
        _vsme_assessments(cat, orgs, years, now, seed, (assessments, answers, to_submit))
    if first and START_TO_MVO in cat.frameworks:
        _scan_assessment(cat, orgs[0], years[0], now, seed, (assessments, answers, to_submit))
    ids = []
    for chunk in _chunks(assessments, 500):
        ids += [
            r[0]
            for r in session.execute(
                insert(AssessmentRow).returning(AssessmentRow.id, sort_by_parameter_order=True),
                chunk,
            )
        ]
    written = bulk.insert_tuples(
        session.connection(),
        AnswerRow.__table__,
        ANSWER_COLUMNS,
        ((ids[index], *row) for index, row in answers),
    )
    # Submitted the way an SME submits: frozen from the stored answers.
    whole = len(orgs) == summary.organisations
    frozen = submission.freeze(
        store,
        session,
        [ids[index] for index in to_submit],
        principal=SYSTEM,
        now=now,
        refresh_statistics=whole,
    )
    changes.update((a["profile"], a["framework"], a["year"]) for a in assessments)
    summary.assessments += len(assessments)
    summary.submitted += sum(f.submitted for f in frozen)
    summary.answers += written


def _chunks(items: list[Any], size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _nace(rng: random.Random, cat: Any, profile: str) -> str:
    codes = cat.profiles[profile].nace.codes
    code = rng.choice(codes)
    if "." not in code:
        code = f"{code}.{rng.choice(['1', '2', '9'])}{rng.choice(['1', '2'])}0"
    return code


def _population(rng: random.Random, cat: Any, profiles: list[str], per_sector: int) -> list[_Org]:
    orgs: list[_Org] = []
    used_kbo: set[str] = {DEMO_SME_KBO}
    used_names: set[str] = {DEMO_SME_NAME}
    for profile in profiles:
        words = SECTOR_WORDS.get(profile, ["Onderneming"])
        for _ in range(per_sector):
            klass = rng.choices([s for s, _ in SIZE_SHARES], [w for _, w in SIZE_SHARES])[0]
            low, high = FTE_RANGE[klass]
            fte = round(math.exp(rng.uniform(math.log(low), math.log(high))), 1)
            while True:
                kbo = make_number(
                    rng.randint(2_000_000, 8_999_999)
                    if rng.random() < 0.93
                    else rng.randint(10_000_000, 10_400_000)
                )
                if kbo not in used_kbo:
                    used_kbo.add(kbo)
                    break
            for attempt in range(1_000_000):
                form = (
                    "VZW"
                    if profile == "sociale_economie" and rng.random() < 0.5
                    else (rng.choice(LEGAL_FORMS))
                )
                name = f"{rng.choice(words)} {rng.choice(SURNAMES)} {form}"
                if rng.random() < 0.3:
                    name = f"{rng.choice(SURNAMES)} {rng.choice(words)} {form}"
                if attempt >= 20:  # a large population runs out of combinations: a branch
                    name = f"{name} {rng.choice(MUNICIPALITIES)} {attempt}"
                if name not in used_names:
                    used_names.add(name)
                    break
            maturity = SIZE_MATURITY[klass] + SECTOR_OFFSET.get(profile, 0.0) + rng.gauss(0, 0.13)
            orgs.append(
                _Org(
                    kbo=kbo,
                    name=name,
                    profile=profile,
                    nace=_nace(rng, cat, profile),
                    fte=fte,
                    municipality=rng.choice(MUNICIPALITIES),
                    consent=rng.random() < 0.6,
                    maturity=min(0.95, max(0.05, maturity)),
                )
            )
    return orgs


def _insert_organisations(session, orgs: list[_Org], now) -> list[int]:
    rows = [
        {
            "kbo": o.kbo,
            "name": o.name,
            "nace": o.nace,
            "profile": o.profile,
            "fte": o.fte,
            "municipality": o.municipality,
            "consent_named": o.consent,
            "created_at": now,
        }
        for o in orgs
    ]
    ids: list[int] = []
    for chunk in _chunks(rows, 500):
        ids += [
            r[0]
            for r in session.execute(
                insert(OrganisationRow).returning(OrganisationRow.id, sort_by_parameter_order=True),
                chunk,
            )
        ]
    return ids


def _assessments(
    rng: random.Random,
    cat: Any,
    orgs: list[_Org],
    years: tuple[int, int],
    now,
    *,
    first: bool = True,
):
    """(assessment rows as drafts, (index, answer row) pairs (``_answer_row``), indexes of the
    assessments to submit); ``submission.freeze`` submits those from their stored answers."""
    assessments: list[dict] = []
    answers: list[tuple[int, tuple]] = []
    to_submit: list[int] = []
    for position, org in enumerate(orgs):
        profile = cat.profiles[org.profile]
        demo_sme = first and position == 0
        for year in years:
            current = year == years[1]
            if demo_sme:
                status = "draft" if current else "submitted"
            else:
                roll = rng.random()
                if current:
                    status = "submitted" if roll < 0.68 else ("draft" if roll < 0.88 else None)
                else:
                    status = "submitted" if roll < 0.9 else ("draft" if roll < 0.95 else None)
            if status is None:
                continue
            maturity = min(0.97, org.maturity + (0.04 if current else 0.0) + rng.gauss(0, 0.02))
            for included in profile.frameworks:
                if demo_sme and current and included is not profile.frameworks[0]:
                    continue
                base = cat.frameworks.get(included.id)
                if base is None:
                    continue
                questions = catalogue.questionnaire(cat, included.id, org.profile)
                fill = 0.45 if (demo_sme and current) else (1.0 if status == "submitted" else 0.6)
                values = _answers(
                    rng, questions, org, maturity, fill, complete=status == "submitted"
                )
                index = len(assessments)
                assessments.append(
                    {
                        "organisation_id": org.id,
                        "framework": base.id,
                        "framework_version": base.version,
                        "profile": org.profile,
                        "profile_version": profile.version,
                        "year": year,
                        "status": "draft",
                        "version": 1 + len(values),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if status == "submitted":
                    to_submit.append(index)
                for qid, value in values.items():
                    answers.append((index, _answer_row(qid, value, now, None)))
    return assessments, answers, to_submit


def _vsme_assessments(cat: Any, orgs: list[_Org], years: tuple[int, int], now, seed: int, into):
    """Append a VSME report (framework ``vsme``, no sector profile, as an SME starts it) of
    both years for every organisation with a submitted passport (``demo_vsme``): submitted
    where that year's passport is, a draft otherwise; the demo SME's current one is a draft
    with the whole Basic module answered. A current answer equal to last year's has last
    year as its source, as the roll-forward of ``app.services.carry_over`` leaves it."""
    assessments, answers, to_submit = into
    submitted = {(assessments[i]["organisation_id"], assessments[i]["year"]) for i in to_submit}
    base = cat.frameworks["vsme"]
    for position, org in enumerate(orgs):
        if not any((org.id, year) in submitted for year in years):
            continue
        previous: dict[str, Any] = {}
        for year_index, year in enumerate(years):
            demo_sme = position == 0
            values = demo_vsme.answers_for(
                cat,
                org,
                year_index,
                seed,
                complete=demo_sme,
                legal_form=DEMO_SME_LEGAL_FORM if demo_sme else None,
            )
            index = len(assessments)
            assessments.append(_profileless_row(org, base, year, len(values), now))
            if (org.id, year) in submitted and not (demo_sme and year == years[1]):
                to_submit.append(index)
            for qid, value in values.items():
                # this year's value equal to last year's was carried over (roll-forward)
                carried = year_index == 1 and previous.get(qid, None) == value
                source = f"last_year:{years[0]}" if carried else None
                answers.append((index, _answer_row(qid, value, now, source)))
            previous = values


def _profileless_row(org: _Org, base: Any, year: int, answered: int, now) -> dict[str, Any]:
    """An assessment row without a sector profile (a VSME report, a Start-to-MVO scan), as an
    SME starts it: a draft whose revision counts its answers."""
    return {
        "organisation_id": org.id,
        "framework": base.id,
        "framework_version": base.version,
        "profile": None,
        "profile_version": None,
        "year": year,
        "status": "draft",
        "version": 1 + answered,
        "created_at": now,
        "updated_at": now,
    }


#: The columns of an answer row as ``_seed_batch`` inserts it (``bulk.insert_tuples``).
ANSWER_COLUMNS = (
    "assessment_id",
    "question_id",
    "value",
    "na",
    "note",
    "version",
    "updated_at",
    "updated_by",
    "source",
)


def _answer_row(qid: str, value: Any, now, source: str | None) -> tuple:
    """An answer row without its assessment id (``ANSWER_COLUMNS[1:]``): the value stored as
    every service stores it (``values.encode_value``), revision 1, nobody's edit."""
    text, na = encode_value(value)
    return (qid, text, na, None, 1, now, None, source)


def _scan_assessment(cat: Any, org: _Org, year: int, now, seed: int, into) -> None:
    """Append the demo SME's submitted Start-to-MVO scan of ``year`` (no sector profile, as an
    SME starts it), answered from its own generator so that the population stays the same."""
    assessments, answers, to_submit = into
    base = cat.frameworks[START_TO_MVO]
    questions = catalogue.questionnaire(cat, START_TO_MVO, None)
    rng = random.Random(seed + year)
    values = _answers(rng, questions, org, org.maturity, 1.0, complete=True)
    to_submit.append(len(assessments))
    assessments.append(_profileless_row(org, base, year, len(values), now))
    for qid, value in values.items():
        answers.append((len(assessments) - 1, _answer_row(qid, value, now, None)))


def _answers(
    rng: random.Random, framework: Any, org: _Org, maturity: float, fill: float, *, complete: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for qid, question in framework.questions.items():
        if not question.required and rng.random() > fill * (0.97 if complete else 1.0):
            continue
        if question.allow_na and not question.required and rng.random() < 0.05:
            values[qid] = NA
            continue
        value = _value(rng, question, org, maturity)
        if value is None:
            continue
        try:
            values[qid] = validate_answer(question, value)
        except InvalidInput:
            continue
    return values


def _value(rng: random.Random, question: Any, org: _Org, m: float) -> Any:
    # The question's class draws the answer; numbers and texts depend on the organisation.
    return question.sample_answer(
        rng,
        m,
        number=lambda: _number(rng, question, org, m),
        text=lambda: rng.choice(TEXTS) if rng.random() < 0.4 else None,
    )


def _number(rng: random.Random, question: Any, org: _Org, m: float) -> float:
    qid, unit, fte = question.id, question.unit.lower(), org.fte
    energy = fte * ENERGY_PER_FTE.get(org.profile, 10.0) * (1.25 - 0.5 * m) * rng.uniform(0.8, 1.2)
    noise = rng.uniform(0.85, 1.15)
    if "%" in unit:
        return 100 * m + rng.gauss(0, 15)
    if "employees" in qid:
        return fte * 1.15 * noise
    if qid.endswith("_fte"):
        return fte
    if "hours_worked" in qid:
        return fte * 1580 * noise
    if "training_hours" in qid:
        return fte * (6 + 26 * m) * noise
    if "frequency_rate" in qid:
        return max(0.0, rng.gauss(30 * (1.3 - m), 8))
    if "injuries" in qid:
        return rng.random() * fte * 0.05 * (1.4 - m)
    if any(
        k in qid
        for k in ("fatalities", "incidents", "fines_count", "disease", "complaints", "sensitive")
    ):
        return 1 if rng.random() < 0.04 * (1.2 - m) else 0
    if "scope1" in qid:
        return energy * 0.19
    if "scope2" in qid:
        return energy * 0.12 * (1 - m)
    if "scope3" in qid:
        return energy * 0.9 * noise
    if "electricity" in qid:
        return energy * 0.35
    if "energy_savings" in qid:
        return energy * 0.08 * m
    if "energy" in qid and "mwh" in unit:
        return energy
    if "water" in qid:
        return fte * (280 if org.profile == "voeding" else 18) * noise
    if "waste" in qid:
        return fte * {"bouw": 7.5, "voeding": 2.8}.get(org.profile, 0.4) * noise
    if "materials" in qid:
        return fte * 12 * noise
    if unit == "tkm":  # activity figures of the sector KPIs (per tonne-km, per tonne)
        return fte * 200_000 * noise
    if "product_tonnes" in qid:
        return fte * 90 * noise
    if unit == "eur":
        return fte * rng.uniform(1_000, 160_000) * (0.05 if "fines" in qid else 1)
    if "fuel" in qid:
        return rng.uniform(24, 34) * (1.1 - 0.2 * m)
    if "ratio" in unit or "ratio" in qid:
        return rng.uniform(2.0, 6.0)
    if "kwh/m2" in unit:
        return rng.uniform(120, 420) * (1.2 - 0.4 * m)
    if "sites" in qid:
        return 1 + int(fte / 60)
    if unit in ("count", "fte"):
        return fte * rng.uniform(0.02, 0.3)
    thresholds = [t.gte for t in question.thresholds]
    if thresholds:
        return max(thresholds) * (0.5 + m) * noise
    return fte * noise
