"""The memory service as MCP tools (the official Python SDK's `MCPServer`): remember, recall, context,
facts, forget, the same services the HTTP API calls, with the same keys and tenants.

Over streamable HTTP (mounted at `/mcp` of the API) every request carries `Authorization: Bearer <key>`,
checked by the SDK's bearer middleware through `KeyVerifier`; over stdio (`python -m app.mcp`) the
process acts for the one key it was started with. A tool's user ids are the caller's tenant's, as in the
HTTP API.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar, cast

import anyio
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field, StrictBool

from app.api.schemas import ContextCount, Id
from app.clock import Moment
from app.container import Container
from app.errors import AuthenticationError, MemoryServiceError
from app.keys.callers import principal_of, tenant_with
from app.keys.secrets import Scope
from app.keys.service import Principal
from app.retrieval.options import SearchCount, SearchOptions
from app.tenancy import Tenant
from app.write.batch import Role
from app.write.ingest import IncomingMessage

Tool = TypeVar("Tool", bound=Callable[..., Awaitable[Any]])
INSTRUCTIONS = (
    "Long-term memory of one companion product. Call `context` before replying to a user, `remember` with "
    "each message worth keeping, `recall` to search, `facts` for what is currently known about the user, "
    "`forget` to delete a memory for good."
)


class KeyVerifier:
    """The SDK's token verifier over this service's API keys: a key's tenant and scopes."""

    def __init__(self, container: Container) -> None:
        self.container = container

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            principal = await anyio.to_thread.run_sync(principal_of, self.container, token)
        except MemoryServiceError:
            return None
        return AccessToken(token=token, client_id=principal.tenant_id, scopes=sorted(s.value for s in principal.scopes))


def _reasoned(tool: Tool) -> Tool:
    """A tool whose domain errors (no such memory, a missing scope, an id refused) reach the client as the
    reason they are, not as a crash the server logs."""

    @functools.wraps(tool)
    async def reasoned(*args: Any, **kwargs: Any) -> Any:
        try:
            return await tool(*args, **kwargs)
        except MemoryServiceError as error:
            raise ToolError(str(error)) from error

    return cast(Tool, reasoned)


def build_mcp(container: Container, key: str | None = None, http_url: str | None = None) -> MCPServer:
    """The MCP server over `container`'s services. `key`: the caller of a stdio (or in-process) server;
    `http_url`: this server's public URL when served over HTTP, whose requests then carry their keys."""
    verifier = KeyVerifier(container) if http_url is not None else None
    # Keys are not issued for one resource: the verifier checks them itself.
    auth = (
        AuthSettings(issuer_url=http_url, resource_server_url=http_url, validate_token_resource=False)
        if http_url is not None
        else None
    )
    server = MCPServer("companion-memory", instructions=INSTRUCTIONS, token_verifier=verifier, auth=auth)
    fixed = principal_of(container, key) if http_url is None else None

    def caller(scope: Scope) -> Tenant:
        token = get_access_token()
        if token is not None:
            principal = Principal(tenant_id=token.client_id, scopes=frozenset(Scope(s) for s in token.scopes))
        elif fixed is not None:
            principal = fixed
        else:
            raise AuthenticationError("an API key is needed")
        return tenant_with(principal, scope)

    async def run(function: Any, *args: Any) -> Any:
        return await anyio.to_thread.run_sync(function, *args)

    @server.tool()
    @_reasoned
    async def remember(
        user_id: Id,
        text: Annotated[str, Field(max_length=100_000)],
        message_id: Id,
        conversation_id: Id = "mcp",
        companion_id: Id = "mcp",
        role: Role = "user",
        occurred_at: Moment | None = None,
    ) -> dict[str, Any]:
        """Store one message of a conversation as long-term memory (idempotent on message_id). The answer
        says whether it was stored, kept for this exchange only, or refused, and why."""
        tenant = caller(Scope.WRITE)
        message = IncomingMessage(
            user_id=tenant.key(user_id),
            companion_id=tenant.key(companion_id),
            conversation_id=conversation_id,
            role=role,
            text=text,
            message_id=message_id,
            occurred_at=occurred_at or datetime.now(UTC),
        )
        outcomes = await run(container.ingest.ingest, [message])
        result: dict[str, Any] = outcomes[0].model_dump(mode="json")
        return result

    @server.tool()
    @_reasoned
    async def recall(
        user_id: Id,
        query: Annotated[str, Field(max_length=4000)],
        k: SearchCount = 10,
        include_cold: StrictBool = False,
    ) -> list[dict[str, Any]]:
        """The user's memories best matching the query, each with its score's parts."""
        tenant = caller(Scope.READ)
        options = SearchOptions(k=k, include_cold=include_cold)
        hits = await run(container.retrieval.search, tenant.key(user_id), query, options)
        return [h.model_dump(mode="json") for h in hits]

    @server.tool()
    @_reasoned
    async def context(
        user_id: Id,
        query: Annotated[str, Field(min_length=1, max_length=4000)],
        companion_id: Id | None = None,
        k: ContextCount = 10,
    ) -> dict[str, Any]:
        """What to know before replying to `query`: the best memories, the user's identity facts, the
        companion's persona, and all of it as ready text."""
        tenant = caller(Scope.READ)
        companion = tenant.key(companion_id) if companion_id is not None else None

        def build() -> Any:
            return container.context.build(tenant.key(user_id), query, companion_id=companion, k=k)

        built = await run(build)
        shown: dict[str, Any] = built.model_dump(mode="json")
        shown["user_id"] = user_id
        if built.companion is not None:
            shown["companion"]["id"] = tenant.shown(built.companion.id)
        return shown

    @server.tool()
    @_reasoned
    async def facts(user_id: Id) -> list[dict[str, Any]]:
        """The user's current facts (name, home, job, family, likes...), each with its confidence."""
        tenant = caller(Scope.READ)
        return [f.model_dump(mode="json") for f in await run(container.facts.current, tenant.key(user_id))]

    @server.tool()
    @_reasoned
    async def forget(user_id: Id, memory_id: Annotated[str, Field(min_length=1, max_length=200)]) -> dict[str, Any]:
        """Delete one memory for good (and facts only it asserted)."""
        tenant = caller(Scope.WRITE)
        await run(container.memories.delete_memory, tenant.key(user_id), memory_id)
        return {"forgotten": memory_id}

    return server
