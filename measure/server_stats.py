"""How long the server's JVM has worked: the benchmarks wait on these before they measure."""

from __future__ import annotations

from neo4j.exceptions import ClientError

from app.graph.repository import GraphRepository
from measure.cypher import MeasureQuery


def compile_seconds(repository: GraphRepository) -> float | None:
    """Seconds the server's JVM has spent compiling since it started; None where the server does not
    say (another vendor's server, or a user without the right to read JMX)."""
    return _seconds(repository, MeasureQuery.SERVER_COMPILE_TIME)


def cpu_seconds(repository: GraphRepository) -> float | None:
    """Seconds of CPU the server's process has used since it started; None where it does not say."""
    return _seconds(repository, MeasureQuery.SERVER_CPU_TIME)


def _seconds(repository: GraphRepository, name: MeasureQuery) -> float | None:
    try:
        record = repository.read_one(name)
    except ClientError:
        return None
    return None if record is None or record["ms"] is None else float(record["ms"]) / 1000
