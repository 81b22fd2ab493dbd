"""The memory service as MCP tools (the official Python SDK's `MCPServer`): remember, recall, context,
facts, fact_history, clarify, and for the user to see and fix what is kept list_memories, get_memory,
correct_memory, correct_fact, forget; the same services the HTTP API calls, with the same keys and
tenants. Each answer is short text for the agent (`app.mcp.text`) with the structured result beside.

Over streamable HTTP (mounted at `/mcp` of the API) every request carries `Authorization: Bearer <key>`,
checked by the SDK's bearer middleware through `KeyVerifier`; over stdio (`python -m app.mcp`) the
process acts for the one key it was started with. A tool's user ids are the caller's tenant's, as in the
HTTP API; a server for one person (a desktop client) may name a default user (`MCP_USER_ID`). Parameters
are validated by the HTTP API's own types. The services come from a provider, so that a stdio server
answers `initialize` while the models still load (`app.mcp.__main__`).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import anyio
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import Field, StrictBool

from app import __version__
from app.api.schemas import ContextCount, FactValue, Id, MemoryText
from app.clock import Moment
from app.errors import AuthenticationError, InvalidInputError, MemoryServiceError
from app.keys.secrets import Scope
from app.mcp import text as render
from app.memory_types import MemoryType, Tier
from app.metrics import MCP_CALLS, MCP_SECONDS
from app.retrieval.options import SearchCount, SearchOptions
from app.roles import Role
from app.tenancy import Tenant

if TYPE_CHECKING:
    from app.container import Container
    from app.keys.service import Principal

Tool = TypeVar("Tool", bound=Callable[..., Awaitable[Any]])
Services = Callable[[], "Container"]
INSTRUCTIONS = (
    "Long-term memory of one companion product. Call `context` before replying to a user, `remember` with "
    "each message worth keeping, `recall` to search, `facts` for what is currently known about the user, "
    "`fact_history` for how a fact changed, `clarify` to answer a clarification `remember` asked for. "
    "When the user wants to see or fix what is kept: `list_memories`, `get_memory`, `correct_memory`, "
    "`correct_fact`, and `forget` to delete a memory for good."
)
READS = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
DELETES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False)

UserId = Annotated[
    Id | None,
    Field(description="whose memory: the user's id in your product (default: the server's MCP_USER_ID)"),
]
Query = Annotated[str, Field(min_length=1, max_length=4000, description="what the user just said or asked")]
MemoryId = Annotated[str, Field(min_length=1, max_length=200, description="a memory's id (`memory_id`)")]


class KeyVerifier:
    """The SDK's token verifier over this service's API keys: a key's tenant and scopes."""

    def __init__(self, container: Container) -> None:
        self.container = container

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            principal = await anyio.to_thread.run_sync(self.container.callers.principal_of, token)
        except MemoryServiceError:
            return None
        return AccessToken(token=token, client_id=principal.tenant_id, scopes=sorted(s.value for s in principal.scopes))


def _reasoned(tool: Tool) -> Tool:
    """A tool whose domain errors (no such memory, a missing scope, an id refused) reach the client as the
    reason they are, not as a crash the server logs; its calls counted and timed."""

    @functools.wraps(tool)
    async def reasoned(*args: Any, **kwargs: Any) -> Any:
        with MCP_SECONDS.labels(tool.__name__).time():
            try:
                answered = await tool(*args, **kwargs)
            except MemoryServiceError as error:
                MCP_CALLS.labels(tool.__name__, "refused").inc()
                raise ToolError(str(error)) from error
        MCP_CALLS.labels(tool.__name__, "ok").inc()
        return answered

    return cast(Tool, reasoned)


def build_mcp(
    services: Container | Services,
    key: str | None = None,
    http_url: str | None = None,
    default_user: str | None = None,
) -> MCPServer:
    """The MCP server over a container's services (or a provider of them, asked on the first tool call).
    `key`: the caller of a stdio (or in-process) server; `http_url`: this server's public URL when served
    over HTTP, whose requests then carry their keys; `default_user`: the user a call that names none is
    about."""
    provided: Services = services if callable(services) else lambda: services
    verifier = KeyVerifier(provided()) if http_url is not None else None
    # Keys are not issued for one resource: the verifier checks them itself.
    auth = (
        AuthSettings(issuer_url=http_url, resource_server_url=http_url, validate_token_resource=False)
        if http_url is not None
        else None
    )
    server = MCPServer(
        "companion-memory",
        version=__version__,
        instructions=INSTRUCTIONS,
        token_verifier=verifier,
        auth=auth,
    )

    @functools.cache
    def fixed() -> Principal:
        return provided().callers.principal_of(key)

    def caller(scope: Scope) -> Tenant:
        # The key's checks load the graph layer (the Neo4j driver): imported on a call, not before
        # `initialize`, which a desktop client waits for.
        from app.keys.callers import tenant_with
        from app.keys.service import Principal

        token = get_access_token()
        if token is not None:
            principal = Principal(tenant_id=token.client_id, scopes=frozenset(Scope(s) for s in token.scopes))
        elif http_url is None:
            principal = fixed()
        else:
            raise AuthenticationError("an API key is needed")
        return tenant_with(principal, scope)

    def user_of(tenant: Tenant, user_id: str | None) -> str:
        chosen = user_id or default_user
        if chosen is None:
            raise InvalidInputError("user_id is required (this server has no MCP_USER_ID)")
        return tenant.key(chosen)

    async def served(work: Callable[[Container], Any]) -> Any:
        """`work` over the services, in a worker thread (where the first call waits for them to load)."""
        return await anyio.to_thread.run_sync(lambda: work(provided()))

    @server.tool(annotations=WRITES)
    @_reasoned
    async def remember(
        text: Annotated[str, Field(min_length=1, max_length=100_000, description="the message, as written")],
        user_id: UserId = None,
        message_id: Annotated[
            Id | None, Field(description="your id of the message; sending it again stores nothing twice")
        ] = None,
        conversation_id: Annotated[Id, Field(description="the conversation it belongs to")] = "mcp",
        companion_id: Annotated[Id, Field(description="the companion spoken to")] = "mcp",
        role: Annotated[Role, Field(description="who said it: the user, or the companion")] = "user",
        occurred_at: Annotated[Moment | None, Field(description="when it was said (ISO 8601; default: now)")] = None,
    ) -> CallToolResult:
        """Store one message of a conversation as long-term memory. The answer says whether it was stored,
        kept for this exchange only, or refused, and why, with the facts it stated and any clarification
        a changed high-stakes fact asks for."""
        from app.write.batch import IncomingMessage  # the write path loads spaCy, which `initialize` need not wait for

        tenant = caller(Scope.WRITE)
        message = IncomingMessage(
            user_id=user_of(tenant, user_id),
            companion_id=tenant.key(companion_id),
            conversation_id=conversation_id,
            role=role,
            text=text,
            message_id=message_id or str(uuid.uuid4()),
            occurred_at=occurred_at or datetime.now(UTC),
        )
        outcomes = await served(lambda c: c.ingest.ingest([message]))
        result: dict[str, Any] = outcomes[0].model_dump(mode="json")
        return render.answer(result, render.remembered(result))

    @server.tool(annotations=READS)
    @_reasoned
    async def recall(
        query: Annotated[str, Field(min_length=1, max_length=4000, description="what to look for")],
        user_id: UserId = None,
        k: Annotated[SearchCount, Field(description="how many memories at most")] = 10,
        include_cold: Annotated[StrictBool, Field(description="also memories that have cooled with age")] = False,
    ) -> CallToolResult:
        """The user's memories best matching the query, best first, each with its score's parts."""
        tenant = caller(Scope.READ)
        options = SearchOptions(k=k, include_cold=include_cold)
        owner = user_of(tenant, user_id)
        hits = await served(lambda c: c.retrieval.search(owner, query, options))
        shown = [h.model_dump(mode="json") for h in hits]
        return render.answer(shown, render.memories(shown))

    @server.tool(annotations=READS)
    @_reasoned
    async def context(
        query: Query,
        user_id: UserId = None,
        companion_id: Annotated[Id | None, Field(description="the companion replying, for its persona")] = None,
        k: Annotated[ContextCount, Field(description="how many memories at most")] = 10,
    ) -> CallToolResult:
        """What to know before replying to `query`: the user's current facts, the memories that matter, the
        companion's persona, and all of it as ready text (`text`) to put before the model."""
        tenant = caller(Scope.READ)
        companion = tenant.key(companion_id) if companion_id is not None else None
        owner = user_of(tenant, user_id)
        built = await served(lambda c: c.context.build(owner, query, companion_id=companion, k=k))
        shown: dict[str, Any] = built.model_dump(mode="json")
        shown["user_id"] = tenant.shown(owner)
        if built.companion is not None:
            shown["companion"]["id"] = tenant.shown(built.companion.id)
        return render.answer(shown, built.text or "Nothing is known yet.")

    @server.tool(annotations=READS)
    @_reasoned
    async def facts(user_id: UserId = None) -> CallToolResult:
        """The user's current facts (name, home, job, family, likes...), each with its confidence."""
        tenant = caller(Scope.READ)
        owner = user_of(tenant, user_id)
        current = [f.model_dump(mode="json") for f in await served(lambda c: c.facts.current(owner))]
        return render.answer(current, render.facts(current))

    @server.tool(annotations=WRITES)
    @_reasoned
    async def clarify(
        fact_id: Annotated[str, Field(min_length=1, max_length=200, description="the pending fact `remember` named")],
        confirm: Annotated[StrictBool, Field(description="true: the new value replaces the old; false: discard it")],
        user_id: UserId = None,
    ) -> CallToolResult:
        """Answer the clarification `remember` asked for a changed high-stakes fact (a new name, a move, a
        death): confirmed, the new value becomes current; rejected, the old one stays. The current facts."""
        tenant = caller(Scope.WRITE)
        owner = user_of(tenant, user_id)
        current = [f.model_dump(mode="json") for f in await served(lambda c: c.facts.resolve(owner, fact_id, confirm))]
        return render.answer(current, render.facts(current))

    @server.tool(annotations=READS)
    @_reasoned
    async def fact_history(
        predicate: Annotated[str, Field(min_length=1, max_length=100, description="e.g. lives_in, job, has_pet")],
        user_id: UserId = None,
        subject: Annotated[str, Field(max_length=200, description="whose fact: 'self' (the user) or a name")] = "self",
    ) -> CallToolResult:
        """Every value a fact has had, what replaced what and when ("lived in Seattle until March, then
        Tokyo")."""
        tenant = caller(Scope.READ)
        owner = user_of(tenant, user_id)
        history = await served(lambda c: c.facts.history(owner, predicate, subject))
        shown: dict[str, Any] = history.model_dump(mode="json")
        return render.answer(shown, render.history(shown))

    @server.tool(annotations=DELETES)
    @_reasoned
    async def forget(
        memory_id: MemoryId,
        user_id: UserId = None,
    ) -> CallToolResult:
        """Delete one memory for good, with the facts only it asserted."""
        tenant = caller(Scope.WRITE)
        owner = user_of(tenant, user_id)
        await served(lambda c: c.memories.delete_memory(owner, memory_id))
        return render.answer({"forgotten": memory_id}, f"Memory {memory_id} is deleted for good.")

    @server.tool(annotations=READS)
    @_reasoned
    async def list_memories(
        user_id: UserId = None,
        memory_type: Annotated[MemoryType | None, Field(description="only memories of this kind")] = None,
        tier: Annotated[Tier | None, Field(description="only this tier (hot, cold, or forgotten)")] = None,
        offset: Annotated[int, Field(ge=0, le=1_000_000, description="how many of the newest to skip")] = 0,
        limit: Annotated[int, Field(ge=1, le=200, description="how many at most")] = 20,
    ) -> CallToolResult:
        """The user's memories, newest first, a page at a time: what is kept about them, to show or correct."""
        from app.api.owned import shown_memory  # the graph layer's modules: not before `initialize`

        tenant = caller(Scope.READ)
        owner = user_of(tenant, user_id)
        types, tiers = ([memory_type] if memory_type else None), ([tier] if tier else None)
        listed = await served(lambda c: c.memories.page(owner, types, tiers, offset, limit))
        shown = [shown_memory(tenant, m).model_dump(mode="json") for m in listed]
        return render.answer(shown, render.memories(shown))

    @server.tool(annotations=READS)
    @_reasoned
    async def get_memory(memory_id: MemoryId, user_id: UserId = None) -> CallToolResult:
        """One memory: its text, kind, tier, the facts it states, and what it said before a correction."""
        from app.api.owned import shown_memory

        tenant = caller(Scope.READ)
        owner = user_of(tenant, user_id)
        shown = shown_memory(tenant, await served(lambda c: c.memories.get(owner, memory_id))).model_dump(mode="json")
        return render.answer(shown, render.memory(shown))

    @server.tool(annotations=WRITES)
    @_reasoned
    async def correct_memory(memory_id: MemoryId, content: MemoryText, user_id: UserId = None) -> CallToolResult:
        """The user says a memory is wrong: its text becomes `content`, analysed again as the message would
        have been (facts only the old text stated are taken back); the old text is kept as its history."""
        from app.api.owned import shown_memory

        tenant = caller(Scope.WRITE)
        owner = user_of(tenant, user_id)
        corrected = await served(lambda c: c.revisions.revise(owner, memory_id, content))
        shown = shown_memory(tenant, corrected).model_dump(mode="json")
        return render.answer(shown, render.memory(shown))

    @server.tool(annotations=DELETES)
    @_reasoned
    async def correct_fact(
        fact_id: Annotated[str, Field(min_length=1, max_length=200, description="the fact's id (from `facts`)")],
        value: Annotated[
            FactValue | None, Field(description="what it should say; none: it was never so, take it back")
        ] = None,
        user_id: UserId = None,
    ) -> CallToolResult:
        """The user says a fact is wrong ("I live in Bremen, not Berlin"; "I never had a dog"): it is taken
        back, kept in its history as never so, and `value`, when given, becomes current in its place."""
        tenant = caller(Scope.WRITE)
        owner = user_of(tenant, user_id)
        shown = (await served(lambda c: c.facts.correct(owner, fact_id, value))).model_dump(mode="json")
        return render.answer(shown, render.history(shown))

    return server
