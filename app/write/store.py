"""The write path's queries, inside its write unit: messages merged as memories, what each names, and the
refused messages held in quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.graph.cypher import Query
from app.graph.owner_token import owner_token
from app.graph.repository import WriteUnit
from app.nlp.extraction import Extraction
from app.tenancy import tenant_of


@dataclass(frozen=True)
class Merged:
    """A message merged as a memory: new, or the one an earlier send of the same message id made."""

    external_id: str
    id: str
    created: bool
    significance: float
    memory_type: str


def merge_memories(unit: WriteUnit, rows: list[dict[str, Any]]) -> list[Merged]:
    """Memories (`id`, `user_id`, `tenant`, `tenant_id`, `external_id`, `props`), idempotent on (user,
    message id), each placed in its conversation's timeline; in the order of `rows`."""
    return [
        Merged(r["external_id"], r["id"], r["created"], r["significance"], r["memory_type"])
        for r in unit.run_rows(Query.MEMORIES_WRITE, rows=rows)
    ]


def mentions_row(memory_id: str, user_id: str, extraction: Extraction) -> dict[str, Any]:
    """What a memory's text names, as `write_mentions` takes it."""
    return {
        "id": memory_id,
        "user_id": user_id,
        "tenant": owner_token(user_id),
        "tenant_id": tenant_of(user_id),
        "entities": [
            {"key": e.key, "name": e.name, "type": e.type, "aliases": list(e.aliases)} for e in extraction.entities
        ],
        "names": extraction.name_candidates,
        "aliases": extraction.alias_mentions,
    }


def write_mentions(unit: WriteUnit, rows: list[dict[str, Any]]) -> None:
    """`MENTIONS` edges from memories to their entities (made where new), rows of `mentions_row`."""
    unit.run_rows(Query.MEMORY_MENTIONS, rows=rows)


def hold_refused(unit: WriteUnit, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Refused messages kept in quarantine (rows of `app.write.refusal.quarantine_row`), idempotent on
    (user, message id); the quarantine id of each message id."""
    return {r["external_id"]: r["id"] for r in unit.run_rows(Query.QUARANTINE_WRITE, rows=rows)}
