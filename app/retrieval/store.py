"""The search's queries: the first round trip (where the user's memories stand, and Lucene's hits), the
candidates Neo4j answers for a user the memory cache does not hold, and a user's memories for the cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.graph.cypher import Query
from app.graph.owner_token import owner_token
from app.graph.repository import GraphRepository
from app.retrieval.cache.state import CacheState
from app.retrieval.lucene import scoped_query
from app.retrieval.plan import SearchPlan
from app.retrieval.rows import MemoryRow, fact_states, memory_row
from app.retrieval.signals import Signals


@dataclass(frozen=True)
class Found:
    """A memory Neo4j found, with its cosine to the query and its facts' (predicate, status)."""

    memory: MemoryRow
    semantic: float
    facts: list[tuple[str, str]]
    #: the memory it was found from (a neighbour's or a successor's), else None
    parent_id: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A user's memories as read from the graph, with where they stood when read."""

    state: CacheState
    rows: list[dict[str, Any]] | None  # None: the user held more than the fetch asked for


def _cosine(neo4j_score: float) -> float:
    """Neo4j's vector scores are (1 + cosine) / 2; fusion works on the cosine."""
    return 2 * float(neo4j_score) - 1


def _found(row: Any) -> Found:
    return Found(memory_row(row["memory"]), _cosine(row["semantic"]), fact_states(row["facts"]), row.get("parent_id"))


class SearchStore:
    """What a search reads from the graph."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def signals(self, plan: SearchPlan, lucene: bool = True) -> Signals:
        """The first round trip of `plan`: counts, version stamps, and (when `lucene`: a user the cache
        does not hold) the full-text queries."""
        token = owner_token(plan.user_id)

        def text(fields: list[str]) -> str:
            return scoped_query(token, fields, plan.clauses) if plan.terms and lucene else ""

        row = self.repository.read_one(
            Query.SEARCH_SIGNALS,
            user_id=plan.user_id,
            lucene=text(["content"]),
            entity_lucene=text(["name", "aliases"]),
            conversation_lucene=text(["text"]),
            candidates=plan.candidates,
            conversations=plan.conversations,
        )
        assert row is not None  # the query always answers one row
        return Signals(
            state=CacheState.of_row(row),
            total=int(row["total_count"]),
            keyword={hit["id"]: float(hit["score"]) for hit in row["keyword"]},
            entity={hit["id"]: float(hit["score"]) for hit in row["entity"]},
            conversations={hit["conversation_id"]: float(hit["score"]) for hit in row["conversations"]},
        )

    def state(self, user_id: str) -> CacheState:
        """Where the user's memories stand, alone: one light round trip."""
        row = self.repository.read_one(Query.USER_STATE, user_id=user_id)
        assert row is not None  # the query always answers one row
        return CacheState.of_row(row)

    def for_cache(self, user_id: str, after: int, at_most: int) -> Fetched:
        """The user's memories stamped after version `after`, unless they hold more than `at_most`."""
        row = self.repository.read_one(Query.MEMORIES_FOR_CACHE, user_id=user_id, after=after, at_most=at_most)
        assert row is not None  # the query always answers one row
        state = CacheState.of_row(row)
        return Fetched(state, row["memories"] if state.memory_count <= at_most else None)

    def candidates(
        self, plan: SearchPlan, embedding: list[float], found: list[str], vector_source: str, vector_k: int
    ) -> list[Found]:
        """The plan's eligible vector candidates (by an exact scan, the HNSW index asked for `vector_k`, or
        none: `vector_source`) and the memories Lucene `found`, in one round trip."""
        rows = self.repository.read_all(
            Query.SEARCH_CANDIDATES,
            user_id=plan.user_id,
            embedding=embedding,
            vector_source=vector_source,
            vector_k=vector_k,
            candidates=plan.candidates,
            found=found,
            **plan.eligibility.cypher_parameters(),
        )
        return [_found(r) for r in rows]

    def conversation_candidates(
        self, plan: SearchPlan, embedding: list[float], keyword_conversations: list[str], per_conversation: int
    ) -> tuple[list[Found], dict[str, float]]:
        """The best memories of the conversations closest to the query or Lucene found, and each such
        conversation's cosine to the query."""
        rows = self.repository.read_all(
            Query.CONVERSATION_CANDIDATES,
            user_id=plan.user_id,
            embedding=embedding,
            conversations=plan.conversations,
            keyword_conversations=keyword_conversations,
            per_conversation=per_conversation,
            as_of=plan.eligibility.as_of,
        )
        return [_found(r) for r in rows], {r["conversation_id"]: _cosine(r["conversation_semantic"]) for r in rows}

    def neighbours(self, plan: SearchPlan, embedding: list[float], ids: list[str]) -> list[Found]:
        """The `NEXT` neighbours of each of `ids`, each with the id it neighbours."""
        return self._related(Query.MEMORY_NEIGHBOURS, plan, embedding, ids)

    def successors(self, plan: SearchPlan, embedding: list[float], ids: list[str]) -> list[Found]:
        """The memories asserting the current facts that replaced those of each of `ids`."""
        return self._related(Query.MEMORY_SUCCESSORS, plan, embedding, ids)

    def _related(self, statement: Query, plan: SearchPlan, embedding: list[float], ids: list[str]) -> list[Found]:
        rows = self.repository.read_all(
            statement, user_id=plan.user_id, ids=ids, embedding=embedding, as_of=plan.eligibility.as_of
        )
        return [_found(r) for r in rows]
