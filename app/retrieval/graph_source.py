"""Candidates answered by Neo4j, for a user whose memories are not in the cache (not loaded yet, or the
cache is off): vector candidates from an exact scan or the HNSW index, Lucene's hits, conversations as
documents and `NEXT` neighbours, in three more round trips."""

from __future__ import annotations

import math
from collections.abc import Iterator

from app.retrieval.fusion import Candidate
from app.retrieval.plan import SearchPlan
from app.retrieval.ranking import conversation_strength
from app.retrieval.signals import Signals
from app.retrieval.store import Found, SearchStore
from app.settings import Settings


class GraphSource:
    """A search's candidates from Neo4j."""

    def __init__(self, store: SearchStore, settings: Settings, embedding: list[float]) -> None:
        self.store = store
        self.settings = settings
        self.embedding = embedding

    def keywords(self, signals: Signals) -> Signals:
        """The round trip's signals as they are: Lucene's scores."""
        return signals

    def candidates(self, plan: SearchPlan, signals: Signals) -> tuple[dict[str, Candidate], dict[str, float]]:
        """Vector and Lucene candidates in one round trip, then the best conversations' best memories."""
        options = plan.options
        user_count = signals.state.memory_count
        if options.mode == "keyword":
            vector_source = "none"
        else:
            vector_source = "exact" if user_count <= self.settings.exact_scan_below else "index"
        # The index answers over all users: ask for enough that this user's share still fills the list.
        share = signals.total / user_count if user_count else 1.0
        vector_k = min(10_000, math.ceil(self.settings.vector_candidates * share * self.settings.vector_oversample))
        found = self.store.candidates(plan, self.embedding, signals.found(options.mode), vector_source, vector_k)
        candidates = {f.memory["id"]: plan.candidate(f.memory, f.semantic, f.facts) for f in found}
        strength: dict[str, float] = {}
        if plan.conversations and options.mode != "keyword":
            strength = self._conversations(plan, signals, candidates)
        return candidates, strength

    def _conversations(self, plan: SearchPlan, signals: Signals, candidates: dict[str, Candidate]) -> dict[str, float]:
        """Conversations as documents; adds the best memories of the best conversations to `candidates`
        and returns each conversation's strength."""
        found, semantic = self.store.conversation_candidates(
            plan, self.embedding, list(signals.conversations), self.settings.memories_per_conversation
        )
        for f in found:
            if f.memory["id"] not in candidates and plan.eligibility.admits(f.memory):
                candidates[f.memory["id"]] = plan.candidate(f.memory, f.semantic, f.facts)
        return conversation_strength(semantic, signals.conversations, plan.weights)

    def neighbours(
        self, plan: SearchPlan, parents: dict[str, float], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """The `NEXT` neighbours of each parent, in one round trip."""
        yield from self._added(plan, self.store.neighbours(plan, self.embedding, list(parents)), candidates)

    def successors(
        self, plan: SearchPlan, superseded: list[str], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """The memories asserting the current facts that replaced theirs, in one round trip."""
        yield from self._added(plan, self.store.successors(plan, self.embedding, superseded), candidates)

    @staticmethod
    def _added(plan: SearchPlan, found: list[Found], candidates: dict[str, Candidate]) -> Iterator[tuple[str, str]]:
        """(id, related id) for each eligible memory found from one of the parents, added to `candidates`
        where it was not one already."""
        for f in found:
            if not plan.eligibility.admits(f.memory):
                continue
            if f.memory["id"] not in candidates:
                candidates[f.memory["id"]] = plan.candidate(f.memory, f.semantic, f.facts)
            assert f.parent_id is not None  # related memories are found from a parent
            yield f.parent_id, f.memory["id"]
