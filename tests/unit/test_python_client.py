"""The Python client (`clients/python`) against the API's own description, and its handling of refusals
and retries over a transport that answers as the service would: pure, no server."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from companion_memory_client import AsyncMemoryClient, MemoryClient, NotFoundError, Policy, UnavailableError, calls

from app.main import create_app
from app.settings import Settings

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python"


def _regenerate() -> Any:
    """`clients/python/regenerate.py`, which is no package's module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("regenerate", CLIENT / "regenerate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def test_the_committed_document_and_models_are_the_services_own() -> None:
    regenerate = _regenerate()
    described = regenerate.text_of(create_app(Settings()).openapi())
    assert (CLIENT / "openapi.json").read_text() == described, "the API changed: run `make client`"
    assert regenerate.MODELS.read_text() == regenerate.models_of(described), "run `make client`"


def test_every_operation_of_the_api_has_its_call_in_both_clients() -> None:
    document = json.loads((CLIENT / "openapi.json").read_text())
    assert set(calls.OPERATIONS) == _operations(document)
    for name in calls.OPERATIONS.values():
        sync, other = getattr(MemoryClient, name), getattr(AsyncMemoryClient, name)
        assert inspect.iscoroutinefunction(other), name
        assert inspect.signature(sync) == inspect.signature(other), name


def _answering(*answers: httpx.Response | Exception) -> tuple[MemoryClient, list[httpx.Request]]:
    sent: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    http = httpx.Client(base_url="http://memory.test", transport=httpx.MockTransport(handler))
    return MemoryClient("http://memory.test", http=http, policy=Policy(retries=2, backoff_s=0)), sent


def _unavailable() -> httpx.Response:
    return httpx.Response(503, json={"error": "unavailable", "detail": "Neo4j is down"}, headers={"Retry-After": "0"})


def test_a_503_is_sent_again_after_its_retry_after_until_it_succeeds() -> None:
    client, sent = _answering(_unavailable(), httpx.Response(200, json=[]))
    assert client.facts("alice") == []
    assert [r.url.path for r in sent] == ["/v1/users/alice/facts"] * 2


def test_a_503_past_the_retries_and_a_404_raise_their_kinds_with_the_services_sentence() -> None:
    client, sent = _answering(*[_unavailable()] * 3)
    with pytest.raises(UnavailableError, match="Neo4j is down"):
        client.facts("alice")
    assert len(sent) == 3
    client, sent = _answering(httpx.Response(404, json={"error": "not_found", "detail": "no memory 'm'"}))
    with pytest.raises(NotFoundError) as raised:
        client.get_memory("alice", "m")
    assert raised.value.detail == "no memory 'm'"
    assert len(sent) == 1


def test_an_id_with_characters_a_path_reads_is_sent_whole() -> None:
    client, sent = _answering(httpx.Response(204))
    client.delete_memory("alice b", "m:1")
    assert sent[0].url.raw_path == b"/v1/users/alice%20b/memories/m%3A1"


def test_no_answer_at_all_is_sent_again_and_at_last_reads_as_unavailable() -> None:
    refused = httpx.ConnectError("connection refused")
    client, sent = _answering(refused, httpx.Response(200, json=[]))
    assert client.facts("alice") == []
    client, sent = _answering(refused, refused, refused)
    with pytest.raises(UnavailableError, match="connection refused"):
        client.facts("alice")
    assert len(sent) == 3
