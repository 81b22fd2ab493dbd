"""Type-ahead: context computed while the user types, so that it is ready when they press Enter.

`precompute` (run after a pause in typing) embeds the draft, assembles the context as `POST /context`
does, and keeps it in the context cache. `answer` (on send) reuses it when the text is the same (the
embedding too) or means the same (cosine to the draft's embedding at least the reuse bar), and the user's
memories have not moved since; otherwise it computes the context then. `store` writes the sent message
as `POST /v1/messages` does, reusing the draft's embedding when the text is the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.graph.repository import GraphRepository
from app.nlp.embedding import Embedder
from app.retrieval.context import Context, ContextService
from app.retrieval.store import SearchStore
from app.typeahead.cache import ContextCache, Entry
from app.write.ingest import IncomingMessage, IngestOutcome, IngestService


@dataclass(frozen=True)
class Answer:
    """The context for a sent message, and where it came from."""

    context: Context
    warm: bool  # from the type-ahead cache
    age_ms: float | None  # how old the cached context was
    took_ms: float
    embedding: list[float]


class TypeaheadService:
    """Precompute on a pause, answer on send, write what was sent."""

    def __init__(
        self,
        repository: GraphRepository,
        embedder: Embedder,
        context: ContextService,
        ingest: IngestService,
        cache: ContextCache,
    ) -> None:
        self.search_store = SearchStore(repository)
        self.embedder = embedder
        self.context = context
        self.ingest = ingest
        self.cache = cache

    def warm(self, owner: str) -> None:
        """Load the user's memories into the memory cache now, so that the first search after the socket
        opened does not pay for the load."""
        self.context.retrieval.cache.get(owner, self.search_store.state(owner))

    def precompute(self, owner: str, conversation: str, text: str, companion: str | None = None) -> Entry:
        """Embed the draft, assemble its context and keep it; returns the entry."""
        started = time.perf_counter()
        state = self.search_store.state(owner)
        embedding = self.embedder.encode_one(text)
        # A draft's memories count as recalled only if its context is used (`answer`).
        built = self.context.build(owner, text, companion_id=companion, embedding=embedding, record_access=False)
        entry = Entry(
            text=text,
            embedding=embedding,
            context=built,
            state=state,
            computed_at=time.time(),
            took_ms=(time.perf_counter() - started) * 1000,
        )
        self.cache.remember(owner, conversation, entry)
        return entry

    def answer(
        self, owner: str, conversation: str, text: str, companion: str | None = None, record_access: bool = True
    ) -> Answer:
        """The context for a sent message: from the cache when it may serve, else computed now; its
        memories count as recalled unless `record_access` is false."""
        started = time.perf_counter()
        state = self.search_store.state(owner)
        reuse = self.cache.reusable(owner, conversation, text, state)
        embedding = reuse.entry.embedding if reuse is not None else self.embedder.encode_one(text)
        if reuse is None:
            reuse = self.cache.reusable(owner, conversation, text, state, embedding)
        if reuse is not None:
            if record_access and reuse.entry.context.memories:
                self.context.retrieval.access.record(owner, [m.memory_id for m in reuse.entry.context.memories])
            return Answer(reuse.entry.context, True, reuse.age_ms, _since(started), embedding)
        built = self.context.build(
            owner, text, companion_id=companion, embedding=embedding, record_access=record_access
        )
        return Answer(built, False, None, _since(started), embedding)

    def store(self, message: IncomingMessage, embedding: list[float] | None) -> IngestOutcome:
        """Write the sent message durably, with the embedding of its text where known."""
        known = {message.message_id: embedding} if embedding is not None else {}
        return self.ingest.ingest([message], known)[0]


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
