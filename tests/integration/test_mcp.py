"""The MCP tools, driven by the SDK's own client: in process, over streamable HTTP through the API (each
request with its key), and over stdio (`python -m app.mcp`), against the real Neo4j."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from app import __version__
from app.container import Container
from app.keys.secrets import Scope
from app.main import create_app
from app.mcp.server import build_mcp
from app.settings import PROJECT_ROOT, Settings
from measure.served import free_port
from measure.served import served as api_served

pytestmark = pytest.mark.integration

TOOLS = {
    *("remember", "recall", "context", "facts", "fact_history", "clarify"),
    *("list_memories", "get_memory", "correct_memory", "correct_fact", "forget"),
}


@pytest.fixture
def tenants(container: Container) -> Iterator[tuple[str, str, str]]:
    """Two tenants' keys (read and write), and a user id both use; their users deleted afterwards."""
    run = uuid.uuid4().hex[:8]
    names = (f"mcp-a-{run}", f"mcp-b-{run}")
    keys = [container.keys.create(name, [Scope.READ, Scope.WRITE], name="mcp") for name in names]
    yield keys[0].key, keys[1].key, "alice"
    for name, created in zip(names, keys, strict=True):
        container.keys.revoke(created.api_key.id)
        container.users.store.delete(f"{name}/alice")


def _result(outcome: Any) -> Any:
    assert not outcome.is_error, outcome
    content = outcome.structured_content
    return content["result"] if isinstance(content, dict) and set(content) == {"result"} else content


def _text(outcome: Any) -> str:
    assert not outcome.is_error, outcome
    said: str = outcome.content[0].text
    return said


async def _exercise(client: Client, user: str, tag: str) -> None:
    """Every tool once, as one companion (and the person it remembers) would use them; each answer's text
    is short, names the ids a next call needs, and agrees with the structured answer beside it."""
    assert {t.name for t in (await client.list_tools()).tools} >= TOOLS
    text = f"My sister Rosa plays the {tag} in a jazz band"
    outcome = await client.call_tool("remember", {"user_id": user, "text": text, "message_id": "m1"})
    stored = _result(outcome)
    assert stored["status"] == "stored"
    assert f"memory {stored['memory_id']}" in _text(outcome)
    outcome = await client.call_tool("recall", {"user_id": user, "query": f"who plays the {tag}?"})
    assert _result(outcome)[0]["content"] == text
    assert _text(outcome).startswith("- ")
    outcome = await client.call_tool("context", {"user_id": user, "query": "tell me about Rosa"})
    context = _result(outcome)
    assert context["user_id"] == user
    assert text in context["text"]
    assert _text(outcome) == context["text"]
    outcome = await client.call_tool("facts", {"user_id": user})
    rosa = next(f for f in _result(outcome) if f["predicate"] == "sibling" and f["value"] == "sister Rosa")
    assert f"[fact {rosa['id']}]" in _text(outcome)
    outcome = await client.call_tool("list_memories", {"user_id": user})
    assert [m["id"] for m in _result(outcome)] == [stored["memory_id"]]
    outcome = await client.call_tool("get_memory", {"user_id": user, "memory_id": stored["memory_id"]})
    assert _result(outcome)["content"] == text
    fixed = f"My sister Rosa plays the {tag} in a brass band"
    arguments = {"user_id": user, "memory_id": stored["memory_id"], "content": fixed}
    outcome = await client.call_tool("correct_memory", arguments)
    assert _result(outcome)["content"] == fixed
    assert text in _text(outcome)  # what it said before, as its history
    outcome = await client.call_tool(
        "correct_fact", {"user_id": user, "fact_id": rosa["id"], "value": "sister Rosa Lee"}
    )
    assert [f["status"] for f in _result(outcome)["facts"]][-2:] == ["retracted", "current"]
    assert "sister Rosa Lee" in _text(outcome)
    _result(await client.call_tool("forget", {"user_id": user, "memory_id": stored["memory_id"]}))
    assert _result(await client.call_tool("recall", {"user_id": user, "query": f"who plays the {tag}?"})) == []
    missing = await client.call_tool("get_memory", {"user_id": user, "memory_id": stored["memory_id"]})
    assert missing.is_error
    assert "does not exist" in str(missing.content[0])


def test_every_tool_in_process_and_tenants_apart(container: Container, tenants: tuple[str, str, str]) -> None:
    key_a, key_b, user = tenants

    async def scenario() -> None:
        async with Client(build_mcp(container, key=key_a)) as a, Client(build_mcp(container, key=key_b)) as b:
            await _exercise(a, user, "saxophone")
            kept = {"user_id": user, "text": "I keep bees on the roof", "message_id": "m2"}
            _result(await a.call_tool("remember", kept))
            assert _result(await b.call_tool("recall", {"user_id": user, "query": "bees on the roof"})) == []
            assert _result(await b.call_tool("facts", {"user_id": user})) == []

    anyio.run(scenario)


def test_a_read_only_key_cannot_remember(container: Container, tenants: tuple[str, str, str]) -> None:
    reader = container.keys.create(f"mcp-ro-{uuid.uuid4().hex[:8]}", [Scope.READ], name="mcp")

    async def scenario() -> None:
        async with Client(build_mcp(container, key=reader.key)) as client:
            outcome = await client.call_tool("remember", {"user_id": "alice", "text": "hello there", "message_id": "x"})
            assert outcome.is_error

    try:
        anyio.run(scenario)
    finally:
        container.keys.revoke(reader.api_key.id)


def test_an_id_naming_another_tenants_user_is_refused(container: Container) -> None:
    """The default tenant's ids are owner keys as they are: `acme/alice` would be acme's alice."""
    other = f"mcp-x-{uuid.uuid4().hex[:8]}"
    theirs = container.keys.create(other, [Scope.READ, Scope.WRITE], name="mcp")
    mine = container.keys.create("default", [Scope.READ, Scope.WRITE], name="mcp")

    async def scenario() -> None:
        async with (
            Client(build_mcp(container, key=theirs.key)) as owner,
            Client(build_mcp(container, key=mine.key)) as intruder,
        ):
            kept = {"user_id": "alice", "text": "My sister Rosa lives in Lisbon", "message_id": "m1"}
            assert _result(await owner.call_tool("remember", kept))["status"] == "stored"
            for tool, arguments in [("facts", {}), ("recall", {"query": "where does Rosa live?"})]:
                outcome = await intruder.call_tool(tool, {"user_id": f"{other}/alice", **arguments})
                assert outcome.is_error, outcome

    try:
        anyio.run(scenario)
    finally:
        container.keys.revoke(theirs.api_key.id)
        container.keys.revoke(mine.api_key.id)
        container.users.store.delete(f"{other}/alice")


@pytest.fixture
def served(settings: Settings, container: Container) -> Iterator[str]:
    """The API (with /mcp) on a free loopback port, in a thread of this process; its base URL."""
    port = free_port()  # before the app: its MCP server names its resource by it
    with api_served(create_app(settings.model_copy(update={"api_port": port}), container), port) as url:
        yield url


def test_every_tool_over_streamable_http_with_the_requests_key(served: str, tenants: tuple[str, str, str]) -> None:
    key_a, _, user = tenants

    async def scenario() -> None:
        headers = {"Authorization": f"Bearer {key_a}"}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=60) as http,
            Client(streamable_http_client(f"{served}/mcp/", http_client=http)) as client,
        ):
            await _exercise(client, user, "trombone")
        async with httpx2.AsyncClient(timeout=30) as anonymous:
            refused = await anonymous.post(f"{served}/mcp/", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
            assert refused.status_code == 401
            # The 401 names where the resource's metadata is (RFC 9728), and it is there.
            pointed = refused.headers["www-authenticate"].split('resource_metadata="', 1)[1].split('"', 1)[0]
            metadata = await anonymous.get(pointed)
            assert metadata.status_code == 200
            assert metadata.json()["resource"].rstrip("/").endswith("/mcp")
            assert metadata.json()["bearer_methods_supported"] == ["header"]

    anyio.run(scenario)


def test_every_tool_over_stdio(tenants: tuple[str, str, str]) -> None:
    key_a, _, user = tenants
    command = StdioServerParameters(
        command=sys.executable,
        args=["-m", "app.mcp"],
        cwd=str(PROJECT_ROOT),
        # The suite's own settings pass on (the Neo4j it runs against may be on other ports than the default).
        env={**os.environ, "MCP_API_KEY": key_a, "LOG_LEVEL": "WARNING", "DECAY_INTERVAL_S": "0", "PATH": ""},
    )

    async def scenario() -> None:
        async with Client(command, read_timeout_seconds=120) as client:
            await _exercise(client, user, "cello")

    anyio.run(scenario)


def test_a_desktop_stdio_server_answers_at_once_and_describes_its_tools(tenants: tuple[str, str, str]) -> None:
    key_a, _, user = tenants
    command = StdioServerParameters(
        command=sys.executable,
        args=["-m", "app.mcp"],
        cwd=str(PROJECT_ROOT),
        env={**os.environ, "MCP_API_KEY": key_a, "MCP_USER_ID": user, "LOG_LEVEL": "WARNING", "DECAY_INTERVAL_S": "0"},
    )

    async def scenario() -> None:
        started = time.perf_counter()
        async with Client(command, read_timeout_seconds=120) as client:
            # Answered before the models load (desktop clients give up after tens of seconds); the bound
            # leaves room for a loaded machine, the figure is in docs/performance.md.
            assert time.perf_counter() - started < 10
            assert client.server_info is not None
            assert client.server_info.version == __version__
            tools = {t.name: t for t in (await client.list_tools()).tools}
            reads, deletes = tools["recall"].annotations, tools["forget"].annotations
            assert reads is not None
            assert reads.read_only_hint
            assert deletes is not None
            assert deletes.destructive_hint
            for name, tool in tools.items():
                assert tool.description, name
                described = tool.input_schema["properties"]
                assert all(p.get("description") for p in described.values()), (name, described)
            # No user id and no message id: the server's user, an id generated.
            stored = _result(await client.call_tool("remember", {"text": "My cat Mochi sleeps on the piano"}))
            assert stored["status"] == "stored"
            assert stored["message_id"]
            hits = _result(await client.call_tool("recall", {"query": "where does Mochi sleep?"}))
            assert hits[0]["memory_id"] == stored["memory_id"]
            refused = await client.call_tool("recall", {"query": "mochi", "k": 0})
            assert refused.is_error
            pets = _result(await client.call_tool("fact_history", {"predicate": "has_pet"}))
            assert [f["value"] for f in pets["facts"]] == ["cat Mochi"], pets
            # A changed high-stakes fact asks first; the answer is a tool call too.
            _result(await client.call_tool("remember", {"text": "My name is Dana."}))
            renamed = _result(await client.call_tool("remember", {"text": "Actually my name is Danielle."}))
            pending = [c["pending_fact_id"] for c in renamed.get("clarifications", [])]
            assert pending, renamed
            current = _result(await client.call_tool("clarify", {"fact_id": pending[0], "confirm": True}))
            assert ("name", "Danielle") in {(f["predicate"], f["value"]) for f in current}
            again = await client.call_tool("clarify", {"fact_id": pending[0], "confirm": True})
            assert again.is_error  # answered already: said why, not a crash

    anyio.run(scenario)
