"""Requests per key, limited with the `limits` library: a moving window per key, in this process.
Several replicas each allow the rate, so a deployment behind N replicas sets it N times lower (or gives
`limits` a shared storage)."""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies

from app.errors import RateLimitedError


class KeyRateLimiter:
    """At most `rate` (`"6000/minute"`) requests per key; None allows everything."""

    def __init__(self, rate: str | None, of: str = "this API key") -> None:
        self._rate = parse(rate) if rate else None
        self._of = of
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def check(self, key_id: str) -> None:
        """Count one request of the key; RateLimitedError, with the seconds to wait, past the rate."""
        if self._rate is None or self._limiter.hit(self._rate, key_id):
            return
        reset = self._limiter.get_window_stats(self._rate, key_id).reset_time
        raise RateLimitedError(
            f"more than {self._rate} for {self._of}", retry_after_s=max(1, math.ceil(reset - time.time()))
        )
