"""Requests per key, limited with the `limits` library: a moving window per key, counted in this process,
or in a Redis that replicas share (`REDIS_URL`), so that N replicas allow a key the rate once and not N
times. While that Redis cannot be reached each process counts on its own, as without one."""

from __future__ import annotations

import logging
import math
import time

from limits import parse, storage, strategies
from redis.exceptions import RedisError

from app.errors import RateLimitedError

log = logging.getLogger(__name__)


class KeyRateLimiter:
    """At most `rate` (`"6000/minute"`) requests per key; None allows everything. `shared`: the URL of
    the Redis the count is kept in."""

    def __init__(self, rate: str | None, of: str = "this API key", shared: str | None = None) -> None:
        self._rate = parse(rate) if rate else None
        self._of = of
        self._local = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._shared = (
            strategies.MovingWindowRateLimiter(storage.storage_from_string(shared)) if shared is not None else None
        )

    def check(self, key_id: str) -> None:
        """Count one request of the key; RateLimitedError, with the seconds to wait, past the rate."""
        if self._rate is None:
            return
        try:
            reset = self._hit(self._shared or self._local, key_id)
        except RedisError:
            log.warning("the shared rate-limit store is unreachable; counting in this process", exc_info=True)
            reset = self._hit(self._local, key_id)
        if reset is not None:
            raise RateLimitedError(
                f"more than {self._rate} for {self._of}", retry_after_s=max(1, math.ceil(reset - time.time()))
            )

    def _hit(self, limiter: strategies.MovingWindowRateLimiter, key_id: str) -> float | None:
        """Count the request; None when it is within the rate, else when the window lets the next one in."""
        assert self._rate is not None
        if limiter.hit(self._rate, key_id):
            return None
        return float(limiter.get_window_stats(self._rate, key_id).reset_time)
