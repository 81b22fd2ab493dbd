"""The Neo4j driver: one per process, and the translation of driver failures into domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, DatabaseUnavailable, ServiceUnavailable, SessionExpired, TransientError
from prometheus_client import Counter

from app.errors import GraphUnavailableError
from app.settings import Settings

ERRORS = Counter("memory_neo4j_errors_total", "Neo4j failures the service answered 503 for, by kind", ["kind"])


def create_driver(settings: Settings) -> Driver:
    """Open the process's driver (connections are made lazily, on first use)."""
    return GraphDatabase.driver(
        settings.effective_neo4j_uri,
        auth=(settings.neo4j_user, settings.effective_neo4j_password()),
        connection_timeout=settings.neo4j_connection_timeout_s,
        max_connection_pool_size=settings.neo4j_max_pool_size,
        # Retries are `app.graph.retries`' alone, for reads and writes alike.
        max_transaction_retry_time=0.0,
        # Schema hints ("label not in the database yet") are noise in logs; errors still raise.
        notifications_min_severity="OFF",
    )


@contextmanager
def graph_errors() -> Iterator[None]:
    """Re-raise connection-level driver errors as `GraphUnavailableError`, keeping the cause."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired) as error:
        ERRORS.labels("unreachable").inc()
        raise GraphUnavailableError(f"Neo4j is unreachable: {error}") from error
    except DatabaseUnavailable as error:
        ERRORS.labels("database_unavailable").inc()
        raise GraphUnavailableError(f"Neo4j's database is not available: {error.message}") from error
    except TransientError as error:
        # What the retries could not get past (a deadlock with another process, a lock timeout): the same
        # request sent again can succeed, so it is a 503 with Retry-After, not a 500.
        ERRORS.labels("transient").inc()
        raise GraphUnavailableError(f"Neo4j could not complete this now: {error.message}") from error
    except AuthError as error:
        ERRORS.labels("credentials").inc()
        raise GraphUnavailableError(f"Neo4j refused the credentials: {error.message}") from error
