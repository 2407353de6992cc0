"""Domain errors that services raise and the edges map to status codes.

Invalid input raises marshmallow's ValidationError, whose messages name each field.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the errors a user can cause; the message is safe to show them."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    status_code = 404


class Gone(ServiceError):
    """Was public once and has been withdrawn: the address stays, and says when and why."""

    status_code = 410

    def __init__(self, message: str, *, entity) -> None:
        super().__init__(message)
        self.entity = entity


class Forbidden(ServiceError):
    status_code = 403


class Conflict(ServiceError):
    """The record changed since the caller read it; nothing was saved."""

    status_code = 409

    def __init__(
        self, message: str, *, current_version: int | None = None, changed: dict | None = None
    ) -> None:
        super().__init__(message)
        self.current_version = current_version
        # What changed meanwhile: {field: [value the caller saw, value now]}.
        self.changed = changed or {}


class InvalidTransition(ServiceError):
    """The workflow step is not possible from the record's current status."""

    status_code = 409
