"""The background upkeep's queries: when memories were read, and conversations' documents made again."""

from __future__ import annotations

from typing import Any

from app.graph.cypher import Query
from app.graph.repository import GraphRepository


class UpkeepStore:
    """What the background workers write."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def touch(self, rows: list[dict[str, Any]]) -> None:
        """Count reads of memories (`id`, `user_id`, `count`, `at`) and move their last access on."""
        self.repository.write_one(Query.MEMORIES_TOUCH, rows=rows)

    def refresh_documents(self, limit: int) -> int:
        """Make again at most `limit` stale conversation documents (text and vector sum); how many."""
        record = self.repository.write_one(Query.CONVERSATION_DOCUMENTS_REFRESH, limit=limit)
        return int(record["refreshed"]) if record else 0
