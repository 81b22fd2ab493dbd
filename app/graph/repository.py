"""Graph repository: runs the named Cypher queries and returns typed rows. No FastAPI, no logic."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Record, RoutingControl

from app.graph.cypher import NamedQuery, Query, query
from app.graph.driver import graph_errors
from app.graph.locks import StripedLocks
from app.graph.read_sessions import ReadSessions
from app.graph.retries import NEO4J_RETRIES
from app.graph.rows import IndexState, ServerInfo

T = TypeVar("T")


class WriteUnit:
    """One write transaction: named queries run in it commit together or not at all."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self._tx = tx

    def run(self, name: NamedQuery, /, **params: Any) -> list[Record]:
        """Run a named query inside the transaction and return its records."""
        return list(self._tx.run(query(name), params))

    def run_rows(self, name: NamedQuery, /, rows: list[dict[str, Any]], **params: Any) -> list[Record]:
        """Run an `UNWIND $rows` query, skipping the round trip when there are no rows."""
        return self.run(name, rows=rows, **params) if rows else []


class GraphRepository:
    """All reads and writes of the graph go through here, each a named query from `cypher/queries`."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver = driver
        self.database = database
        self._user_locks = StripedLocks()
        self._read_sessions = ReadSessions(driver, database)

    def close(self) -> None:
        """Close the read sessions this repository holds (before its driver closes)."""
        self._read_sessions.close()

    def _read(self, name: NamedQuery, /, **params: Any) -> list[Record]:
        # Auto-commit: one round trip, where a managed transaction (execute_query) adds a COMMIT's, which
        # for the light reads in front of every search and type-ahead send is half their time.
        with graph_errors():
            return NEO4J_RETRIES.run(
                lambda: list(self._read_sessions.get().run(query(name), params)), self._read_sessions.discard
            )

    def _write(self, name: NamedQuery, /, **params: Any) -> list[Record]:
        with graph_errors():
            return NEO4J_RETRIES.run(
                lambda: (
                    self.driver.execute_query(
                        query(name), params, database_=self.database, routing_=RoutingControl.WRITE
                    ).records
                )
            )

    # --- server and schema ---

    def server_info(self) -> ServerInfo:
        """Version and edition of the server (raises GraphUnavailableError when it is down)."""
        record = self._read(Query.SERVER_INFO)[0]
        return ServerInfo(name=record["name"], version=record["version"], edition=record["edition"])

    def schema_version(self) -> int:
        """Highest applied migration, 0 for an empty graph."""
        rows = self._read(Query.SCHEMA_VERSION)
        return max((int(r["version"]) for r in rows), default=0)

    def index_states(self) -> list[IndexState]:
        """Every index and its state (ONLINE, POPULATING, FAILED)."""
        return [
            IndexState(
                name=r["name"],
                type=r["type"],
                state=r["state"],
                population_percent=float(r["populationPercent"]),
            )
            for r in self._read(Query.INDEX_STATES)
        ]

    # --- running named queries ---

    def run_alone(self, name: NamedQuery, /, users: Iterable[str] = (), **params: Any) -> list[Record]:
        """Every record of a named query run in an auto-commit transaction of its own (as `CALL ... IN
        TRANSACTIONS` needs), not tried again: such a query commits as it goes. `users`, as for `write`:
        this process's transactions of theirs wait until it is done (a user's deletion would otherwise
        miss a memory written between its batches, and leave it without its user)."""
        with self._user_locks.holding(users), graph_errors(), self.driver.session(database=self.database) as session:
            return list(session.run(query(name), params))

    def write(self, work: Callable[[WriteUnit], T], users: Iterable[str] = ()) -> T:
        """Run `work` in one write transaction (tried again on a passing failure, so `work` must only depend
        on what it reads inside the transaction). `users` are those whose memories or facts `work` changes:
        this process runs one transaction of a user at a time, since concurrent ones deadlock in Neo4j on
        the locks of the user's relationships; a deadlock with another process is tried again."""
        with self._user_locks.holding(users), graph_errors(), self.driver.session(database=self.database) as session:
            return NEO4J_RETRIES.run(lambda: session.execute_write(lambda tx: work(WriteUnit(tx))))

    def read_one(self, name: NamedQuery, /, **params: Any) -> Record | None:
        """First record of a named read query, or None."""
        rows = self._read(name, **params)
        return rows[0] if rows else None

    def read_all(self, name: NamedQuery, /, **params: Any) -> list[Record]:
        """Every record of a named read query."""
        return self._read(name, **params)

    def write_one(self, name: NamedQuery, /, **params: Any) -> Record | None:
        """First record of a named write query (its own transaction), or None."""
        rows = self._write(name, **params)
        return rows[0] if rows else None
