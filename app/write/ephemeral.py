"""Ephemeral context: what belongs to this exchange only and must never reach long-term memory.

Role-play, hypotheticals and games (recognised by the guard) and the companion's own reasoning steps are
kept in a short-lived per-conversation store: ordered (a sorted list, the seeds' skiplist), in memory,
expiring.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sortedcontainers import SortedList


class EphemeralReason(StrEnum):
    """Why a message is kept for this exchange only."""

    ROLE_PLAY = "role_play"
    HYPOTHETICAL = "hypothetical"
    GAME = "game"
    #: make-believe the guard's classifier recognised without one of the cues above
    MAKE_BELIEVE = "make_believe"
    REASONING = "reasoning"
    SYSTEM = "system"


_REASONING_MARKERS = re.compile(r"^\s*(?:thinking|thought|reasoning|scratchpad|internal|plan)\s*:", re.I)


def of_role(text: str, role: str, metadata: dict[str, object] | None = None) -> EphemeralReason | None:
    """Why a message is ephemeral by who sent it, or None: the companion's reasoning steps (by metadata or
    a leading marker) and system messages. Make-believe is the guard's to judge (`app.guard`). Pure."""
    if role == "system":
        return EphemeralReason.SYSTEM
    if role != "user" and (
        (metadata or {}).get("kind") in {"reasoning", "thought", "scratchpad"} or _REASONING_MARKERS.search(text)
    ):
        return EphemeralReason.REASONING
    return None


@dataclass(frozen=True, order=True)
class EphemeralItem:
    """One message kept for the exchange, ordered by when it happened, then by arrival."""

    occurred_at: datetime
    seq: int
    message_id: str = field(compare=False)
    role: str = field(compare=False)
    text: str = field(compare=False)
    reason: EphemeralReason = field(compare=False)


@dataclass
class _Conversation:
    items: SortedList = field(default_factory=SortedList)
    touched: float = field(default_factory=time.monotonic)


class EphemeralStore:
    """Per-(user, conversation) ordered store with expiry; nothing in it is ever written to the graph."""

    def __init__(self, ttl_s: float, max_items: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._max_items = max_items
        self._now = clock
        self._lock = threading.Lock()
        self._conversations: dict[tuple[str, str], _Conversation] = {}
        self._seq = 0

    def _expire(self) -> None:
        deadline = self._now() - self._ttl_s
        for key in [k for k, c in self._conversations.items() if c.touched < deadline]:
            del self._conversations[key]

    def add(
        self,
        user_id: str,
        conversation_id: str,
        *,
        message_id: str,
        role: str,
        text: str,
        reason: EphemeralReason,
        occurred_at: datetime,
    ) -> EphemeralItem:
        """Keep one message for the exchange; the oldest go when the conversation's cap is reached."""
        with self._lock:
            self._expire()
            self._seq += 1
            item = EphemeralItem(occurred_at, self._seq, message_id, role, text, reason)
            conversation = self._conversations.setdefault((user_id, conversation_id), _Conversation())
            if not any(i.message_id == item.message_id for i in conversation.items):
                conversation.items.add(item)
            while len(conversation.items) > self._max_items:
                conversation.items.pop(0)
            conversation.touched = self._now()
            return item

    def read(self, user_id: str, conversation_id: str) -> list[EphemeralItem]:
        """The exchange's ephemeral messages, in order (empty once expired or cleared)."""
        with self._lock:
            self._expire()
            conversation = self._conversations.get((user_id, conversation_id))
            return list(conversation.items) if conversation else []

    def of_user(self, user_id: str) -> dict[str, list[EphemeralItem]]:
        """Every exchange of the user still held, by conversation."""
        with self._lock:
            self._expire()
            return {k[1]: list(c.items) for k, c in self._conversations.items() if k[0] == user_id}

    def clear(self, user_id: str, conversation_id: str | None = None) -> int:
        """End an exchange (or, without a conversation, everything of the user); returns items dropped."""
        with self._lock:
            keys = [
                k
                for k in self._conversations
                if k[0] == user_id and (conversation_id is None or k[1] == conversation_id)
            ]
            return sum(len(self._conversations.pop(k).items) for k in keys)
