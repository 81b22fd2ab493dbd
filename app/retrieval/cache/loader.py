"""Which users' memories are held, and keeping them true to the graph.

Freshness: every change a search can see stamps the memory with the user's next `vector_version`: a
memory written, re-embedded, or whose facts changed status. A search reads the version in its first
round trip, and when it moved, loads just the memories stamped since. Deleting a memory increments the
user's `deleted_memories`, and a user deleted and created again has a new `created_at`: either change
loads the user again. (A job that moves memories between tiers must stamp them the same way.) A user is
loaded on first search: synchronously up to `sync_load_below` memories, in the background above it (the
caller answers from Neo4j meanwhile). Least recently used users are evicted beyond the byte budget.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from prometheus_client import Counter

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.retrieval.cache.preselection import EXACT, Preselection
from app.retrieval.cache.store import CacheState, UserMemories

log = logging.getLogger(__name__)

LOOKUPS = Counter("memory_cache_lookups_total", "Searches by what the memory cache held", ["result"])


class MemoryCache:
    """Users' `UserMemories`, loaded and refreshed from the graph, evicted least recently used."""

    def __init__(
        self,
        repository: GraphRepository,
        dimension: int,
        budget_mb: int,
        sync_load_below: int,
        preselection: Preselection = EXACT,
    ) -> None:
        self.repository = repository
        self.dimension = dimension
        self.preselection = preselection
        self.budget_bytes = budget_mb * 1024 * 1024
        self.sync_load_below = sync_load_below
        self._users: OrderedDict[str, UserMemories] = OrderedDict()
        self._loading: set[str] = set()
        self._lock = threading.Lock()
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="memory-cache")

    @property
    def enabled(self) -> bool:
        """False when the budget is zero (every search then goes to Neo4j)."""
        return self.budget_bytes > 0

    def close(self) -> None:
        """Stop loading in the background."""
        self._loader.shutdown(wait=True, cancel_futures=True)

    def get(self, user_id: str, state: CacheState) -> UserMemories | None:
        """The user's memories as of `state`, or None when they are not loaded yet (a background load
        may be under way; the caller searches Neo4j instead)."""
        if not self.enabled or state.memory_count == 0:
            self.forget(user_id)
            return None
        with self._lock:
            memories = self._users.get(user_id)
            if memories is not None:
                self._users.move_to_end(user_id)
        if memories is not None and (memories.deletions, memories.generation) == (state.deletions, state.generation):
            if memories.version < state.version:
                LOOKUPS.labels("refreshed").inc()
                self._refresh(user_id, memories, state.version)
            else:
                LOOKUPS.labels("hit").inc()
            return memories
        # Not held, or held with memories since deleted: (re)load.
        if state.memory_count <= self.sync_load_below:
            LOOKUPS.labels("loaded").inc()
            return self._load(user_id, state)
        LOOKUPS.labels("loading_in_background").inc()
        with self._lock:
            if user_id in self._loading:
                return None
            self._loading.add(user_id)
        self._loader.submit(self._load_in_background, user_id, state)
        return None

    def peek(self, user_id: str) -> UserMemories | None:
        """The user's memories as held now, without checking them against the graph (`get` does)."""
        with self._lock:
            return self._users.get(user_id)

    def holds(self, user_id: str) -> bool:
        """Whether the user's memories are loaded."""
        return self.peek(user_id) is not None

    def forget(self, user_id: str) -> None:
        """Drop a user's memories (deleted user, or nothing left)."""
        with self._lock:
            self._users.pop(user_id, None)

    def _refresh(self, user_id: str, memories: UserMemories, version: int) -> None:
        rows = self._rows(user_id, after=memories.version)
        memories.upsert(rows)
        memories.version = max(memories.version, version)
        self._evict()

    def _load(self, user_id: str, state: CacheState) -> UserMemories:
        memories = UserMemories(self.dimension, state, self.preselection)
        memories.upsert(self._rows(user_id, after=-1))
        with self._lock:
            self._users[user_id] = memories
            self._users.move_to_end(user_id)
        self._evict()
        return memories

    def _load_in_background(self, user_id: str, state: CacheState) -> None:
        try:
            memories = self._load(user_id, state)
            log.info("loaded %d memories of a user (%.0f MiB)", memories.size, memories.nbytes / 2**20)
        except Exception:  # the next search tries again; meanwhile Neo4j answers
            log.warning("could not load a user's memories", exc_info=True)
        finally:
            with self._lock:
                self._loading.discard(user_id)

    def _rows(self, user_id: str, after: int) -> list[dict[str, Any]]:
        # Not `Record.data()`: it copies every value through Python, one float at a time, which for a
        # user's vectors costs a hundred times more than zipping keys and values.
        records = self.repository.read_all(Query.MEMORIES_FOR_CACHE, user_id=user_id, after=after)
        return [dict(zip(r.keys(), r, strict=True)) for r in records]

    def _evict(self) -> None:
        with self._lock:
            total = sum(v.nbytes for v in self._users.values())
            while total > self.budget_bytes and len(self._users) > 1:
                _, evicted = self._users.popitem(last=False)
                total -= evicted.nbytes
