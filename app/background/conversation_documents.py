"""Conversation documents (text and embedding sum, for the conversation signal of retrieval) are derived
data: the write path marks a conversation stale, and this worker rebuilds stale ones off the request
path, every couple of seconds. Refreshing after each message instead would take the conversation's lock
while the next message of the same conversation wants it (docs/decisions/0005-conversation-documents.md).
The stale flag lives in the graph, so a crash loses no refresh: the next worker (any process) picks it
up."""

from __future__ import annotations

from app.background.periodic import PeriodicWorker
from app.background.store import UpkeepStore
from app.graph.repository import GraphRepository

BATCH = 200


class ConversationDocuments:
    """A background thread that refreshes stale conversation documents."""

    def __init__(self, repository: GraphRepository, interval_s: float = 2.0) -> None:
        self.store = UpkeepStore(repository)
        self._worker = PeriodicWorker("conversation-documents", self.flush, interval_s)

    def start(self) -> None:
        """Start refreshing (also what earlier processes left stale)."""
        self._worker.start()

    def flush(self) -> int:
        """Refresh every stale document now, in this thread; returns how many were refreshed."""
        total = 0
        while True:
            refreshed = self.store.refresh_documents(BATCH)
            total += refreshed
            if refreshed < BATCH:
                return total

    def close(self) -> None:
        """Stop the thread after a last refresh."""
        self._worker.close()
