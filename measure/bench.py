"""Benchmarks: `make bench` prints the figures and writes them to reports/bench.json.

- warmup_msgs_per_s, warmup_compile_share: unmeasured batch rounds on the short messages measured next,
  until Neo4j runs warm (`warm_up`), and the share of each round's time the server's JIT compiler worked;
  the embedding child process loads meanwhile (batch_embedding: whether it served the batch figures).
- write_p50_ms / write_p95_ms: one short chat message through the real HTTP API (uvicorn on loopback)
  until durable, against the configured Neo4j, after rounds of 30 until the server's JIT compiler settled
  (write_warmup_compile_share).
- batch_msgs_per_s: the batch pipeline on short chat messages (the opening sentences of the dev set's
  user turns, median 21 words, up to 30).
- http_batch_msgs_per_s: POST /v1/messages/batch on the same short messages, 100 a request, two requests
  in flight (as a back-fill client keeps the server's shared stages busy);
  http_batch_one_at_a_time_msgs_per_s: the same, one request at a time (each request fills and drains
  the stages).
- batch_words_per_s: the batch pipeline on the dev set's user turns as they are.
- search_p50_ms_{1k,10k,100k}, search_p95_ms_*, context_p50_ms_100k, search_top50_kept_100k: see
  measure/bench_search.py;
  search_seed_s and search_settle_s: how long seeding took, and waiting for the server to go idle after it.
- decay_pass_s_1m, search_p95_ms_100k_idle / _during_decay, search_during_decay_ratio: see
  measure/bench_decay.py.
- guard_p50_ms, guard_p95_ms, guard_rules_p50_ms: see measure/bench_guard.py.
- mcp_initialize_s, mcp_initialize_max_s, mcp_first_call_s: see measure/bench_mcp.py.
- typeahead_hit_rate, typeahead_send_to_context_p50_ms, context_cold_p50_ms, typeahead_warm_recall_ratio:
  see measure/bench_typeahead.py; search_cold_user_p50_ms / _p95_ms and their variants: see
  measure/bench_cold.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx

from app.container import Container, build_container
from app.keys.secrets import Scope
from app.main import create_app
from app.settings import PROJECT_ROOT, get_settings
from app.tenancy import DEFAULT_TENANT
from measure import (
    bench_cold,
    bench_decay,
    bench_guard,
    bench_mcp,
    bench_search,
    bench_typeahead,
    longmemeval,
    server_stats,
)
from measure.longmemeval import scored_questions
from measure.served import served
from pipelines.ingest import ingest_lines

REPORT = PROJECT_ROOT / "reports" / "bench.json"


def _user_turns(limit: int) -> list[str]:
    turns = [m["text"] for q in longmemeval.load() for m in longmemeval.messages(q)]
    return turns[:limit]


def short_messages(limit: int) -> list[str]:
    """The opening of user turns, whole sentences up to at least 15 words, cut at 30: like real companion
    chat (median 21 words on the dev set)."""
    out = []
    for turn in _user_turns(limit * 3):
        words: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", turn.strip()):
            words += sentence.split()
            if len(words) >= 15:
                break
        if len(words) >= 3:
            out.append(" ".join(words[:30]))
        if len(out) == limit:
            break
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextmanager
def _serve(container: Container) -> Iterator[httpx.Client]:
    """The API on a free loopback port, and a client of it holding a key that is revoked afterwards."""
    created = container.keys.create(DEFAULT_TENANT, [Scope.READ, Scope.WRITE], name="bench")
    # No periodic decay pass beside the write figures (the pass has its own benchmark), and none as of now
    # over the evaluation's stores of old conversations, which it would forget.
    quiet = container.settings.model_copy(update={"decay_interval_s": 0.0, "log_level": "WARNING"})
    headers = {"Authorization": f"Bearer {created.key}"}
    try:
        with (
            served(create_app(quiet, container)) as url,
            httpx.Client(base_url=url, timeout=30, headers=headers) as client,
        ):
            yield client
    finally:
        container.keys.revoke(created.api_key.id)


def bench_write(container: Container, texts: list[str], warmup: int = 30) -> dict[str, Any]:
    """Latency of POST /v1/messages, one message at a time, until the answer (durable), over `texts` after
    the first `warmup`. Those go first, in rounds, until the server's JIT compiler has settled
    (`_until_warm`): one round left the p50 far above a warm server's right after a restart, even after
    the batch's warm-up."""
    user_id = f"bench-write-{uuid.uuid4()}"
    sent = itertools.count()
    try:
        with _serve(container) as client:

            def post(text: str) -> float:
                n = next(sent)
                body = {
                    "user_id": user_id,
                    "companion_id": "bench",
                    "conversation_id": f"c{n // 50}",
                    "message_id": f"m{n}",
                    "role": "user",
                    "text": text,
                }
                start = time.perf_counter()
                client.post("/v1/messages", json=body).raise_for_status()
                return (time.perf_counter() - start) * 1000

            def warm_round() -> float:
                return round(1000 * warmup / sum(post(text) for text in texts[:warmup]), 1)

            _, shares = _until_warm(container, warm_round, least_s=0.0, most_s=120.0)
            timings = [post(text) for text in texts[warmup:]]
    finally:
        container.users.store.delete(user_id)
    return {
        "write_warmup_compile_share": shares,
        "write_p50_ms": round(statistics.median(timings), 2),
        "write_p95_ms": round(_percentile(timings, 0.95), 2),
        "write_samples": len(timings),
    }


def _messages(user_id: str, texts: list[str]) -> list[dict[str, str]]:
    return [
        {
            "user_id": user_id,
            "companion_id": "bench",
            "conversation_id": f"c{i // 20}",
            "message_id": f"m{i}",
            "role": "user",
            "text": text,
            "occurred_at": f"2026-01-01T00:00:{i % 60:02d}Z",
        }
        for i, text in enumerate(texts)
    ]


def bench_http_batch(
    container: Container, texts: list[str], in_flight: int = 2, label: str = "http_batch"
) -> dict[str, float]:
    """Throughput of POST /v1/messages/batch on the same messages as the batch pipeline, 100 a request in
    order, `in_flight` requests at a time, as a back-fill client would send them."""
    user_id = f"bench-http-batch-{uuid.uuid4()}"
    messages = _messages(user_id, texts)
    bodies = [{"messages": messages[first : first + 100]} for first in range(0, len(messages), 100)]
    try:
        with _serve(container) as client, ThreadPoolExecutor(in_flight) as senders:
            start = time.perf_counter()
            for answer in senders.map(lambda body: client.post("/v1/messages/batch", json=body, timeout=300), bodies):
                answer.raise_for_status()
            elapsed = time.perf_counter() - start
    finally:
        container.users.store.delete(user_id)
    return {f"{label}_msgs_per_s": round(len(texts) / elapsed, 1)}


def bench_batch(container: Container, texts: list[str], label: str) -> dict[str, float]:
    """Throughput of the batch pipeline (three stages in flight, chunks of 128)."""
    user_id = f"bench-batch-{uuid.uuid4()}"
    lines = [json.dumps(message) for message in _messages(user_id, texts)]
    words = sum(len(t.split()) for t in texts)
    try:
        start = time.perf_counter()
        totals = ingest_lines(container, enumerate(lines, start=1), len(lines), progress=False)
        elapsed = time.perf_counter() - start
    finally:
        container.users.store.delete(user_id)
    return {
        f"{label}_msgs_per_s": round(len(texts) / elapsed, 1),
        f"{label}_words_per_s": round(words / elapsed, 1),
        f"{label}_messages": len(texts),
        f"{label}_median_words": statistics.median(len(t.split()) for t in texts),
        f"{label}_stored": totals["stored"],
    }


#: The server counts as warm once its JIT compiler worked for at most this share of a warm-up round's
#: wall time. After a restart it compiles for most of the first rounds, for minutes on 2 cores, and
#: meanwhile the compiler's thread takes CPU from everything else (docs/performance.md).
SETTLED_COMPILE_SHARE = 0.05


def _settled(rates: list[float], compile_share: float | None) -> bool:
    if compile_share is None:  # a server that does not say: until the rounds stop getting faster
        return rates[-1] < 1.03 * max(rates[:-1])
    return compile_share <= SETTLED_COMPILE_SHARE


def _until_warm(
    container: Container, run_round: Callable[[], float], least_s: float, most_s: float
) -> tuple[list[float], list[float | None]]:
    """`run_round` (which returns its rate) again and again until the server runs warm; each round's rate
    and the share of it the server's JIT compiler worked (None where the server does not say). Rounds go
    on for at least `least_s` seconds and two rounds, then until the compiler worked for at most
    `SETTLED_COMPILE_SHARE` of a round or, where the server does not say, until a round is less than 3 %
    faster than the best before it; at most `most_s` seconds."""
    rates: list[float] = []
    shares: list[float | None] = []
    start = began = time.perf_counter()
    compiled = server_stats.compile_seconds(container.repository)
    while True:
        rates.append(run_round())
        now, compiled_now = time.perf_counter(), server_stats.compile_seconds(container.repository)
        share = None if compiled is None or compiled_now is None else (compiled_now - compiled) / (now - began)
        shares.append(None if share is None else round(share, 3))
        if now - start >= most_s or (now - start >= least_s and len(rates) > 1 and _settled(rates, share)):
            return rates, shares
        compiled, began = compiled_now, now  # a round's end is the next one's start


def warm_up(
    container: Container, texts: list[str], least_s: float = 60.0, most_s: float = 360.0
) -> tuple[list[float], list[float | None]]:
    """Batch rounds until Neo4j runs warm (`_until_warm`); returns each round's msg/s and the share of it
    the server's JIT compiler worked. A JVM just started compiles its hot code for minutes, and meanwhile
    the pipeline runs slower: the figures are for a warm server, as in a backfill of any length."""
    return _until_warm(container, lambda: bench_batch(container, texts, "warmup")["warmup_msgs_per_s"], least_s, most_s)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmarks, print the figures and write reports/bench.json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    groups = ["write", "guard", "search", "decay", "typeahead", "mcp"]
    parser.add_argument("--only", choices=groups, help="run one group only")
    parser.add_argument("--keep", action="store_true", help="keep the seeded search users for a re-run")
    args = parser.parse_args(argv)
    container = build_container(get_settings())
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores"}
    try:
        if args.only in (None, "write"):
            # The batch pipeline's embedding child (as in a long backfill) loads during the warm-up.
            embedding_process = container.embedding_process()
            # The warm-up runs the measured messages, so that its rounds compare with the figure: the
            # second thousand are heavier than the first.
            texts = short_messages(2000)
            results["warmup_msgs_per_s"], results["warmup_compile_share"] = warm_up(container, texts)
            results["batch_embedding"] = (
                "child process" if embedding_process and embedding_process.serving else "in process"
            )
            short = bench_batch(container, texts, "batch_short")
            http_batch = bench_http_batch(container, texts) | bench_http_batch(
                container, texts, 1, "http_batch_one_at_a_time"
            )
            full = bench_batch(container, _user_turns(1000), "batch_full")
            results |= bench_write(container, short_messages(230)) | short | http_batch | full
            results["batch_msgs_per_s"] = short["batch_short_msgs_per_s"]
            results["batch_words_per_s"] = full["batch_full_words_per_s"]
        if args.only in (None, "guard"):
            results |= bench_guard.measure(container)
        if args.only in (None, "mcp"):
            results |= bench_mcp.measure(container)
        if args.only == "decay":
            results |= bench_decay.measure(container, bench_search.user("100k"), short_messages(5200)[5000:])
            if not args.keep:
                bench_decay.remove(container)
        if args.only in (None, "typeahead"):
            questions = scored_questions(longmemeval.load())
            users = [longmemeval.user_id_for(q) for q in questions]
            if all(container.users.store.user(u) for u in users):
                results |= bench_typeahead.measure(container, questions)
                results |= bench_cold.measure(container, questions)
            else:
                print("typeahead: the evaluation's users are not loaded (make eval loads them); skipped")
        if args.only in (None, "search"):
            texts = short_messages(5200)
            pool, queries = texts[:5000], texts[5000:]
            started = time.perf_counter()
            bench_search.seed(container, pool, container.embedder.encode(pool))
            results["search_seed_s"] = round(time.perf_counter() - started, 1)
            results["search_settle_s"] = bench_search.settle(container)
            results |= bench_search.measure(container, queries)
            results |= bench_decay.measure(container, bench_search.user("100k"), queries)
            if not args.keep:
                bench_search.remove(container)
                bench_decay.remove(container)
    finally:
        container.close()
    previous = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(previous | results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:32} {value}")
    print(f"written to {REPORT.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
