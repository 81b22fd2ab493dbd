"""The one background loop: rounds on wake and at close, and a failing round does not end the thread."""

from __future__ import annotations

import threading

from app.background.periodic import PeriodicWorker
from app.errors import GraphUnavailableError


def test_a_woken_worker_runs_at_once_and_once_more_when_closed() -> None:
    rounds: list[int] = []
    ran = threading.Event()

    def work() -> None:
        rounds.append(len(rounds))
        ran.set()

    worker = PeriodicWorker("test", work, interval_s=3600)
    worker.start()
    assert ran.wait(5), "the first round runs at start, not after the interval"
    ran.clear()
    worker.wake()
    assert ran.wait(5), "a wake runs a round before the interval ends"
    before = len(rounds)
    worker.close()
    assert len(rounds) == before + 1


def test_a_failing_round_is_logged_and_the_next_one_runs() -> None:
    calls: list[str] = []
    second = threading.Event()

    def work() -> None:
        calls.append("call")
        if len(calls) == 1:
            raise GraphUnavailableError("down")
        if len(calls) == 2:
            raise RuntimeError("a bug")
        second.set()

    worker = PeriodicWorker("test", work, interval_s=0.01)
    worker.start()
    assert second.wait(5)
    worker.close()
    assert len(calls) >= 3
