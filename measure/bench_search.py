"""Search latency at scale: `make bench` runs it after the write benchmarks.

Seeds 1,000 background users of 100 memories and three measured users of
1k, 10k and 100k memories, with real MiniLM embeddings of dev-set sentences plus a little noise so that
every vector is distinct; the NLP stages are bypassed since only search is measured. Then, per user
size: search p50/p95 with a precomputed query embedding (the type-ahead case), and for 100k the context
call including the embedding. Search is measured twice: from Neo4j alone (memory cache off: exact scan
up to 5,000 memories, else the HNSW index) and with the in-process memory cache loaded (how long the load
takes is reported too), once the server has gone idle after the seeding (`settle`); at 100k, also how much
of each query's exact top 50 the cache's preselection by sign bits keeps. The benchmark users are
deleted afterwards unless `--keep` is given
(Lucene's IDF statistics are index-wide, so they would shift keyword scores of other users).
"""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import numpy as np

from app.container import Container
from app.graph.owner_token import owner_token
from app.graph.repository import WriteUnit
from app.graph.schema import await_indexes
from app.nlp.packed_vectors import pack
from app.retrieval.cache.loader import MemoryCache
from app.retrieval.cache.preselection import EXACT
from app.retrieval.eligibility import Eligibility
from app.retrieval.options import SearchOptions
from app.retrieval.service import RetrievalService
from measure import server_stats
from measure.cypher import MeasureQuery

BACKGROUND_USERS = 1000
BACKGROUND_EACH = 100
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
QUERIES = 200
SEED = 7


def user(size: str) -> str:
    """The measured user of a size ("1k", "10k", "100k")."""
    return f"bench-search-{size}"


def _count(container: Container, user_id: str) -> int:
    user = container.users.store.user(user_id)
    return user.memory_count if user else 0


def _seed_user(
    container: Container, user_id: str, n: int, pool: list[str], vectors: np.ndarray, rng: np.random.Generator
) -> None:
    now = datetime.now(UTC)
    tenant = owner_token(user_id)
    for start in range(0, n, 2000):
        count = min(2000, n - start)
        picks = rng.integers(0, len(pool), count)
        noisy = vectors[picks] + rng.normal(0, 0.03, (count, vectors.shape[1])).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        rows: list[dict[str, Any]] = [
            {
                "user_id": user_id,
                "tenant": tenant,
                "id": str(uuid.uuid4()),
                "external_id": f"s{start + i}",
                "conversation_id": f"c{(start + i) // 40}",
                "content": pool[p],
                "embedding": noisy[i].tolist(),
                "sentence_vectors": pack(noisy[i : i + 1]),
                "memory_type": "conversation",
                "significance": float(rng.uniform(0.3, 1.0)),
                "occurred_at": now - timedelta(minutes=int(rng.integers(1, 80 * 24 * 60))),
                "seq": start + i,
            }
            for i, p in enumerate(picks)
        ]
        container.repository.write(partial(_insert, rows=rows))


def _insert(unit: WriteUnit, rows: list[dict[str, Any]]) -> None:
    unit.run(MeasureQuery.BENCH_SEED_MEMORIES, rows=rows)


def seed(container: Container, pool: list[str], vectors: np.ndarray) -> None:
    """Create the benchmark users that are missing."""
    rng = np.random.default_rng(SEED)
    for i in range(BACKGROUND_USERS):
        user_id = f"bench-background-{i}"
        if _count(container, user_id) < BACKGROUND_EACH:
            container.users.store.delete(user_id)
            _seed_user(container, user_id, BACKGROUND_EACH, pool, vectors, rng)
    for size, n in SIZES.items():
        if _count(container, user(size)) != n:
            container.users.store.delete(user(size))
            _seed_user(container, user(size), n, pool, vectors, rng)
    await_indexes(container.driver, container.settings.neo4j_database, timeout_s=600)


def settle(container: Container, idle_share: float = 0.1, window_s: float = 2.0, most_s: float = 300.0) -> float:
    """Wait until the server is idle (its process used under `idle_share` of a core over `window_s`), at
    most `most_s`; returns the seconds waited. After the seeding it goes on working (merging its index
    segments) at a full core for minutes with no client, which the search figures would otherwise share
    the machine with."""
    start = time.perf_counter()
    used = server_stats.cpu_seconds(container.repository)
    while used is not None and time.perf_counter() - start < most_s:
        time.sleep(window_s)
        now = server_stats.cpu_seconds(container.repository)
        if now is None or now - used < idle_share * window_s:
            break
        used = now
    return round(time.perf_counter() - start, 1)


def remove(container: Container) -> None:
    """Delete every benchmark user, so that other measurements (Lucene's IDF is global) see none of them."""
    for i in range(BACKGROUND_USERS):
        container.users.store.delete(f"bench-background-{i}")
    for size in SIZES:
        container.users.store.delete(user(size))


def _search_timings(
    retrieval: RetrievalService, user_id: str, queries: list[str], embeddings: np.ndarray
) -> list[float]:
    timings = []
    for text, vector in zip(queries, embeddings, strict=True):
        start = time.perf_counter()
        retrieval.search(user_id, text, SearchOptions(k=10, record_access=False), embedding=vector.tolist())
        timings.append((time.perf_counter() - start) * 1000)
    return timings[10:]  # warm-up


def load_memories(container: Container, user_id: str, query: str) -> float:
    """Seconds until the user's memories are in the cache (a first search starts the load)."""
    start = time.perf_counter()
    container.retrieval.search(user_id, query, SearchOptions(k=1, record_access=False))
    while not container.memory_cache.holds(user_id):
        time.sleep(0.05)
    return time.perf_counter() - start


def measure(container: Container, queries: list[str]) -> dict[str, float]:
    """Search latency per user size, from Neo4j alone and with the memory cache; the context call at 100k."""
    embeddings = container.embedder.encode_queries(queries)
    results: dict[str, float] = {}
    graph_only = RetrievalService(
        container.settings,
        container.repository,
        container.embedder,
        MemoryCache(container.repository, container.embedder.dimension, budget_mb=0, sync_load_below=0),
        container.access,
    )
    for size in SIZES:
        timings = _search_timings(graph_only, user(size), queries, embeddings)
        results[f"search_p50_ms_{size}_graph_only"] = round(statistics.median(timings), 2)
    for size in SIZES:
        results[f"memory_cache_load_s_{size}"] = round(load_memories(container, user(size), queries[0]), 2)
        timings = _search_timings(container.retrieval, user(size), queries, embeddings)
        results[f"search_p50_ms_{size}"] = round(statistics.median(timings), 2)
        results[f"search_p95_ms_{size}"] = round(sorted(timings)[int(0.95 * (len(timings) - 1))], 2)
    timings = []
    for text in queries[:100]:
        start = time.perf_counter()
        container.context.build(user("100k"), text)
        timings.append((time.perf_counter() - start) * 1000)
    results["context_p50_ms_100k"] = round(statistics.median(timings[10:]), 2)
    results["search_top50_kept_100k"] = _kept_by_preselection(container, user("100k"), embeddings)
    return results


def _kept_by_preselection(container: Container, user_id: str, embeddings: np.ndarray, n: int = 50) -> float:
    """The share of each query's exact top `n` by cosine that the scores a search starts from also rank top
    `n` (1.0 where the user is small enough to be scored exactly; see `Preselection`)."""
    memories = container.memory_cache.peek(user_id)
    assert memories is not None  # loaded by the timings above
    everything = Eligibility(as_of=datetime.now(UTC), since=None, min_significance=0.0)
    preselection, kept = memories.preselection, []
    for vector in embeddings:
        _, scores = memories.eligible_and_scores(vector, everything)
        memories.preselection = EXACT
        try:
            _, exact = memories.eligible_and_scores(vector, everything)
        finally:
            memories.preselection = preselection
        wanted = {i for i, _ in memories.best(exact, n)}
        kept.append(len(wanted & {i for i, _ in memories.best(scores, n)}) / len(wanted))
    return round(statistics.mean(kept), 4)
