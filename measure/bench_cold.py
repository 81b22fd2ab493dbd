"""The first search of a user no cache holds yet (`make bench --only typeahead`, on the evaluation's
LongMemEval stores: one user per question, 250-500 memories each).

- search_cold_user_p50_ms / _p95_ms: the user dropped from the memory cache, then one search (the
  question, default options, nothing recorded as recalled), through the search service: the user's
  memories load on the way (users up to `MEMORY_CACHE_SYNC_BELOW` memories load before answering);
- search_cold_user_from_graph_p50_ms / _p95_ms: the same with every load in the background, the first
  search answered from Neo4j meanwhile;
- search_after_socket_open_p50_ms: the first search once the type-ahead socket has warmed the user (what a
  companion gets when its user opened the socket before sending);
- search_warm_user_p50_ms: the same search again, the user held.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from app.container import Container
from app.retrieval.options import SearchOptions
from measure import longmemeval

OPTIONS = SearchOptions(record_access=False)


def _quantiles(name: str, values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100)
    return {f"{name}_p50_ms": round(statistics.median(values), 2), f"{name}_p95_ms": round(cuts[94], 2)}


def measure(container: Container, questions: list[dict[str, Any]]) -> dict[str, float]:
    """Every question's user searched cold, from the graph, after the socket warmed it, and warm."""
    cache, retrieval = container.memory_cache, container.retrieval

    def timed(owner: str, text: str, before: Callable[[], None]) -> float:
        cache.forget(owner)
        before()
        started = time.perf_counter()
        retrieval.search(owner, text, OPTIONS)
        return (time.perf_counter() - started) * 1000

    cold, graph, opened, warm = [], [], [], []
    sync_below = cache.sync_load_below
    for question in questions:
        owner, text = longmemeval.user_id_for(question), question["question"]
        cold.append(timed(owner, text, lambda: None))
        started = time.perf_counter()
        retrieval.search(owner, text, OPTIONS)
        warm.append((time.perf_counter() - started) * 1000)
        opened.append(timed(owner, text, lambda owner=owner: container.typeahead.warm(owner)))  # type: ignore[misc]
        cache.sync_load_below = 0
        try:
            graph.append(timed(owner, text, lambda: None))
        finally:
            cache.sync_load_below = sync_below
    return (
        _quantiles("search_cold_user", cold)
        | _quantiles("search_cold_user_from_graph", graph)
        | {"search_after_socket_open_p50_ms": round(statistics.median(opened), 2)}
        | {"search_warm_user_p50_ms": round(statistics.median(warm), 2)}
    )
