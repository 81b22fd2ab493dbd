"""The decay pass at scale: `make bench` runs it after the search benchmark, while its users exist.

Seeds 4,000 users of 250 light memories (1,000,000: no content or vectors, which the pass does not read;
significance, kind, time and recalls spread as `bench_decay_seed.cypher` says), then:
- decay_pass_s_1m: one pass over them as of now, once the server has gone idle after the seeding (the
  first pass: nearly every score and many tiers move);
- search_p95_ms_100k_idle / _during_decay: the search benchmark on the 100k user (memory cache loaded),
  first idle, then while a second pass (as of 30 days later) runs in a thread of the same process, as the
  service's periodic pass does (resting `DECAY_REST_SHARE` x each batch's time between batches);
  search_during_decay_ratio is the second over the first; decay_pass_s_1m_resting how long that pass took.
The users are deleted afterwards unless `--keep` is given.
"""

from __future__ import annotations

import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from app.container import Container
from app.graph.cypher import query
from app.graph.driver import graph_errors
from app.graph.repository import WriteUnit
from app.retrieval.options import SearchOptions
from measure import bench_search
from measure.cypher import MeasureQuery

USERS = 4000
EACH = 250
PREFIX = "bench-decay-"


def seed(container: Container) -> float:
    """Create the pass's users unless they are all there; seconds it took."""
    started = time.perf_counter()
    record = container.repository.read_one(MeasureQuery.BENCH_DECAY_COUNT, prefix=PREFIX)
    if record is not None and record["memories"] == USERS * EACH:
        return 0.0
    remove(container)
    now = datetime.now(UTC)
    ids = [f"{PREFIX}{i:05d}" for i in range(USERS)]
    for start in range(0, USERS, 40):

        def insert(unit: WriteUnit, users: list[str] = ids[start : start + 40]) -> None:
            unit.run(MeasureQuery.BENCH_DECAY_SEED, users=users, each=EACH, now=now)

        container.repository.write(insert)
    return time.perf_counter() - started


def remove(container: Container) -> None:
    """Delete the pass's users and memories."""
    with graph_errors(), container.driver.session(database=container.settings.neo4j_database) as session:
        # CALL ... IN TRANSACTIONS needs an auto-commit transaction.
        session.run(query(MeasureQuery.BENCH_DECAY_REMOVE), prefix=PREFIX).consume()


def _search_p95(container: Container, user_id: str, queries: list[str], embeddings: np.ndarray) -> float:
    timings = []
    for text, vector in zip(queries, embeddings, strict=True):
        start = time.perf_counter()
        container.retrieval.search(user_id, text, SearchOptions(k=10, record_access=False), embedding=vector.tolist())
        timings.append((time.perf_counter() - start) * 1000)
    timings = timings[10:]
    return round(sorted(timings)[int(0.95 * (len(timings) - 1))], 2)


def _held(container: Container, user_id: str) -> bool:
    user = container.users.store.user(user_id)
    return user is not None and user.memory_count > 0


def measure(container: Container, search_user: str, queries: list[str]) -> dict[str, Any]:
    """The pass alone, then search beside a pass."""
    results: dict[str, Any] = {"decay_seed_s": round(seed(container), 1)}
    # After seeding the server goes on working for a while (as after the search benchmark's seeding).
    results["decay_settle_s"] = bench_search.settle(container)
    now = datetime.now(UTC)
    report = container.decay.run(now, prefix=PREFIX, resume=False)
    results["decay_pass_s_1m"] = round(report.seconds, 1)
    results["decay_pass_memories"] = report.memories
    results["decay_pass_moves"] = report.moves
    if not _held(container, search_user):
        return results  # no search user to measure beside a pass (`--only decay` without `--keep` before)
    embeddings = container.embedder.encode_queries(queries)
    # Held before the idle figure: a large user's first searches are answered by Neo4j while it loads.
    bench_search.load_memories(container, search_user, queries[0])
    results["search_p95_ms_100k_idle"] = _search_p95(container, search_user, queries, embeddings)
    # As the service runs it: resting between batches.
    rest = container.settings.decay_rest_share
    passing = threading.Thread(
        target=container.decay.run,
        args=(now + timedelta(days=30),),
        kwargs={"prefix": PREFIX, "resume": False, "rest_share": rest},
    )
    resting_from = time.perf_counter()
    passing.start()
    during: list[float] = []
    while passing.is_alive():
        during.append(_search_p95(container, search_user, queries, embeddings))
    passing.join()
    results["decay_pass_s_1m_resting"] = round(time.perf_counter() - resting_from, 1)
    results["search_p95_ms_100k_during_decay"] = round(statistics.median(during), 2) if during else None
    if during:
        results["search_during_decay_ratio"] = round(
            results["search_p95_ms_100k_during_decay"] / results["search_p95_ms_100k_idle"], 2
        )
    return results
