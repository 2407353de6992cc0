"""Domain errors that services raise and the edges map to status codes.

Invalid input raises marshmallow's ValidationError, whose messages name each field.
"""

from __future__ import annotations

from heritage.db import is_busy
from heritage.text import N_


class ServiceError(Exception):
    """Base of the errors a user can cause; the message is safe to show them."""

    status_code = 400
    # Seconds after which trying again is worthwhile (the Retry-After header), for errors
    # that pass.
    retry_after: int | None = None

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


class Busy(ServiceError):
    """The database stayed locked by other work for longer than the caller would wait;
    nothing was saved, and trying again shortly will most likely work."""

    status_code = 503
    retry_after = 5

    def __init__(self) -> None:
        super().__init__(
            N_(
                "The archive is busy with other changes at the moment and nothing was saved. "
                "Try again in a few seconds."
            )
        )


class MediaUnavailable(ServiceError):
    """The media folder refused a write (read-only, full, gone): nothing was saved, and
    nothing will be until someone puts it right, so trying again is for later."""

    status_code = 503
    retry_after = 60

    def __init__(self) -> None:
        super().__init__(
            N_(
                "The archive's media folder is not writable at the moment, so photos can be "
                "neither stored nor prepared for showing. Nothing was saved. Try again later."
            )
        )


def from_exception(error: BaseException) -> ServiceError | None:
    """The service error an exception from below the services stands for, if it is one
    that a caller can act on (both doors answer it as they answer any service error)."""
    if isinstance(error, ServiceError):
        return error
    if is_busy(error):
        return Busy()
    return None
