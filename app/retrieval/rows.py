"""A memory as retrieval holds it: the fields a search filters on and a hit shows, never its vectors.
The Cypher projections of `search_candidates`, `conversation_candidates`, `memory_neighbours` and
`memories_for_cache` return exactly these keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from app.graph.values import native


class MemoryRow(TypedDict):
    """One memory's fields, with driver values made plain Python (`occurred_at` a `datetime`)."""

    id: str
    message_id: str
    content: str
    occurred_at: datetime
    memory_type: str
    significance: float
    conversation_id: str
    seq: int | None
    tier: str | None
    role: str | None
    speaker: str | None


def fact_states(projected: Any) -> list[tuple[str, str]]:
    """A memory's facts as the queries return them (`[predicate, status]` lists, or null), as pairs."""
    return [(predicate, status) for predicate, status in projected or ()]


def memory_row(projected: Any) -> MemoryRow:
    """A memory map as a query returns it, its driver values made plain Python."""
    row: MemoryRow = {key: native(value) for key, value in projected.items()}  # type: ignore[assignment]
    return row
