"""What a memory is, as the write path types it and every filter (search, listing) accepts it: the four
kinds the service was specified with ("memory_type" on a memory)."""

from __future__ import annotations

from enum import StrEnum


class MemoryType(StrEnum):
    """A memory's kind: a passing exchange, something observed about the user, an event, a relationship."""

    CONVERSATION = "conversation"
    OBSERVATION = "observation"
    EVENT = "event"
    RELATIONSHIP = "relationship"
