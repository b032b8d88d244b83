"""Errors a person can act on. Every one carries a message and, where there is one, what to do."""

from __future__ import annotations


class GenimsError(Exception):
    """Base of every error the product reports to a person (never as a traceback)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class ConfigError(GenimsError):
    """A setting is missing, malformed or contradictory."""


class UnknownDatabase(GenimsError):
    """A logical database name that is not one of the 15."""


class DatabaseUnavailable(GenimsError):
    """A database cannot be reached, opened or written."""


class DomainError(GenimsError):
    """A business rule refused an action; nothing was changed. `field` names the input at fault when
    there is one, so a form can show the message at that field."""

    def __init__(self, message: str, hint: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message, hint)
        self.field = field


class PermissionDenied(DomainError):
    """The acting user's roles do not allow the action."""


class NotFound(DomainError):
    """A referenced business object does not exist."""


class ReadOnlyViolation(GenimsError):
    """A statement that would change data was sent where only queries are allowed."""
