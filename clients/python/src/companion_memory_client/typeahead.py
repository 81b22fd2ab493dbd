"""Type-ahead over the service's WebSocket: relay what the user types (`draft`), and on Enter `send` the
message to get the context (precomputed while they typed, when the meaning held) and then its outcome."""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from websockets.asyncio.client import ClientConnection as AsyncConnection
from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from companion_memory_client import models
from companion_memory_client.errors import MemoryServiceError, error_of

#: The server's error codes, as the HTTP statuses they stand for.
_STATUS = {"unauthorized": 401, "forbidden": 403, "not_found": 404, "conflict": 409, "invalid": 422}
_STATUS |= {"rate_limited": 429, "unavailable": 503, "bad_frame": 400, "too_large": 400, "idle_timeout": 408}


@dataclass(frozen=True)
class Sent:
    """A sent message's answers: its context (`warm`: precomputed while the user typed) and its outcome."""

    context: models.Context
    warm: bool
    outcome: models.IngestOutcome


def socket_url(base_url: str, user_id: str, conversation_id: str, companion_id: str) -> str:
    """The socket's URL on the API's host (ws for http, wss for https)."""
    query = {"conversation_id": conversation_id, "companion_id": companion_id}
    root = "ws" + base_url.removeprefix("http")
    return f"{root}/v1/users/{quote(user_id, safe='')}/typeahead?{urlencode(query)}"


def _refusal(refused: InvalidStatus) -> MemoryServiceError:
    """The socket refused at its opening (no key, a missing parameter), as the client's exception."""
    status = refused.response.status_code
    return error_of(status, {"error": "refused", "detail": f"the type-ahead socket was refused ({status})"}, None)


def _draft(text: str) -> str:
    return json.dumps({"type": "draft", "text": text})


def _send(text: str, message_id: str, occurred_at: datetime | None, metadata: dict[str, Any] | None) -> str:
    frame: dict[str, Any] = {"type": "send", "message_id": message_id, "text": text}
    if occurred_at is not None:
        frame["occurred_at"] = occurred_at.isoformat()
    if metadata:
        frame["metadata"] = metadata
    return json.dumps(frame)


class _Reading:
    """Collects a send's two answers from the frames that come, and raises the error frames."""

    def __init__(self, message_id: str) -> None:
        self.message_id = message_id
        self.context: dict[str, Any] | None = None
        self.outcome: dict[str, Any] | None = None

    def take(self, raw: str | bytes) -> Sent | None:
        frame = json.loads(raw)
        if frame["type"] == "error":
            raise error_of(_STATUS.get(frame["code"], 400), {"error": frame["code"], "detail": frame["detail"]}, None)
        if frame.get("message_id") != self.message_id:
            return None  # a draft's context_ready
        if frame["type"] == "context":
            self.context = frame
        elif frame["type"] == "stored":
            self.outcome = frame["outcome"]
        if self.context is None or self.outcome is None:
            return None
        return Sent(
            models.Context.model_validate(self.context["context"]),
            bool(self.context["warm"]),
            models.IngestOutcome.model_validate(self.outcome),
        )


class Typeahead:
    """A type-ahead socket, synchronously (`with client.typeahead(...) as typing:`)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self.headers = url, headers
        self._socket: ClientConnection | None = None
        self._open = contextlib.ExitStack()

    def __enter__(self) -> Typeahead:
        try:
            self._socket = self._open.enter_context(connect(self.url, additional_headers=self.headers))
        except InvalidStatus as refused:
            raise _refusal(refused) from refused
        return self

    def __exit__(self, *exc: object) -> None:
        self._open.close()

    @property
    def socket(self) -> ClientConnection:
        if self._socket is None:
            raise MemoryServiceError(0, "closed", "open the type-ahead socket with `with` first")
        return self._socket

    def draft(self, text: str) -> None:
        """The text typed so far; after a pause the service prepares its context."""
        self.socket.send(_draft(text))

    def send(
        self,
        text: str,
        message_id: str | None = None,
        occurred_at: datetime | None = None,
        metadata: dict[str, Any] | None = None,
        timeout_s: float = 60.0,
    ) -> Sent:
        """The message as sent: its context, then its outcome once it is durable."""
        reading = _Reading(message_id or str(uuid.uuid4()))
        self.socket.send(_send(text, reading.message_id, occurred_at, metadata))
        while (sent := reading.take(self.socket.recv(timeout=timeout_s))) is None:
            pass
        return sent


class AsyncTypeahead:
    """A type-ahead socket, asynchronously (`async with client.typeahead(...) as typing:`)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self.headers = url, headers
        self._socket: AsyncConnection | None = None
        self._open = contextlib.AsyncExitStack()

    async def __aenter__(self) -> AsyncTypeahead:
        try:
            opened = connect_async(self.url, additional_headers=self.headers)
            self._socket = await self._open.enter_async_context(opened)
        except InvalidStatus as refused:
            raise _refusal(refused) from refused
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._open.aclose()

    @property
    def socket(self) -> AsyncConnection:
        if self._socket is None:
            raise MemoryServiceError(0, "closed", "open the type-ahead socket with `async with` first")
        return self._socket

    async def draft(self, text: str) -> None:
        """The text typed so far; after a pause the service prepares its context."""
        await self.socket.send(_draft(text))

    async def send(
        self,
        text: str,
        message_id: str | None = None,
        occurred_at: datetime | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Sent:
        """The message as sent: its context, then its outcome once it is durable."""
        reading = _Reading(message_id or str(uuid.uuid4()))
        await self.socket.send(_send(text, reading.message_id, occurred_at, metadata))
        while (sent := reading.take(await self.socket.recv())) is None:
            pass
        return sent
