"""Where a user's memories stand in the graph: what tells a cache, or a context computed from it, that it
is out of date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CacheState:
    """Where a user's memories stand in the graph, as the search read it."""

    version: int
    deletions: int
    generation: str
    memory_count: int

    @classmethod
    def of_row(cls, row: Any) -> CacheState:
        """From a row with the user's vector_version, deleted_memories, generation and user_count."""
        return cls(
            version=int(row["vector_version"]),
            deletions=int(row["deleted_memories"]),
            generation=str(row["generation"]),
            memory_count=int(row["user_count"]),
        )
