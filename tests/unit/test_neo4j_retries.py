"""The one retry policy for Neo4j: a passing failure (deadlock, server unreachable) is tried again, with a
pause that grows; a failure of the query itself is not; whatever fails, the caller may drop its session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from app.graph.retries import RetryPolicy, passing

DEADLOCK = Neo4jError._hydrate_neo4j(code="Neo.TransientError.Transaction.DeadlockDetected", message="deadlock")
SYNTAX = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError", message="bad")


def _failing(times: int, error: Exception) -> tuple[Callable[[], str], list[int]]:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return "done"

    return work, calls


def test_what_passes_is_what_the_server_or_driver_calls_retryable() -> None:
    assert passing(DEADLOCK)
    assert passing(ServiceUnavailable("no route"))  # type: ignore[no-untyped-call]
    assert not passing(SYNTAX)
    assert not passing(ValueError("ours"))


def test_a_deadlock_is_tried_again_until_the_work_is_done() -> None:
    work, calls = _failing(3, DEADLOCK)
    dropped: list[int] = []
    assert RetryPolicy(attempts=5, first_pause_s=0.0).run(work, lambda: dropped.append(1)) == "done"
    assert len(calls) == 4
    assert len(dropped) == 3


def test_a_bad_query_fails_at_once_and_still_drops_the_session() -> None:
    work, calls = _failing(1, SYNTAX)
    dropped: list[int] = []
    with pytest.raises(Neo4jError):
        RetryPolicy(attempts=5, first_pause_s=0.0).run(work, lambda: dropped.append(1))
    assert len(calls) == 1
    assert len(dropped) == 1


def test_the_last_passing_failure_reaches_the_caller_after_every_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("app.graph.retries.time.sleep", pauses.append)
    work, calls = _failing(10, DEADLOCK)
    with pytest.raises(Neo4jError):
        RetryPolicy(attempts=4, first_pause_s=0.1, jitter=0.0).run(work)
    assert len(calls) == 4
    assert pauses == pytest.approx([0.1, 0.2, 0.4])
