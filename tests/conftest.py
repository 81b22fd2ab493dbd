"""Shared fixtures. Integration tests use the real Neo4j: the configured one, the local server that
`make test` starts, or (TEST_NEO4J_CONTAINER=true, with a Docker engine) a testcontainers Neo4j."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.container import Container, build_container
from app.keys.secrets import Scope
from app.main import create_app
from app.settings import Settings, get_settings
from app.tenancy import DEFAULT_TENANT
from measure.served import served

NEO4J_IMAGE = "neo4j:5.26-community"


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    """The settings the integration suite runs with (a container's address when asked for)."""
    # Decay passes run only where a test asks, as of the moment it chooses.
    base = get_settings().model_copy(update={"decay_interval_s": 0.0})
    if not base.test_neo4j_container:
        yield base
        return
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE, password="companion-test") as neo4j:
        yield base.model_copy(update={"neo4j_uri": neo4j.get_connection_url(), "neo4j_password": "companion-test"})


@pytest.fixture(scope="session")
def container(settings: Settings) -> Iterator[Container]:
    """One container (driver, models, services) for the whole session, as one process would have."""
    built = build_container(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def auth(container: Container) -> Iterator[dict[str, str]]:
    """The header of a key of the default tenant with every scope, revoked after the session."""
    created = container.keys.create(DEFAULT_TENANT, list(Scope), name="tests")
    yield {"Authorization": f"Bearer {created.key}"}
    container.keys.revoke(created.api_key.id)


@pytest.fixture(scope="session")
def client(settings: Settings, container: Container, auth: dict[str, str]) -> Iterator[TestClient]:
    """The HTTP API in-process, on the shared container, as the default tenant with every scope."""
    with TestClient(create_app(settings, container), headers=auth) as test_client:
        yield test_client


@pytest.fixture
def user_id(container: Container) -> Iterator[str]:
    """A fresh user id per test; everything the test wrote under it is deleted afterwards."""
    uid = f"test-{uuid.uuid4()}"
    yield uid
    container.users.store.delete(uid)


@pytest.fixture(scope="session")
def live_api(settings: Settings, container: Container) -> Iterator[str]:
    """The API served by uvicorn on a free loopback port, in this process, on the shared container: for
    clients that need a real socket (a browser, a fuzzer)."""
    with served(create_app(settings, container), start_timeout_s=30) as url:
        yield url
