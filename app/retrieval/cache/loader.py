"""Which users' memories are held, and keeping them true to the graph.

Freshness: every change a search can see stamps the memory with the user's next `vector_version`: a
memory written, re-embedded, or whose facts changed status. A search reads the version in its first
round trip, and when it moved, loads just the memories stamped since (a load reads the version it starts
from itself, before the memories). Deleting a memory increments the user's `deleted_memories`, and a user
deleted and created again has a new `created_at`: either change loads the user again. (A job that moves
memories between tiers must stamp them the same way.) A user is loaded on first search: synchronously up
to `sync_load_below` memories (read beside the search's first round trip, `fetch`), in the background
above it (the caller answers from Neo4j meanwhile). Least recently used users are evicted beyond the byte
budget.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

from prometheus_client import Counter

from app.graph.repository import GraphRepository
from app.retrieval.cache.preselection import EXACT, Preselection
from app.retrieval.cache.state import CacheState
from app.retrieval.cache.user_memories import UserMemories
from app.retrieval.store import Fetched, SearchStore

log = logging.getLogger(__name__)

LOOKUPS = Counter("memory_cache_lookups_total", "Searches by what the memory cache held", ["result"])
_ALL = 2**62


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
        self.store = SearchStore(repository)
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

    def fetch(self, user_id: str, at_most: int = _ALL, after: int = -1) -> Fetched:
        """The user's memories stamped after `after`, unless they hold more than `at_most`."""
        return self.store.for_cache(user_id, after, at_most)

    def get(self, user_id: str, state: CacheState, fetching: Future[Fetched] | None = None) -> UserMemories | None:
        """The user's memories as of `state`, or None when they are not loaded yet (a background load
        may be under way; the caller searches Neo4j instead). `fetching`: a `fetch` of the user's
        memories up to `sync_load_below` the caller started, used when they are loaded now."""
        if not self.enabled or state.memory_count == 0:
            self.forget(user_id)
            return None
        with self._lock:
            memories = self._users.get(user_id)
            if memories is not None:
                self._users.move_to_end(user_id)
        if memories is not None and (memories.deletions, memories.generation) == _lineage(state):
            if memories.version < state.version:
                LOOKUPS.labels("refreshed").inc()
                self._refresh(user_id, memories)
            else:
                LOOKUPS.labels("hit").inc()
            return memories
        # Not held, or held with memories since deleted: (re)load.
        if state.memory_count <= self.sync_load_below:
            LOOKUPS.labels("loaded").inc()
            return self._load(user_id, state, fetching.result() if fetching is not None else None)
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

    def _refresh(self, user_id: str, memories: UserMemories) -> None:
        fetched = self.fetch(user_id, after=memories.version)
        memories.upsert(fetched.rows or [])
        memories.version = max(memories.version, fetched.state.version)  # the rows were read after it
        self._evict()

    def _load(self, user_id: str, state: CacheState, fetched: Fetched | None = None) -> UserMemories:
        if fetched is None or fetched.rows is None or _lineage(fetched.state) != _lineage(state):
            fetched = self.fetch(user_id)
        memories = UserMemories(self.dimension, fetched.state, self.preselection)
        memories.upsert(fetched.rows or [])
        if memories.version < state.version:
            self._refresh(user_id, memories)
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

    def _evict(self) -> None:
        with self._lock:
            total = sum(v.nbytes for v in self._users.values())
            while total > self.budget_bytes and len(self._users) > 1:
                _, evicted = self._users.popitem(last=False)
                total -= evicted.nbytes


def _lineage(state: CacheState) -> tuple[int, str]:
    """What a load from another moment must share with `state` to be brought up to it by a refresh."""
    return state.deletions, state.generation
