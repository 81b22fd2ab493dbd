"""Every query file is valid Cypher on the real server, and names exactly the parameters it declares; the
analysts' timeline reads as one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import NotificationMinimumSeverity

from app.container import Container
from app.graph.cypher import BROWSER_DIR, NamedQuery, Query, migrations, query
from measure.cypher import MeasureQuery
from tests.helpers import message

pytestmark = pytest.mark.integration

PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@pytest.mark.parametrize("name", [*Query, *MeasureQuery])
def test_query_passes_explain(container: Container, name: NamedQuery) -> None:
    text = query(name)
    with container.driver.session(
        database=container.settings.neo4j_database,
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    ) as session:
        summary = session.run("EXPLAIN " + text).consume()
    assert summary.plan is not None, f"{name} produced no plan"


@pytest.mark.parametrize("statement", [s for m in migrations() for s in m.statements])
def test_schema_statement_passes_explain(container: Container, statement: str) -> None:
    with container.driver.session(database=container.settings.neo4j_database) as session:
        summary = session.run("EXPLAIN " + statement, dimensions=container.embedder.dimension).consume()
    is_schema_command = statement.split()[0] in {"CREATE", "DROP"}
    assert summary.query_type == ("s" if is_schema_command else "w")


BROWSER_FILES = sorted(BROWSER_DIR.glob("*.cypher"))


@pytest.mark.parametrize("path", BROWSER_FILES, ids=[p.stem for p in BROWSER_FILES])
def test_browser_query_passes_explain(container: Container, path: Path) -> None:
    with container.driver.session(database=container.settings.neo4j_database) as session:
        summary = session.run("EXPLAIN " + path.read_text(encoding="utf-8")).consume()
    assert summary.plan is not None


def test_the_browsers_timeline_reads_oldest_first_in_rows_without_vectors(
    client: TestClient, container: Container, user_id: str
) -> None:
    said = [
        ("later", "2026-03-02T10:00:00Z", "My dog Buster hurt his paw."),
        ("first", "2026-03-01T10:00:00Z", "I live in Porto."),
    ]
    for message_id, at, text in said:
        assert client.post("/v1/messages", json=message(user_id, message_id, text, occurred_at=at)).status_code == 200
    statement = (BROWSER_DIR / "relationship_timeline.cypher").read_text(encoding="utf-8")
    with container.driver.session(database=container.settings.neo4j_database) as session:
        rows = [record.data() for record in session.run(statement, user_id=user_id)]
    assert [r["content"] for r in rows] == ["I live in Porto.", "My dog Buster hurt his paw."]
    assert rows[0]["happened"].startswith("2026-03-01")
    assert "lives_in: Porto (current)" in rows[0]["facts"]
    assert "Buster" in rows[1]["names"]
    assert all(not isinstance(v, list) or all(isinstance(x, str) for x in v) for r in rows for v in r.values())
