"""Server-side sessions: a token resolves to its user until it is signed out, expires or the
user is deactivated or gets a new password; only its sha256 is stored; a second Store on the
same database (another app replica) resolves it too. A sign-in ticket gives a session once,
only in the browser it was issued to. Also the language kept in the profile."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.services import auth
from app.services.errors import AccessDenied, AuthenticationFailed, InvalidInput
from app.services.principal import SYSTEM
from app.store import Store
from app.store.models import SessionRow, SignInTicketRow, UserRow, utcnow

from .helpers import principal


def _user(store, email="ann@example.be", role="department"):
    return principal(store, role, email)


def test_a_new_session_token_should_resolve_to_its_user(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    resolved = auth.resolve_session(store, token)
    assert resolved is not None
    assert (resolved.user_id, resolved.email, resolved.role) == (ann.user_id, ann.email, ann.role)


def test_each_sign_in_should_get_its_own_random_token(store):
    ann = _user(store)
    tokens = {auth.create_session(store, ann.user_id) for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)


def test_only_the_sha256_of_the_token_should_be_stored(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    with store.read() as session:
        hashes = session.scalars(select(SessionRow.token_hash)).all()
    assert hashes == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in hashes


@pytest.mark.parametrize("token", [None, "", "unknown-token", "1.1700000000.abcdef", "x" * 5000])
def test_an_unknown_or_malformed_token_should_be_refused(store, token):
    ann = _user(store)
    auth.create_session(store, ann.user_id)
    assert auth.resolve_session(store, token) is None


def test_signing_out_should_make_the_token_useless_and_leave_other_sessions(store):
    ann = _user(store)
    laptop = auth.create_session(store, ann.user_id)
    phone = auth.create_session(store, ann.user_id)
    auth.revoke_session(store, laptop)
    assert auth.resolve_session(store, laptop) is None
    assert auth.resolve_session(store, phone) is not None
    auth.revoke_session(store, laptop)  # twice: nothing happens
    auth.revoke_session(store, "never-issued")
    assert auth.resolve_session(store, laptop) is None


def test_an_expired_token_should_be_refused(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    with store.write() as session:
        session.execute(update(SessionRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert auth.resolve_session(store, token) is None


def test_use_should_move_the_expiry_forward_but_not_past_the_maximum_age(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    now = utcnow()
    with store.write() as session:  # last used 11 hours ago, ends in 1 hour
        session.execute(
            update(SessionRow).values(
                last_seen_at=now - timedelta(hours=11), expires_at=now + timedelta(hours=1)
            )
        )
    assert auth.resolve_session(store, token) is not None
    with store.read() as session:
        row = session.scalar(select(SessionRow))
    assert row.expires_at >= now + auth.SESSION_IDLE - timedelta(minutes=1)
    assert row.last_seen_at >= now - timedelta(minutes=1)
    with store.write() as session:  # signed in almost SESSION_MAX_AGE ago
        session.execute(
            update(SessionRow).values(
                created_at=now - auth.SESSION_MAX_AGE + timedelta(hours=1),
                last_seen_at=now - timedelta(hours=1),
            )
        )
    assert auth.resolve_session(store, token) is not None
    with store.read() as session:
        row = session.scalar(select(SessionRow))
    assert row.expires_at <= now + timedelta(hours=1, minutes=1)


def test_another_replica_should_resolve_and_see_the_revocation(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    replica = Store(store.url, catalogue=store.catalogue)
    try:
        resolved = auth.resolve_session(replica, token)
        assert resolved is not None and resolved.user_id == ann.user_id
        auth.revoke_session(replica, token)  # signed out on the replica ...
        assert auth.resolve_session(store, token) is None  # ... is signed out here too
    finally:
        replica.dispose()


def test_deactivating_a_user_should_revoke_every_session_of_that_user(store):
    ann = _user(store)
    bob = _user(store, "bob@example.be")
    tokens = [auth.create_session(store, ann.user_id) for _ in range(2)]
    bobs = auth.create_session(store, bob.user_id)
    auth.set_active(store, SYSTEM, ann.user_id, False)
    assert [auth.resolve_session(store, t) for t in tokens] == [None, None]
    assert auth.resolve_session(store, bobs) is not None
    auth.set_active(store, SYSTEM, ann.user_id, True)  # reactivation does not revive them
    assert [auth.resolve_session(store, t) for t in tokens] == [None, None]
    assert auth.resolve_session(store, auth.create_session(store, ann.user_id)) is not None


def test_a_deactivated_user_should_be_refused_even_with_an_unrevoked_session(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    with store.write() as session:  # e.g. deactivated directly in the database
        session.execute(update(UserRow).where(UserRow.id == ann.user_id).values(active=False))
    assert auth.resolve_session(store, token) is None
    with pytest.raises(AccessDenied):
        auth.create_session(store, ann.user_id)


def test_a_new_password_should_revoke_the_sessions_except_the_one_that_set_it(store):
    auth.create_user(store, SYSTEM, "ann@example.be", "department", password="oud-wachtwoord")
    ann = auth.authenticate(store, "ann@example.be", "oud-wachtwoord")
    elsewhere = auth.create_session(store, ann.user_id)
    here = auth.create_session(store, ann.user_id)
    auth.set_password(store, ann, ann.user_id, "nieuw-wachtwoord", keep_session=here)
    assert auth.resolve_session(store, elsewhere) is None
    assert auth.resolve_session(store, here) is not None
    auth.set_password(store, SYSTEM, ann.user_id, "ander-wachtwoord")  # by an admin: all
    assert auth.resolve_session(store, here) is None


def test_a_changed_role_should_take_effect_through_an_existing_session(store):
    ann = _user(store)
    token = auth.create_session(store, ann.user_id)
    with store.write() as session:
        session.execute(update(UserRow).where(UserRow.id == ann.user_id).values(role="admin"))
    assert auth.resolve_session(store, token).role == "admin"


def test_signing_in_again_should_clear_the_users_ended_sessions(store):
    ann = _user(store)
    old = [auth.create_session(store, ann.user_id) for _ in range(3)]
    for token in old:
        auth.revoke_session(store, token)
    auth.create_session(store, ann.user_id)
    with store.read() as session:
        assert len(session.scalars(select(SessionRow)).all()) == 1


def test_a_sign_in_should_clear_expired_sessions_of_anybody_but_keep_live_ones(store):
    ann = _user(store)
    bob = _user(store, "bob@example.be")
    expired = auth.create_session(store, bob.user_id)
    live = auth.create_session(store, bob.user_id)
    revoked = auth.create_session(store, bob.user_id)
    auth.revoke_session(store, revoked)
    with store.write() as session:
        session.execute(
            update(SessionRow)
            .where(SessionRow.token_hash == hashlib.sha256(expired.encode()).hexdigest())
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    auth.create_session(store, ann.user_id)
    with store.read() as session:
        left = session.execute(select(SessionRow.user_id, SessionRow.revoked_at)).all()
    assert sorted((user_id, at is None) for user_id, at in left) == sorted(
        [(bob.user_id, True), (bob.user_id, False), (ann.user_id, True)]
    )
    assert auth.resolve_session(store, live) is not None


def test_revoking_all_sessions_should_be_for_the_user_itself_or_an_admin(store):
    ann = _user(store)
    bob = _user(store, "bob@example.be")
    token = auth.create_session(store, ann.user_id)
    with pytest.raises(AccessDenied):
        auth.revoke_user_sessions(store, bob, ann.user_id)
    assert auth.resolve_session(store, token) is not None
    assert auth.revoke_user_sessions(store, ann, ann.user_id) == 1
    assert auth.resolve_session(store, token) is None


def test_the_language_should_be_kept_in_the_users_profile(store):
    ann = _user(store)
    bob = _user(store, "bob@example.be")
    assert auth.get_language(store, ann) is None
    auth.set_language(store, ann, "en")
    assert auth.get_language(store, ann) == "en"
    assert auth.get_language(store, bob) is None
    auth.set_language(store, ann, "nl")
    replica = Store(store.url, catalogue=store.catalogue)
    try:
        assert auth.get_language(replica, ann) == "nl"
    finally:
        replica.dispose()


@pytest.mark.parametrize("language", ["fr", "", "EN", "nl-BE"])
def test_an_unknown_language_should_be_refused(store, language):
    ann = _user(store)
    with pytest.raises(InvalidInput):
        auth.set_language(store, ann, language)
    assert auth.get_language(store, ann) is None


def test_the_system_principal_should_have_no_language(store):
    with pytest.raises(InvalidInput):
        auth.set_language(store, SYSTEM, "en")
    assert auth.get_language(store, SYSTEM) is None


# --------------------------------------------------------------------------- sign-in tickets
def test_a_sign_in_ticket_should_give_a_session_once_in_its_own_browser(store):
    ann = _user(store)
    ticket = auth.issue_signin_ticket(store, ann, "browser-of-ann")
    token = auth.redeem_signin_ticket(store, ticket, "browser-of-ann")
    assert auth.resolve_session(store, token).user_id == ann.user_id
    with pytest.raises(AuthenticationFailed):  # single use
        auth.redeem_signin_ticket(store, ticket, "browser-of-ann")


def test_a_sign_in_ticket_should_be_refused_in_another_browser(store):
    """Login CSRF: the attacker's ticket in the victim's browser (another pre-session cookie)
    signs nobody in, and stays refused there."""
    ann = _user(store)
    ticket = auth.issue_signin_ticket(store, ann, "attackers-browser")
    for browser in ("victims-browser", "", None):
        with pytest.raises(AuthenticationFailed):
            auth.redeem_signin_ticket(store, ticket, browser)


def test_only_hashes_of_a_ticket_and_its_browser_should_be_stored(store):
    ann = _user(store)
    ticket = auth.issue_signin_ticket(store, ann, "browser-of-ann")
    with store.read() as session:
        row = session.scalars(select(SignInTicketRow)).one()
    assert row.ticket_hash == hashlib.sha256(ticket.encode()).hexdigest()
    assert row.browser_hash == hashlib.sha256(b"browser-of-ann").hexdigest()


def test_an_expired_ticket_or_a_deactivated_user_should_be_refused(store):
    ann = _user(store)
    old = auth.issue_signin_ticket(store, ann, "b")
    with store.write() as session:
        session.execute(update(SignInTicketRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AuthenticationFailed):
        auth.redeem_signin_ticket(store, old, "b")
    fresh = auth.issue_signin_ticket(store, ann, "b")
    auth.set_active(store, SYSTEM, ann.user_id, False)
    with pytest.raises(AuthenticationFailed):
        auth.redeem_signin_ticket(store, fresh, "b")
    with pytest.raises(AccessDenied):
        auth.issue_signin_ticket(store, ann, "b")


def test_a_ticket_needs_the_browsers_pre_session_cookie(store):
    with pytest.raises(InvalidInput):
        auth.issue_signin_ticket(store, _user(store), None)


def test_parallel_exchanges_of_one_ticket_should_give_one_session(store):
    import threading

    ann = _user(store)
    ticket = auth.issue_signin_ticket(store, ann, "b")
    won: list[str] = []
    start = threading.Barrier(8)

    def exchange() -> None:
        start.wait()
        try:
            won.append(auth.redeem_signin_ticket(store, ticket, "b"))
        except AuthenticationFailed:
            pass

    threads = [threading.Thread(target=exchange) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(won) == 1
