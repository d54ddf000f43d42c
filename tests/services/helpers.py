"""Small builders for service tests: an organisation with its SME user, other principals."""

from __future__ import annotations

from app.kbo import make_number
from app.services import auth, organisations
from app.services.principal import SYSTEM, Principal

PROFILE = "example_sector"


def organisation(store, n: int = 1, *, consent: bool = False, fte: float = 12.0, profile=PROFILE):
    """A registered organisation (KBO number derived from ``n``) and its SME principal."""
    org = organisations.register_organisation(
        store,
        SYSTEM,
        kbo=make_number(4000000 + n),
        name=f"Organisatie {n}",
        profile=profile,
        fte=fte,
        consent_named=consent,
    )
    user = auth.create_user(store, SYSTEM, f"kmo{n}@example.be", "sme", organisation_kbo=org.kbo)
    return org, auth.get_principal(store, user.id)


def principal(store, role: str, email: str, sectors=()) -> Principal:
    user = auth.create_user(store, SYSTEM, email, role, sectors=list(sectors))
    return auth.get_principal(store, user.id)
