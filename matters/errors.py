"""Domain errors: the UI shows their message, the API maps each class to a status code."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAllowed(DomainError):
    """The actor sees the matter but holds no role that allows this action."""

    status = 403


class IllegalTransition(DomainError):
    """The action is not possible in the matter's current state or time."""

    status = 409


class InvalidInput(DomainError):
    """Bad input; ``fields`` names each problem. Nothing was written."""

    status = 422
