"""The first round trip of every search: where the user's memories stand, and what Lucene finds.

Light rows only (ids and scores): a search answered from the memory cache needs nothing more from Neo4j.
Lucene answers only for a user the cache does not hold: the cache scores the words of a user it holds by
that user's own statistics (`app.retrieval.cache.keywords`, `entity_words`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.retrieval.cache.state import CacheState
from app.retrieval.options import Mode


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
