"""API tokens: a staff member's key for scripts and field tools, stored only as a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base, utcnow
from heritage.models.user import User


class ApiToken(Base):
    """Never deleted: revoked, so what was done with it stays explained."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # What the owner calls it ("field tablet", "harvest script").
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret, shown so people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the whole secret, hex; the secret itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Read-only tokens may read what their owner may read, and write nothing.
    read_only: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… user={self.user_id}>"
