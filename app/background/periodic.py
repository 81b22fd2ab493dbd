"""The one background loop of the service: a daemon thread that runs a round of work every interval, when
woken, and once more when closed. A failing round is logged and the next one tries again, so a job's
failure never kills its thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from prometheus_client import Counter

from app.errors import GraphUnavailableError

log = logging.getLogger(__name__)

RUNS = Counter("memory_background_runs_total", "Rounds of background jobs, by job and outcome", ["job", "outcome"])


class PeriodicWorker:
    """Runs `work` in its own thread every `interval_s` seconds, from `start` until `close`."""

    def __init__(self, name: str, work: Callable[[], object], interval_s: float, final_round: bool = True) -> None:
        self.name = name
        self.interval_s = interval_s
        self.final_round = final_round
        self._work = work
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread; its first round runs at once."""
        self._thread.start()
        self._wake.set()

    def wake(self) -> None:
        """Run a round now rather than at the end of the interval."""
        self._wake.set()

    def close(self) -> None:
        """Stop the thread after a last round (unless `final_round` is false)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval_s)
            self._wake.clear()
            if self._stop.is_set():
                break
            self._round()
        if self.final_round:
            self._round()

    @property
    def stopping(self) -> bool:
        """True once `close` was called: a long round can stop early and leave the rest for later."""
        return self._stop.is_set()

    def _round(self) -> None:
        try:
            self._work()
        except GraphUnavailableError:
            RUNS.labels(self.name, "neo4j_unavailable").inc()
            log.warning("%s: Neo4j unavailable; will retry", self.name)
        except Exception:
            RUNS.labels(self.name, "failed").inc()
            log.exception("%s failed; will retry", self.name)
        else:
            RUNS.labels(self.name, "done").inc()
