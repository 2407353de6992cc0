"""Who may do what: the one role table every door (pages, API, CLI) goes through."""

from __future__ import annotations

from heritage.models import User
from heritage.services.errors import Forbidden
from heritage.text import N_

_RESTORER = frozenset(
    {
        "read",
        "site.create",
        "site.update_own_draft",
        "site.submit",
        "record.create",
        "record.update",
        "record.submit",
        "photo.upload",
        "photo.update",
        "photo.submit",
        "object.create",
        "object.update",
        "object.submit",
        "gravestone.create",
        "gravestone.update",
        "gravestone.submit",
        "survey.create",
        "survey.update",
        "survey.submit",
    }
)
_EDITOR = _RESTORER | {
    f"{kind}.{verb}"
    for kind in ("site", "record", "photo", "object", "gravestone", "survey")
    for verb in ("update", "publish", "send_back", "withdraw", "restore")
}
_RESEARCHER = frozenset({"read", "export"})
_ADMIN = _EDITOR | _RESEARCHER | {"user.manage", "token.manage"}
# What a read-only API token leaves of its owner's role.
READ_ONLY = frozenset({"read", "export"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "restorer": _RESTORER,
    "editor": frozenset(_EDITOR),
    "researcher": _RESEARCHER,
    "admin": frozenset(_ADMIN),
}


def can(actor: User | None, permission: str) -> bool:
    """Whether an active account's role grants `permission`; deny by default.

    An account acting through a read-only API token keeps only the reading permissions.
    """
    if actor is None or not actor.active:
        return False
    if actor.read_only and permission not in READ_ONLY:
        return False
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: User | None, permission: str) -> None:
    """Raise Forbidden unless `actor` may do `permission`."""
    if not can(actor, permission):
        raise Forbidden(N_("You do not have permission to do this."))
