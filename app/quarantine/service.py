"""Quarantine: list a user's refused messages, release one into memory, discard one, purge the expired."""

from __future__ import annotations

from datetime import UTC, datetime

from app.errors import NotFoundError
from app.graph.repository import GraphRepository
from app.quarantine.held import QuarantinedMessage
from app.quarantine.store import QuarantineStore
from app.write.batch import IncomingMessage, IngestOutcome
from app.write.ingest import IngestService

PURGE_BATCH = 5000


class QuarantineService:
    """What the guard refused, for an admin to review."""

    def __init__(self, repository: GraphRepository, ingest: IngestService) -> None:
        self.store = QuarantineStore(repository)
        self.ingest = ingest

    def list(self, user_id: str, limit: int, expired: bool = False) -> list[QuarantinedMessage]:
        """The user's quarantined messages not yet expired (with `expired`, those awaiting the purge too),
        newest first."""
        now = None if expired else datetime.now(UTC)
        return self.store.list(user_id, now, limit)

    def get(self, user_id: str, quarantine_id: str) -> QuarantinedMessage:
        """One quarantined message; NotFoundError when the user has no such one."""
        item = self.store.get(user_id, quarantine_id)
        if item is None:
            raise NotFoundError(f"no quarantined message {quarantine_id!r} for this user")
        return item

    def release(self, user_id: str, quarantine_id: str) -> IngestOutcome:
        """Ingest the message as a memory (the guard does not judge it again), then drop it from quarantine.
        Idempotent: ingestion is keyed by the message id, so a release interrupted between the two steps
        and run again stores the memory once."""
        item = self.get(user_id, quarantine_id)
        message = IncomingMessage(
            user_id=user_id,
            companion_id=item.companion_id,
            conversation_id=item.conversation_id,
            role=item.role,  # type: ignore[arg-type]
            text=item.text,
            message_id=item.message_id,
            occurred_at=item.occurred_at,
            metadata=item.metadata,
        )
        outcome = self.ingest.ingest([message], released=True)[0]
        self.discard(user_id, quarantine_id)
        return outcome

    def discard(self, user_id: str, quarantine_id: str) -> None:
        """Drop a quarantined message for good; NotFoundError when the user has no such one."""
        if not self.store.delete(user_id, quarantine_id):
            raise NotFoundError(f"no quarantined message {quarantine_id!r} for this user")

    def purge(self, now: datetime | None = None) -> int:
        """Forget every quarantined message past its retention; returns how many."""
        total = 0
        while True:
            purged = self.store.purge(now or datetime.now(UTC), PURGE_BATCH)
            total += purged
            if purged < PURGE_BATCH:
                return total
