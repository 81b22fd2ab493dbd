"""The first round trip of every search: where the user's memories stand, and what Lucene finds.

Light rows only (ids and scores): a search answered from the memory cache needs nothing more from Neo4j.
Lucene answers only for a user the cache does not hold: the cache scores the words of a user it holds by
that user's own statistics (`app.retrieval.cache.keywords`, `entity_words`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.graph.cypher import Query
from app.graph.owner_token import owner_token
from app.graph.repository import GraphRepository
from app.retrieval.cache.state import CacheState
from app.retrieval.lucene import scoped_query
from app.retrieval.options import Mode
from app.retrieval.plan import SearchPlan


@dataclass(frozen=True)
class Signals:
    """What the first round trip read."""

    state: CacheState
    #: memories in the whole graph (the vector index answers over all of them)
    total: int
    keyword: dict[str, float]
    entity: dict[str, float]
    conversations: dict[str, float]

    def found(self, mode: Mode) -> list[str]:
        """The memories Lucene found that join the candidates (entity matches only in hybrid search)."""
        return list(self.keyword | self.entity if mode == "hybrid" else self.keyword)


def read_signals(repository: GraphRepository, plan: SearchPlan, lucene: bool = True) -> Signals:
    """Run the first round trip of `plan`: counts, version stamps, and (when `lucene`: a user the cache
    does not hold) the full-text queries."""
    token = owner_token(plan.user_id)

    def text(fields: list[str]) -> str:
        return scoped_query(token, fields, plan.clauses) if plan.terms and lucene else ""

    row = repository.read_one(
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


def read_state(repository: GraphRepository, user_id: str) -> CacheState:
    """Where the user's memories stand, alone: one light round trip."""
    row = repository.read_one(Query.USER_STATE, user_id=user_id)
    assert row is not None  # the query always answers one row
    return CacheState.of_row(row)
