"""Input that no schema-driven fuzzer sends, one finding a test: metadata nested or grown past what any
read can return, numbers JSON has not, ids a URL library rewrites, integers sent as booleans, binary
WebSocket frames, and emoji joined by zero-width joiners. Each is refused with a 422 (or an error frame)
that names the field, or kept exactly as written, and never leaves a user unreadable."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from mcp import Client
from starlette.websockets import WebSocketDisconnect

from app.container import Container
from app.keys.secrets import Scope
from app.mcp.server import build_mcp
from app.metadata import MAX_BYTES, MAX_DEPTH, MAX_KEYS
from tests.helpers import message

pytestmark = pytest.mark.integration


def nested(depth: int) -> dict[str, Any]:
    """An object `depth` levels deep (itself the first)."""
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def _reads(client: TestClient, user_id: str, memory_id: str | None = None) -> list[int]:
    """The statuses of every read of the user's: the user, the export, a conversation, a memory."""
    paths = [f"/v1/users/{user_id}", f"/v1/users/{user_id}/export", f"/v1/users/{user_id}/conversations/c1/memories"]
    if memory_id is not None:
        paths.append(f"/v1/users/{user_id}/memories/{memory_id}")
    return [client.get(path).status_code for path in paths]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 256, 990])
def test_metadata_nested_past_the_bound_is_refused_naming_the_field(
    client: TestClient, user_id: str, depth: int
) -> None:
    # Written out by hand: a JSON encoder's own recursion gives up before the server's parser does.
    deep = '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)
    body = json.dumps(message(user_id, "m1", "My dog Rex loves the park", metadata="DEEP")).replace('"DEEP"', deep)
    for method, path, content in [
        ("POST", "/v1/messages", body),
        ("PUT", f"/v1/users/{user_id}", f'{{"metadata": {deep}}}'),
    ]:
        answer = client.request(method, path, content=content, headers={"content-type": "application/json"})
        assert answer.status_code == 422, path
        problem = answer.json()["detail"][0]
        assert "nested" in problem["msg"]
        # Past what Python's parser reads at all, the body as a whole is named.
        assert problem["loc"] == (["body", "metadata"] if depth < 900 else ["body"])
    assert _reads(client, user_id)[:2] == [404, 404]  # nothing was stored


def test_metadata_at_the_bounds_is_stored_and_read_back_whole(client: TestClient, user_id: str) -> None:
    deep = nested(MAX_DEPTH)
    many = {f"k{i}": i for i in range(MAX_KEYS)}
    answer = client.post("/v1/messages", json=message(user_id, "m1", "My dog Rex loves the park", metadata=deep))
    assert answer.status_code == 200
    memory_id = answer.json()["memory_id"]
    assert client.put(f"/v1/users/{user_id}", json={"metadata": many}).status_code == 200
    assert client.get(f"/v1/users/{user_id}/memories/{memory_id}").json()["metadata"] == deep
    assert client.get(f"/v1/users/{user_id}").json()["metadata"] == many
    assert _reads(client, user_id, memory_id) == [200, 200, 200, 200]


@pytest.mark.parametrize(
    "metadata",
    [
        {"blob": "x" * MAX_BYTES},
        {f"k{i}": i for i in range(MAX_KEYS + 1)},
        {"a": [nested(MAX_DEPTH)]},
    ],
    ids=["size", "keys", "depth-in-a-list"],
)
def test_metadata_past_its_size_or_key_count_is_refused(client: TestClient, user_id: str, metadata: Any) -> None:
    for path, body in [
        ("/v1/messages", message(user_id, "m1", "hello there my friend", metadata=metadata)),
        ("/v1/messages/batch", {"messages": [message(user_id, "m1", "hello there my friend", metadata=metadata)]}),
    ]:
        answer = client.post(path, json=body)
        assert answer.status_code == 422, path
        assert answer.json()["detail"][0]["loc"][-1] == "metadata"
    assert client.get(f"/v1/users/{user_id}").status_code == 404  # nothing was stored


def test_metadata_stored_before_the_bounds_reads_as_empty_and_the_rest_reads(
    client: TestClient, container: Container, user_id: str
) -> None:
    answer = client.post("/v1/messages", json=message(user_id, "m1", "My sister Ana paints murals"))
    memory_id = answer.json()["memory_id"]
    assert client.put(f"/v1/users/{user_id}", json={"display_name": "Ana's sibling"}).status_code == 200
    too_deep = json.dumps(nested(300))
    container.driver.execute_query(
        "MATCH (u:User {id: $u}) SET u.metadata_json = $deep WITH u "
        "MATCH (m:Memory {id: $m, user_id: $u}) SET m.metadata_json = $deep",
        u=user_id,
        m=memory_id,
        deep=too_deep,
        database_=container.settings.neo4j_database,
    )
    assert _reads(client, user_id, memory_id) == [200, 200, 200, 200]
    shown = client.get(f"/v1/users/{user_id}/memories/{memory_id}").json()
    assert (shown["content"], shown["metadata"]) == ("My sister Ana paints murals", {})
    assert client.get(f"/v1/users/{user_id}").json()["display_name"] == "Ana's sibling"


def _json_routes(client: TestClient, user_id: str) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document that reads a JSON body, with a path of this user's."""
    routes = []
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                concrete = path.replace("{user_id}", user_id).replace("{companion_id}", "lucy")
                routes.append((method, concrete.replace("{fact_id}", "f").replace("{quarantine_id}", "q")))
    return routes


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_has_not_are_a_422_on_every_json_route(client: TestClient, user_id: str, literal: str) -> None:
    routes = _json_routes(client, user_id)
    assert len(routes) >= 6
    for method, path in routes:
        # In a field the route has and in one it has not, the error handler echoing neither.
        for body in (f'{{"k": {literal}, "query": "x"}}', f'{{"metadata": {{"score": {literal}}}}}'):
            answer = client.request(method, path, content=body, headers={"content-type": "application/json"})
            assert answer.status_code == 422, (method, path, answer.text)
            assert "not finite" in answer.json()["detail"][0]["msg"]


@pytest.mark.parametrize("bad", [".", ".."])
def test_dot_ids_are_refused_wherever_an_id_is_created(
    client: TestClient, container: Container, user_id: str, bad: str
) -> None:
    encoded = bad.replace(".", "%2E")
    assert client.put(f"/v1/users/{encoded}", json={}).status_code == 422
    assert client.put(f"/v1/companions/{encoded}", json={"name": "Lucy"}).status_code == 422
    for field in ("user_id", "companion_id", "conversation_id", "message_id"):
        body = message(user_id, "m1", "I live in Porto") | {field: bad}
        assert client.post("/v1/messages", json=body).status_code == 422, field
        assert client.post("/v1/messages/batch", json={"messages": [body]}).status_code == 422, field
    for other in ("a%b", "a\\b", "a?b", "a#b"):
        assert client.post("/v1/messages", json=message(user_id, other, "I live in Porto")).status_code == 422
    created = container.keys.create("default", [Scope.WRITE], name="hostile")

    async def remember() -> bool:
        async with Client(build_mcp(container, key=created.key)) as mcp:
            outcome = await mcp.call_tool(
                "remember", {"user_id": user_id, "text": "I live in Porto", "message_id": bad}
            )
            return bool(outcome.is_error)

    try:
        assert anyio.run(remember)
    finally:
        container.keys.revoke(created.api_key.id)
    assert client.get(f"/v1/users/{user_id}").status_code == 404


def test_integers_and_flags_are_strict(client: TestClient, user_id: str) -> None:
    for body in ({"query": "x", "k": True}, {"query": "x", "k": 2.5}, {"embedding": [True] * 384}):
        assert client.post(f"/v1/users/{user_id}/search", json=body).status_code == 422, body
    assert client.post(f"/v1/users/{user_id}/context", json={"query": "x", "k": True}).status_code == 422
    assert client.post(f"/v1/users/{user_id}/context", json={"query": "x", "token_budget": True}).status_code == 422


def test_a_binary_frame_gets_an_error_frame_and_the_socket_stays(client: TestClient, user_id: str) -> None:
    with client.websocket_connect(f"/v1/users/{user_id}/typeahead?conversation_id=c1&companion_id=lucy") as ws:
        ws.send_bytes(b'{"type": "draft", "text": "hello"}')
        assert ws.receive_json()["code"] == "bad_frame"
        ws.send_json({"type": "send", "message_id": "m1", "text": "My dog Rex loves the park"})
        assert ws.receive_json()["type"] == "context"
        assert ws.receive_json()["type"] == "stored"


def test_a_socket_for_a_dot_user_is_refused(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/v1/users/%2E%2E/typeahead?conversation_id=c1&companion_id=lucy") as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 1008  # policy violation: FastAPI's answer to an invalid parameter


def test_text_is_kept_as_written_joiners_and_all(client: TestClient, user_id: str) -> None:
    family = "👨\u200d👩\u200d👧"
    flag = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    text = f"Our family {family} went to the lake in {flag} and my friend said \u200fשלום\u200f"
    answer = client.post("/v1/messages", json=message(user_id, "m1", text)).json()
    assert answer["status"] == "stored"
    assert client.get(f"/v1/users/{user_id}/memories/{answer['memory_id']}").json()["content"] == text
    hidden = "Nice day\U000e0049\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065 at the lake with my kids"
    answer = client.post("/v1/messages", json=message(user_id, "m2", hidden)).json()
    kept = client.get(f"/v1/users/{user_id}/memories/{answer['memory_id']}").json()["content"]
    assert kept == "Nice day at the lake with my kids"  # tag characters spell what a person never sees
    hits = client.post(f"/v1/users/{user_id}/search", json={"query": "family lake", "k": 5}).json()
    assert any(h["content"] == text for h in hits)


def test_full_width_text_is_kept_and_found_by_plain_words(client: TestClient, user_id: str) -> None:
    text = "I adore ｓｕｓｈｉ on Fridays"
    answer = client.post("/v1/messages", json=message(user_id, "m1", text)).json()
    assert client.get(f"/v1/users/{user_id}/memories/{answer['memory_id']}").json()["content"] == text
    hits = client.post(f"/v1/users/{user_id}/search", json={"query": "sushi", "k": 3, "mode": "keyword"}).json()
    assert [h["content"] for h in hits] == [text]


def test_a_secret_only_folding_reveals_is_redacted_in_what_is_kept(client: TestClient, user_id: str) -> None:
    answer = client.post(
        "/v1/messages", json=message(user_id, "m1", "my card is ４１１１１１１１１１１１１１１１ thanks")
    ).json()
    assert answer["redacted"]
    kept = client.get(f"/v1/users/{user_id}/memories/{answer['memory_id']}").json()["content"]
    assert "４１１１" not in kept
    assert "4111" not in kept
