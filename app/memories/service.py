"""Stored memories: read one back, list them, a conversation in timeline order, delete one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.clock import aware
from app.decay.model import DecayParams, resolved_kind, score_of
from app.errors import NotFoundError
from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.graph.values import native
from app.metadata import from_stored
from app.views import EntityOut, FactOut


class Revision(BaseModel):
    """What a memory said before a person corrected it, and until when."""

    content: str
    until: datetime


class Memory(BaseModel):
    """A stored memory as the API shows it (no embedding)."""

    id: str
    message_id: str
    user_id: str
    companion_id: str | None = None
    conversation_id: str
    device_id: str | None = None
    #: who said it, when not the user
    speaker: str | None = None
    role: str
    content: str | None = None  # None once forgotten
    memory_type: str
    significance: float
    occurred_at: datetime
    ingested_at: datetime
    tier: str
    #: As of the request, in one memory's view only (a pass stores tiers, not the score that fades within one).
    decay_score: float | None = None
    forgotten_at: datetime | None = None
    access_count: int = 0
    last_accessed_at: datetime | None = None
    metadata: dict[str, Any] = {}
    entities: list[EntityOut] = []
    facts: list[FactOut] = []
    #: its earlier texts, oldest first, where a person corrected it
    revisions: list[Revision] = []


def memory_from_row(
    row: dict[str, Any], entities: Sequence[Any] = (), facts: Sequence[Any] = (), decay_score: float | None = None
) -> Memory:
    """Build the API's view of a memory node's properties."""
    return Memory(
        id=row["id"],
        message_id=row["external_id"],
        user_id=row["user_id"],
        companion_id=row.get("companion_id"),
        conversation_id=row["conversation_id"],
        device_id=row.get("device_id"),
        speaker=row.get("speaker"),
        role=row["role"],
        content=row.get("content"),
        memory_type=row["memory_type"],
        significance=row["significance"],
        occurred_at=native(row["occurred_at"]),
        ingested_at=native(row["ingested_at"]),
        tier=row.get("tier") or "hot",
        decay_score=decay_score,
        forgotten_at=native(row.get("forgotten_at")),
        access_count=row.get("access_count") or 0,
        last_accessed_at=native(row.get("last_accessed_at")),
        metadata=from_stored(row.get("metadata_json"), f"memory {row['id']!r}"),
        entities=[EntityOut(name=e["name"], type=e["type"], aliases=e["aliases"] or []) for e in entities],
        facts=[FactOut(**f) for f in facts],
        revisions=[
            Revision(content=c, until=native(at))
            for c, at in zip(row.get("revisions") or [], row.get("revised_at") or [], strict=True)
        ],
    )


class MemoriesService:
    """Reads and deletions of what the write path stored."""

    def __init__(self, repository: GraphRepository, decay: DecayParams) -> None:
        self.repository = repository
        self.decay = decay

    def get(self, user_id: str, memory_id: str, as_of: datetime | None = None) -> Memory:
        """One memory of this user with its entities, facts and decay score as of `as_of` (default now), or
        NotFoundError."""
        record = self.repository.read_one(Query.MEMORY_GET, user_id=user_id, memory_id=memory_id)
        if record is None:
            raise NotFoundError(f"memory {memory_id!r} does not exist for user {user_id!r}")
        row, facts = record["memory"], record["facts"]
        score = 0.0
        if row.get("tier") != "forgotten":
            predicates = [f["predicate"] for f in facts]
            kind = resolved_kind(row.get("decay_kind"), row["memory_type"], predicates, record["mentions_people"])
            score = score_of(
                self.decay,
                kind,
                row["significance"],
                native(row["occurred_at"]),
                native(row.get("last_accessed_at")),
                row.get("access_count") or 0,
                aware(as_of),
            )
        return memory_from_row(row, record["entities"], facts, score)

    def page(
        self,
        user_id: str,
        memory_types: Sequence[str] | None = None,
        tiers: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> list[Memory]:
        """A user's memories, newest first, of the given types and tiers (any, when None), with their facts."""
        rows = self.repository.read_all(
            Query.MEMORIES_LIST,
            user_id=user_id,
            memory_types=list(memory_types) if memory_types else None,
            tiers=list(tiers) if tiers else None,
            skip=offset,
            limit=limit,
        )
        return [memory_from_row(r["memory"], facts=r["facts"]) for r in rows]

    def conversation(self, user_id: str, conversation_id: str, limit: int) -> list[Memory]:
        """A conversation's memories in timeline order."""
        rows = self.repository.read_all(
            Query.CONVERSATION_MEMORIES, user_id=user_id, conversation_id=conversation_id, limit=limit
        )
        return [memory_from_row(r["memory"]) for r in rows]

    def delete_memory(self, user_id: str, memory_id: str) -> None:
        """Delete one memory of this user, or NotFoundError."""
        record = self.repository.write_one(Query.MEMORY_DELETE, user_id=user_id, memory_id=memory_id)
        if record is None or record["deleted"] == 0:
            raise NotFoundError(f"memory {memory_id!r} does not exist for user {user_id!r}")
