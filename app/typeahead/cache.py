"""The context cache: context assembled for what a user is typing, kept for the message they send.

One entry per user and conversation, keyed by topic: the text and embedding it was computed for. An entry
serves a later request only while it is fresh (younger than the TTL), the user's memories stand where they
stood (the memory cache's version stamps: a write, a deletion, a decay move or a fact's change moves them
on), and the request means the same thing (the same text, or a cosine to the entry's embedding above the
reuse bar); otherwise it is dropped and the context computed again. In process by default (`cachetools`'
TTL cache, bounded); `redis_store` shares it between replicas.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from cachetools import TTLCache

from app.nlp.embedding import likeness
from app.retrieval.cache.state import CacheState
from app.retrieval.context import Context


@dataclass(frozen=True)
class Entry:
    """Context computed for one draft."""

    text: str
    embedding: list[float]
    context: Context
    state: CacheState
    computed_at: float  # wall clock, seconds: comparable across replicas
    took_ms: float


class EntryStore(Protocol):
    """Where entries live: in this process, or shared."""

    def get(self, owner: str, conversation: str) -> Entry | None:
        """The entry of a user's conversation, if one lives."""
        ...

    def put(self, owner: str, conversation: str, entry: Entry) -> None:
        """Keep an entry for the TTL (replacing the conversation's former one: a new topic drops the old)."""
        ...

    def drop(self, owner: str, conversation: str) -> None:
        """Forget a conversation's entry."""
        ...


class LocalStore:
    """Entries in this process, at most `size`, each for `ttl_s`."""

    def __init__(self, ttl_s: float, size: int = 10_000) -> None:
        self._entries: TTLCache[tuple[str, str], Entry] = TTLCache(maxsize=size, ttl=ttl_s)
        self._lock = threading.Lock()

    def get(self, owner: str, conversation: str) -> Entry | None:
        with self._lock:
            return self._entries.get((owner, conversation))

    def put(self, owner: str, conversation: str, entry: Entry) -> None:
        with self._lock:
            self._entries[(owner, conversation)] = entry

    def drop(self, owner: str, conversation: str) -> None:
        with self._lock:
            self._entries.pop((owner, conversation), None)


@dataclass(frozen=True)
class Reuse:
    """What a request can take from an entry: the embedding (same text) and the context (same meaning)."""

    entry: Entry
    same_text: bool

    @property
    def age_ms(self) -> float:
        """How old the entry is."""
        return (time.time() - self.entry.computed_at) * 1000


class ContextCache:
    """The rules of reuse over an `EntryStore`."""

    def __init__(self, store: EntryStore, ttl_s: float, reuse_cosine: float, cosine_floor: float = 0.0) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self.reuse_cosine = reuse_cosine
        self.cosine_floor = cosine_floor

    def remember(self, owner: str, conversation: str, entry: Entry) -> None:
        """Keep the context of a draft."""
        self.store.put(owner, conversation, entry)

    def reusable(
        self, owner: str, conversation: str, text: str, state: CacheState, embedding: list[float] | None = None
    ) -> Reuse | None:
        """The conversation's entry if it may answer `text` now, else None (and a stale entry is dropped).
        Without `embedding`, only the same text reuses it."""
        entry = self.store.get(owner, conversation)
        if entry is None:
            return None
        if time.time() - entry.computed_at > self.ttl_s or entry.state != state:
            self.store.drop(owner, conversation)
            return None
        if entry.text == text:
            return Reuse(entry, same_text=True)
        if (
            embedding is not None
            and likeness(cosine(entry.embedding, embedding), self.cosine_floor) >= self.reuse_cosine
        ):
            return Reuse(entry, same_text=False)
        return None


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine of two vectors (the model's are unit length, but a caller's may not be)."""
    x, y = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    norms = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / norms if norms else 0.0
