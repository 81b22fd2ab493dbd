"""Hybrid retrieval: vectors + Lucene full-text + the graph neighbourhood, fused.

One pass: plan (`plan`) → the first round trip (`signals`) → candidates from the memory cache or from
Neo4j (`cached_source`, `graph_source`) → one ranking pipeline (`ranking`) → hits. While Neo4j answers the
first round trip, this thread embeds the query and, when the user's memories are held, filters and scores
them and gathers the candidates meaning alone gives; when they are not, another thread reads them. Access
is recorded off the response path (`app.background.access`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from app.background.access import AccessRecorder
from app.graph.repository import GraphRepository
from app.nlp.embedding import Embedder
from app.retrieval.cache.loader import MemoryCache
from app.retrieval.cached_source import CachedSource, FilteredMemories, ScoredMemories
from app.retrieval.fusion import Candidate, Weights
from app.retrieval.graph_source import GraphSource
from app.retrieval.options import SearchHit, SearchOptions
from app.retrieval.plan import plan_search
from app.retrieval.ranking import CandidateSource, rank
from app.retrieval.store import SearchStore
from app.settings import Settings


class RetrievalService:
    """Search one user's memories."""

    def __init__(
        self,
        settings: Settings,
        repository: GraphRepository,
        embedder: Embedder,
        cache: MemoryCache,
        access: AccessRecorder,
    ) -> None:
        self.settings = settings
        self.store = SearchStore(repository)
        self.embedder = embedder
        self.cache = cache
        self.access = access
        self.weights = Weights.of_settings(settings)
        self._signal_readers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="search-signals")

    def close(self) -> None:
        """Stop the threads that run first round trips."""
        self._signal_readers.shutdown(wait=True)

    def search(
        self, user_id: str, text: str, options: SearchOptions, embedding: list[float] | None = None
    ) -> list[SearchHit]:
        """The user's best memories for a query (or a precomputed embedding of it)."""
        plan = plan_search(self.settings, self.weights, user_id, text, options)
        # The filter goes before the round trip's thread starts: its few numpy steps over every memory
        # each wait for the GIL once that thread runs.
        held = self.cache.peek(user_id)
        filtered = FilteredMemories.of(plan, held) if held is not None else None
        # Lucene scores the words for a user not held; the cache scores those of a user it holds.
        pending = self._signal_readers.submit(self.store.signals, plan, held is None)
        # A user not held yet: their memories are read beside the first round trip, not after it.
        fetching = None
        if held is None and self.cache.enabled:
            fetching = self._signal_readers.submit(self.cache.fetch, user_id, self.cache.sync_load_below)
        if embedding is None:
            embedding = self.embedder.encode_one(text) if options.mode != "keyword" else [0.0] * self.embedder.dimension
        query = np.asarray(embedding, dtype=np.float32)
        per_conversation = self.settings.memories_per_conversation
        early = None
        if held is not None:
            early = CachedSource.of(plan, ScoredMemories.of(plan, held, query, filtered), per_conversation)
        signals = pending.result()
        memories = self.cache.get(user_id, signals.state, fetching)
        source: CandidateSource
        if memories is None:
            if held is not None and plan.terms:  # held until this round trip found memories deleted since
                signals = self.store.signals(plan)
            source = GraphSource(self.store, self.settings, embedding)
        elif early is not None and early.scored.still_fits(memories):
            source = early
        else:
            source = CachedSource.of(plan, ScoredMemories.of(plan, memories, query), per_conversation)
        ranked = rank(plan, signals, source)
        hits = [_hit(c) for c in ranked[: options.k]]
        if options.record_access and hits:
            self.access.record(user_id, [h.memory_id for h in hits])
        return hits


def _hit(c: Candidate) -> SearchHit:
    m = c.memory
    return SearchHit(
        memory_id=m["id"],
        message_id=m["message_id"],
        content=m["content"],
        occurred_at=m["occurred_at"],
        memory_type=m["memory_type"],
        significance=m["significance"],
        conversation_id=m["conversation_id"],
        role=m.get("role"),
        speaker=m.get("speaker"),
        score=round(c.score, 4),
        parts=c.parts,
        superseded=list(c.superseded),
    )
