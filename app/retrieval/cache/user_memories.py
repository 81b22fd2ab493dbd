"""One user's memories in process memory: what a search reads, so that it reads almost nothing from Neo4j.

Neo4j stays the source of truth; this is an accelerator (docs/decisions/0002-memory-cache.md). Scoring a
user's memories in Cypher, or asking the HNSW index (which answers over all users and must be
oversampled), costs far more than a matrix product over the same vectors here, which never misses; a
candidate's fields are a list lookup. Above `Preselection.exact_below` vectors a search scores exactly only
those nearest the query by their sign bits, and the rest when a step asks for them (`preselection`).
How the cache is kept true to the graph is `loader`'s job.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from app.graph.values import moment_of
from app.nlp.packed_vectors import unit_mean, unpack
from app.retrieval.cache.conversations import Conversations
from app.retrieval.cache.entity_words import EntityWords
from app.retrieval.cache.group_sums import group_sums, grown, segment_sums
from app.retrieval.cache.keywords import KeywordIndex
from app.retrieval.cache.memory_scores import Scores, cosines, memory_scores, some_memory_scores, top_indices
from app.retrieval.cache.preselection import EXACT, Floats, Preselection, SignBits
from app.retrieval.cache.state import CacheState
from app.retrieval.eligibility import Eligibility, FilterColumns, Mask
from app.retrieval.rows import MemoryRow, fact_states, memory_row

#: Rough Python overhead of one memory's record (dict, small strings, list entries) beyond its content.
_RECORD_OVERHEAD_BYTES = 1200


class UserMemories:
    """One user's memories: their fields as a search hit shows them, their facts (predicate and status),
    and their vectors. A memory with several sentences has one row per sentence (scored as `memory_scores`
    says). Memories and rows are appended, never moved; index `i` is a memory's place in `records`."""

    def __init__(self, dimension: int, state: CacheState, preselection: Preselection = EXACT) -> None:
        self.version = state.version
        self.deletions = state.deletions
        self.generation = state.generation
        self.lock = threading.Lock()
        self.dimension = dimension
        self.preselection = preselection
        # Per memory.
        self.records: list[MemoryRow] = []
        self.facts: list[list[tuple[str, str]]] = []
        #: the memories asserting the current facts that replaced this one's (`memories_for_cache`)
        self.successors: list[tuple[str, ...]] = []
        self._index_of: dict[str, int] = {}
        self._rows_of: list[list[int]] = []
        self._content_bytes = 0
        self._occurred = np.zeros(0, dtype=np.float64)
        self._significance = np.zeros(0, dtype=np.float32)
        self._conversation = np.zeros(0, dtype=np.int32)
        self._tier = np.zeros(0, dtype=np.int16)
        self._type = np.zeros(0, dtype=np.int16)
        self._inverse_norm = np.zeros(0, dtype=np.float32)  # 1 / |sum of the memory's rows|
        self._codes: dict[str, int] = {}
        self.keywords = KeywordIndex()
        self.entities = EntityWords()
        # Per row (sentence). While every memory has exactly one live row, row i is memory i. The rows
        # arrive at half precision (`packed_vectors`) and are held at single: numpy's half-precision
        # product and conversion run without SIMD, many times slower than BLAS's single-precision one.
        self._rows = 0
        self._matrix = np.zeros((0, dimension), dtype=np.float32)
        self._owner = np.zeros(0, dtype=np.int32)
        self._live = np.zeros(0, dtype=np.bool_)
        self._signs = SignBits(dimension)
        self._one_row_each = True
        self.conversations = Conversations(dimension)

    @property
    def size(self) -> int:
        """How many memories are held."""
        return len(self.records)

    @property
    def nbytes(self) -> int:
        """Approximate memory taken (what the cache budget counts)."""
        arrays = (
            self._matrix,
            self._owner,
            self._live,
            self._occurred,
            self._significance,
            self._conversation,
            self._tier,
            self._type,
            self._inverse_norm,
        )
        records = self._content_bytes + self.size * _RECORD_OVERHEAD_BYTES
        held = self._signs.nbytes + self.conversations.nbytes + self.keywords.nbytes + self.entities.nbytes
        return sum(a.nbytes for a in arrays) + held + records

    def index(self, memory_id: str) -> int | None:
        """A memory's index, None when it is not held."""
        return self._index_of.get(memory_id)

    def upsert(self, rows: list[dict[str, Any]]) -> None:
        """Add memories, or replace the ones already held (re-embedded, facts changed)."""
        with self.lock:
            # Their vectors go in together after the loop: a user's first load is hundreds of memories,
            # and numpy's work per call, not per number, would otherwise be most of it.
            vectors: dict[int, Floats] = {}
            for row in rows:
                record = memory_row(row["memory"])
                record["occurred_at"] = moment_of(row["occurred_at"])
                conversation = self.conversations.number(record["conversation_id"])
                memory = self._index_of.get(record["id"])
                previous = None
                if memory is None:
                    memory = self._append_memory(record, conversation)
                else:
                    previous = self.records[memory]["content"]
                    self._content_bytes -= len(previous)
                    if memory not in vectors:  # held before this call: its old vectors go
                        self.conversations.remove(int(self._conversation[memory]), self._held_vector(memory))
                        self._live[self._rows_of[memory]] = False
                        self._one_row_each = False
                self.records[memory] = record
                self._content_bytes += len(record["content"])
                self.keywords.put(memory, conversation, record["content"], previous)
                self.entities.put(memory, row.get("entities") or ())
                self.facts[memory] = fact_states(row.get("facts"))
                self.successors[memory] = tuple(row.get("successors") or ())
                self._occurred[memory] = record["occurred_at"].timestamp()
                self._significance[memory] = record["significance"]
                self._conversation[memory] = conversation
                self._tier[memory] = self._code(record.get("tier") or "hot")
                self._type[memory] = self._code(record["memory_type"])
                vectors[memory] = self._sentence_rows(row)
            if vectors:
                self._add_vectors(vectors)

    def _sentence_rows(self, row: dict[str, Any]) -> npt.NDArray[np.floating]:
        packed = row.get("sentence_vectors")
        if packed is not None:
            return unpack(packed, self.dimension)
        # Stored before vectors were packed: the message's vector, and its sentences' when several.
        flat = row.get("sentence_embeddings") or row["embedding"]
        return np.asarray(flat, dtype=np.float32).reshape(-1, self.dimension)

    def _add_vectors(self, vectors: dict[int, Floats]) -> None:
        """Each memory's sentence rows appended, and its vector (their normalised mean) added to its
        conversation's sum."""
        memories = np.fromiter(vectors, dtype=np.int32, count=len(vectors))
        counts = np.fromiter((len(v) for v in vectors.values()), dtype=np.intp, count=len(vectors))
        # At half precision first, as the graph keeps them: a memory scores the same written or loaded.
        rows = np.concatenate(list(vectors.values())).astype(np.float16, copy=False).astype(np.float32)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        sums = segment_sums(rows, starts, counts)
        norms = np.maximum(np.linalg.norm(sums, axis=1), 1e-12)
        self._inverse_norm[memories] = 1.0 / norms
        self.conversations.add(*group_sums(sums / norms[:, None], self._conversation[memories]))
        first = self._append_rows(rows, np.repeat(memories, counts))
        for memory, start, count in zip(memories.tolist(), (first + starts).tolist(), counts.tolist(), strict=True):
            self._rows_of[memory] = list(range(start, start + count))

    def _held_vector(self, memory: int) -> Floats:
        # The memory's vector as its rows give it back, as `upsert` added it to its conversation's sum.
        return unit_mean(self._matrix[self._rows_of[memory]])

    def _code(self, value: str) -> int:
        return self._codes.setdefault(sys.intern(value), len(self._codes))

    def _append_memory(self, record: MemoryRow, conversation: int) -> int:
        memory = len(self.records)
        if memory >= len(self._occurred):
            capacity = max(64, 2 * len(self._occurred))
            self._occurred = grown(self._occurred, capacity)
            self._significance = grown(self._significance, capacity)
            self._conversation = grown(self._conversation, capacity)
            self._tier = grown(self._tier, capacity)
            self._type = grown(self._type, capacity)
            self._inverse_norm = grown(self._inverse_norm, capacity)
        self.records.append(record)
        self.facts.append([])
        self.successors.append(())
        self._index_of[record["id"]] = memory
        self._rows_of.append([])
        self.conversations.join(conversation, memory)
        return memory

    def _append_rows(self, vectors: Floats, owners: npt.NDArray[np.int32]) -> int:
        """Rows appended for their owners (memory indexes); the first's index."""
        needed = self._rows + len(vectors)
        if needed > len(self._matrix):
            capacity = max(needed, 2 * len(self._matrix), 64)
            self._matrix = grown(self._matrix, capacity)
            self._signs.reserve(self._rows, capacity)
            self._owner = grown(self._owner, capacity)
            self._live = grown(self._live, capacity)
        first = self._rows
        self._matrix[first:needed] = vectors
        self._signs.put(first, vectors)
        self._owner[first:needed] = owners
        self._live[first:needed] = True
        self._one_row_each = self._one_row_each and bool(np.array_equal(owners, np.arange(first, needed)))
        self._rows = needed
        return first

    def eligible(self, eligibility: Eligibility) -> Mask:
        """Which memories pass the search's filters (as of, time range, significance, tiers, types)."""
        with self.lock:
            return self._eligible(eligibility)

    def eligible_and_scores(
        self, query: Floats, eligibility: Eligibility, eligible: Mask | None = None, share: float = 0.0
    ) -> tuple[Mask, Scores]:
        """`eligible` (the caller's, computed earlier, unless memories were added since), and the
        memories' scores for `query` (unit length; `share` as `memory_scores` says), under one hold of the
        lock, so that no memory is added between the two. Scored once a search: `best`, `conversations`
        and `fill` work on the result."""
        with self.lock:
            if eligible is None or len(eligible) != self.size:
                eligible = self._eligible(eligibility)
            return eligible, self._score(query, eligible, share)

    def _eligible(self, eligibility: Eligibility) -> Mask:
        size = self.size
        return eligibility.mask(
            FilterColumns(
                self._occurred[:size], self._significance[:size], self._tier[:size], self._type[:size], self._codes
            )
        )

    def _score(self, query: Floats, eligible: Mask, share: float) -> Scores:
        size, rows = self.size, self._rows
        single = np.asarray(query, dtype=np.float32)
        wanted = self.preselection.rows_to_score(rows)
        if wanted is None:
            row_scores = cosines(self._matrix[:rows], single)
            if self._one_row_each:
                values = row_scores
            else:
                live = self._live[:rows]
                values = memory_scores(row_scores[live], self._owner[:rows][live], self._inverse_norm, share, size)
            values[~eligible[:size]] = -np.inf
            return Scores(values, share=share)
        row_eligible = eligible[:size] if self._one_row_each else eligible[self._owner[:rows]] & self._live[:rows]
        picked = self._signs.nearest(query, rows, row_eligible, wanted)
        scores = Scores(np.full(size, -np.inf, dtype=np.float32), eligible[:size].copy(), single, share)
        self._score_memories(scores, picked if self._one_row_each else np.unique(self._owner[picked]))
        return scores

    def _score_memories(self, scores: Scores, memories: npt.NDArray[np.intp]) -> None:
        """Score `memories` exactly (every row of each); they are no longer pending."""
        assert scores.query is not None  # set whenever memories are pending
        if len(memories) == 0:
            return
        if self._one_row_each:  # row i is memory i
            scores.values[memories] = cosines(self._matrix[memories], scores.query)
        else:
            rows = np.concatenate([np.asarray(self._rows_of[i], dtype=np.intp) for i in memories.tolist()])
            row_scores = cosines(self._matrix[rows], scores.query)
            owners, values = some_memory_scores(row_scores, self._owner[rows], self._inverse_norm, scores.share)
            scores.values[owners] = values
        if scores.pending is not None:
            scores.pending[memories] = False

    def fill(self, scores: Scores, memories: Iterable[int]) -> None:
        """Score those of `memories` that `scores` holds as pending (see `Preselection`)."""
        with self.lock:
            self._fill(scores, memories)

    def _fill(self, scores: Scores, memories: Iterable[int]) -> None:
        pending = scores.pending
        if pending is None:
            return
        wanted = [int(i) for i in memories if i < len(pending) and pending[i]]
        if wanted:
            self._score_memories(scores, np.asarray(wanted, dtype=np.intp))

    def best(self, scores: Scores, n: int) -> list[tuple[int, float]]:
        """The `n` best-scored memories (index, score), best first, never an ineligible one."""
        values = scores.values
        return [(i, float(values[i])) for i in top_indices(values, n) if np.isfinite(values[i])]

    def keyword_hits(
        self, clauses: list[tuple[str, float]], eligible: Mask, n: int, conversations: int
    ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
        """What `clauses` (words and weights) find by this user's own statistics, each hit with its BM25:
        the `n` best eligible memories (`KeywordIndex`), the `conversations` best conversations (ids), and
        the memories mentioning the best-matching entities (`EntityWords`)."""
        with self.lock:
            best, closest = self.keywords.best(clauses, eligible, n, conversations)
            return (
                {self.records[i]["id"]: score for i, score in best},
                {self.conversations.ids[c]: score for c, score in closest},
                {self.records[i]["id"]: score for i, score in self.entities.best(clauses).items()},
            )

    def closest_conversations(
        self, query: Floats, scores: Scores, n: int, per_conversation: int, also: list[str]
    ) -> list[tuple[str, float, list[tuple[int, float]]]]:
        """The `n` conversations closest to `query` (by the sum of their memories' vectors) and those named
        in `also`, each with its cosine and its `per_conversation` best-scored memories (`scores` from
        `eligible_and_scores`)."""
        with self.lock:
            result = []
            values = scores.values
            for number, cosine in self.conversations.closest(query, n, also):
                members = np.asarray(self.conversations.members(number), dtype=np.int64)
                members = members[members < len(values)]  # appended after `scores` was computed
                self._fill(scores, members.tolist())
                order = top_indices(values[members], per_conversation)
                picks = [(int(members[j]), float(values[members[j]])) for j in order if np.isfinite(values[members[j]])]
                result.append((self.conversations.ids[number], cosine, picks))
            return result

    def neighbours(self, memory: int) -> list[int]:
        """The memories just before and after one in its conversation's timeline (its `NEXT` links)."""
        with self.lock:
            return self.conversations.neighbours(
                int(self._conversation[memory]), memory, lambda i: (self._occurred[i], self.records[i].get("seq") or 0)
            )
