"""Accounts: argon2 hashes, login attempts limited in the database, OIDC identity mapping, the
demo password refused in production, and user management for admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.services import auth
from app.services.errors import (
    AccessDenied,
    AccountLocked,
    AuthenticationFailed,
    ConflictError,
    InvalidInput,
)
from app.services.principal import SYSTEM
from app.store import Store
from app.store.models import UserRow, utcnow

from .helpers import organisation, principal


def test_password_should_be_stored_as_an_argon2_hash(store):
    auth.create_user(store, SYSTEM, "Ann@Example.be", "department", password="geheim-wachtwoord")
    with store.read() as session:
        row = session.scalar(select(UserRow).where(UserRow.email == "ann@example.be"))
    assert row.password_hash.startswith("$argon2id$")
    assert "geheim-wachtwoord" not in row.password_hash


def test_correct_password_should_sign_in_case_insensitive_email(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    signed_in = auth.authenticate(store, " ANN@example.be ", "geheim-wachtwoord")
    assert signed_in.email == "ann@example.be" and signed_in.role == "department"


def test_wrong_password_and_unknown_email_should_fail_alike(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.authenticate(store, "ann@example.be", "fout")
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.authenticate(store, "nobody@example.be", "fout")
    assert str(wrong.value) == str(unknown.value)


def test_five_failures_should_lock_the_account_even_for_the_right_password(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(AuthenticationFailed) as caught:
            auth.authenticate(store, "ann@example.be", "fout")
        assert not isinstance(caught.value, AccountLocked)
    with pytest.raises(AccountLocked):
        auth.authenticate(store, "ann@example.be", "fout")
    with pytest.raises(AccountLocked):
        auth.authenticate(store, "ann@example.be", "geheim-wachtwoord")


def test_lock_should_hold_for_another_replica_and_end_after_its_time(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            auth.authenticate(store, "ann@example.be", "fout")
    replica = Store(store.url, catalogue=store.catalogue)
    with pytest.raises(AccountLocked):
        auth.authenticate(replica, "ann@example.be", "geheim-wachtwoord")
    with store.write() as session:  # 15 minutes later
        session.execute(update(UserRow).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert auth.authenticate(replica, "ann@example.be", "geheim-wachtwoord").role == "department"
    replica.dispose()


def test_success_should_reset_the_failure_count(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(AuthenticationFailed):
            auth.authenticate(store, "ann@example.be", "fout")
    auth.authenticate(store, "ann@example.be", "geheim-wachtwoord")
    with pytest.raises(AuthenticationFailed) as caught:
        auth.authenticate(store, "ann@example.be", "fout")
    assert not isinstance(caught.value, AccountLocked)


def test_short_passwords_should_be_refused_but_demo_accounts_allowed_outside_production(
    store, monkeypatch
):
    with pytest.raises(InvalidInput):
        auth.create_user(store, SYSTEM, "ann@example.be", "department", password="kort")
    monkeypatch.delenv("MVO_ENV", raising=False)
    auth.create_user(store, SYSTEM, "departement@demo.be", "department", password="demo")
    assert auth.authenticate(store, "departement@demo.be", "demo").role == "department"
    monkeypatch.setenv("MVO_ENV", "production")
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(store, "departement@demo.be", "demo")
    with pytest.raises(InvalidInput):
        auth.create_user(store, SYSTEM, "admin@demo.be", "admin", password="demo")


def test_oidc_identity_should_map_to_the_user_with_that_email(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department")  # OIDC-only: no password
    found = auth.user_for_identity(store, "Ann@Example.be", email_verified=True)
    assert found.email == "ann@example.be"
    with pytest.raises(AccessDenied):
        auth.user_for_identity(store, "stranger@example.be", email_verified=True)
    with pytest.raises(AccessDenied):
        auth.user_for_identity(store, "ann@example.be", email_verified=False)
    with pytest.raises(AuthenticationFailed):  # no password: no local sign-in
        auth.authenticate(store, "ann@example.be", "")


@pytest.mark.parametrize("claim", [None, False, "false", "", 1, "yes"])
def test_a_missing_or_unclear_email_verified_claim_should_be_refused(store, claim):
    """A missing ``email_verified`` is false: the identity provider did not vouch for it."""
    auth.create_user(store, SYSTEM, "ann@example.be", "department")
    with pytest.raises(AccessDenied, match="verified e-mail address"):
        auth.user_for_identity(store, "ann@example.be", email_verified=claim)
    with pytest.raises(AccessDenied, match="verified e-mail address"):
        auth.user_for_identity(store, "ann@example.be")  # the claim is absent


def test_a_verified_claim_as_text_should_count(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department")
    assert auth.user_for_identity(store, "ann@example.be", email_verified="true").email


def test_parallel_wrong_passwords_should_be_checked_at_most_max_failures_times(store, monkeypatch):
    """40 wrong passwords at once (threads; SQLite and PostgreSQL): at most MAX_FAILURES
    hashes are verified, the rest are refused as locked without a check."""
    import threading

    view = auth.create_user(store, SYSTEM, "ann@example.be", "department", password="x" * 10)
    with store.read() as session:
        real_hash = session.get(UserRow, view.id).password_hash
    checked = []
    verify = auth._verify

    def slow_verify(password_hash, password):
        if password_hash == real_hash:
            checked.append(password)
            threading.Event().wait(0.05)  # a real argon2 check takes this long or longer
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", slow_verify)
    attempts = 40
    start = threading.Barrier(attempts)
    outcomes: list[str] = []

    def attempt(number: int) -> None:
        start.wait()
        try:
            auth.authenticate(store, "ann@example.be", f"wrong-{number}")
        except AccountLocked:
            outcomes.append("locked")
        except AuthenticationFailed:
            outcomes.append("wrong")
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes.append(repr(error))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == attempts
    assert set(outcomes) <= {"locked", "wrong"}, outcomes
    assert len(checked) <= auth.MAX_FAILURES, f"{len(checked)} passwords checked"
    assert outcomes.count("locked") >= attempts - auth.MAX_FAILURES + 1
    with pytest.raises(AccountLocked):  # and the right password waits for the lock too
        auth.authenticate(store, "ann@example.be", "x" * 10)


def test_deactivated_user_should_not_sign_in(store):
    view = auth.create_user(store, SYSTEM, "ann@example.be", "department", password="x" * 10)
    auth.set_active(store, SYSTEM, view.id, False)
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(store, "ann@example.be", "x" * 10)
    with pytest.raises(AccessDenied):
        auth.user_for_identity(store, "ann@example.be", email_verified=True)


def test_only_admin_should_manage_users(store):
    _org, sme = organisation(store)
    department = principal(store, "department", "dep@example.be")
    federation = principal(store, "federation", "fed@example.be", ["example_sector"])
    admin = principal(store, "admin", "admin@example.be")
    for outsider in (sme, department, federation):
        with pytest.raises(AccessDenied):
            auth.create_user(store, outsider, "new@example.be", "admin", password="x" * 10)
        with pytest.raises(AccessDenied):
            auth.list_users(store, outsider)
        with pytest.raises(AccessDenied):
            auth.set_active(store, outsider, sme.user_id, False)
    auth.create_user(store, admin, "new@example.be", "sme")
    assert "new@example.be" in [u.email for u in auth.list_users(store, admin)]


def test_user_details_should_be_checked(store):
    with pytest.raises(InvalidInput):
        auth.create_user(store, SYSTEM, "not-an-email", "sme")
    with pytest.raises(InvalidInput):
        auth.create_user(store, SYSTEM, "a@example.be", "superuser")
    with pytest.raises(InvalidInput):
        auth.create_user(store, SYSTEM, "a@example.be", "federation")  # no sector
    with pytest.raises(InvalidInput):
        auth.create_user(store, SYSTEM, "a@example.be", "federation", sectors=["nope"])
    auth.create_user(store, SYSTEM, "a@example.be", "department")
    with pytest.raises(ConflictError):
        auth.create_user(store, SYSTEM, "A@example.be", "department")


# --------------------------------------------------------------------------- hash parameters
def _parameters(password_hash: str):
    from argon2 import extract_parameters

    found = extract_parameters(password_hash)
    return found.time_cost, found.memory_cost, found.parallelism


def test_new_passwords_should_be_hashed_with_owasp_argon2id_parameters(store):
    auth.use_hasher(auth.default_hasher())
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    with store.read() as session:
        stored = session.scalar(select(UserRow.password_hash))
    assert stored.startswith("$argon2id$")
    assert _parameters(stored) == (2, 19 * 1024, 1)


def test_sign_in_should_rehash_a_hash_made_with_the_old_parameters(store):
    from argon2 import PasswordHasher

    auth.use_hasher(auth.default_hasher())
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord")
    # a hash from before the change: argon2-cffi's defaults then (64 MiB, t=3, p=4)
    old = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
    old_hash = old.hash("geheim-wachtwoord")
    with store.write() as session:
        session.execute(update(UserRow).values(password_hash=old_hash))

    with pytest.raises(AuthenticationFailed):
        auth.authenticate(store, "ann@example.be", "fout")
    with store.read() as session:
        assert session.scalar(select(UserRow.password_hash)) == old_hash  # a wrong one: kept

    signed_in = auth.authenticate(store, "ann@example.be", "geheim-wachtwoord")
    assert signed_in.email == "ann@example.be"
    with store.read() as session:
        new_hash = session.scalar(select(UserRow.password_hash))
    assert new_hash != old_hash
    assert _parameters(new_hash) == (2, 19 * 1024, 1)
    assert auth.authenticate(store, "ann@example.be", "geheim-wachtwoord").email == signed_in.email
    with store.read() as session:
        assert session.scalar(select(UserRow.password_hash)) == new_hash  # rehashed once


def test_a_rehash_should_never_overwrite_a_password_set_meanwhile(store, monkeypatch):
    from argon2 import PasswordHasher

    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    user = auth.create_user(
        store, SYSTEM, "ann@example.be", "department", password="geheim-wachtwoord"
    )
    auth.use_hasher(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    real_hash = auth.hash_password

    def hash_then_admin_sets_a_password(password: str) -> str:
        made = real_hash(password)  # the rehash of the sign-in, computed before its write ...
        monkeypatch.setattr(auth, "hash_password", real_hash)
        auth.set_password(store, SYSTEM, user.id, "nieuw-wachtwoord")  # ... an admin's reset
        return made

    monkeypatch.setattr(auth, "hash_password", hash_then_admin_sets_a_password)
    auth.authenticate(store, "ann@example.be", "geheim-wachtwoord")
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(store, "ann@example.be", "geheim-wachtwoord")
    assert auth.authenticate(store, "ann@example.be", "nieuw-wachtwoord").email == "ann@example.be"
