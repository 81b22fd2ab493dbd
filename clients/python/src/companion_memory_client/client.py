"""The clients: `MemoryClient` (sync) and `AsyncMemoryClient` (async), over httpx, every operation of
the API (`companion_memory_client.calls`), with type-ahead over a WebSocket. Calls the service answers
429 or 503 (nothing stored) are sent again after its Retry-After, up to `retries` times; every write is
idempotent (a message on its id), so sending again never stores twice."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, Self, TypeVar

import httpx

from companion_memory_client import calls, models
from companion_memory_client.calls import Call, Role, Tier
from companion_memory_client.errors import MemoryServiceError
from companion_memory_client.transport import (
    DEFAULT_POLICY,
    DEFAULT_URL,
    Policy,
    answer,
    headers,
    request,
)
from companion_memory_client.typeahead import AsyncTypeahead, Typeahead, socket_url

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class _Client(Generic[H]):
    """Where the service is, the key, the retry policy and the HTTP client (`http`: given, or made)."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        api_key: str | None = None,
        *,
        timeout_s: float = 30.0,
        policy: Policy = DEFAULT_POLICY,
        http: H | None = None,
    ) -> None:
        self.base_url, self.policy, self._headers = base_url.rstrip("/"), policy, headers(api_key)
        self.http: H = http or self._connect(self.base_url, self._headers, timeout_s)

    @staticmethod
    def _connect(base_url: str, headers: dict[str, str], timeout_s: float) -> H:
        raise NotImplementedError


class MemoryClient(_Client[httpx.Client]):
    """The service, synchronously. `MemoryClient("http://127.0.0.1:8000", api_key="cm_...")`; the key
    may come from `COMPANION_MEMORY_API_KEY`. Close it (or use it as a context manager) when done."""

    @staticmethod
    def _connect(base_url: str, headers: dict[str, str], timeout_s: float) -> httpx.Client:
        return httpx.Client(base_url=base_url, headers=headers, timeout=timeout_s)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def run(self, call: Call[T]) -> T:
        """Send a call (again after a 429 or 503, within the policy) and read its answer."""
        attempt = 0
        while True:
            try:
                result: T = answer(call, self.http.request(**request(call)))
                return result
            except (httpx.TransportError, MemoryServiceError) as error:
                time.sleep(self.policy.after(error, attempt))
            attempt += 1

    def typeahead(self, user_id: str, conversation_id: str, companion_id: str) -> Typeahead:
        """A type-ahead socket for one user's conversation: `draft(text)` as they type, `send(...)` on Enter."""
        return Typeahead(socket_url(self.base_url, user_id, conversation_id, companion_id), self._headers)

    def health(self) -> models.HealthReport:
        return self.run(calls.health())

    def remember(
        self, user_id: str, text: str, *, conversation_id: str, companion_id: str, role: Role = "user", **more: Any
    ) -> models.IngestOutcome:
        """Store one message (`message_id`, `occurred_at`, `speaker`, `device_id`, `metadata` in `more`)."""
        sent = calls.message(
            user_id, text, conversation_id=conversation_id, companion_id=companion_id, role=role, **more
        )
        return self.run(calls.remember(sent))

    def remember_batch(self, messages: Sequence[dict[str, Any]]) -> list[models.IngestOutcome]:
        """Store up to 1,000 messages in order (each made with `calls.message`)."""
        return self.run(calls.remember_batch(messages))

    def put_user(
        self, user_id: str, display_name: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> models.User:
        return self.run(calls.put_user(user_id, display_name, metadata))

    def get_user(self, user_id: str) -> models.User:
        return self.run(calls.get_user(user_id))

    def delete_user(self, user_id: str) -> dict[str, int]:
        return self.run(calls.delete_user(user_id))

    def export_user(self, user_id: str) -> models.UserExport:
        return self.run(calls.export_user(user_id))

    def put_companion(self, companion_id: str, name: str, persona: str = "") -> models.Companion:
        return self.run(calls.put_companion(companion_id, name, persona))

    def get_companion(self, companion_id: str) -> models.Companion:
        return self.run(calls.get_companion(companion_id))

    def get_memory(self, user_id: str, memory_id: str, as_of: datetime | None = None) -> models.Memory:
        return self.run(calls.get_memory(user_id, memory_id, as_of))

    def correct_memory(self, user_id: str, memory_id: str, content: str) -> models.Memory:
        return self.run(calls.correct_memory(user_id, memory_id, content))

    def delete_memory(self, user_id: str, memory_id: str) -> None:
        return self.run(calls.delete_memory(user_id, memory_id))

    def list_memories(
        self,
        user_id: str,
        memory_type: Sequence[str] | None = None,
        tier: Sequence[Tier] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> list[models.Memory]:
        return self.run(calls.list_memories(user_id, memory_type, tier, offset, limit))

    def conversation_memories(self, user_id: str, conversation_id: str, limit: int = 500) -> list[models.Memory]:
        return self.run(calls.conversation_memories(user_id, conversation_id, limit))

    def ephemeral(self, user_id: str, conversation_id: str) -> list[models.EphemeralItem]:
        return self.run(calls.ephemeral(user_id, conversation_id))

    def end_exchange(self, user_id: str, conversation_id: str) -> dict[str, int]:
        return self.run(calls.end_exchange(user_id, conversation_id))

    def search(self, user_id: str, query: str, **options: Any) -> list[models.SearchHit]:
        return self.run(calls.search(user_id, query, **options))

    def context(self, user_id: str, query: str, **options: Any) -> models.Context:
        """The context to put before the model (`.text`): `companion_id`, `k`, `as_of`, `token_budget`,
        `record_access` (false: a look that is no recall)."""
        return self.run(calls.context(user_id, query, **options))

    def facts(self, user_id: str, status: Sequence[str] | None = None) -> list[models.FactView]:
        return self.run(calls.facts(user_id, status))

    def fact_history(self, user_id: str, predicate: str, subject: str = "self") -> models.FactHistory:
        return self.run(calls.fact_history(user_id, predicate, subject))

    def timeline(self, user_id: str, entity: str = "self", limit: int = 200) -> list[models.TimelineEntry]:
        return self.run(calls.timeline(user_id, entity, limit))

    def confirm_fact(self, user_id: str, fact_id: str) -> list[models.FactView]:
        return self.run(calls.confirm_fact(user_id, fact_id))

    def reject_fact(self, user_id: str, fact_id: str) -> list[models.FactView]:
        return self.run(calls.reject_fact(user_id, fact_id))

    def correct_fact(self, user_id: str, fact_id: str, value: str) -> models.FactHistory:
        return self.run(calls.correct_fact(user_id, fact_id, value))

    def retract_fact(self, user_id: str, fact_id: str) -> models.FactHistory:
        return self.run(calls.retract_fact(user_id, fact_id))

    def quarantine(self, user_id: str, limit: int = 100) -> list[models.QuarantinedMessage]:
        return self.run(calls.quarantine(user_id, limit))

    def release_quarantined(self, user_id: str, quarantine_id: str) -> models.IngestOutcome:
        return self.run(calls.release_quarantined(user_id, quarantine_id))

    def discard_quarantined(self, user_id: str, quarantine_id: str) -> None:
        return self.run(calls.discard_quarantined(user_id, quarantine_id))


class AsyncMemoryClient(_Client[httpx.AsyncClient]):
    """The service, asynchronously: the same calls as `MemoryClient`, awaited."""

    @staticmethod
    def _connect(base_url: str, headers: dict[str, str], timeout_s: float) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=timeout_s)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.http.aclose()

    async def run(self, call: Call[T]) -> T:
        """Send a call (again after a 429 or 503, within the policy) and read its answer."""
        attempt = 0
        while True:
            try:
                result: T = answer(call, await self.http.request(**request(call)))
                return result
            except (httpx.TransportError, MemoryServiceError) as error:
                await asyncio.sleep(self.policy.after(error, attempt))
            attempt += 1

    def typeahead(self, user_id: str, conversation_id: str, companion_id: str) -> AsyncTypeahead:
        """A type-ahead socket for one user's conversation (`async with`)."""
        return AsyncTypeahead(socket_url(self.base_url, user_id, conversation_id, companion_id), self._headers)

    async def health(self) -> models.HealthReport:
        return await self.run(calls.health())

    async def remember(
        self, user_id: str, text: str, *, conversation_id: str, companion_id: str, role: Role = "user", **more: Any
    ) -> models.IngestOutcome:
        """Store one message (`message_id`, `occurred_at`, `speaker`, `device_id`, `metadata` in `more`)."""
        sent = calls.message(
            user_id, text, conversation_id=conversation_id, companion_id=companion_id, role=role, **more
        )
        return await self.run(calls.remember(sent))

    async def remember_batch(self, messages: Sequence[dict[str, Any]]) -> list[models.IngestOutcome]:
        """Store up to 1,000 messages in order (each made with `calls.message`)."""
        return await self.run(calls.remember_batch(messages))

    async def put_user(
        self, user_id: str, display_name: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> models.User:
        return await self.run(calls.put_user(user_id, display_name, metadata))

    async def get_user(self, user_id: str) -> models.User:
        return await self.run(calls.get_user(user_id))

    async def delete_user(self, user_id: str) -> dict[str, int]:
        return await self.run(calls.delete_user(user_id))

    async def export_user(self, user_id: str) -> models.UserExport:
        return await self.run(calls.export_user(user_id))

    async def put_companion(self, companion_id: str, name: str, persona: str = "") -> models.Companion:
        return await self.run(calls.put_companion(companion_id, name, persona))

    async def get_companion(self, companion_id: str) -> models.Companion:
        return await self.run(calls.get_companion(companion_id))

    async def get_memory(self, user_id: str, memory_id: str, as_of: datetime | None = None) -> models.Memory:
        return await self.run(calls.get_memory(user_id, memory_id, as_of))

    async def correct_memory(self, user_id: str, memory_id: str, content: str) -> models.Memory:
        return await self.run(calls.correct_memory(user_id, memory_id, content))

    async def delete_memory(self, user_id: str, memory_id: str) -> None:
        return await self.run(calls.delete_memory(user_id, memory_id))

    async def list_memories(
        self,
        user_id: str,
        memory_type: Sequence[str] | None = None,
        tier: Sequence[Tier] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> list[models.Memory]:
        return await self.run(calls.list_memories(user_id, memory_type, tier, offset, limit))

    async def conversation_memories(self, user_id: str, conversation_id: str, limit: int = 500) -> list[models.Memory]:
        return await self.run(calls.conversation_memories(user_id, conversation_id, limit))

    async def ephemeral(self, user_id: str, conversation_id: str) -> list[models.EphemeralItem]:
        return await self.run(calls.ephemeral(user_id, conversation_id))

    async def end_exchange(self, user_id: str, conversation_id: str) -> dict[str, int]:
        return await self.run(calls.end_exchange(user_id, conversation_id))

    async def search(self, user_id: str, query: str, **options: Any) -> list[models.SearchHit]:
        return await self.run(calls.search(user_id, query, **options))

    async def context(self, user_id: str, query: str, **options: Any) -> models.Context:
        """The context to put before the model (`.text`): `companion_id`, `k`, `as_of`, `token_budget`,
        `record_access` (false: a look that is no recall)."""
        return await self.run(calls.context(user_id, query, **options))

    async def facts(self, user_id: str, status: Sequence[str] | None = None) -> list[models.FactView]:
        return await self.run(calls.facts(user_id, status))

    async def fact_history(self, user_id: str, predicate: str, subject: str = "self") -> models.FactHistory:
        return await self.run(calls.fact_history(user_id, predicate, subject))

    async def timeline(self, user_id: str, entity: str = "self", limit: int = 200) -> list[models.TimelineEntry]:
        return await self.run(calls.timeline(user_id, entity, limit))

    async def confirm_fact(self, user_id: str, fact_id: str) -> list[models.FactView]:
        return await self.run(calls.confirm_fact(user_id, fact_id))

    async def reject_fact(self, user_id: str, fact_id: str) -> list[models.FactView]:
        return await self.run(calls.reject_fact(user_id, fact_id))

    async def correct_fact(self, user_id: str, fact_id: str, value: str) -> models.FactHistory:
        return await self.run(calls.correct_fact(user_id, fact_id, value))

    async def retract_fact(self, user_id: str, fact_id: str) -> models.FactHistory:
        return await self.run(calls.retract_fact(user_id, fact_id))

    async def quarantine(self, user_id: str, limit: int = 100) -> list[models.QuarantinedMessage]:
        return await self.run(calls.quarantine(user_id, limit))

    async def release_quarantined(self, user_id: str, quarantine_id: str) -> models.IngestOutcome:
        return await self.run(calls.release_quarantined(user_id, quarantine_id))

    async def discard_quarantined(self, user_id: str, quarantine_id: str) -> None:
        return await self.run(calls.discard_quarantined(user_id, quarantine_id))
