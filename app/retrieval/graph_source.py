"""Candidates answered by Neo4j, for a user whose memories are not in the cache (not loaded yet, or the
cache is off): vector candidates from an exact scan or the HNSW index, Lucene's hits, conversations as
documents and `NEXT` neighbours, in three more round trips."""

from __future__ import annotations

import math
from collections.abc import Iterator

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.retrieval.fusion import Candidate
from app.retrieval.plan import SearchPlan
from app.retrieval.ranking import conversation_strength
from app.retrieval.rows import fact_states, memory_row
from app.retrieval.signals import Signals
from app.settings import Settings


def _cosine(neo4j_score: float) -> float:
    """Neo4j's vector scores are (1 + cosine) / 2; fusion works on the cosine."""
    return 2 * float(neo4j_score) - 1


class GraphSource:
    """A search's candidates from Neo4j."""

    def __init__(self, repository: GraphRepository, settings: Settings, embedding: list[float]) -> None:
        self.repository = repository
        self.settings = settings
        self.embedding = embedding

    def keywords(self, signals: Signals) -> Signals:
        """The round trip's signals as they are: Lucene's scores."""
        return signals

    def candidates(self, plan: SearchPlan, signals: Signals) -> tuple[dict[str, Candidate], dict[str, float]]:
        """Vector and Lucene candidates in one round trip, then the best conversations' best memories."""
        options, eligibility = plan.options, plan.eligibility
        user_count = signals.state.memory_count
        if options.mode == "keyword":
            vector_source = "none"
        else:
            vector_source = "exact" if user_count <= self.settings.exact_scan_below else "index"
        # The index answers over all users: ask for enough that this user's share still fills the list.
        share = signals.total / user_count if user_count else 1.0
        vector_k = min(10_000, math.ceil(self.settings.vector_candidates * share * self.settings.vector_oversample))
        rows = self.repository.read_all(
            Query.SEARCH_CANDIDATES,
            user_id=plan.user_id,
            embedding=self.embedding,
            vector_source=vector_source,
            vector_k=vector_k,
            candidates=plan.candidates,
            found=signals.found(options.mode),
            **eligibility.cypher_parameters(),
        )
        candidates = {}
        for r in rows:
            memory = memory_row(r["memory"])
            candidates[memory["id"]] = plan.candidate(memory, _cosine(r["semantic"]), fact_states(r["facts"]))
        strength: dict[str, float] = {}
        if plan.conversations and options.mode != "keyword":
            strength = self._conversations(plan, signals, candidates)
        return candidates, strength

    def _conversations(self, plan: SearchPlan, signals: Signals, candidates: dict[str, Candidate]) -> dict[str, float]:
        """Conversations as documents; adds the best memories of the best conversations to `candidates`
        and returns each conversation's strength."""
        rows = self.repository.read_all(
            Query.CONVERSATION_CANDIDATES,
            user_id=plan.user_id,
            embedding=self.embedding,
            conversations=plan.conversations,
            keyword_conversations=list(signals.conversations),
            per_conversation=self.settings.memories_per_conversation,
            as_of=plan.eligibility.as_of,
        )
        for row in rows:
            memory = memory_row(row["memory"])
            if memory["id"] not in candidates and plan.eligibility.admits(memory):
                candidates[memory["id"]] = plan.candidate(memory, _cosine(row["semantic"]), fact_states(row["facts"]))
        semantic = {r["conversation_id"]: _cosine(r["conversation_semantic"]) for r in rows}
        return conversation_strength(semantic, signals.conversations, plan.weights)

    def neighbours(
        self, plan: SearchPlan, parents: dict[str, float], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """The `NEXT` neighbours of each parent, in one round trip."""
        yield from self._related(Query.MEMORY_NEIGHBOURS, plan, list(parents), candidates)

    def successors(
        self, plan: SearchPlan, superseded: list[str], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """The memories asserting the current facts that replaced theirs, in one round trip."""
        yield from self._related(Query.MEMORY_SUCCESSORS, plan, superseded, candidates)

    def _related(
        self, statement: Query, plan: SearchPlan, ids: list[str], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """(id, related id) for each eligible memory `statement` relates to one of `ids`, added to
        `candidates` where it was not one already."""
        rows = self.repository.read_all(
            statement, user_id=plan.user_id, ids=ids, embedding=self.embedding, as_of=plan.eligibility.as_of
        )
        for row in rows:
            memory = memory_row(row["memory"])
            if not plan.eligibility.admits(memory):
                continue
            if memory["id"] not in candidates:
                candidates[memory["id"]] = plan.candidate(memory, _cosine(row["semantic"]), fact_states(row["facts"]))
            yield row["parent_id"], memory["id"]
