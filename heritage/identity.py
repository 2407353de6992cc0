"""Who is signed in: the session's account, for the HTML pages and the API alike."""

from __future__ import annotations

from flask_login import current_user

from heritage.extensions import login_manager
from heritage.models import User
from heritage.services import auth


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return auth.load_session_user(session_id)


def current_actor() -> User | None:
    """The signed-in account, or None for an anonymous visitor."""
    return current_user if current_user.is_authenticated else None
