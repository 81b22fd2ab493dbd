"""Every query file is valid Cypher on the real server, and names exactly the parameters it declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from neo4j import NotificationMinimumSeverity

from app.container import Container
from app.graph.cypher import BROWSER_DIR, NamedQuery, Query, migrations, query
from measure.cypher import MeasureQuery

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
