"""GET /health."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import ContainerDep
from app.health import HealthReport, ModelsInUse, check_health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
def health(container: ContainerDep, response: Response) -> HealthReport:
    """Neo4j reachable and its version, schema version, index states, models in use; 503 when down."""
    report = check_health(
        container.repository,
        ModelsInUse(
            embedding=container.embedder.name,
            embedding_dimension=container.embedder.dimension,
            embedding_backend=container.embedder.backend,
            embedding_precision=container.embedder.precision,
            spacy=container.spacy_model,
        ),
    )
    if report.status == "unavailable":
        response.status_code = 503
    return report
