"""The page-side handle on the services: the process's store passed to each call.

Pages call ``app.services`` through these few helpers only where the same call (with the same
error handling) is needed by more than one page; everything else calls the services module
directly with ``resources.store()``. No business rule lives here.
"""

from __future__ import annotations

from app.services import auth
from app.services.errors import ServiceError
from app.ui import resources


def principal_for_user(user_id: int):
    """The principal of a user id from a session token, or None when no longer active."""
    try:
        return auth.get_principal(resources.store(), user_id)
    except ServiceError:
        return None


def save_language(principal, language: str) -> None:
    """Remember the interface language in the user's profile where the services support it."""
    setter = getattr(auth, "set_language", None)
    if setter is not None:
        try:
            setter(resources.store(), principal, principal.user_id, language)
        except ServiceError:
            pass


def profile_language(principal) -> str | None:
    """The language stored in the user's profile, where the services keep one."""
    getter = getattr(auth, "get_language", None)
    if getter is None:
        return None
    try:
        return getter(resources.store(), principal, principal.user_id)
    except ServiceError:
        return None
