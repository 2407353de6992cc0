"""What both doors say about a rate limit that was reached: when to try again."""

from __future__ import annotations

import time

from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from heritage.extensions import limiter


def retry_after(error: HTTPException) -> int:
    """Seconds until the caller's window resets (the window's length if unknown)."""
    current = limiter.current_limit
    if current is not None:
        return max(1, int(current.reset_at - time.time()))
    if isinstance(error, RateLimitExceeded):
        return error.limit.limit.get_expiry()
    return 60
