"""A refused message's verdict, and the `Quarantined` node the write path keeps it as, in the batch's own
transaction (`app.quarantine` lists, releases and discards them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.metadata import to_stored
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


def quarantine_row(message: IncomingMessage, refusal: Refusal, now: datetime, retention_days: float) -> dict[str, Any]:
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
