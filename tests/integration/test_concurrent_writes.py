"""Several devices of one person write at once: every message is stored exactly once, and no write fails
(Neo4j's deadlock detection must never reach the client as an error)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from app.container import Container
from app.write.ingest import IncomingMessage

pytestmark = pytest.mark.integration

WRITERS = 4
PER_WRITER = 100


def test_concurrent_writers_of_one_user_never_fail(container: Container, user_id: str) -> None:
    start = datetime.now(UTC) - timedelta(hours=1)

    def write(writer: int) -> list[str]:
        failures = []
        for i in range(PER_WRITER):
            message = IncomingMessage(
                user_id=user_id,
                companion_id="lucy",
                conversation_id="c1",
                role="user",
                text=f"On device {writer} I noted that my sister Anna likes hiking trip number {i}",
                message_id=f"w{writer}-{i}",
                occurred_at=start + timedelta(seconds=i, milliseconds=writer),
                device_id=f"device-{writer}",
            )
            try:
                (outcome,) = container.ingest.ingest([message])
                assert outcome.status == "stored"
            except Exception as error:  # collected: every failure is a finding
                failures.append(f"{message.message_id}: {type(error).__name__}: {error}")
        return failures

    with ThreadPoolExecutor(WRITERS) as pool:
        failures = [f for found in pool.map(write, range(WRITERS)) for f in found]
    assert failures == []
    stored = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) RETURN count(m) AS n, count(DISTINCT m.external_id) AS ids",
        u=user_id,
        database_=container.settings.neo4j_database,
    ).records[0]
    assert (stored["n"], stored["ids"]) == (WRITERS * PER_WRITER, WRITERS * PER_WRITER)
