"""Schema migrations against the real server: applied, recorded, idempotent, indexes online."""

from __future__ import annotations

import pytest

from app.container import Container
from app.errors import SchemaMismatchError
from app.graph.cypher import Query, migrations, query
from app.graph.schema import apply_migrations, check_embedding_model, check_vector_dimension

pytestmark = pytest.mark.integration


def test_applied_version_is_recorded_in_the_graph(container: Container) -> None:
    assert container.repository.schema_version() == migrations()[-1].version


def test_applying_again_changes_nothing(container: Container) -> None:
    before = {i.name for i in container.repository.index_states()}
    version = apply_migrations(container.driver, container.settings.neo4j_database, container.embedder.dimension)
    assert version == migrations()[-1].version
    assert {i.name for i in container.repository.index_states()} == before


def test_every_index_the_design_needs_is_online(container: Container) -> None:
    states = {i.name: i for i in container.repository.index_states()}
    for name in (
        "memory_embedding",
        "memory_content_en",
        "conversation_text_en",
        "entity_names",
        "memory_user_id",
        "memory_user_occurred_at",
        "memory_id_unique",
        "memory_external_id_unique",
    ):
        assert states[name].state == "ONLINE", name
    assert states["memory_embedding"].type == "VECTOR"
    assert states["memory_content_en"].type == "FULLTEXT"


def test_a_model_of_another_dimension_is_refused(container: Container) -> None:
    with pytest.raises(SchemaMismatchError, match="384-dimensional"):
        check_vector_dimension(container.driver, container.settings.neo4j_database, 768)


def test_a_model_of_the_same_dimension_is_refused_too(container: Container) -> None:
    """e5-small-v2's vectors have MiniLM's 384 dimensions: the index would take them, and mix two spaces."""
    database = container.settings.neo4j_database
    with pytest.raises(SchemaMismatchError, match=r"pipelines\.reembed"):
        check_embedding_model(container.driver, database, "e5-small-v2+int8", frozenset({"e5-small-v2+int8"}))
    records = container.driver.execute_query(query(Query.EMBEDDING_SPACE_GET), database_=database).records
    assert records[0]["model"] == container.embedder.name


def test_a_graph_without_the_record_is_read_from_its_memories_accepting_former_names(
    container: Container, user_id: str
) -> None:
    database = container.settings.neo4j_database
    accepted = container.embedder.accepted_names
    container.driver.execute_query(
        """
        CREATE (:Memory {user_id: $user_id, id: $user_id + '-1', external_id: $user_id + '-1', embedding_model: $model})
        WITH 1 AS _ MATCH (s:EmbeddingSpace) DELETE s""",
        user_id=user_id,
        model="another-model+int8",
        database_=database,
    )
    try:
        with pytest.raises(SchemaMismatchError, match="another-model"):
            check_embedding_model(container.driver, database, container.embedder.name, accepted)
        container.users.store.delete(user_id)
        assert len(accepted) > 1  # the default model's former name, carried by graphs built before
        check_embedding_model(container.driver, database, container.embedder.name, accepted)
    finally:
        container.driver.execute_query(
            query(Query.EMBEDDING_SPACE_SET), model=container.embedder.name, database_=database
        )
    records = container.driver.execute_query(query(Query.EMBEDDING_SPACE_GET), database_=database).records
    assert records[0]["model"] == container.embedder.name


def test_nodes_written_before_tenant_ids_get_theirs_from_their_owner_key(container: Container) -> None:
    """The back-fill of `V012__tenant_ids`, run again over nodes that lack the property."""
    database = container.settings.neo4j_database
    owners = ["backfill-tenant/alice", "backfill-alice"]
    container.driver.execute_query(
        """
        UNWIND $owners AS owner
        CREATE (:User {id: owner}), (:Memory {user_id: owner, id: owner + '-m', external_id: owner + '-m'}),
               (:Entity {user_id: owner, key: 'mia'})""",
        owners=owners,
        database_=database,
    )
    try:
        (tenant_ids,) = (m for m in migrations() if m.name == "tenant_ids")
        with container.driver.session(database=database) as session:
            for statement in tenant_ids.statements:
                session.run(statement).consume()
        records = container.driver.execute_query(
            """
            MATCH (n) WHERE n.id IN $owners OR n.user_id IN $owners
            RETURN coalesce(n.user_id, n.id) AS owner, collect(DISTINCT n.tenant_id) AS tenants""",
            owners=owners,
            database_=database,
        ).records
        assert {r["owner"]: r["tenants"] for r in records} == {owners[0]: ["backfill-tenant"], owners[1]: ["default"]}
    finally:
        container.driver.execute_query(
            "MATCH (n) WHERE n.id IN $owners OR n.user_id IN $owners DETACH DELETE n", owners=owners, database_=database
        )


def test_a_migration_edited_after_it_was_applied_is_refused_at_start_up(container: Container) -> None:
    first = migrations()[0]
    database = container.settings.neo4j_database

    def record(checksum: str) -> None:
        container.driver.execute_query(
            query(Query.RECORD_MIGRATION), version=first.version, name=first.name, checksum=checksum, database_=database
        )

    record("0000000000000000")
    try:
        with pytest.raises(SchemaMismatchError, match=f"V001__{first.name} changed after"):
            apply_migrations(container.driver, database, container.embedder.dimension)
    finally:
        record(first.checksum)
    assert apply_migrations(container.driver, database, container.embedder.dimension) == migrations()[-1].version
