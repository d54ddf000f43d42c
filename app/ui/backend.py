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
