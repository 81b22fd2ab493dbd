"""The measurement package's own Cypher: seeding benchmark users, reading the server's JVM counters,
checking evaluation stores.
Loaded through the service's one loader (`app.graph.cypher.query`), from `measure/cypher/`."""

from __future__ import annotations

from pathlib import Path

from app.graph.cypher import NamedQuery

MEASURE_CYPHER_DIR = Path(__file__).resolve().parent / "cypher"


class MeasureQuery(NamedQuery):
    """Names of the files in `measure/cypher/`."""

    @classmethod
    def folder(cls) -> Path:
        """`measure/cypher/`."""
        return MEASURE_CYPHER_DIR

    BENCH_SEED_MEMORIES = "bench_seed_memories"
    SERVER_COMPILE_TIME = "server_compile_time"
    SERVER_CPU_TIME = "server_cpu_time"
    EVAL_DECAYED_AFTER = "eval_decayed_after"
    BENCH_DECAY_SEED = "bench_decay_seed"
    BENCH_DECAY_COUNT = "bench_decay_count"
    BENCH_DECAY_REMOVE = "bench_decay_remove"
    CURRENT_FACTS_WITH_SOURCE = "current_facts_with_source"
    MEMORY_SIGNALS = "memory_signals"
