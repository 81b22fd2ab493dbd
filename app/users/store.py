"""The users' and companions' queries: upserted, read, exported, and a user deleted with everything of theirs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.graph.values import plain
from app.memories.store import Memory, memory_from_row
from app.metadata import from_stored, to_stored
from app.tenancy import tenant_of

#: what `delete` counts, by the label of the nodes that went
_DELETED = {
    "Memory": "memories",
    "Fact": "facts",
    "Entity": "entities",
    "Conversation": "conversations",
    "Quarantined": "quarantined",
    "User": "users",
}


class User(BaseModel):
    """A user of the companion."""

    id: str
    display_name: str | None = None
    metadata: dict[str, Any] = {}
    memory_count: int = 0


class Companion(BaseModel):
    """A companion and its persona text."""

    id: str
    name: str
    persona: str


@dataclass(frozen=True)
class UserGraph:
    """What the graph holds about a user."""

    user: User
    memories: list[Memory]
    entities: list[dict[str, Any]]
    facts: list[dict[str, Any]]


def _user(row: dict[str, Any]) -> User:
    return User(
        id=row["id"],
        display_name=row.get("display_name"),
        metadata=from_stored(row.get("metadata_json"), f"user {row['id']!r}"),
        memory_count=row.get("memory_count") or 0,
    )


def _companion(row: dict[str, Any]) -> Companion:
    return Companion(**{k: row[k] for k in ("id", "name", "persona")})


class UsersStore:
    """Users and companions in the graph."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def upsert_user(self, user_id: str, display_name: str | None, metadata: dict[str, Any]) -> User:
        """Create or update a user."""
        record = self.repository.write_one(
            Query.USER_UPSERT,
            user_id=user_id,
            tenant_id=tenant_of(user_id),
            display_name=display_name,
            metadata_json=to_stored(metadata),
        )
        assert record is not None  # MERGE always answers its node
        return _user(record["user"])

    def user(self, user_id: str) -> User | None:
        """One user, or None."""
        record = self.repository.read_one(Query.USER_GET, user_id=user_id)
        return _user(record["user"]) if record is not None else None

    def upsert_companion(self, companion_id: str, name: str, persona: str) -> Companion:
        """Create or update a companion."""
        record = self.repository.write_one(
            Query.COMPANION_UPSERT,
            companion_id=companion_id,
            tenant_id=tenant_of(companion_id),
            name=name,
            persona=persona,
        )
        assert record is not None  # MERGE always answers its node
        return _companion(record["companion"])

    def companion(self, companion_id: str) -> Companion | None:
        """One companion, or None (a companion only named by memories has no name)."""
        record = self.repository.read_one(Query.COMPANION_GET, companion_id=companion_id)
        if record is None or record["companion"]["name"] is None:
            return None
        return _companion(record["companion"])

    def graph_of(self, user_id: str) -> UserGraph | None:
        """Every memory, entity and fact of a user (facts with those they superseded), or None."""
        record = self.repository.read_one(Query.USER_EXPORT, user_id=user_id)
        if record is None or record["user"] is None:
            return None
        return UserGraph(
            user=_user(record["user"]),
            memories=[memory_from_row(m) for m in record["memories"]],
            entities=[plain(e) for e in record["entities"]],
            facts=[plain(f) for f in record["facts"]],
        )

    def delete(self, user_id: str) -> dict[str, int]:
        """Delete every node the user owns; returns how many of each kind went."""
        deleted = dict.fromkeys(_DELETED.values(), 0)
        # CALL ... IN TRANSACTIONS needs an auto-commit transaction.
        for row in self.repository.run_alone(Query.DELETE_USER, users=[user_id], user_id=user_id):
            deleted[_DELETED[row["kind"]]] += int(row["deleted"])
        return deleted
