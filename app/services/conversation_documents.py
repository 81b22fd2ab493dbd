"""Conversation documents (text and embedding sum, for the session signal of retrieval) are derived
data: the write path marks a conversation stale, and this worker rebuilds stale ones off the request
path, every couple of seconds. Refreshing after each message instead would take the conversation's lock
while the next message of the same conversation wants it, which doubled the write latency. The stale
flag lives in the graph, so a crash loses no refresh: the next worker (any process) picks it up."""

from __future__ import annotations

import logging
import threading

from app.errors import GraphUnavailableError
from app.graph.cypher import Query
from app.graph.repository import GraphRepository

log = logging.getLogger(__name__)

BATCH = 200


class ConversationDocuments:
    """A background thread that refreshes stale conversation documents."""

    def __init__(self, repository: GraphRepository, interval_s: float = 2.0) -> None:
        self.repository = repository
        self.interval_s = interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="conversation-documents", daemon=True)

    def start(self) -> None:
        """Start refreshing (also what earlier processes left stale)."""
        self._thread.start()
        self._wake.set()

    def flush(self) -> int:
        """Refresh every stale document now, in this thread; returns how many were refreshed."""
        total = 0
        while True:
            record = self.repository.write_one(Query.CONVERSATION_DOCUMENTS_REFRESH, limit=BATCH)
            refreshed = int(record["refreshed"]) if record else 0
            total += refreshed
            if refreshed < BATCH:
                return total

    def close(self) -> None:
        """Stop the thread after a last refresh."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            try:
                self.flush()
            except GraphUnavailableError:
                log.warning("conversation documents not refreshed: Neo4j unavailable; will retry")
            except Exception:  # a refresh failure must not kill the worker; the flag keeps the work
                log.exception("conversation document refresh failed; will retry")
