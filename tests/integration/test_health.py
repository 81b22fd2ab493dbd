"""GET /health on the real server, and when Neo4j cannot be reached."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from app.container import Container
from app.graph.repository import GraphRepository
from app.main import create_app
from app.settings import Settings
from tests.helpers import closed_port

pytestmark = pytest.mark.integration


def test_health_reports_server_schema_indexes_and_models(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["neo4j"]["version"].startswith("5.26")
    assert body["schema_version"] >= 3
    assert body["indexes"]
    assert all(i["state"] == "ONLINE" for i in body["indexes"])
    assert body["models"] == {
        "embedding": "all-minilm-l6-v2+int8",
        "embedding_dimension": 384,
        "embedding_backend": "onnx",
        "embedding_precision": "int8",
        "spacy": body["models"]["spacy"],
    }
    assert body["models"]["spacy"].startswith("en_core_web_sm")


def test_health_is_503_with_the_reason_when_neo4j_is_down(settings: Settings, container: Container) -> None:
    dead = GraphDatabase.driver(
        f"bolt://127.0.0.1:{closed_port()}",
        auth=("neo4j", "x"),
        connection_timeout=1,
        max_transaction_retry_time=0,
    )
    repository = GraphRepository(dead, settings.neo4j_database)
    down = dataclasses.replace(container, repository=repository)
    try:
        with TestClient(create_app(settings, down)) as down_client:
            response = down_client.get("/health")
    finally:
        repository.close()
        dead.close()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "unreachable" in response.json()["reason"]
