"""Users and companions: create, read, and delete a user with everything of theirs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.errors import NotFoundError
from app.graph.repository import GraphRepository
from app.memories.store import Memory
from app.quarantine.held import QuarantinedMessage
from app.users.store import Companion, User, UsersStore
from app.write.ephemeral import EphemeralItem


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
        self.store = UsersStore(repository)

    def upsert_user(self, user_id: str, display_name: str | None, metadata: dict[str, Any]) -> User:
        """Create or update a user."""
        return self.store.upsert_user(user_id, display_name, metadata)

    def get_user(self, user_id: str) -> User:
        """One user, or NotFoundError."""
        user = self.store.user(user_id)
        if user is None:
            raise NotFoundError(f"user {user_id!r} does not exist")
        return user

    def delete_user(self, user_id: str) -> dict[str, int]:
        """Delete everything of a user; NotFoundError if there was nothing."""
        counts = self.store.delete(user_id)
        if not any(counts.values()):
            raise NotFoundError(f"user {user_id!r} does not exist")
        return counts

    def upsert_companion(self, companion_id: str, name: str, persona: str) -> Companion:
        """Create or update a companion."""
        return self.store.upsert_companion(companion_id, name, persona)

    def get_companion(self, companion_id: str) -> Companion:
        """One companion, or NotFoundError."""
        companion = self.store.companion(companion_id)
        if companion is None:
            raise NotFoundError(f"companion {companion_id!r} does not exist")
        return companion

    def export(self, user_id: str) -> UserExport:
        """Everything the graph holds about a user (the API adds what the ephemeral store holds);
        NotFoundError when there is no such user."""
        graph = self.store.graph_of(user_id)
        if graph is None:
            raise NotFoundError(f"user {user_id!r} does not exist")
        return UserExport(user=graph.user, memories=graph.memories, entities=graph.entities, facts=graph.facts)
