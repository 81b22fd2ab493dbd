"""Small helpers shared by the integration tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.container import Container
from app.graph.values import native
from app.keys.secrets import Scope
from app.tenancy import Tenant
from measure.served import free_port


def closed_port() -> int:
    """A loopback port nothing listens on: a stand-in for a Neo4j that is down."""
    return free_port()


def message(user_id: str, message_id: str, text: str, **extra: Any) -> dict[str, Any]:
    """A user's message to Lucy in conversation c1, as the API takes it."""
    return {
        "user_id": user_id,
        "companion_id": "lucy",
        "conversation_id": "c1",
        "message_id": message_id,
        "role": "user",
        "text": text,
        **extra,
    }


def messages(user_id: str, count: int, text: str) -> list[dict[str, Any]]:
    """`count` numbered messages of a user, each `text` with its number, as a batch takes them."""
    return [message(user_id, f"m{i}", f"{text} ({i})") for i in range(count)]


@contextmanager
def tenant_of_its_own(container: Container, name: str) -> Iterator[tuple[Tenant, str]]:
    """A tenant made for one suite, with a key of every scope; everything written under it is deleted
    afterwards."""
    tenant = Tenant(f"{name}-{uuid.uuid4().hex[:12]}")
    created = container.keys.create(tenant.id, list(Scope), name=name)
    try:
        yield tenant, created.key
    finally:
        container.keys.revoke(created.api_key.id)
        users = container.driver.execute_query(
            "MATCH (u:User) WHERE u.id STARTS WITH $prefix RETURN u.id AS id",
            prefix=f"{tenant.id}/",
            database_=container.settings.neo4j_database,
        ).records
        for record in users:
            container.users.store.delete(native(record["id"]))
