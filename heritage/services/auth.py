"""Signing in and out: password checks, throttling, the sign-in log, session revocation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import SignInAttempt, User, utcnow
from heritage.schemas.user import UserInput
from heritage.services import audit
from heritage.services.errors import ServiceError
from heritage.services.transaction import write_transaction
from heritage.services.users import find_user, hash_password, password_matches

log = logging.getLogger("heritage.auth")

# One message for an unknown account, a wrong password and a deactivated account, so the
# answer never tells which addresses have accounts.
BAD_CREDENTIALS = "The e-mail address or password is not correct."


class SignInRefused(ServiceError):
    status_code = 401


class TooManyAttempts(ServiceError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Throttle:
    """At most `limit` failed attempts per `window` for one key."""

    limit: int
    window: timedelta


def authenticate(email: str, password: str, *, client_address: str) -> User:
    """The active account with this e-mail and password; every attempt is logged.

    Raises TooManyAttempts before checking the password when the account or the client
    address has failed too often lately, and SignInRefused for bad credentials.
    """
    email = (email or "").strip().lower()[:254]
    client_address = (client_address or "unknown")[:64]
    _check_throttle(email, client_address)
    user = find_user(email) if email else None
    ok = password_matches(user, password or "")
    with write_transaction():
        db.session.add(
            SignInAttempt(
                email=email,
                user_id=user.id if user else None,
                client_address=client_address,
                succeeded=ok,
            )
        )
        if ok:
            user.last_login_at = utcnow()
    log.info("sign-in %s for %r from %s", "succeeded" if ok else "failed", email, client_address)
    if not ok:
        raise SignInRefused(BAD_CREDENTIALS)
    return user


def sign_out_everywhere(user: User) -> None:
    """Void every session of `user`, this one included."""
    with write_transaction():
        user = db.session.get(User, user.id)
        user.session_version += 1


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions are voided."""
    UserInput(only=("password",)).load({"password": new})
    if not password_matches(user, current):
        raise SignInRefused("The current password is not correct.")
    with write_transaction():
        user = db.session.get(User, user.id)
        user.password_hash = hash_password(new)
        user.session_version += 1
        audit.record_event("user", user.id, "change_password", actor=user, public=False)


def load_session_user(session_id: str) -> User | None:
    """The user a session belongs to, if the session is still valid."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _check_throttle(email: str, client_address: str) -> None:
    config = current_app.config
    checks = (
        (SignInAttempt.email, email, Throttle(config["SIGN_IN_LIMIT_PER_ACCOUNT"], _MINUTE)),
        (
            SignInAttempt.client_address,
            client_address,
            Throttle(config["SIGN_IN_LIMIT_PER_ADDRESS"], _MINUTE),
        ),
    )
    now = utcnow()
    for column, value, throttle in checks:
        since = now - throttle.window
        query = select(func.count(), func.min(SignInAttempt.at)).where(
            column == value, SignInAttempt.at > since, SignInAttempt.succeeded.is_(False)
        )
        failures, oldest = db.session.execute(query).one()
        if failures >= throttle.limit:
            retry_after = max(1, int((oldest + throttle.window - now).total_seconds()) + 1)
            log.warning("sign-in throttled for %r from %s", email, client_address)
            raise TooManyAttempts(
                f"Too many failed sign-in attempts. Try again in {retry_after} seconds.",
                retry_after,
            )


_MINUTE = timedelta(minutes=1)
