"""The memories' queries: one read back with what it mentions and asserts, a page of them, a conversation in
timeline order, one deleted, one's text revised, and the whole graph's vectors made again or packed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.facts.planning import StoredFact
from app.facts.store import stored_fact
from app.graph.cypher import Query
from app.graph.repository import GraphRepository, WriteUnit
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


def memory_from_row(row: dict[str, Any], entities: Sequence[Any] = (), facts: Sequence[Any] = ()) -> Memory:
    """Build the API's view of a memory node's properties (its decay score is the service's to add)."""
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


@dataclass(frozen=True)
class ReadMemory:
    """A memory read back, with what its decay score needs beyond its view."""

    memory: Memory
    decay_kind: str | None
    fact_predicates: list[str]
    mentions_people: bool


@dataclass(frozen=True)
class Revised:
    """What a revision left of the facts the old text stated."""

    #: facts the old text stated, the new one does not, and no other memory does
    dropped: list[StoredFact]
    #: (subject key, predicate, value key) of the facts the new text states again
    kept: set[tuple[str, str, str]]


@dataclass(frozen=True)
class VectorsToPack:
    """A memory whose sentence vectors are still float lists."""

    ref: str
    embedding: list[float]
    #: flat, or None for a memory of one sentence
    sentence_embeddings: list[float] | None


class MemoriesStore:
    """Memories in the graph, read and changed one at a time, and the graph's vectors as a whole."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def read(self, user_id: str, memory_id: str) -> ReadMemory | None:
        """One memory of this user with its entities and facts, or None."""
        record = self.repository.read_one(Query.MEMORY_GET, user_id=user_id, memory_id=memory_id)
        if record is None:
            return None
        row, facts = record["memory"], record["facts"]
        return ReadMemory(
            memory=memory_from_row(row, record["entities"], facts),
            decay_kind=row.get("decay_kind"),
            fact_predicates=[f["predicate"] for f in facts],
            mentions_people=record["mentions_people"],
        )

    def page(
        self, user_id: str, memory_types: Sequence[str] | None, tiers: Sequence[str] | None, offset: int, limit: int
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

    def delete(self, user_id: str, memory_id: str) -> bool:
        """Delete one memory of this user; whether there was one."""
        record = self.repository.write_one(Query.MEMORY_DELETE, user_id=user_id, memory_id=memory_id)
        return record is not None and record["deleted"] > 0

    @staticmethod
    def revise(
        unit: WriteUnit, user_id: str, memory_id: str, props: dict[str, Any], stated: list[list[str]], at: datetime
    ) -> Revised | None:
        """Put a revised text and what the write path made of it in place of a memory's (its old text kept as
        history, its mentions dropped); `stated` are the new text's facts' keys. None when the memory's text
        is gone (forgotten)."""
        rows = unit.run(Query.MEMORY_REVISE, user_id=user_id, memory_id=memory_id, props=props, stated=stated, at=at)
        if not rows:
            return None
        return Revised(
            dropped=[stored_fact(f) for f in rows[0]["dropped"] if f["others"] == 0],
            kept={(k[0], k[1], k[2]) for k in rows[0]["kept"]},
        )

    def to_reembed(self, model: str, limit: int) -> list[tuple[str, str]]:
        """(id, text) of memories not yet embedded with `model`, at most `limit`."""
        return [
            (r["id"], r["content"])
            for r in self.repository.read_all(Query.MEMORIES_TO_REEMBED, model=model, limit=limit)
        ]

    def set_embeddings(self, model: str, rows: list[dict[str, Any]]) -> None:
        """Store memories' new vectors (`id`, `embedding`, `sentence_vectors`) as made by `model`."""
        self.repository.write_one(Query.MEMORIES_SET_EMBEDDINGS, model=model, rows=rows)

    def to_pack(self, limit: int) -> list[VectorsToPack]:
        """Memories whose sentence vectors are still float lists, at most `limit`."""
        return [
            VectorsToPack(r["ref"], r["embedding"], r["sentence_embeddings"])
            for r in self.repository.read_all(Query.MEMORIES_TO_PACK, limit=limit)
        ]

    def set_packed(self, rows: list[dict[str, Any]]) -> None:
        """Store packed sentence vectors (`ref`, `sentence_vectors`) in place of the float lists."""
        self.repository.write_one(Query.MEMORIES_SET_PACKED, rows=rows)
