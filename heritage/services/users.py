"""Use cases for staff accounts."""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import User
from heritage.schemas.user import UserInput, UserUpdate
from heritage.services import audit
from heritage.services.errors import NotFound
from heritage.services.pagination import Page, paginate
from heritage.services.permissions import require
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message

# Argon2id with argon2-cffi's defaults (RFC 9106's second recommended profile: 64 MiB, t=3).
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    """Whether `password` is the user's; False for no account and for accounts that cannot
    sign in.

    Every case costs one Argon2 verification (against a stand-in hash when there is no
    usable one), so the time an answer takes does not tell which addresses have accounts.
    """
    usable = user is not None and user.active and bool(user.password_hash)
    try:
        matches = _hasher.verify(user.password_hash if usable else _stand_in_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return usable and matches


@functools.cache
def _stand_in_hash() -> str:
    """A hash of a random secret, with the parameters real hashes have; nothing matches it."""
    return _hasher.hash(secrets.token_urlsafe(32))


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(data: dict, *, actor: User | None) -> User:
    """Create a staff account. `actor` None means the operator at the command line."""
    if actor is not None:
        require(actor, "user.manage")
    values = UserInput().load(data)
    password = values.pop("password")
    with write_transaction():
        if find_user(values["email"]) is not None:
            raise ValidationError({"email": [N_("An account with this address already exists.")]})
        values["name"] = values.get("name") or ""
        user = User(**values, password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
        audit.record_event(
            "user",
            user.id,
            "create",
            actor=actor,
            changes={"email": [None, user.email], "role": [None, user.role]},
            public=False,
        )
    return user


def ensure_system_user(email: str, name: str, role: str) -> User:
    """An account that acts for a tool (the demo loader) and can never sign in."""
    user = find_user(email)
    if user is not None:
        return user
    with write_transaction():
        user = User(email=email, name=name, role=role, password_hash=None)
        db.session.add(user)
        db.session.flush()
        audit.record_event(
            "user",
            user.id,
            "create",
            actor=None,
            changes={"email": [None, email], "role": [None, role]},
            public=False,
        )
    return user


def list_users() -> list[User]:
    """Every account, active ones first, for the admin page."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(Message(N_("No account with id %(id)s."), {"id": user_id}))
    return user


def change_role(user_id: int, role: str, *, actor: User) -> User:
    """Give an account another role; the change is audited."""
    require(actor, "user.manage")
    role = UserInput(only=("role",)).load({"role": role})["role"]
    with write_transaction():
        user = get_user(user_id)
        if user.id == actor.id and role != "admin":
            raise ValidationError({"role": [N_("You cannot take the admin role from yourself.")]})
        if user.role != role:
            audit.record_event(
                "user",
                user.id,
                "change_role",
                actor=actor,
                changes={"role": [user.role, role]},
                public=False,
            )
            user.role = role
    return user


def set_active(user_id: int, active: bool, *, actor: User) -> User:
    """Deactivate (never delete) an account, or activate it again.

    Deactivation also voids the account's sessions at once.
    """
    require(actor, "user.manage")
    with write_transaction():
        user = get_user(user_id)
        if user.id == actor.id and not active:
            raise ValidationError({"active": [N_("You cannot deactivate your own account.")]})
        if user.active != active:
            audit.record_event(
                "user",
                user.id,
                "activate" if active else "deactivate",
                actor=actor,
                changes={"active": [user.active, active]},
                public=False,
            )
            user.active = active
            user.session_version += 1
    return user


def update_user(user_id: int, data: dict, *, actor: User) -> User:
    """Change an account's role and/or whether it is active, in one transaction."""
    require(actor, "user.manage")
    values = UserUpdate().load(data)
    with write_transaction():
        user = get_user(user_id)
        if "role" in values:
            change_role(user_id, values["role"], actor=actor)
        if "active" in values:
            set_active(user_id, values["active"], actor=actor)
    return user


def users_page(*, actor: User, page: int = 1, per_page: int = 20) -> Page:
    """A page of accounts, active ones first (admins)."""
    require(actor, "user.manage")
    query = select(User).order_by(User.active.desc(), User.email)
    return paginate(query, page=page, per_page=per_page)


def read_user(user_id: int, *, actor: User) -> User:
    """One account (admins)."""
    require(actor, "user.manage")
    return get_user(user_id)


def fingerprint(user: User) -> str:
    """A short digest of what an admin can see and change on an account (for its ETag)."""
    text = f"{user.id}|{user.email}|{user.name}|{user.role}|{user.active}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
