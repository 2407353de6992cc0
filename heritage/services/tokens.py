"""API tokens: issue (the secret is shown once), authenticate, list and revoke.

A token is a high-entropy random secret, so a fast hash (SHA-256) is enough to store it:
unlike a password it cannot be guessed from a list. Only the hash and a short prefix (to
tell tokens apart) are kept.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import ApiToken, User, utcnow
from heritage.schemas.token import TokenInput
from heritage.services import audit
from heritage.services.errors import Busy, NotFound
from heritage.services.permissions import can, require
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
SECRET_PREFIX = "hrtg_"  # noqa: S105 (a label, not a secret)
PREFIX_LENGTH = len(SECRET_PREFIX) + 6
# How often a token's "last used" time is written: not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# How long stamping it may wait for the database's write lock, in seconds.
LAST_USED_LOCK_WAIT = 0.05


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The secret: shown to its owner once, then only its hash exists.
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user_id: int, data: dict, *, actor: User | None) -> IssuedToken:
    """Issue a token for an account: one's own, or anyone's for an admin.

    `actor` None means the operator at the command line.
    """
    values = TokenInput().load(data)
    with write_transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(Message(N_("No account with id %(id)s."), {"id": user_id}))
        if actor is not None:
            _require_may_manage(user.id, actor)
        if not user.active:
            raise ValidationError({"user": ["This account is deactivated."]})
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(
            user_id=user.id,
            name=values["name"],
            read_only=values["read_only"],
            prefix=secret[:PREFIX_LENGTH],
            token_hash=hash_secret(secret),
        )
        db.session.add(token)
        db.session.flush()
        audit.record_event(
            "api_token",
            token.id,
            "create",
            actor=actor,
            changes={
                "user_id": [None, user.id],
                "name": [None, token.name],
                "read_only": [None, token.read_only],
            },
            public=False,
        )
    return IssuedToken(token=token, secret=secret)


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret, of an active account; None otherwise."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        _note_use(token.id, now)
        token = db.session.get(ApiToken, token.id)
    return token


def _note_use(token_id: int, now) -> None:
    """Stamp a token's "last used" time if the database can take it at once: a read must
    never wait for the write lock, and a later request stamps it when this one cannot."""
    try:
        with write_transaction(lock_wait=LAST_USED_LOCK_WAIT):
            db.session.get(ApiToken, token_id).last_used_at = now
    except Busy:
        db.session.rollback()


def list_tokens(*, actor: User, everyone: bool = False) -> list[ApiToken]:
    """The actor's tokens, or (admins) everyone's; live ones first, newest first."""
    require(actor, "read")
    query = select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
    if not (everyone and can(actor, "token.manage")):
        query = query.where(ApiToken.user_id == actor.id)
    return list(db.session.scalars(query))


def revoke_token(token_id: int, *, actor: User | None) -> ApiToken:
    """Stop a token from working, for good; its row stays for the record."""
    with write_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is None or (actor is not None and not _may_manage(token.user_id, actor)):
            raise NotFound(Message(N_("No API token with id %(id)s."), {"id": token_id}))
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            audit.record_event(
                "api_token",
                token.id,
                "revoke",
                actor=actor,
                changes={"revoked_at": [None, audit.jsonable(token.revoked_at)]},
                public=False,
            )
    return token


def _may_manage(owner_id: int, actor: User) -> bool:
    return can(actor, "token.manage") or (owner_id == actor.id and can(actor, "read"))


def _require_may_manage(owner_id: int, actor: User) -> None:
    if not _may_manage(owner_id, actor):
        require(actor, "token.manage")
