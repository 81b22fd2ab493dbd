"""Type-ahead over a WebSocket: a companion backend (or a browser) relays one user's typing.

    ws://host/v1/users/{user_id}/typeahead?conversation_id=c1&companion_id=lucy

Authenticated as the HTTP API is: `Authorization: Bearer <key>`, or, where a client cannot set headers (a
browser), the subprotocols `companion-memory, bearer.<key>`. Client frames (JSON text):
`{"type": "draft", "text": ...}` (the text typed so far) and `{"type": "send", "message_id": ..., "text":
..., "occurred_at"?: ..., "metadata"?: {...}}`. Server frames: `context_ready` (a pause was seen and the
draft's context computed: `took_ms`), `context` (the answer to a send: `context` is the body `POST
/context` answers, with `warm` and `age_ms`), `stored` (the message's outcome, as `POST /v1/messages`
answers it, once durable), and `error` (`code`, `detail`; the connection stays open unless the code is
`unauthorized`, `forbidden` or `idle_timeout`). A socket's opening loads its user's memories for the
searches to come; frames past `TYPEAHEAD_FRAME_RATE` are answered `rate_limited` and dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from app.api.errors import status_for
from app.api.owned import shown_companion
from app.api.schemas import Id, PathId, QueryId
from app.clock import Moment, aware
from app.container import Container
from app.errors import MemoryServiceError, RateLimitedError
from app.keys.callers import tenant_with
from app.keys.secrets import Scope
from app.keys.service import Principal
from app.metadata import Metadata
from app.metrics import TYPEAHEAD_READY, TYPEAHEAD_REFUSED, TYPEAHEAD_SENDS, TYPEAHEAD_SOCKETS
from app.tenancy import Tenant
from app.write.ingest import IncomingMessage

log = logging.getLogger(__name__)
router = APIRouter(tags=["typeahead"])

SUBPROTOCOL = "companion-memory"
_KEY_PREFIX = "bearer."
_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 422: "invalid"}
_CODES |= {429: "rate_limited", 503: "unavailable"}
#: WebSocket close codes of the codes that end a connection (4000 + the HTTP status).
_CLOSING = {"unauthorized": 4401, "forbidden": 4403, "idle_timeout": 4408}
#: ... and of those that refuse one at its opening: past the key's rate, or Neo4j out of reach (1013: try
#: again later).
_REFUSING = _CLOSING | {"rate_limited": 4429, "unavailable": 1013}


class Draft(BaseModel):
    """The text typed so far."""

    type: Literal["draft"]
    text: str = Field(max_length=100_000)


class Send(BaseModel):
    """The message as sent (Enter)."""

    type: Literal["send"]
    message_id: Id
    text: str = Field(min_length=1, max_length=100_000)
    occurred_at: Moment | None = None
    metadata: Metadata = {}


_FRAME: TypeAdapter[Draft | Send] = TypeAdapter(Annotated[Draft | Send, Field(discriminator="type")])


class _ClosingError(Exception):
    """The connection ends, after an error frame with this code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@router.websocket("/v1/users/{user_id}/typeahead")
async def typeahead(
    websocket: WebSocket,
    user_id: PathId,
    conversation_id: QueryId,
    companion_id: QueryId,
) -> None:
    """One user's typing in one conversation."""
    container: Container = websocket.app.state.container
    offered = [p.strip() for p in websocket.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
    session = _Session(websocket, container, conversation_id)
    warming: asyncio.Task[None] | None = None
    TYPEAHEAD_SOCKETS.inc()
    try:
        principal = await run_in_threadpool(_principal, container, websocket, offered)
        session.bind(principal, user_id, companion_id)
        warming = asyncio.create_task(session.warm())
        await session.serve()
    except _ClosingError as closing:
        await session.error(closing.code, str(closing))
        await websocket.close(code=_CLOSING[closing.code], reason=closing.code)
    except MemoryServiceError as error:  # authentication
        code = _code(error)
        await session.error(code, str(error))
        await websocket.close(code=_REFUSING.get(code, 1011), reason=code)
    except WebSocketDisconnect:
        pass
    finally:
        TYPEAHEAD_SOCKETS.dec()
        session.cancel()
        if warming is not None:
            warming.cancel()


def _principal(container: Container, websocket: WebSocket, offered: list[str]) -> Principal:
    """The caller, from the header or the subprotocol, once its key is known to read."""
    header = websocket.headers.get("authorization", "")
    key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
    key = key or next((p.removeprefix(_KEY_PREFIX) for p in offered if p.startswith(_KEY_PREFIX)), None)
    principal = container.callers.principal_of(key)
    tenant_with(principal, Scope.READ)
    return principal


class _Session:
    """One connection's state: the pending precomputation of the latest draft."""

    def __init__(self, websocket: WebSocket, container: Container, conversation: str) -> None:
        self.websocket = websocket
        self.container = container
        self.settings = container.settings
        self.conversation = conversation
        self.pending: asyncio.Task[None] | None = None
        self.latest = ""
        self.principal: Principal | None = None
        self.tenant: Tenant | None = None
        self.owner = ""
        self.companion = ""
        self.id = uuid.uuid4().hex  # this socket, for its frame rate

    def bind(self, principal: Principal, user_id: str, companion_id: str) -> None:
        self.principal, self.tenant = principal, principal.tenant
        self.owner, self.companion = principal.tenant.key(user_id), principal.tenant.key(companion_id)

    async def warm(self) -> None:
        """Load the user's memories while they type, so that the first search of the connection is warm;
        a failure here only leaves that search to load them."""
        try:
            await run_in_threadpool(self.container.typeahead.warm, self.owner)
        except MemoryServiceError:
            log.warning("could not warm a user's memories on a socket's opening", exc_info=True)

    async def serve(self) -> None:
        while True:
            try:
                raw = await asyncio.wait_for(self._receive(), self.settings.typeahead_idle_timeout_s)
            except TimeoutError:
                raise _ClosingError("idle_timeout", "no frame within the idle timeout") from None
            try:
                self.container.frame_limiter.check(self.id)
            except RateLimitedError as limited:
                await self.error("rate_limited", f"{limited}; the frame was dropped")
                continue
            if raw is None:
                await self.error("bad_frame", "frames are JSON text, not binary")
                continue
            if len(raw) > self.settings.typeahead_max_frame_chars:
                limit = self.settings.typeahead_max_frame_chars
                await self.error("too_large", f"frames are at most {limit} characters")
                continue
            try:
                frame = _FRAME.validate_json(raw)
            except ValidationError as invalid:
                await self.error("bad_frame", _first_problem(invalid))
                continue
            try:
                if isinstance(frame, Draft):
                    self.draft(frame.text)
                else:
                    await self.send(frame)
            except MemoryServiceError as error:
                code = _code(error)
                if code in _CLOSING:
                    raise _ClosingError(code, str(error)) from error
                await self.error(code, str(error))

    async def _receive(self) -> str | None:
        """The next frame's text; None for a binary frame (Starlette's `receive_text` would raise)."""
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        text: str | None = message.get("text")
        return text

    def draft(self, text: str) -> None:
        """A new draft supersedes the one pending: its pause starts again."""
        self.cancel()
        self.latest = text
        if text.strip():
            self.pending = asyncio.create_task(self._after_pause(text))

    async def _after_pause(self, text: str) -> None:
        await asyncio.sleep(self.settings.typeahead_pause_ms / 1000)
        try:
            entry = await run_in_threadpool(
                self.container.typeahead.precompute, self.owner, self.conversation, text, self.companion
            )
        except MemoryServiceError as error:
            await self.error(_code(error), str(error))
            return
        TYPEAHEAD_READY.observe(entry.took_ms / 1000)
        if text == self.latest:
            await self._frame({"type": "context_ready", "took_ms": round(entry.took_ms, 2), "chars": len(text)})

    async def send(self, frame: Send) -> None:
        """Answer with the context (warm when the cache may serve), then write the message durably."""
        assert self.principal is not None
        assert self.tenant is not None
        tenant_with(self.principal, Scope.WRITE)
        self.cancel()
        self.latest = ""
        typeahead = self.container.typeahead
        answer = await run_in_threadpool(typeahead.answer, self.owner, self.conversation, frame.text, self.companion)
        TYPEAHEAD_SENDS.labels(str(answer.warm).lower()).inc()
        companion = answer.context.companion
        shown = answer.context.model_copy(
            update={
                "user_id": self.tenant.shown(self.owner),
                "companion": shown_companion(self.tenant, companion) if companion is not None else None,
            }
        )
        await self._frame(
            {
                "type": "context",
                "message_id": frame.message_id,
                "warm": answer.warm,
                "age_ms": round(answer.age_ms, 1) if answer.age_ms is not None else None,
                "took_ms": round(answer.took_ms, 3),
                "context": shown.model_dump(mode="json"),
            }
        )
        message = IncomingMessage(
            user_id=self.owner,
            companion_id=self.companion,
            conversation_id=self.conversation,
            role="user",
            text=frame.text,
            message_id=frame.message_id,
            occurred_at=aware(frame.occurred_at),
            metadata=frame.metadata,
        )
        outcome = await run_in_threadpool(typeahead.store, message, answer.embedding)
        stored = {"type": "stored", "message_id": frame.message_id, "outcome": outcome.model_dump(mode="json")}
        await self._frame(stored)

    async def error(self, code: str, detail: str) -> None:
        TYPEAHEAD_REFUSED.labels(code).inc()
        with contextlib.suppress(Exception):  # the client may be gone
            await self._frame({"type": "error", "code": code, "detail": detail})

    async def _frame(self, body: dict[str, Any]) -> None:
        await self.websocket.send_text(json.dumps(body))

    def cancel(self) -> None:
        if self.pending is not None and not self.pending.done():
            self.pending.cancel()
        self.pending = None


def _code(error: MemoryServiceError) -> str:
    """An error frame's code for a domain error: its HTTP status, named."""
    return _CODES.get(status_for(error), "internal")


def _first_problem(invalid: ValidationError) -> str:
    problem = invalid.errors()[0]
    where = ".".join(str(p) for p in problem.get("loc", ()))
    return f"{where}: {problem['msg']}" if where else str(problem["msg"])
