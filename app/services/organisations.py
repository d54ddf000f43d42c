"""Organisations: register one (KBO number normalised and checked), read it, change its details
and its consent to be named to the federation.

``propose_profile`` proposes a sector profile for a NACE-BEL code (the registration form shows
it). An SME user without an organisation registers its own and is linked to it; admins and the
system register any. ``register_organisation`` refuses a KBO number that is already there.
The registration forms (``sign_up_with_organisation``, ``register_or_claim``) refuse the KBO
number of an organisation with an account of its own (a colleague registered it: ask that
colleague or the admin), and turn that of an organisation a federation imported into a
pending claim (``app.services.claims``): the new account sees none of that organisation's
data until a federation of its sector or an admin approves. ``check_registration_kbo`` tells
the form which of the three before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.kbo import KboError, normalise
from app.services import audit
from app.services.errors import AccessDenied, ConflictError, InvalidInput, NotFound
from app.services.messages import message
from app.services.principal import (
    ADMIN,
    SME,
    Principal,
    can_see_name,
    require_read,
    require_role,
)
from app.store.db import Store
from app.store.models import OrganisationRow, UserRow

EDITABLE = ("name", "nace", "profile", "fte", "municipality", "consent_named")


@dataclass(frozen=True)
class OrganisationView:
    """An organisation as its reader may see it (``name``/``kbo`` None when hidden by S10)."""

    id: int
    kbo: str | None
    name: str | None
    nace: str | None
    profile: str | None
    fte: float | None
    municipality: str | None
    consent_named: bool

    def to_scoring(self):  # noqa: ANN201 - scoring.models.Organisation
        """The ``scoring.models.Organisation`` a passport is built for."""
        from scoring.models import Organisation

        return Organisation(
            name=self.name or "",
            kbo=self.kbo or "",
            fte=self.fte,
            municipality=self.municipality,
            nace=self.nace,
        )


def check_kbo(raw: str) -> str:
    """The normalised KBO number, or ``InvalidInput`` with the reason (Dutch / English)."""
    try:
        return normalise(raw)
    except KboError as error:
        raise InvalidInput(
            message("kbo-number", raw=raw, reason=error.reason),
            field="kbo",
        ) from error


def propose_profile(catalogue: Any, nace_code: str | None) -> str | None:
    """The sector profile proposed for a NACE-BEL code: the profile of the catalogue whose NACE
    codes match ``nace_code`` with the longest prefix (``41.001`` goes to a profile listing
    ``41.001`` before one listing ``41``); None when no profile matches.

    Dots and spaces in the input are ignored (``41.001``, ``41001`` and `` 41 001 `` are the same
    code). Ties go to the profile id first in alphabetical order, so the answer does not depend on
    the order of the catalogue. Only a proposal: the user confirms or changes the sector.
    """
    digits = _nace_digits(nace_code or "")
    if not digits:
        return None
    best: tuple[int, str] | None = None
    for profile_id in sorted(catalogue.profiles):
        for code in catalogue.profiles[profile_id].nace.codes:
            prefix = _nace_digits(code)
            if prefix and digits.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), profile_id)
    return best[1] if best else None


def _nace_digits(code: str) -> str:
    return "".join(code.replace(".", "").split())


def _check_details(store: Store, details: dict) -> dict:
    clean = dict(details)
    if "name" in clean:
        if not isinstance(clean["name"], str) or not clean["name"].strip():
            raise InvalidInput(message("name-is-required"), field="name")
        if len(clean["name"]) > 300:
            raise InvalidInput(message("name-too-long"), "name")
    if clean.get("profile") is not None and clean["profile"] not in store.catalogue.profiles:
        known = ", ".join(sorted(store.catalogue.profiles))
        raise InvalidInput(
            message("unknown-sector-profile", profile_id=clean["profile"], known=known),
            field="profile",
        )
    if clean.get("fte") is not None:
        fte = clean["fte"]
        if isinstance(fte, bool) or not isinstance(fte, int | float) or not 0 <= fte < 1e6:
            raise InvalidInput(message("invalid-fte-value", fte=fte), "fte")
        clean["fte"] = float(fte)
    if clean.get("nace") is not None:
        import re

        if not re.fullmatch(r"\d{2}(\.\d{1,3})?", str(clean["nace"])):
            raise InvalidInput(
                message("invalid-nace-value", nace=clean["nace"]),
                field="nace",
            )
    return clean


def register_organisation(
    store: Store,
    principal: Principal,
    *,
    kbo: str,
    name: str,
    profile: str | None = None,
    nace: str | None = None,
    fte: float | None = None,
    municipality: str | None = None,
    consent_named: bool = False,
) -> OrganisationView:
    """Register an organisation. An SME user without organisation becomes linked to it."""
    if not principal.system and principal.role not in (SME, ADMIN):
        raise AccessDenied(message("only-an-sme-or-an"))
    if principal.role == SME and not principal.system and principal.organisation_id is not None:
        raise AccessDenied(message("your-account-already-has-an"))
    number = check_kbo(kbo)
    details = _check_details(
        store,
        {
            "name": name,
            "profile": profile,
            "nace": nace,
            "fte": fte,
            "municipality": municipality,
            "consent_named": bool(consent_named),
        },
    )
    try:
        with store.write() as session:
            if session.scalar(select(OrganisationRow.id).where(OrganisationRow.kbo == number)):
                raise ConflictError(_already(number))
            row = OrganisationRow(kbo=number, **details)
            session.add(row)
            session.flush()
            if principal.role == SME and principal.user_id is not None:
                user = session.get(UserRow, principal.user_id)
                if user is not None:
                    user.organisation_id = row.id
            audit.record(
                session, principal, "create", "organisation", row.id, new={"kbo": number, **details}
            )
            return _view(row)
    except IntegrityError as error:  # a parallel registration of the same number
        raise ConflictError(_already(number)) from error


@dataclass(frozen=True)
class Registration:
    """What a registration gave: the new organisation, or a pending claim on an existing one."""

    organisation: OrganisationView | None
    claim_id: int | None = None


@dataclass(frozen=True)
class RegistrationKbo:
    """What registering a KBO number would do: ``number`` normalised; ``claim`` where a
    federation imported that organisation (no account of its own), so that the registration
    waits for approval (``app.services.claims``)."""

    number: str
    claim: bool


def _registrable(session, number: str) -> OrganisationRow | None:
    """The organisation a registration of ``number`` would claim (None: a new one); refused
    where it has an account of its own (``claims.refuse_own_account``)."""
    from app.services import claims

    existing = session.scalar(select(OrganisationRow).where(OrganisationRow.kbo == number))
    if existing is not None:
        claims.refuse_own_account(session, existing)
    return existing


def check_registration_kbo(store: Store, raw: str) -> RegistrationKbo:
    """Check a KBO number typed into a registration form, as the registration itself checks
    it: ``InvalidInput`` for an invalid number or one a colleague registered already; else
    whether the registration would become a claim. The form says so before it is sent."""
    number = check_kbo(raw)
    with store.read() as session:
        return RegistrationKbo(number, _registrable(session, number) is not None)


def register_or_claim(store: Store, principal: Principal, **details: Any) -> Registration:
    """An SME user registers its organisation: a new KBO number registers it (and links the
    user); the KBO number of an organisation a federation imported records a pending claim
    instead and links nothing, so the user sees none of that organisation's data until the
    claim is approved; the KBO number of an organisation with an account of its own is
    refused (``InvalidInput`` on ``kbo``)."""
    from app.services import claims

    number = check_kbo(details.get("kbo", ""))
    with store.write() as session:
        existing = _registrable(session, number)
        if existing is not None:
            return Registration(None, claims.claim_organisation(session, principal, existing))
    try:
        return Registration(register_organisation(store, principal, **details))
    except ConflictError:  # registered in parallel just now: claim it like any existing one
        with store.write() as session:
            existing = session.scalar(select(OrganisationRow).where(OrganisationRow.kbo == number))
            return Registration(None, claims.claim_organisation(session, principal, existing))


def _already(number: str) -> str:
    return message("kbo-already-registered", number=number)


def get_organisation(store: Store, principal: Principal, organisation_id: int) -> OrganisationView:
    """An organisation, if the principal may see it. A federation gets a non-consenting
    member with ``name`` and ``kbo`` hidden (None)."""
    with store.read() as session:
        row = session.get(OrganisationRow, organisation_id)
        if row is None:
            if principal.reads_everything:
                raise NotFound(message("no-organisation", organisation_id=organisation_id))
            raise AccessDenied(message("access-denied"))
        require_read(principal, row.id, row.profile)
        return _view(row, named=can_see_name(principal, row.id, row.profile, row.consent_named))


def find_by_kbo(store: Store, principal: Principal, kbo: str) -> OrganisationView | None:
    """The organisation with this KBO number, if any and visible to the principal."""
    number = check_kbo(kbo)
    with store.read() as session:
        row = session.scalar(select(OrganisationRow).where(OrganisationRow.kbo == number))
        if row is None:
            return None
        require_read(principal, row.id, row.profile)
        return _view(row, named=can_see_name(principal, row.id, row.profile, row.consent_named))


def my_organisation(store: Store, principal: Principal) -> OrganisationView | None:
    """The SME user's own organisation (None before it registered one)."""
    if principal.organisation_id is None:
        return None
    return get_organisation(store, principal, principal.organisation_id)


def update_organisation(
    store: Store, principal: Principal, organisation_id: int, **changes: object
) -> OrganisationView:
    """Change details (name, NACE, profile, FTE, municipality, consent): the organisation's own
    SME users and admins; every changed field is audited old -> new."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(message("not-editable", value=sorted(unknown)))
    if not (principal.role == SME and principal.organisation_id == organisation_id):
        require_role(principal, ADMIN)
    clean = _check_details(store, changes)
    with store.write() as session:
        row = session.get(OrganisationRow, organisation_id)
        if row is None:
            raise NotFound(message("no-organisation", organisation_id=organisation_id))
        for key, value in clean.items():
            if getattr(row, key) != value:
                audit.record(
                    session,
                    principal,
                    "update",
                    "organisation",
                    row.id,
                    field=key,
                    old=getattr(row, key),
                    new=value,
                )
                setattr(row, key, value)
        return _view(row)


def _view(row: OrganisationRow, *, named: bool = True) -> OrganisationView:
    return OrganisationView(
        id=row.id,
        kbo=row.kbo if named else None,
        name=row.name if named else None,
        nace=row.nace if named else None,
        profile=row.profile,
        fte=row.fte if named else None,
        municipality=row.municipality if named else None,
        consent_named=row.consent_named,
    )


def sign_up_with_organisation(
    store: Store,
    email: str,
    password: str,
    *,
    password_repeat: str | None = None,
    **details: Any,
) -> tuple[Principal, Registration]:
    """Self-service registration of an SME: the account and its organisation (or, for the KBO
    number of an organisation a federation imported, a pending claim on it) in one
    transaction. The KBO number of an organisation with an account of its own is refused:
    a colleague registered it, and that colleague or the admin gives access.

    Every field is checked before anything is written, so a refused registration leaves no
    account, organisation or claim behind (the form keeps what was typed and can be sent
    again)."""
    from app.services import auth, claims
    from app.services.principal import SYSTEM

    address = auth.normalise_email(email)
    auth._check_password_policy(address, password or "")
    if password_repeat is not None and password_repeat != password:
        raise InvalidInput(
            message("passwords-do-not-match"),
            field="password_repeat",
        )
    number = check_kbo(details.get("kbo", ""))
    clean = _check_details(
        store,
        {
            "name": details.get("name", ""),
            "profile": details.get("profile"),
            "nace": details.get("nace"),
            "fte": details.get("fte"),
            "municipality": details.get("municipality"),
            "consent_named": bool(details.get("consent_named", False)),
        },
    )
    password_hash = auth.hash_password(password)
    try:
        with store.write() as session:
            existing = _registrable(session, number)  # before anything is written
            if session.scalar(select(UserRow.id).where(UserRow.email == address)) is not None:
                raise ConflictError(message("an-account-for-exists", email=address))
            user = UserRow(email=address, role=SME, password_hash=password_hash, sectors="[]")
            session.add(user)
            session.flush()
            audit.record(
                session, SYSTEM, "create", "user", user.id, new={"email": address, "role": SME}
            )
            principal = Principal.from_row(user)
            if existing is not None:
                claim = claims.claim_organisation(session, principal, existing)
                return principal, Registration(None, claim)
            row = OrganisationRow(kbo=number, **clean)
            session.add(row)
            session.flush()
            user.organisation_id = row.id
            audit.record(
                session, principal, "create", "organisation", row.id, new={"kbo": number, **clean}
            )
            return Principal.from_row(user), Registration(_view(row))
    except IntegrityError as error:  # a parallel registration of the same e-mail or number
        raise ConflictError(message("registration-clashed-try-again")) from error
