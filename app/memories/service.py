"""Stored memories: read one back, list them, a conversation in timeline order, delete one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.clock import aware
from app.decay.model import DecayParams, resolved_kind, score_of
from app.errors import NotFoundError
from app.graph.repository import GraphRepository
from app.memories.store import MemoriesStore, Memory


class MemoriesService:
    """Reads and deletions of what the write path stored."""

    def __init__(self, repository: GraphRepository, decay: DecayParams) -> None:
        self.store = MemoriesStore(repository)
        self.decay = decay

    def get(self, user_id: str, memory_id: str, as_of: datetime | None = None) -> Memory:
        """One memory of this user with its entities, facts and decay score as of `as_of` (default now), or
        NotFoundError."""
        read = self.store.read(user_id, memory_id)
        if read is None:
            raise NotFoundError(f"memory {memory_id!r} does not exist for user {user_id!r}")
        memory = read.memory
        score = 0.0
        if memory.tier != "forgotten":
            kind = resolved_kind(read.decay_kind, memory.memory_type, read.fact_predicates, read.mentions_people)
            score = score_of(
                self.decay,
                kind,
                memory.significance,
                memory.occurred_at,
                memory.last_accessed_at,
                memory.access_count,
                aware(as_of),
            )
        return memory.model_copy(update={"decay_score": score})

    def page(
        self,
        user_id: str,
        memory_types: Sequence[str] | None = None,
        tiers: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> list[Memory]:
        """A user's memories, newest first, of the given types and tiers (any, when None), with their facts."""
        return self.store.page(user_id, memory_types, tiers, offset, limit)

    def conversation(self, user_id: str, conversation_id: str, limit: int) -> list[Memory]:
        """A conversation's memories in timeline order."""
        return self.store.conversation(user_id, conversation_id, limit)

    def delete_memory(self, user_id: str, memory_id: str) -> None:
        """Delete one memory of this user, or NotFoundError."""
        if not self.store.delete(user_id, memory_id):
            raise NotFoundError(f"memory {memory_id!r} does not exist for user {user_id!r}")
