"""Accounts: local sign-in with argon2 hashes and a lock after repeated failures, the mapping of
an OpenID Connect identity (``st.login``) to a user, and user management for admins.

Signed-in browser sessions live in the database too (``sessions``): ``create_session`` gives a
random token (only its sha256 is stored), ``resolve_session`` turns it back into the user's
``Principal`` on any replica, ``revoke_session`` signs out. Deactivating a user or setting a new
password revokes all of that user's sessions. A session expires after ``SESSION_IDLE`` without
use (sliding) and at the latest ``SESSION_MAX_AGE`` after sign-in. The token reaches the browser
only as the HttpOnly cookie of ``app.web``: the sign-in form gets a single-use ticket bound to
the browser's pre-session cookie (``issue_signin_ticket``), which the ``/session/signin`` route
exchanges for a session (``redeem_signin_ticket``).

Failed attempts are counted in the database (``users.failed_logins``, ``locked_until``), so the
limit holds across app replicas and parallel attempts: each attempt reserves its password check
atomically before verifying (``_reserve_attempt``), and the ``MAX_FAILURES``-th attempt in a row
locks the account for ``LOCK_MINUTES``. An OIDC identity counts only with ``email_verified``
true (missing is false). Demo accounts (password ``demo``) are refused in production
(``MVO_ENV=production``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import and_, case, delete, or_, select, update

from app.kbo import normalise
from app.services import audit
from app.services.errors import (
    AccessDenied,
    AccountLocked,
    AuthenticationFailed,
    ConflictError,
    InvalidInput,
    NotFound,
)
from app.services.messages import message
from app.services.principal import ADMIN, FEDERATION, ROLES, SME, Principal, require_role
from app.store.db import Store
from app.store.models import OrganisationRow, SessionRow, SignInTicketRow, UserRow, utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
DEMO_PASSWORD = "demo"
DEMO_DOMAIN = "@demo.be"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: A session ends after this long without use (each use moves the end forward) ...
SESSION_IDLE = timedelta(hours=12)
#: ... and at the latest this long after sign-in.
SESSION_MAX_AGE = timedelta(days=7)
#: ``last_seen_at`` is written at most this often (not on every click).
SESSION_TOUCH = timedelta(minutes=1)
#: A sign-in ticket must be exchanged for the session cookie within this time.
TICKET_TTL = timedelta(minutes=2)
#: Interface languages a user can keep in the profile.
LANGUAGES = ("nl", "en")
_MAX_TOKEN = 128

#: argon2id parameters for new hashes: OWASP's recommendation (m=19 MiB, t=2, p=1). The
#: library's defaults (64 MiB, t=3, p=4) took 0.5-0.7 s of server CPU per sign-in and blocked
#: the server when many SMEs sign in at once (a deadline day). Hashes made with other
#: parameters still verify and are re-hashed with these at their next sign-in.
HASH_TIME_COST = 2
HASH_MEMORY_KIB = 19 * 1024
HASH_PARALLELISM = 1


def default_hasher() -> PasswordHasher:
    """The hasher of new passwords (``HASH_*`` parameters, argon2id)."""
    return PasswordHasher(
        time_cost=HASH_TIME_COST, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_PARALLELISM
    )


_hasher = default_hasher()
_dummy_hashes: dict[tuple, str] = {}


def use_hasher(hasher: PasswordHasher) -> None:
    """Use other argon2 parameters (tests use cheap ones; existing hashes keep verifying and
    are re-hashed with the new parameters at the next sign-in)."""
    global _hasher
    _hasher = hasher


def _dummy_hash() -> str:
    """Verifying against this keeps the time of "unknown e-mail" equal to "wrong password"."""
    # Keyed by the hasher's parameters (not its identity): equal hashers share one dummy hash.
    key = (
        _hasher.time_cost,
        _hasher.memory_cost,
        _hasher.parallelism,
        _hasher.hash_len,
        _hasher.salt_len,
        _hasher.type,
    )
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash("not-a-password")
    return _dummy_hashes[key]


def production() -> bool:
    """Whether the settings are production settings (``MVO_ENV=production``)."""
    return os.environ.get("MVO_ENV", "").strip().lower() in ("production", "prod")


@dataclass(frozen=True)
class UserView:
    """A user as shown to admins (never the hash)."""

    id: int
    email: str
    role: str
    organisation_id: int | None
    organisation_kbo: str | None
    sectors: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def normalise_email(email: str) -> str:
    value = (email or "").strip().lower()
    if not EMAIL.match(value):
        raise InvalidInput(
            message("invalid-e-mail-address", email=email),
            field="email",
        )
    return value


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_policy(email: str, password: str) -> None:
    if password == DEMO_PASSWORD and email.endswith(DEMO_DOMAIN) and not production():
        return  # demo accounts only, never in production
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            message("password-too-short", minimum=MIN_PASSWORD),
            field="password",
        )


def create_user(
    store: Store,
    principal: Principal,
    email: str,
    role: str,
    *,
    password: str | None = None,
    organisation_kbo: str | None = None,
    sectors: list[str] | tuple[str, ...] = (),
) -> UserView:
    """Create an account (admins and the system only). An SME user belongs to one
    organisation (``organisation_kbo``, which must be registered); a federation user to one or
    more sector profiles. ``password`` None makes an OIDC-only account."""
    require_role(principal, ADMIN)
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidInput(
            message("unknown-role", role=role, value=", ".join(ROLES)),
            field="role",
        )
    if password is not None:
        _check_password_policy(email, password)
    sectors = list(dict.fromkeys(sectors))
    if role == FEDERATION:
        if not sectors:
            raise InvalidInput(
                message("a-federation-account-needs-at"),
                field="sectors",
            )
        unknown = [s for s in sectors if s not in store.catalogue.profiles]
        if unknown:
            known = ", ".join(sorted(store.catalogue.profiles))
            raise InvalidInput(
                message("unknown-sector-profile-s-known", unknown=unknown, known=known),
                field="sectors",
            )
    elif sectors:
        raise InvalidInput(
            message("only-federation-accounts-have-sectors"),
            field="sectors",
        )
    if organisation_kbo is not None and role != SME:
        raise InvalidInput(
            message("only-sme-accounts-belong-to"),
            field="organisation",
        )
    password_hash = hash_password(password) if password is not None else None
    with store.write() as session:
        if session.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
            raise ConflictError(message("an-account-for-exists", email=email))
        organisation_id = None
        if organisation_kbo is not None:
            from app.services.organisations import check_kbo

            kbo = check_kbo(organisation_kbo)
            organisation_id = session.scalar(
                select(OrganisationRow.id).where(OrganisationRow.kbo == kbo)
            )
            if organisation_id is None:
                raise NotFound(message("no-organisation-with-kbo-number", kbo=kbo))
        row = UserRow(
            email=email,
            role=role,
            password_hash=password_hash,
            organisation_id=organisation_id,
            sectors=json.dumps(sectors),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            principal,
            "create",
            "user",
            row.id,
            new={
                "email": email,
                "role": role,
                "organisation_id": organisation_id,
                "sectors": sectors,
            },
        )
        return _view(row, organisation_kbo and normalise(organisation_kbo))


def sign_up(store: Store, email: str, password: str) -> Principal:
    """Self-service registration of an SME account (its organisation is registered next)."""
    from app.services.principal import SYSTEM

    create_user(store, SYSTEM, email, SME, password=password)
    return authenticate(store, email, password)


def authenticate(store: Store, email: str, password: str) -> Principal:
    """The principal for a correct e-mail and password; ``AuthenticationFailed`` otherwise,
    ``AccountLocked`` after ``MAX_FAILURES`` failures in a row (for ``LOCK_MINUTES``).

    The limit holds under parallel attempts (threads, replicas): each attempt first *reserves*
    its check in one atomic statement (``_reserve_attempt``), which refuses when the account is
    locked and locks it when this is the ``MAX_FAILURES``-th attempt in a row, and only then
    verifies the hash. So at most ``MAX_FAILURES`` passwords are ever checked before the lock;
    a correct password clears the count (and a lock its own attempt set)."""
    wrong = AuthenticationFailed(message("wrong-email-or-password"))
    try:
        email = normalise_email(email)
    except InvalidInput:
        raise wrong from None
    now = utcnow()
    with store.read() as session:
        row = session.scalar(select(UserRow).where(UserRow.email == email))
    if row is None or not row.active or row.password_hash is None:
        _verify(_dummy_hash(), password)
        raise wrong
    attempt = _reserve_attempt(store, row.id, now)
    if attempt is None:
        with store.read() as session:
            until = session.scalar(select(UserRow.locked_until).where(UserRow.id == row.id))
        raise _locked(until or now + timedelta(minutes=LOCK_MINUTES))
    count, locked_until = attempt
    if password == DEMO_PASSWORD and production() and _verify(row.password_hash, password):
        raise AuthenticationFailed(message("demo-accounts-are-disabled-in"))
    if not _verify(row.password_hash, password):
        if locked_until is not None:
            with store.write() as session:
                audit.record(
                    session,
                    Principal(row.id, email, row.role),
                    "lock",
                    "user",
                    row.id,
                    new={"locked_until": locked_until.isoformat(), "failures": count},
                )
            raise _locked(locked_until)
        raise wrong
    # A hash made with other parameters (older, costlier ones) is replaced by one with the
    # current parameters, computed before the write (no hashing inside the transaction) and
    # written only where the stored hash is still the one just verified (a password set
    # meanwhile is kept).
    rehashed = hash_password(password) if _hasher.check_needs_rehash(row.password_hash) else None
    with store.write() as session:
        session.execute(
            update(UserRow)
            .where(UserRow.id == row.id)
            .values(failed_logins=0, locked_until=None, last_login_at=now)
        )
        if rehashed is not None:
            session.execute(
                update(UserRow)
                .where(UserRow.id == row.id, UserRow.password_hash == row.password_hash)
                .values(password_hash=rehashed)
            )
    return Principal.from_row(row)


def _reserve_attempt(
    store: Store, user_id: int, now: datetime
) -> tuple[int, datetime | None] | None:
    """Count one password check before it is made: None while the account is locked, else
    (attempts in a row including this one, the lock this attempt set or None).

    One ``UPDATE ... WHERE not locked ... RETURNING``: the database serialises parallel
    attempts on the row (PostgreSQL's row lock, SQLite's write lock), so no two attempts read
    the same count. An expired lock starts a new count."""
    lock_expired = UserRow.locked_until.is_not(None)
    count = case((lock_expired, 1), else_=UserRow.failed_logins + 1)
    until = now + timedelta(minutes=LOCK_MINUTES)
    with store.write() as session:
        found = session.execute(
            update(UserRow)
            .where(
                UserRow.id == user_id,
                or_(UserRow.locked_until.is_(None), UserRow.locked_until <= now),
            )
            .values(
                failed_logins=count,
                locked_until=case((count >= MAX_FAILURES, until), else_=None),
            )
            .returning(UserRow.failed_logins, UserRow.locked_until)
        ).one_or_none()
    return None if found is None else (found[0], found[1])


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _locked(until: datetime) -> AccountLocked:
    return AccountLocked(
        message("account-locked", until=until),
        until,
    )


def user_for_identity(
    store: Store, email: str | None, *, email_verified: object = None
) -> Principal:
    """Map an OpenID Connect identity (``st.user`` after ``st.login``) to a user by e-mail.

    Only an address the identity provider says it verified counts: ``email_verified`` must be
    ``True`` (or the text "true" some providers send); a missing claim is *not verified*. An
    unknown or unverified address, or a deactivated account, gets ``AccessDenied`` (accounts
    are created by an admin, not by the first sign-in).
    """
    if not email or not email_is_verified(email_verified):
        raise AccessDenied(message("your-identity-has-no-verified"))
    try:
        email = normalise_email(email)
    except InvalidInput as error:
        raise AccessDenied(error.message) from None
    with store.read() as session:
        row = session.scalar(select(UserRow).where(UserRow.email == email))
    if row is None or not row.active:
        raise AccessDenied(message("no-active-account-for-ask", email=email))
    with store.write() as session:
        session.execute(update(UserRow).where(UserRow.id == row.id).values(last_login_at=utcnow()))
    return Principal.from_row(row)


def email_is_verified(claim: object) -> bool:
    """Whether an OIDC ``email_verified`` claim says yes; missing or anything else is no."""
    if isinstance(claim, bool):
        return claim
    return isinstance(claim, str) and claim.strip().lower() == "true"


def get_principal(store: Store, user_id: int) -> Principal:
    """The principal of a user id (the app keeps only the id in its session state)."""
    with store.read() as session:
        row = session.get(UserRow, user_id)
        if row is None or not row.active:
            raise AccessDenied(message("account-not-active-any-more"))
        return Principal.from_row(row)


def list_users(store: Store, principal: Principal) -> list[UserView]:
    """Every account (admins only)."""
    require_role(principal, ADMIN)
    with store.read() as session:
        rows = session.execute(
            select(UserRow, OrganisationRow.kbo)
            .outerjoin(OrganisationRow, UserRow.organisation_id == OrganisationRow.id)
            .order_by(UserRow.email)
        ).all()
        return [_view(row, kbo) for row, kbo in rows]


def set_active(store: Store, principal: Principal, user_id: int, active: bool) -> None:
    """Deactivate or reactivate an account (admins only; audited). Deactivating revokes all of
    the user's sessions at once (on every replica)."""
    require_role(principal, ADMIN)
    with store.write() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFound(message("no-user", user_id=user_id))
        audit.record(
            session,
            principal,
            "set_active",
            "user",
            user_id,
            field="active",
            old=row.active,
            new=active,
        )
        row.active = active
        if not active:
            _revoke_user_sessions(session, user_id)


def set_password(
    store: Store,
    principal: Principal,
    user_id: int,
    password: str,
    *,
    keep_session: str | None = None,
) -> None:
    """Set a password: the user for itself, or an admin for anyone (audited, hash not logged).

    All of the user's sessions are revoked (whoever knew the old password is signed out),
    except ``keep_session``: the token of the browser session that sets its own password."""
    if principal.user_id != user_id:
        require_role(principal, ADMIN)
    with store.write() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFound(message("no-user", user_id=user_id))
        _check_password_policy(row.email, password)
        row.password_hash = hash_password(password)
        row.failed_logins = 0
        row.locked_until = None
        keep = _token_hash(keep_session) if keep_session else None
        _revoke_user_sessions(session, user_id, keep=keep)
        audit.record(session, principal, "set_password", "user", user_id)


def change_role(
    store: Store,
    principal: Principal,
    user_id: int,
    role: str,
    *,
    organisation_kbo: str | None = None,
    sectors: list[str] | tuple[str, ...] = (),
) -> UserView:
    """Give an account another role (admins only; audited): an SME belongs to one registered
    organisation (``organisation_kbo``, or none yet), a federation to one or more sector
    profiles, other roles to neither. The user's sessions are revoked, so the new role's
    pages are what the next sign-in shows; an admin cannot take its own admin role away."""
    require_role(principal, ADMIN)
    if role not in ROLES:
        raise InvalidInput(
            message("unknown-role", role=role, value=", ".join(ROLES)),
            field="role",
        )
    sectors = list(dict.fromkeys(sectors))
    if role == FEDERATION:
        unknown = [s for s in sectors if s not in store.catalogue.profiles]
        if not sectors or unknown:
            raise InvalidInput(
                message("a-federation-account-needs-a-known-sector"),
                field="sectors",
            )
    else:
        sectors = []
    if role != SME:
        organisation_kbo = None
    if principal.user_id == user_id and role != ADMIN:
        raise InvalidInput(
            message("cannot-take-own-admin-role"),
            field="role",
        )
    with store.write() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFound(message("no-user", user_id=user_id))
        organisation_id = None
        kbo = None
        if organisation_kbo:
            from app.services.organisations import check_kbo

            kbo = check_kbo(organisation_kbo)
            organisation_id = session.scalar(
                select(OrganisationRow.id).where(OrganisationRow.kbo == kbo)
            )
            if organisation_id is None:
                raise NotFound(message("no-organisation-with-kbo-register-first", kbo=kbo))
        old = {
            "role": row.role,
            "organisation_id": row.organisation_id,
            "sectors": json.loads(row.sectors or "[]"),
        }
        new = {"role": role, "organisation_id": organisation_id, "sectors": sectors}
        row.role = role
        row.organisation_id = organisation_id
        row.sectors = json.dumps(sectors)
        audit.record(session, principal, "change_role", "user", user_id, old=old, new=new)
        if old != new:
            _revoke_user_sessions(session, user_id)
        session.flush()
        return _view(row, kbo)


def reset_password(store: Store, principal: Principal, user_id: int) -> str:
    """Give an account a new random password (admins only; audited, never logged) and return
    it once, for the admin to hand over; every session of the user is revoked."""
    require_role(principal, ADMIN)
    temporary = secrets.token_urlsafe(12)
    set_password(store, principal, user_id, temporary)
    return temporary


# --------------------------------------------------------------------------- sessions
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _usable_token(token: object) -> bool:
    return isinstance(token, str) and 0 < len(token) <= _MAX_TOKEN


def create_session(store: Store, user_id: int) -> str:
    """Start a session for an active user; the token (random, 256 bits) for the browser.

    Only the token's sha256 is stored. Ended sessions are cleared on the way (every expired
    one, and this user's revoked ones), so the table stays small."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with store.write() as session:
        user = session.get(UserRow, user_id)
        if user is None or not user.active:
            raise AccessDenied(message("account-not-active-any-more"))
        session.execute(
            delete(SessionRow).where(
                or_(
                    SessionRow.expires_at <= now,
                    and_(SessionRow.user_id == user_id, SessionRow.revoked_at.is_not(None)),
                )
            )
        )
        session.add(
            SessionRow(
                token_hash=_token_hash(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + SESSION_IDLE,
            )
        )
    return token


def issue_signin_ticket(store: Store, principal: Principal, browser_key: str | None) -> str:
    """A single-use sign-in ticket for ``principal`` (just authenticated), bound to the browser
    that asked: ``browser_key`` is that browser's pre-session cookie. The ``/session/signin``
    route exchanges it (``redeem_signin_ticket``) for a session within ``TICKET_TTL``; in any
    other browser, a second time or later it signs nobody in. Only hashes are stored."""
    if principal.user_id is None:
        raise AccessDenied(message("only-a-user-signs-in"))
    if not _usable_token(browser_key):
        raise InvalidInput(
            message("your-browser-sent-no-session"),
            field="cookies",
        )
    ticket = secrets.token_urlsafe(32)
    now = utcnow()
    with store.write() as session:
        user = session.get(UserRow, principal.user_id)
        if user is None or not user.active:
            raise AccessDenied(message("account-not-active-any-more"))
        session.execute(delete(SignInTicketRow).where(SignInTicketRow.expires_at <= now))
        session.add(
            SignInTicketRow(
                ticket_hash=_token_hash(ticket),
                browser_hash=_token_hash(browser_key),
                user_id=principal.user_id,
                created_at=now,
                expires_at=now + TICKET_TTL,
            )
        )
    return ticket


def redeem_signin_ticket(store: Store, ticket: str | None, browser_key: str | None) -> str:
    """Exchange a sign-in ticket for a new session token (the cookie's value).

    Used up in the same statement that checks it (``UPDATE ... WHERE used_at IS NULL ...
    RETURNING``), so two parallel exchanges cannot both win. ``AuthenticationFailed`` for an
    unknown, used, expired ticket, one issued to another browser, or a deactivated user."""
    refused = AuthenticationFailed(message("sign-in-failed-or-expired"))
    if not _usable_token(ticket) or not _usable_token(browser_key):
        raise refused
    now = utcnow()
    with store.write() as session:
        user_id = session.execute(
            update(SignInTicketRow)
            .where(
                SignInTicketRow.ticket_hash == _token_hash(ticket),
                SignInTicketRow.browser_hash == _token_hash(browser_key),
                SignInTicketRow.used_at.is_(None),
                SignInTicketRow.expires_at > now,
            )
            .values(used_at=now)
            .returning(SignInTicketRow.user_id)
        ).scalar_one_or_none()
    if user_id is None:
        raise refused
    try:
        return create_session(store, user_id)
    except AccessDenied:
        raise refused from None


def resolve_session(store: Store, token: str | None) -> Principal | None:
    """The principal of a session token, or None for an unknown, expired or revoked token or a
    deactivated user. The user is read afresh, so a changed role takes effect at once.

    Use moves the expiry forward (``SESSION_IDLE`` from now, never past ``SESSION_MAX_AGE``
    after sign-in); that write happens at most once per ``SESSION_TOUCH``."""
    if not _usable_token(token):
        return None
    now = utcnow()
    with store.read() as session:
        found = session.execute(
            select(SessionRow, UserRow)
            .join(UserRow, SessionRow.user_id == UserRow.id)
            .where(SessionRow.token_hash == _token_hash(token))
        ).one_or_none()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or not user.active:
        return None
    if now - row.last_seen_at >= SESSION_TOUCH:
        expires = min(now + SESSION_IDLE, row.created_at + SESSION_MAX_AGE)
        with store.write() as session:
            session.execute(
                update(SessionRow)
                .where(SessionRow.id == row.id, SessionRow.revoked_at.is_(None))
                .values(last_seen_at=now, expires_at=expires)
            )
    return Principal.from_row(user)


def revoke_session(store: Store, token: str | None) -> None:
    """Sign out: the token no longer resolves, on any replica (unknown tokens are ignored)."""
    if not _usable_token(token):
        return
    with store.write() as session:
        session.execute(
            update(SessionRow)
            .where(SessionRow.token_hash == _token_hash(token), SessionRow.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_user_sessions(store: Store, principal: Principal, user_id: int) -> int:
    """Sign a user out everywhere: the user itself, or an admin for anyone. The number of
    sessions revoked."""
    if principal.user_id != user_id:
        require_role(principal, ADMIN)
    with store.write() as session:
        return _revoke_user_sessions(session, user_id)


def _revoke_user_sessions(session, user_id: int, *, keep: str | None = None) -> int:
    query = update(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
    if keep is not None:
        query = query.where(SessionRow.token_hash != keep)
    return session.execute(query.values(revoked_at=utcnow())).rowcount


# --------------------------------------------------------------------------- language
def set_language(store: Store, principal: Principal, language: str) -> None:
    """Remember the interface language ("nl" or "en") in the principal's own profile."""
    if language not in LANGUAGES:
        raise InvalidInput(
            message("unknown-language", language=language, value=", ".join(LANGUAGES)),
            field="language",
        )
    if principal.user_id is None:
        raise InvalidInput(
            message("only-a-user-has-a"),
            field="language",
        )
    with store.write() as session:
        session.execute(
            update(UserRow).where(UserRow.id == principal.user_id).values(language=language)
        )


def get_language(store: Store, principal: Principal) -> str | None:
    """The language kept in the principal's profile, or None when the user never chose one."""
    if principal.user_id is None:
        return None
    with store.read() as session:
        value = session.scalar(select(UserRow.language).where(UserRow.id == principal.user_id))
    return value if value in LANGUAGES else None


def _view(row: UserRow, kbo: str | None) -> UserView:
    return UserView(
        id=row.id,
        email=row.email,
        role=row.role,
        organisation_id=row.organisation_id,
        organisation_kbo=kbo,
        sectors=tuple(json.loads(row.sectors or "[]")),
        active=row.active,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
    )
