"""Type-ahead over the WebSocket, against the real Neo4j: a pause precomputes, a send is answered warm
when the draft still stands for it, and the message is stored as POST /v1/messages stores it."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from app.container import Container
from app.keys.limits import KeyRateLimiter
from app.main import create_app
from app.settings import Settings
from tests.helpers import message

pytestmark = pytest.mark.integration


def _url(user_id: str) -> str:
    return f"/v1/users/{user_id}/typeahead?conversation_id=c1&companion_id=lucy"


@pytest.fixture
def dog_owner(client: TestClient, user_id: str) -> str:
    """A user whose memories include a dog."""
    texts = ["I adopted a golden retriever puppy named Biscuit", "I work as a nurse at the city hospital"]
    batch = [message(user_id, f"m{i}", text) for i, text in enumerate(texts)]
    assert client.post("/v1/messages/batch", json={"messages": batch}).status_code == 200
    return user_id


@pytest.fixture
def socket(client: TestClient, dog_owner: str) -> Iterator[WebSocketTestSession]:
    with client.websocket_connect(_url(dog_owner)) as ws:
        yield ws


def _ready(ws: WebSocketTestSession, text: str) -> dict[str, Any]:
    ws.send_json({"type": "draft", "text": text})
    frame: dict[str, Any] = ws.receive_json()
    assert frame["type"] == "context_ready", frame
    return frame


def _send(ws: WebSocketTestSession, message_id: str, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    ws.send_json({"type": "send", "message_id": message_id, "text": text})
    context, stored = ws.receive_json(), ws.receive_json()
    assert (context["type"], stored["type"]) == ("context", "stored"), (context, stored)
    return context, stored


def test_a_pause_precomputes_and_the_same_text_is_answered_warm_and_stored(
    socket: WebSocketTestSession, client: TestClient, dog_owner: str
) -> None:
    ready = _ready(socket, "how is my puppy Biscuit doing")
    assert ready["took_ms"] > 0
    # The same body POST /context answers for the same text.
    fresh = client.post(f"/v1/users/{dog_owner}/context", json={"query": "how is my puppy Biscuit doing"}).json()
    context, stored = _send(socket, "s1", "how is my puppy Biscuit doing")
    assert context["warm"] is True
    assert context["age_ms"] >= 0
    assert context["context"]["user_id"] == dog_owner
    assert context["context"]["memories"][0]["message_id"] == "m0"
    assert [m["message_id"] for m in context["context"]["memories"]] == [m["message_id"] for m in fresh["memories"]]
    assert set(context["context"]) == set(fresh)
    assert stored["outcome"]["status"] == "stored"
    memory = client.get(f"/v1/users/{dog_owner}/memories/{stored['outcome']['memory_id']}").json()
    assert memory["content"] == "how is my puppy Biscuit doing"


def test_a_new_draft_supersedes_the_pending_one(socket: WebSocketTestSession) -> None:
    socket.send_json({"type": "draft", "text": "how is my"})
    ready = _ready(socket, "how is my puppy Biscuit")
    assert ready["chars"] == len("how is my puppy Biscuit")
    # No frame for the first draft is left over: the next one answers the send.
    context, _ = _send(socket, "s2", "how is my puppy Biscuit")
    assert context["warm"] is True


def test_a_send_whose_meaning_moved_is_computed_then(socket: WebSocketTestSession) -> None:
    _ready(socket, "how is my puppy Biscuit doing")
    context, _ = _send(socket, "s3", "what shifts do nurses work at the city hospital")
    assert context["warm"] is False
    assert context["context"]["memories"][0]["message_id"] == "m1"


def test_a_write_in_between_invalidates_the_draft(
    socket: WebSocketTestSession, client: TestClient, dog_owner: str
) -> None:
    _ready(socket, "what did Biscuit eat")
    written = client.post("/v1/messages", json=message(dog_owner, "m9", "Biscuit ate a whole carrot cake today"))
    assert written.status_code == 200
    context, _ = _send(socket, "s4", "what did Biscuit eat")
    assert context["warm"] is False
    assert context["context"]["memories"][0]["message_id"] == "m9"


def test_malformed_and_oversized_frames_get_an_error_and_the_socket_stays(socket: WebSocketTestSession) -> None:
    socket.send_text("not json")
    assert socket.receive_json()["code"] == "bad_frame"
    socket.send_json({"type": "send", "text": "no id"})
    assert socket.receive_json() == {"type": "error", "code": "bad_frame", "detail": "send.message_id: Field required"}
    socket.send_json({"type": "shout"})
    assert socket.receive_json()["code"] == "bad_frame"
    socket.send_text("x" * 20_000)
    assert socket.receive_json()["code"] == "too_large"
    _ready(socket, "how is Biscuit")


def test_a_socket_without_a_valid_key_is_refused_with_a_reason(
    settings: Settings, container: Container, auth: dict[str, str], dog_owner: str
) -> None:
    with TestClient(create_app(settings, container)) as anonymous:
        with anonymous.websocket_connect(_url(dog_owner)) as ws:
            assert ws.receive_json()["code"] == "unauthorized"
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 4401
        with anonymous.websocket_connect(_url(dog_owner), subprotocols=["companion-memory", "bearer.cm_bad_key"]) as ws:
            assert ws.receive_json()["code"] == "unauthorized"
        # A browser passes its key as a subprotocol.
        key = auth["Authorization"].removeprefix("Bearer ")
        with anonymous.websocket_connect(_url(dog_owner), subprotocols=["companion-memory", f"bearer.{key}"]) as ws:
            assert ws.accepted_subprotocol == "companion-memory"
            _ready(ws, "how is Biscuit")


def test_opening_the_socket_loads_the_users_memories_before_the_first_search(
    client: TestClient, container: Container, dog_owner: str
) -> None:
    container.memory_cache.forget(dog_owner)
    with client.websocket_connect(_url(dog_owner)):
        deadline = time.monotonic() + 10
        while not container.memory_cache.holds(dog_owner) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert container.memory_cache.holds(dog_owner)


def test_frames_past_the_sockets_rate_are_refused_and_the_socket_stays(
    client: TestClient, container: Container, settings: Settings, dog_owner: str
) -> None:
    limited = dataclasses.replace(container, frame_limiter=KeyRateLimiter("3/second", of="this socket"))
    with (
        TestClient(create_app(settings, limited), headers=dict(client.headers)) as other,
        other.websocket_connect(_url(dog_owner)) as ws,
    ):
        for text in ["how", "how is", "how is Biscuit", "how is Biscuit doing"]:
            ws.send_json({"type": "draft", "text": text})
        refused = ws.receive_json()
        assert (refused["type"], refused["code"]) == ("error", "rate_limited")
        ready = ws.receive_json()  # the last draft let through is precomputed; the dropped one never is
        assert (ready["type"], ready["chars"]) == ("context_ready", len("how is Biscuit"))
        time.sleep(1.1)
        context, stored = _send(ws, "s9", "how is Biscuit")
        assert context["warm"] is True
        assert stored["outcome"]["status"] == "stored"
