"""The measurement package's own Cypher: seeding benchmark users and reading the server's JVM counters.
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
