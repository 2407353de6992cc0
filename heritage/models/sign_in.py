"""Every sign-in attempt, kept for throttling and for the security log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from heritage.models.base import Base, utcnow


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # As typed (lowercased), so attempts on unknown accounts are throttled too.
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]

    __table_args__ = (
        Index("ix_sign_in_attempts_email_at", "email", "at"),
        Index("ix_sign_in_attempts_client_address_at", "client_address", "at"),
    )

    def __repr__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"<SignInAttempt {self.email} from {self.client_address} {outcome}>"
