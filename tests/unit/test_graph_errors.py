"""Driver failures that mean 'Neo4j cannot answer now' become the domain's GraphUnavailableError (a 503
with Retry-After), whatever the driver calls them; a failure of the query itself does not."""

from __future__ import annotations

import pytest
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable

from app.errors import GraphUnavailableError
from app.graph.driver import graph_errors


@pytest.mark.parametrize(
    "error",
    [
        ServiceUnavailable("no route"),  # type: ignore[no-untyped-call]
        Neo4jError._hydrate_neo4j(code="Neo.TransientError.General.DatabaseUnavailable", message="restarting"),
        Neo4jError._hydrate_neo4j(code="Neo.TransientError.Transaction.DeadlockDetected", message="deadlock"),
    ],
    ids=["unreachable", "database-unavailable", "deadlock-past-the-retries"],
)
def test_neo4j_that_cannot_answer_is_unavailable(error: Exception) -> None:
    with pytest.raises(GraphUnavailableError), graph_errors():
        raise error


def test_a_bad_query_is_not_unavailability() -> None:
    bad = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError", message="bad")
    assert isinstance(bad, ClientError)
    with pytest.raises(ClientError), graph_errors():
        raise bad
