"""Schema migrations: applied in order at start-up, idempotent, the applied version kept in the graph."""

from __future__ import annotations

import logging

from neo4j import Driver

from app.errors import SchemaMismatchError
from app.graph.cypher import Query, migrations, query
from app.graph.driver import graph_errors

log = logging.getLogger(__name__)

VECTOR_INDEX = "memory_embedding"


def check_vector_dimension(driver: Driver, database: str, dimensions: int) -> None:
    """Refuse to mix embeddings of two models: the index's dimension must be the model's."""
    with graph_errors():
        records = driver.execute_query(
            query(Query.VECTOR_INDEX_DIMENSION), name=VECTOR_INDEX, database_=database
        ).records
    if records and records[0]["dimensions"] != dimensions:
        raise SchemaMismatchError(
            f"The vector index {VECTOR_INDEX!r} holds {records[0]['dimensions']}-dimensional embeddings "
            f"but the configured embedding model produces {dimensions}. Either configure the model the "
            "graph was built with (EMBEDDING_MODEL), or migrate explicitly with "
            "`python -m pipelines.reembed`, which re-embeds every memory with the new model."
        )


def check_embedding_model(driver: Driver, database: str, name: str, accepted: frozenset[str]) -> None:
    """Refuse to mix embeddings of two models of one dimension: the model the graph's memories were
    embedded with (recorded in the graph; on a graph without the record, read from its memories once)
    must be the configured one, or a former name of it (`accepted`)."""
    with graph_errors():
        records = driver.execute_query(query(Query.EMBEDDING_SPACE_GET), database_=database).records
        recorded = records[0]["model"] if records else None
        if recorded is None:
            others = driver.execute_query(
                query(Query.MEMORIES_OTHER_MODEL), accepted=sorted(accepted), database_=database
            ).records
            recorded = others[0]["model"] if others else None
    if recorded is not None and recorded not in accepted:
        raise SchemaMismatchError(
            f"The graph's memories were embedded with {recorded!r}, but the configured embedding model is "
            f"{name!r}. Either configure the model the graph was built with (EMBEDDING_MODEL), or migrate "
            "explicitly with `python -m pipelines.reembed`, which re-embeds every memory with the new model."
        )
    if not records or records[0]["model"] != name:  # no record yet, or a former name: the current one
        record_embedding_model(driver, database, name)


def record_embedding_model(driver: Driver, database: str, name: str) -> None:
    """Record `name` as the model the graph's memories are embedded with."""
    with graph_errors():
        driver.execute_query(query(Query.EMBEDDING_SPACE_SET), model=name, database_=database)


def drop_vector_index(driver: Driver, database: str) -> None:
    """Drop the memories' vector index (before their vectors are made again by another model)."""
    with graph_errors():
        driver.execute_query(query(Query.VECTOR_INDEX_DROP), database_=database)


def create_vector_index(driver: Driver, database: str, dimensions: int) -> None:
    """Create the memories' vector index as its migration does, for vectors of `dimensions`."""
    create = next(s for m in migrations() for s in m.statements if VECTOR_INDEX in s and "CREATE" in s)
    with graph_errors(), driver.session(database=database) as session:
        session.run(create, dimensions=dimensions).consume()


def await_indexes(driver: Driver, database: str, timeout_s: int) -> None:
    """Wait until every index is online."""
    with graph_errors():
        driver.execute_query(query(Query.AWAIT_INDEXES), timeout_s=timeout_s, database_=database)


def apply_migrations(driver: Driver, database: str, dimensions: int, timeout_s: int = 300) -> int:
    """Apply the migrations not yet recorded, wait for every index to be online, return the version;
    SchemaMismatchError, before anything is applied, when an applied migration's file has changed since."""
    check_vector_dimension(driver, database, dimensions)
    with graph_errors():
        applied = {
            r["version"]: r["checksum"]
            for r in driver.execute_query(query(Query.SCHEMA_VERSION), database_=database).records
        }
        changed = [m for m in migrations() if applied.get(m.version) not in (None, m.checksum)]
        if changed:
            names = ", ".join(f"V{m.version:03d}__{m.name}" for m in changed)
            raise SchemaMismatchError(
                f"Schema migration {names} changed after this graph applied it (its checksum differs from the "
                "one recorded). An applied migration is never edited: put the change in a new migration file, "
                "and restore the old one as it was."
            )
        for migration in migrations():
            if migration.version in applied:
                continue
            log.info("applying schema migration V%03d %s", migration.version, migration.name)
            with driver.session(database=database) as session:
                for statement in migration.statements:
                    # Auto-commit, one statement each: schema commands cannot share a transaction with
                    # writes, and back-fills use CALL ... IN TRANSACTIONS.
                    session.run(statement, dimensions=dimensions).consume()
            driver.execute_query(
                query(Query.RECORD_MIGRATION),
                version=migration.version,
                name=migration.name,
                checksum=migration.checksum,
                database_=database,
            )
    await_indexes(driver, database, timeout_s)
    return migrations()[-1].version
