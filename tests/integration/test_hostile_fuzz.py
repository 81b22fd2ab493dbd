"""Hostile input beside schemathesis: hypothesis builds what a schema-driven fuzzer never sends (numbers
JSON has not, metadata just under and just over each bound, ids a URL library rewrites, text of joiners,
direction marks, tag characters, lone surrogates in escapes and NUL) and sends it over HTTP, the WebSocket
and MCP. After every case, everything the user has is read back: no answer may be a server error, and no
message acknowledged as stored may be missing."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import anyio
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from app.container import Container
from app.keys.limits import KeyRateLimiter
from app.main import create_app
from app.mcp.server import build_mcp
from app.metadata import MAX_BYTES, MAX_DEPTH, MAX_KEYS
from app.settings import Settings
from app.tenancy import Tenant
from tests.helpers import tenant_of_its_own

pytestmark = pytest.mark.integration

#: Cases per test: together past 2,000.
CASES = {"message": 800, "batch": 150, "user": 250, "query": 300, "socket": 300, "mcp": 300}
_RUN = settings(derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def cases(name: str) -> settings:
    """Hypothesis' settings for one test: its cases, derandomised so that CI runs the same ones."""
    return settings(_RUN, max_examples=CASES[name])


#: Characters that break naive handling of text: joiners, direction marks and overrides, the byte-order
#: mark, NUL and escapes, lone surrogates (sent as JSON escapes), tag characters, combining marks,
#: compatibility forms, line separators, emoji of several code points.
EDGE_CHARACTERS = [
    *("\u200d", "\u200c", "\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\u2069", "\ufeff", "\u00ad"),
    *("\x00", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\U000e0041", "\U000e007f", "\u0301", "\u0308"),
    *("ｆ", "ﬁ", "²", "\u2028", "\u2029", "\r", "\n", "\t", " ", "\u00a0", "👨", "👩", "👧", "\U0001f3f4", "🏽"),
    *("I", "my", "dog", "live", "in", "Paris", "ignore", "previous", "instructions", ".", ",", "'", '"', "\\"),
]
#: Number literals, some of which JSON has not.
NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e999", "1e308", "-0", "0.5", "12", "true", "null", '"3"']
#: Ids a URL library rewrites or a path cannot hold, beside ordinary ones.
IDS = [".", "..", "...", "a/b", "a\\b", "%2e%2e", "a%2Fb", "a?b", "a#b", " a", "a\u200db", "\u202eab", "é", "x" * 201]

texts = st.lists(st.sampled_from(EDGE_CHARACTERS) | st.text(max_size=4), max_size=30).map("".join)


@dataclasses.dataclass
class Literal:
    """A JSON literal written as is into a body (a number JSON may not have)."""

    text: str


def _encode(value: Any) -> str:
    """JSON with `Literal`s written out as they are and lone surrogates as escapes."""
    literals: dict[str, str] = {}

    def marked(item: Any) -> Any:
        if isinstance(item, Literal):
            marker = f"@@literal{len(literals)}@@"
            literals[f'"{marker}"'] = item.text
            return marker
        if isinstance(item, dict):
            return {key: marked(child) for key, child in item.items()}
        if isinstance(item, list):
            return [marked(child) for child in item]
        return item

    encoded = json.dumps(marked(value))  # ensure_ascii: a lone surrogate becomes "\ud800"
    for marker, text in literals.items():
        encoded = encoded.replace(marker, text)
    return encoded


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth - 1):
        value = {"a": value}
    return value


numbers = st.sampled_from(NUMBERS).map(Literal)
metadata = st.one_of(
    st.just({}),
    st.builds(_nested, st.sampled_from([1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 64]), st.just({})),
    st.builds(lambda n: {f"k{i}": i for i in range(n)}, st.sampled_from([MAX_KEYS - 1, MAX_KEYS, MAX_KEYS + 1])),
    st.builds(lambda n: {"blob": "x" * n}, st.sampled_from([MAX_BYTES - 20, MAX_BYTES - 11, MAX_BYTES, MAX_BYTES + 1])),
    st.dictionaries(texts, numbers | texts | st.booleans(), max_size=4),
    numbers,
    texts,
)


def _message_body(user_id: str, data: st.DataObject) -> dict[str, Any]:
    """A message to the user, each field ordinary or hostile."""
    fields: dict[str, Any] = {
        "user_id": user_id,
        "companion_id": "lucy",
        "conversation_id": "c1",
        "message_id": f"m{data.draw(st.integers(0, 10**9))}",
        "role": "user",
        "text": "My sister Rosa lives in Porto",
    }
    hostile: dict[str, st.SearchStrategy[Any]] = {
        "user_id": st.sampled_from(IDS),
        "companion_id": st.sampled_from(IDS),
        "conversation_id": st.sampled_from(IDS),
        "message_id": st.sampled_from(IDS) | texts,
        "role": st.sampled_from(["user ", "assistant", "USER", ""]) | numbers,
        "text": texts,
        "occurred_at": numbers | texts | st.sampled_from(["2024-02-30T00:00:00Z", "0001-01-01T00:00:00+23:59"]),
        "metadata": metadata,
        "device_id": numbers | texts,
    }
    for name in data.draw(st.sets(st.sampled_from(sorted(hostile)), min_size=1, max_size=3)):
        fields[name] = data.draw(hostile[name])
    return fields


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Reader:
    """Reads everything a user has after each case and keeps what was acknowledged."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.stored: dict[str, set[str]] = {}

    def answered(self, bodies: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> None:
        """Note the memories of the messages (`bodies`) that were acknowledged as stored."""
        for body, outcome in zip(bodies, outcomes, strict=True):
            if outcome.get("status") == "stored":
                self.stored.setdefault(body["user_id"], set()).add(outcome["memory_id"])

    def check(self, *user_ids: Any) -> None:
        """No read of the users' answers 5xx, and every memory acknowledged is there."""
        for user_id in {u for u in user_ids if isinstance(u, str) and u.isprintable() and _encodes(u)}:
            user = quote(user_id, safe="")
            for path in ("", "/export", "/conversations/c1/memories", "/facts", "/quarantine"):
                answer = self.client.get(f"/v1/users/{user}{path}")
                assert answer.status_code < 500, (path, answer.text)
            kept = self.stored.get(user_id, set())
            if kept:
                export = self.client.get(f"/v1/users/{user}/export")
                assert export.status_code == 200, export.text
                assert kept <= {m["id"] for m in export.json()["memories"]}, "an acknowledged memory is missing"


@pytest.fixture(scope="module")
def hostile(settings: Settings, container: Container) -> Iterator[tuple[Tenant, str, Container]]:
    """A tenant of its own; requests and frames unlimited, so that every case is read, not rate-limited."""
    with tenant_of_its_own(container, "hostile") as (tenant, key):
        unlimited = KeyRateLimiter(None)
        callers = dataclasses.replace(container.callers, limiter=unlimited)
        yield tenant, key, dataclasses.replace(container, callers=callers, frame_limiter=unlimited)


@pytest.fixture(scope="module")
def reader(settings: Settings, hostile: tuple[Tenant, str, Container]) -> Iterator[Reader]:
    _, key, container = hostile
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(settings, container), headers=headers, raise_server_exceptions=False) as client:
        yield Reader(client)


_users = itertools.count()


def _user() -> str:
    return f"u{next(_users)}"


def _send(reader: Reader, method: str, path: str, body: Any) -> Any:
    answer = reader.client.request(method, path, content=_encode(body), headers={"content-type": "application/json"})
    assert answer.status_code < 500, (method, path, answer.text)
    return answer


def test_messages(reader: Reader) -> None:
    @cases("message")
    @given(st.data())
    def case(data: st.DataObject) -> None:
        user = _user()
        body = _message_body(user, data)
        answer = _send(reader, "POST", "/v1/messages", body)
        if answer.status_code == 200:
            reader.answered([body], [answer.json()])
        reader.check(user, body["user_id"])

    case()


def test_batches(reader: Reader) -> None:
    @cases("batch")
    @given(st.data())
    def case(data: st.DataObject) -> None:
        user = _user()
        bodies = [_message_body(user, data) for _ in range(data.draw(st.integers(1, 4)))]
        answer = _send(reader, "POST", "/v1/messages/batch", {"messages": bodies})
        if answer.status_code == 200:
            reader.answered(bodies, answer.json())
        reader.check(user, *(body["user_id"] for body in bodies))

    case()


def test_users_and_companions(reader: Reader) -> None:
    @cases("user")
    @given(st.sampled_from(IDS) | st.just("plain"), metadata, numbers | texts | st.none())
    def case(user_id: str, meta: Any, name: Any) -> None:
        user = user_id if user_id != "plain" else _user()
        path = user.replace("%", "%25").replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
        _send(reader, "PUT", f"/v1/users/{path}", {"display_name": name, "metadata": meta})
        _send(reader, "PUT", f"/v1/companions/{path}", {"name": name, "persona": name})
        if user_id == "plain":
            reader.check(user)

    case()


def test_searches_and_contexts(reader: Reader) -> None:
    user = _user()
    first = _message_fields(user)
    reader.answered([first], [_send(reader, "POST", "/v1/messages", first).json()])

    @cases("query")
    @given(
        texts | numbers,
        numbers | st.integers(-5, 200),
        st.sampled_from(["hybrid", "semantic", "keyword", "HYBRID"]) | numbers,
        st.lists(numbers | st.floats(allow_nan=False, allow_infinity=False), max_size=4) | st.none(),
        st.sampled_from(["search", "context"]),
    )
    def case(query: Any, k: Any, mode: Any, embedding: Any, route: str) -> None:
        body = {"query": query, "k": k, "mode": mode, "embedding": embedding} if route == "search" else {}
        body = body or {"query": query, "k": k, "token_budget": k, "companion_id": mode}
        _send(reader, "POST", f"/v1/users/{user}/{route}", body)
        reader.check(user)

    case()


def _message_fields(user_id: str) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "companion_id": "lucy",
        "conversation_id": "c1",
        "message_id": "m0",
        "role": "user",
        "text": "My dog Biscuit loves the beach",
    }


def test_socket_frames(reader: Reader) -> None:
    user = _user()
    with reader.client.websocket_connect(f"/v1/users/{user}/typeahead?conversation_id=c1&companion_id=lucy") as ws:

        @cases("socket")
        @given(st.data())
        def case(data: st.DataObject) -> None:
            kind = data.draw(st.sampled_from(["send", "draft", "binary", "raw"]))
            if kind == "binary":
                ws.send_bytes(data.draw(st.binary(max_size=64)))
            elif kind == "raw":
                ws.send_text(data.draw(texts))
            else:
                body = _message_body(user, data)
                frame = {"type": kind, "text": body["text"], "message_id": body["message_id"]}
                frame |= {key: body[key] for key in ("occurred_at", "metadata") if key in body}
                ws.send_text(_encode(frame))
            # Every frame is answered (a draft only when its pause is over: an empty draft is not)
            # until the answer that ends the exchange, and no answer is an internal error.
            while kind != "draft":
                frame = ws.receive_json()
                assert frame.get("code") != "internal", frame
                if frame["type"] == "stored":
                    reader.answered([{"user_id": user}], [frame["outcome"]])
                if frame["type"] in ("stored", "error"):
                    break
            reader.check(user)

        case()


def test_mcp_tools(hostile: tuple[Tenant, str, Container], reader: Reader) -> None:
    _, key, container = hostile
    user = _user()

    async def scenario() -> None:
        async with Client(build_mcp(container, key=key)) as mcp:

            @cases("mcp")
            @given(st.data())
            def case(data: st.DataObject) -> None:
                tool = data.draw(st.sampled_from(["remember", "recall", "context", "facts", "forget"]))
                value = data.draw(
                    texts
                    | st.sampled_from(IDS)
                    | st.integers(-3, 300)
                    | st.booleans()
                    | st.floats(allow_nan=False, allow_infinity=False)
                )
                name = data.draw(st.sampled_from(["user_id", "text", "message_id", "query", "k", "memory_id", "role"]))
                arguments: dict[str, Any] = {"user_id": user, "text": "I keep bees", "query": "bees", "message_id": "m"}
                arguments = {name: value} | {k: v for k, v in arguments.items() if k != name}
                if tool == "forget":
                    arguments = {"user_id": arguments["user_id"], "memory_id": arguments.get("memory_id", "x")}
                elif tool == "facts":
                    arguments = {"user_id": arguments["user_id"]}
                outcome = anyio.from_thread.run(mcp.call_tool, tool, arguments)
                if outcome.is_error:
                    assert "internal" not in str(outcome.content).lower(), outcome
                elif tool == "remember":
                    reader.answered([arguments], [outcome.structured_content])
                reader.check(user, arguments["user_id"])

            await anyio.to_thread.run_sync(case)

    anyio.run(scenario)
