"""The entities a user's memories mention, as keyword documents: what the query's words find among the
user's people, pets and places (their names and aliases), by the user's own statistics, and which
memories mention each. The in-process counterpart of Neo4j's `entity_names` index for a user the cache
holds (docs/decisions/0013-keyword-statistics.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from app.retrieval.cache.keywords import KeywordIndex

#: How many entities the words may find, as the Lucene query over `entity_names` asks.
ENTITY_HITS = 20


class EntityWords:
    """Entity documents (name and aliases) numbered as first seen, and the memories mentioning each.
    Entities only gain aliases and mentions between loads: a deletion reloads the user. Not thread-safe:
    its owner holds the lock."""

    def __init__(self) -> None:
        self._index = KeywordIndex()
        self._number_of: dict[str, int] = {}
        self._texts: list[str] = []
        self._mentioned_by: list[set[int]] = []
        self._own_bytes = 0  # kept as entities change: the cache's budget asks for every user's after each load

    @property
    def nbytes(self) -> int:
        """Approximate memory taken: the index, each entity's text and 100 bytes, 40 bytes a mention."""
        return self._index.nbytes + self._own_bytes

    def put(self, memory: int, entities: Sequence[dict[str, Any]]) -> None:
        """Record that `memory` mentions `entities` ({id, name, aliases}), as they read now."""
        for entity in entities:
            text = " ".join([entity["name"], *(entity.get("aliases") or [])])
            number = self._number_of.get(entity["id"])
            if number is None:
                number = self._number_of[entity["id"]] = len(self._texts)
                self._texts.append(text)
                self._mentioned_by.append(set())
                self._index.put(number, 0, text)
                self._own_bytes += len(text) + 100
            elif self._texts[number] != text:
                self._index.put(number, 0, text, previous=self._texts[number])
                self._own_bytes += len(text) - len(self._texts[number])
                self._texts[number] = text
            if memory not in self._mentioned_by[number]:
                self._mentioned_by[number].add(memory)
                self._own_bytes += 40

    def best(self, clauses: Sequence[tuple[str, float]]) -> dict[int, float]:
        """Each memory mentioning one of the `ENTITY_HITS` entities that best match `clauses`, with the
        best such entity's BM25."""
        entities, _ = self._index.best(clauses, np.ones(len(self._texts), dtype=np.bool_), ENTITY_HITS, 0)
        found: dict[int, float] = {}
        for number, score in entities:
            for memory in self._mentioned_by[number]:
                found[memory] = max(found.get(memory, 0.0), score)
        return found
