"""What a quarantined message holds, as an admin reviews it.

A refused message is not dropped: it waits, with its verdict, as a `Quarantined` node (not a `Memory`, so
no index, search or context ever reads it) until an admin releases it into memory or its retention ends.
The write path makes that node (`app.write.refusal`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.graph.values import plain
from app.metadata import from_stored


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


def from_item(item: dict[str, Any]) -> QuarantinedMessage:
    """A `Quarantined` node's properties as the API shows them."""
    values = plain(item)
    return QuarantinedMessage(
        message_id=values.pop("external_id"),
        metadata=from_stored(values.pop("metadata_json"), f"quarantined message {values['id']!r}"),
        **{k: v for k, v in values.items() if k != "user_id"},
    )
