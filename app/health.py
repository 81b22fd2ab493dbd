"""Health: is Neo4j reachable, which schema and indexes it holds, which models serve."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from app.errors import GraphUnavailableError
from app.graph.repository import GraphRepository
from app.graph.rows import IndexState, ServerInfo


class ModelsInUse(BaseModel):
    """The models this process loaded."""

    embedding: str
    embedding_dimension: int
    #: What runs the embedding model ("onnx": ONNX Runtime).
    embedding_backend: str
    #: The weights it runs ("int8").
    embedding_precision: str
    spacy: str


class HealthReport(BaseModel):
    """What GET /health answers; `status` is "unavailable" with a `reason` when Neo4j is down."""

    status: Literal["ok", "degraded", "unavailable"]
    reason: str | None = None
    neo4j: ServerInfo | None = None
    schema_version: int | None = None
    indexes: list[IndexState] = []
    models: ModelsInUse


def check_health(repository: GraphRepository, models: ModelsInUse) -> HealthReport:
    """Ask the server; an index that is not ONLINE makes the service degraded, not down."""
    try:
        server = repository.server_info()
        version = repository.schema_version()
        indexes = repository.index_states()
    except GraphUnavailableError as error:
        return HealthReport(status="unavailable", reason=str(error), models=models)
    offline = [i.name for i in indexes if i.state != "ONLINE"]
    return HealthReport(
        status="degraded" if offline else "ok",
        reason=f"indexes not online: {', '.join(offline)}" if offline else None,
        neo4j=server,
        schema_version=version,
        indexes=indexes,
        models=models,
    )
