"""Small helpers shared by the integration tests."""

from __future__ import annotations

from typing import Any

from measure.served import free_port


def closed_port() -> int:
    """A loopback port nothing listens on: a stand-in for a Neo4j that is down."""
    return free_port()


def message(user_id: str, message_id: str, text: str, **extra: Any) -> dict[str, Any]:
    """A user's message to Lucy in conversation c1, as the API takes it."""
    return {
        "user_id": user_id,
        "companion_id": "lucy",
        "conversation_id": "c1",
        "message_id": message_id,
        "role": "user",
        "text": text,
        **extra,
    }
