"""The quarantine's queries: a user's refused messages listed and read, one dropped, the expired purged."""

from __future__ import annotations

from datetime import datetime

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.quarantine.held import QuarantinedMessage, from_item


class QuarantineStore:
    """Refused messages kept in the graph (the write path adds them: `app.write.store.hold_refused`)."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def list(self, user_id: str, now: datetime | None, limit: int) -> list[QuarantinedMessage]:
        """The user's messages, newest first: those not expired at `now`, or all when it is None."""
        rows = self.repository.read_all(Query.QUARANTINE_LIST, user_id=user_id, now=now, limit=limit)
        return [from_item(r["item"]) for r in rows]

    def get(self, user_id: str, quarantine_id: str) -> QuarantinedMessage | None:
        """One message of the user, or None."""
        record = self.repository.read_one(Query.QUARANTINE_GET, user_id=user_id, id=quarantine_id)
        return from_item(record["item"]) if record is not None else None

    def delete(self, user_id: str, quarantine_id: str) -> bool:
        """Drop one message of the user; whether there was one."""
        record = self.repository.write_one(Query.QUARANTINE_DELETE, user_id=user_id, id=quarantine_id)
        return record is not None and bool(record["deleted"])

    def purge(self, now: datetime, limit: int) -> int:
        """Forget at most `limit` messages past their retention at `now`; how many."""
        record = self.repository.write_one(Query.QUARANTINE_PURGE, now=now, limit=limit)
        return int(record["purged"]) if record else 0
