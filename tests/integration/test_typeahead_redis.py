"""Two API replicas sharing the type-ahead cache through the real Redis (`make redis` runs it): drafts
typed on one replica's socket answer a send on the other's warm; a write drops the shared entry; entries
expire at the TTL in Redis itself; one tenant's entry is never another's."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from app.container import Container
from app.main import create_app
from app.settings import Settings
from app.typeahead.cache import ContextCache
from app.typeahead.redis_store import PREFIX, RedisStore
from app.typeahead.service import TypeaheadService
from tests.helpers import closed_port, message

pytestmark = pytest.mark.integration


def _replica(container: Container, settings: Settings, ttl_s: float) -> Container:
    """One more API process's view: its own type-ahead service and cache, the shared Redis behind it."""
    cache = ContextCache(RedisStore(settings.local_redis_url, ttl_s), ttl_s, settings.typeahead_reuse_cosine)
    typeahead = TypeaheadService(container.repository, container.embedder, container.context, container.ingest, cache)
    return dataclasses.replace(container, typeahead=typeahead)


@pytest.fixture
def replicas(settings: Settings, container: Container, client: TestClient) -> Iterator[tuple[TestClient, TestClient]]:
    shared = redis.Redis.from_url(settings.local_redis_url)
    shared.ping()  # the real server, or the test fails here
    headers = dict(client.headers)
    with (
        TestClient(create_app(settings, _replica(container, settings, 60.0)), headers=headers) as a,
        TestClient(create_app(settings, _replica(container, settings, 60.0)), headers=headers) as b,
    ):
        yield a, b


def _url(user_id: str) -> str:
    return f"/v1/users/{user_id}/typeahead?conversation_id=c1&companion_id=lucy"


def _draft(ws: WebSocketTestSession, text: str) -> None:
    ws.send_json({"type": "draft", "text": text})
    assert ws.receive_json()["type"] == "context_ready"


def _send(ws: WebSocketTestSession, message_id: str, text: str) -> dict[str, Any]:
    ws.send_json({"type": "send", "message_id": message_id, "text": text})
    context: dict[str, Any] = ws.receive_json()
    assert ws.receive_json()["type"] == "stored"
    return context


def test_drafts_on_one_replica_answer_a_send_on_the_other_warm(
    replicas: tuple[TestClient, TestClient], client: TestClient, user_id: str
) -> None:
    a, b = replicas
    client.post("/v1/messages", json=message(user_id, "m1", "I adopted a golden retriever puppy named Biscuit"))
    with a.websocket_connect(_url(user_id)) as on_a:
        _draft(on_a, "how is my puppy Biscuit doing")
    with b.websocket_connect(_url(user_id)) as on_b:
        context = _send(on_b, "s1", "how is my puppy Biscuit doing")
        assert context["warm"] is True
        assert context["context"]["memories"][0]["message_id"] == "m1"
        # The send was a write: the entry it used no longer stands for the user's memories.
        again = _send(on_b, "s2", "how is my puppy Biscuit doing")
        assert again["warm"] is False


def test_entries_expire_in_redis_and_stay_within_their_tenant(
    settings: Settings, container: Container, user_id: str
) -> None:
    short = _replica(container, settings, ttl_s=1.0).typeahead
    entry = short.precompute(user_id, "c1", "what do I like to cook")
    store = RedisStore(settings.local_redis_url, 1.0)
    assert store.get(user_id, "c1") == entry
    assert store.get(f"other-tenant/{user_id}", "c1") is None
    shared = redis.Redis.from_url(settings.local_redis_url)
    keys = [k for k in shared.scan_iter(f"{PREFIX}*") if 0 < shared.pttl(k) <= 1000]
    assert keys  # Redis holds the TTL itself: a replica that dies leaves nothing behind for long
    time.sleep(1.2)
    assert store.get(user_id, "c1") is None


def test_an_unreachable_redis_misses_instead_of_failing() -> None:
    store = RedisStore(f"redis://127.0.0.1:{closed_port()}/0", 60.0)
    assert store.get("someone", "c1") is None
    store.drop("someone", "c1")
