"""The errors the services raise; each carries a ``Message`` (an id with parameters).

Pages show ``app.ui.i18n.message(error)`` (the user's language), the CLI
``error.message.render(cli_language())``; ``str(error)`` is the English text, for logs. Every
message names what was refused and why (texts in ``app/services/locale``).
"""

from __future__ import annotations

from frameworks.i18n import Message


class ServiceError(Exception):
    """Base of every refusal by a service."""

    def __init__(self, message: Message) -> None:
        if not isinstance(message, Message):
            raise TypeError(f"a service error carries a Message, not {type(message).__name__}")
        super().__init__(message)
        self.message = message

    def render(self, language: str) -> str:
        """The message in ``language`` ("nl" or "en")."""
        return self.message.render(language)

    def __str__(self) -> str:
        return self.message.render("en")


class AccessDenied(ServiceError):
    """The principal may not see or change this (also for ids that exist but are not theirs)."""


class NotFound(ServiceError):
    """The thing does not exist (only raised where saying so reveals nothing)."""


class ConflictError(ServiceError):
    """A stale write: someone else changed the answer (or assessment) since it was read.

    ``current_version`` and ``current_value`` say what is in the database now, so the page can
    show the colleague's answer and let the user decide.
    """

    def __init__(
        self,
        message: Message,
        *,
        current_version: int | None = None,
        current_value: object = None,
        changed_by: str | None = None,
    ) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.current_value = current_value
        self.changed_by = changed_by


class InvalidInput(ServiceError):
    """A value that does not fit (an answer, a KBO number, an e-mail address, a file)."""

    def __init__(self, message: Message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidAnswer(InvalidInput):
    """An answer value that does not fit its question's type, options or range."""


class NotSubmittable(ServiceError):
    """Submit refused: required questions are open (their ids in ``open_questions``, so that
    the page can name them by their text and link to each)."""

    def __init__(self, message: Message, open_questions: list[str]) -> None:
        super().__init__(message)
        self.open_questions = open_questions


class ReadOnly(ServiceError):
    """The assessment is submitted (frozen); only the department or admin may reopen it."""


class AuthenticationFailed(ServiceError):
    """Wrong e-mail or password (the message never says which)."""


class AccountLocked(AuthenticationFailed):
    """Too many failed attempts: the account is locked until ``until`` (UTC)."""

    def __init__(self, message: Message, until: object) -> None:
        super().__init__(message)
        self.until = until
