"""Users and companions: create, read, and delete a user with everything of theirs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.errors import NotFoundError
from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.graph.values import plain
from app.memories.service import Memory, memory_from_row
from app.metadata import from_stored, to_stored
from app.quarantine.held import QuarantinedMessage
from app.tenancy import tenant_of
from app.write.ephemeral import EphemeralItem


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


class UserExport(BaseModel):
    """Everything held about one user: the graph's part and the ephemeral store's."""

    user: User
    memories: list[Memory]
    entities: list[dict[str, Any]]
    #: every fact, current or not, with the facts it superseded
    facts: list[dict[str, Any]]
    #: what the ephemeral store still holds, by conversation
    ephemeral: dict[str, list[EphemeralItem]] = {}
    #: refused messages still kept in quarantine
    quarantined: list[QuarantinedMessage] = []


class UsersService:
    """Users and companions."""

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
        assert record is not None
        return self._user(record["user"])

    def get_user(self, user_id: str) -> User:
        """One user, or NotFoundError."""
        record = self.repository.read_one(Query.USER_GET, user_id=user_id)
        if record is None:
            raise NotFoundError(f"user {user_id!r} does not exist")
        return self._user(record["user"])

    @staticmethod
    def _user(row: dict[str, Any]) -> User:
        return User(
            id=row["id"],
            display_name=row.get("display_name"),
            metadata=from_stored(row.get("metadata_json"), f"user {row['id']!r}"),
            memory_count=row.get("memory_count") or 0,
        )

    def delete_user(self, user_id: str) -> dict[str, int]:
        """Delete everything of a user; NotFoundError if there was nothing."""
        counts = self.repository.delete_user(user_id)
        if not any(counts.values()):
            raise NotFoundError(f"user {user_id!r} does not exist")
        return counts

    def upsert_companion(self, companion_id: str, name: str, persona: str) -> Companion:
        """Create or update a companion."""
        record = self.repository.write_one(
            Query.COMPANION_UPSERT,
            companion_id=companion_id,
            tenant_id=tenant_of(companion_id),
            name=name,
            persona=persona,
        )
        assert record is not None
        return Companion(**{k: record["companion"][k] for k in ("id", "name", "persona")})

    def get_companion(self, companion_id: str) -> Companion:
        """One companion, or NotFoundError."""
        record = self.repository.read_one(Query.COMPANION_GET, companion_id=companion_id)
        if record is None or record["companion"]["name"] is None:
            raise NotFoundError(f"companion {companion_id!r} does not exist")
        return Companion(**{k: record["companion"][k] for k in ("id", "name", "persona")})

    def export(self, user_id: str) -> UserExport:
        """Everything the graph holds about a user (the API adds what the ephemeral store holds);
        NotFoundError when there is no such user."""
        record = self.repository.read_one(Query.USER_EXPORT, user_id=user_id)
        if record is None or record["user"] is None:
            raise NotFoundError(f"user {user_id!r} does not exist")
        return UserExport(
            user=self._user(record["user"]),
            memories=[memory_from_row(m) for m in record["memories"]],
            entities=[plain(e) for e in record["entities"]],
            facts=[plain(f) for f in record["facts"]],
        )
