"""What kind of memory a memory is, in the two senses the service uses: its type, as the write path types
it and every filter (search, listing) accepts it ("memory_type": the four the service was specified
with), and its decay kind, how long it matters ("decay_kind": what sets its half-life)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

#: Where decay has put a memory: in everyday search, cooled with age, or forgotten.
Tier = Literal["hot", "cold", "forgotten"]


class MemoryType(StrEnum):
    """A memory's kind: a passing exchange, something observed about the user, an event, a relationship."""

    CONVERSATION = "conversation"
    OBSERVATION = "observation"
    EVENT = "event"
    RELATIONSHIP = "relationship"


class DecayKind(StrEnum):
    """How long a memory matters, slowest first (`app.decay.model` gives each its half-life)."""

    IDENTITY = "identity"  # asserts a standing fact about the user: name, home, job, birthday...
    RELATIONSHIP = "relationship"  # family, partners, pets, named people, the bond with the companion
    EVENT = "event"  # something that happened or is planned, placed in time
    OBSERVATION = "observation"  # a preference or a statement about the user
    CHATTER = "chatter"  # small talk and minor details
    MOOD = "mood"  # a feeling and nothing else
