"""The one retry policy for Neo4j: which failures pass, how many times a unit of work is tried, and how long
it waits between tries.

Reads run in auto-commit transactions (one round trip, where a managed transaction adds a COMMIT's), which
the driver never retries; writes run in managed ones, which it would. Its own retries are off
(`max_transaction_retry_time` 0 in `app.graph.driver`), so that reads and writes are tried alike, here.
A dead server fails a request within the tries' pauses (well under a second); a deadlock with another
process, which this process's per-user locks cannot prevent, is tried again after a jittered pause so that
the two do not collide again in step.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from neo4j.exceptions import DriverError, Neo4jError

T = TypeVar("T")


def passing(error: BaseException) -> bool:
    """Whether a failure is of a passing kind (the server's or the driver's own word): a deadlock, a leader
    switch, a server restarting or unreachable."""
    return isinstance(error, Neo4jError | DriverError) and error.is_retryable()


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all; the pause before the second is `first_pause_s`, doubling before each next,
    each within ±`jitter` of its length."""

    attempts: int = 5
    first_pause_s: float = 0.05
    jitter: float = 0.25

    def run(self, work: Callable[[], T], after_failure: Callable[[], None] | None = None) -> T:
        """`work`'s result, tried again while it fails for a passing reason; `after_failure` runs after every
        failure (to drop a session that may be broken), passing or not."""
        for attempt in range(1, self.attempts + 1):
            try:
                return work()
            except Exception as error:
                if after_failure is not None:
                    after_failure()
                if attempt == self.attempts or not passing(error):
                    raise
                pause = self.first_pause_s * 2 ** (attempt - 1)
                time.sleep(pause * random.uniform(1 - self.jitter, 1 + self.jitter))
        raise AssertionError("unreachable")


#: The policy of every read and write of the graph.
NEO4J_RETRIES = RetryPolicy()
