"""Active users' memory embeddings in process memory: exact cosine search in numpy.

Neo4j stays the source of truth; this is an accelerator. Scoring a user's memories in Cypher costs
~25 µs a memory and the HNSW index 10-50 ms (it answers over all users, so it must be oversampled); a
matrix product over the same vectors costs ~3 ms for 100,000 memories and never misses.

Freshness: every memory write increments the user's `vector_version` and stamps the memory with it. A search
reads the version (it already reads the user's counts), and when it moved, loads just the memories
stamped since. Deleting a memory increments the user's `deleted_memories`, and a user deleted and created
again has a new `created_at`: either change loads the user again. A user is loaded on first search:
synchronously up to `sync_load_below` memories, in the background above it (the caller answers from
Neo4j meanwhile). Least recently used users are evicted beyond the byte budget.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from app.graph.cypher import Query
from app.graph.repository import GraphRepository

log = logging.getLogger(__name__)

Floats = npt.NDArray[np.floating[Any]]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class VectorState:
    """Where a user's memories stand in the graph, as the search read it."""

    version: int
    deletions: int
    generation: str
    memory_count: int


@dataclass(frozen=True)
class Eligibility:
    """Which memories a search may return, by the properties the cache holds."""

    as_of: datetime
    since: datetime | None
    min_significance: float


class UserVectors:
    """One user's memory vectors, with what a search filters on. A memory with several sentences has one
    row per sentence and scores as its best sentence. Rows are appended, never moved."""

    def __init__(self, dimension: int, state: VectorState) -> None:
        self.version = state.version
        self.deletions = state.deletions
        self.generation = state.generation
        self.lock = threading.Lock()
        self.dimension = dimension
        # Per memory.
        self.ids: list[str] = []
        self._memory_of: dict[str, int] = {}
        self._rows_of: list[list[int]] = []
        self._vector_of: list[Floats] = []
        self._occurred = np.zeros(0, dtype=np.float64)
        self._significance = np.zeros(0, dtype=np.float32)
        self._conversation = np.zeros(0, dtype=np.int32)
        # Per row (sentence).
        self._rows = 0
        self._matrix = np.zeros((0, dimension), dtype=np.float32)
        self._owner = np.zeros(0, dtype=np.int32)
        self._live = np.zeros(0, dtype=np.bool_)
        # Per conversation: the sum of its memories' vectors.
        self.conversation_ids: list[str] = []
        self._conversation_of: dict[str, int] = {}
        self._sums = np.zeros((0, dimension), dtype=np.float32)

    @property
    def size(self) -> int:
        """How many memories are held."""
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """Memory taken by the arrays (what the cache budget counts)."""
        arrays = (self._matrix, self._owner, self._live, self._occurred, self._significance, self._conversation)
        return sum(a.nbytes for a in arrays) + self._sums.nbytes + self.size * self.dimension * 4

    def upsert(self, rows: list[dict[str, Any]]) -> None:
        """Add memories, or replace the vectors of ones already held (re-embedded)."""
        with self.lock:
            for row in rows:
                vector = np.asarray(row["embedding"], dtype=np.float32)
                flat = row.get("sentence_embeddings")
                sentences = np.asarray(flat, dtype=np.float32).reshape(-1, self.dimension) if flat else vector[None, :]
                conversation = self._conversation_number(row["conversation_id"])
                memory = self._memory_of.get(row["id"])
                if memory is None:
                    memory = self._append_memory(row["id"])
                else:
                    self._sums[self._conversation[memory]] -= self._vector_of[memory]
                    self._live[self._rows_of[memory]] = False
                self._vector_of[memory] = vector
                self._occurred[memory] = row["occurred_at_ms"] / 1000
                self._significance[memory] = row["significance"]
                self._conversation[memory] = conversation
                self._sums[conversation] += vector
                self._rows_of[memory] = self._append_rows(sentences, memory)

    def _append_memory(self, memory_id: str) -> int:
        memory = len(self.ids)
        if memory >= len(self._occurred):
            capacity = max(64, 2 * len(self._occurred))
            self._occurred = _grown(self._occurred, capacity)
            self._significance = _grown(self._significance, capacity)
            self._conversation = _grown(self._conversation, capacity)
        self.ids.append(memory_id)
        self._memory_of[memory_id] = memory
        self._rows_of.append([])
        self._vector_of.append(np.zeros(self.dimension, dtype=np.float32))
        return memory

    def _append_rows(self, vectors: Floats, memory: int) -> list[int]:
        # Grow by doubling, so that appending one memory a message stays amortised O(1).
        needed = self._rows + len(vectors)
        if needed > len(self._matrix):
            capacity = max(needed, 2 * len(self._matrix), 64)
            self._matrix = _grown(self._matrix, capacity)
            self._owner = _grown(self._owner, capacity)
            self._live = _grown(self._live, capacity)
        rows = list(range(self._rows, needed))
        self._matrix[self._rows : needed] = vectors
        self._owner[self._rows : needed] = memory
        self._live[self._rows : needed] = True
        self._rows = needed
        return rows

    def _conversation_number(self, conversation_id: str) -> int:
        number = self._conversation_of.get(conversation_id)
        if number is None:
            number = len(self.conversation_ids)
            self.conversation_ids.append(conversation_id)
            self._conversation_of[conversation_id] = number
            if number >= len(self._sums):
                self._sums = _grown(self._sums, max(16, 2 * len(self._sums)))
        return number

    def score(self, query: Floats, eligible: Eligibility) -> Floats:
        """Each memory's cosine with `query` (unit length), that of its best sentence; -inf for memories
        that are not eligible. One matrix product a search: `best` and `conversations` reuse it."""
        with self.lock:
            row_scores = self._matrix[: self._rows] @ query
            row_scores[~self._live[: self._rows]] = -np.inf
            scores = np.full(self.size, -np.inf, dtype=np.float32)
            np.maximum.at(scores, self._owner[: self._rows], row_scores)
            scores[~self._eligible(eligible)] = -np.inf
            return scores

    def best(self, scores: Floats, n: int) -> list[tuple[str, float]]:
        """The `n` best-scored memories, best first, with their score (never an ineligible one)."""
        return [(self.ids[i], float(scores[i])) for i in _top_indices(scores, n) if np.isfinite(scores[i])]

    def conversations(
        self, query: Floats, scores: Floats, n: int, per_conversation: int, also: list[str]
    ) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """The `n` conversations closest to `query` (by the sum of their memories' vectors) and those named
        in `also`, each with its cosine and its `per_conversation` best-scored memories (`scores` from
        `score`)."""
        with self.lock:
            count = len(self.conversation_ids)
            sums = self._sums[:count]
            norms = np.linalg.norm(sums, axis=1)
            conversation_scores = (sums @ query) / np.where(norms > 0, norms, 1.0)
            top = _top_indices(conversation_scores, n)
            top += [self._conversation_of[c] for c in also if c in self._conversation_of]
            conversation = self._conversation[: len(scores)]
            result = []
            for number in dict.fromkeys(top):
                picks = self.best(np.where(conversation == number, scores, -np.inf), per_conversation)
                result.append((self.conversation_ids[number], float(conversation_scores[number]), picks))
            return result

    def _eligible(self, eligible: Eligibility) -> Mask:
        occurred = self._occurred[: self.size]
        mask = (occurred <= eligible.as_of.timestamp()) & (self._significance[: self.size] >= eligible.min_significance)
        if eligible.since is not None:
            mask &= occurred >= eligible.since.timestamp()
        return mask


def _grown(array: Any, capacity: int) -> Any:
    grown = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _top_indices(scores: Floats, n: int) -> list[int]:
    if n <= 0 or len(scores) == 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
    return [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]


class VectorCache:
    """Users' `UserVectors`, loaded and refreshed from the graph, evicted least recently used."""

    def __init__(self, repository: GraphRepository, dimension: int, budget_mb: int, sync_load_below: int) -> None:
        self.repository = repository
        self.dimension = dimension
        self.budget_bytes = budget_mb * 1024 * 1024
        self.sync_load_below = sync_load_below
        self._users: OrderedDict[str, UserVectors] = OrderedDict()
        self._loading: set[str] = set()
        self._lock = threading.Lock()
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vector-cache")

    @property
    def enabled(self) -> bool:
        """False when the budget is zero (every search then goes to Neo4j)."""
        return self.budget_bytes > 0

    def close(self) -> None:
        """Stop loading in the background."""
        self._loader.shutdown(wait=True, cancel_futures=True)

    def get(self, user_id: str, state: VectorState) -> UserVectors | None:
        """The user's vectors as of `state`, or None when they are not loaded yet (a background load
        may be under way; the caller searches Neo4j instead)."""
        if not self.enabled or state.memory_count == 0:
            self.forget(user_id)
            return None
        with self._lock:
            vectors = self._users.get(user_id)
            if vectors is not None:
                self._users.move_to_end(user_id)
        if vectors is not None and (vectors.deletions, vectors.generation) == (state.deletions, state.generation):
            if vectors.version < state.version:
                self._refresh(user_id, vectors, state.version)
            return vectors
        # Not held, or held with memories since deleted: (re)load.
        if state.memory_count <= self.sync_load_below:
            return self._load(user_id, state)
        with self._lock:
            if user_id in self._loading:
                return None
            self._loading.add(user_id)
        self._loader.submit(self._load_in_background, user_id, state)
        return None

    def holds(self, user_id: str) -> bool:
        """Whether the user's vectors are loaded."""
        with self._lock:
            return user_id in self._users

    def forget(self, user_id: str) -> None:
        """Drop a user's vectors (deleted user, or nothing left)."""
        with self._lock:
            self._users.pop(user_id, None)

    def _refresh(self, user_id: str, vectors: UserVectors, version: int) -> None:
        rows = self._rows(user_id, after=vectors.version)
        vectors.upsert(rows)
        vectors.version = max(vectors.version, version)
        self._evict()

    def _load(self, user_id: str, state: VectorState) -> UserVectors:
        vectors = UserVectors(self.dimension, state)
        vectors.upsert(self._rows(user_id, after=-1))
        with self._lock:
            self._users[user_id] = vectors
            self._users.move_to_end(user_id)
        self._evict()
        return vectors

    def _load_in_background(self, user_id: str, state: VectorState) -> None:
        try:
            vectors = self._load(user_id, state)
            log.info("loaded %d memory vectors of a user (%.0f MiB)", vectors.size, vectors.nbytes / 2**20)
        except Exception:  # the next search tries again; meanwhile Neo4j answers
            log.warning("could not load a user's memory vectors", exc_info=True)
        finally:
            with self._lock:
                self._loading.discard(user_id)

    def _rows(self, user_id: str, after: int) -> list[dict[str, Any]]:
        return [r.data() for r in self.repository.read_all(Query.MEMORY_VECTORS, user_id=user_id, after=after)]

    def _evict(self) -> None:
        with self._lock:
            total = sum(v.nbytes for v in self._users.values())
            while total > self.budget_bytes and len(self._users) > 1:
                _, evicted = self._users.popitem(last=False)
                total -= evicted.nbytes
