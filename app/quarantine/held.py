"""What a quarantined message holds, and the graph row that keeps it.

A refused message is not dropped: it waits, with its verdict, as a `Quarantined` node (not a `Memory`, so
no index, search or context ever reads it) until an admin releases it into memory or its retention ends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from app.graph.values import plain
from app.metadata import from_stored, to_stored
from app.tenancy import tenant_of
from app.write.batch import IncomingMessage


@dataclass(frozen=True)
class Refusal:
    """One refused message's verdict: why, how sure, and the clean text that is kept."""

    text: str
    reason: str
    detail: str | None
    score: float | None
    redacted: tuple[str, ...] = ()


class QuarantinedMessage(BaseModel):
    """A refused message as an admin reviews it."""

    id: str
    message_id: str
    companion_id: str
    conversation_id: str
    role: str
    text: str
    reason: str
    detail: str | None = None
    score: float | None = None
    redacted: list[str] = []
    occurred_at: datetime
    quarantined_at: datetime
    expires_at: datetime
    metadata: dict[str, Any] = {}


def row(message: IncomingMessage, refusal: Refusal, now: datetime, retention_days: float) -> dict[str, Any]:
    """The `quarantine_write` row of one refused message."""
    return {
        "id": str(uuid.uuid4()),
        "user_id": message.user_id,
        "external_id": message.message_id,
        "props": {
            "tenant_id": tenant_of(message.user_id),
            "companion_id": message.companion_id,
            "conversation_id": message.conversation_id,
            "role": message.role,
            "text": refusal.text,
            "reason": refusal.reason,
            "detail": refusal.detail,
            "score": refusal.score,
            "redacted": list(refusal.redacted),
            "occurred_at": message.occurred_at,
            "quarantined_at": now,
            "expires_at": now + timedelta(days=retention_days),
            "metadata_json": to_stored(message.metadata),
        },
    }


def from_item(item: dict[str, Any]) -> QuarantinedMessage:
    """A `Quarantined` node's properties as the API shows them."""
    values = plain(item)
    return QuarantinedMessage(
        message_id=values.pop("external_id"),
        metadata=from_stored(values.pop("metadata_json"), f"quarantined message {values['id']!r}"),
        **{k: v for k, v in values.items() if k != "user_id"},
    )
