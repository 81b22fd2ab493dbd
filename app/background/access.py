"""Recording which memories retrieval returned (`last_accessed_at`, `access_count`), off the response path
and in batches: one write a second at most, however many searches ran, so that the context call a
companion makes before every reply does not also cost a write transaction each time."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from app.background.periodic import PeriodicWorker
from app.background.store import UpkeepStore
from app.graph.repository import GraphRepository

log = logging.getLogger(__name__)


class AccessRecorder:
    """Collects returned memories and writes their access in one transaction per interval."""

    def __init__(self, repository: GraphRepository, interval_s: float = 1.0) -> None:
        self.store = UpkeepStore(repository)
        # (user id, memory id) -> how often returned since the last write, and when last.
        self._pending: dict[tuple[str, str], tuple[int, datetime]] = {}
        self._lock = threading.Lock()
        # Held through a flush's write: a flush returns only once everything recorded before it is written,
        # even when the background round took it a moment before and is still writing.
        self._flushing = threading.Lock()
        self._worker = PeriodicWorker("record-access", self.flush, interval_s)
        self._worker.start()

    def record(self, user_id: str, memory_ids: list[str]) -> None:
        """Note that these memories of the user were just returned."""
        at = datetime.now(UTC)
        with self._lock:
            for memory_id in memory_ids:
                count, _ = self._pending.get((user_id, memory_id), (0, at))
                self._pending[(user_id, memory_id)] = (count + 1, at)

    def flush(self) -> None:
        """Write what is pending now (tests, shutdown, the background round)."""
        with self._flushing:
            with self._lock:
                pending, self._pending = self._pending, {}
            rows = [
                {"user_id": user_id, "id": memory_id, "count": count, "at": at}
                for (user_id, memory_id), (count, at) in pending.items()
            ]
            if not rows:
                return
            try:
                self.store.touch(rows)
            except Exception:  # recording access must never hurt retrieval; these counts are lost, no more
                log.warning("could not record access for %d memories", len(rows), exc_info=True)

    def close(self) -> None:
        """Stop the background writer after a last flush."""
        self._worker.close()
