"""Stored memories: one, a page of them, a conversation's, a person's correction of one, and deleting one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ContainerDep, ReaderDep, WriterDep
from app.api.errors import BEHIND_A_KEY, WITH_A_BODY, documented
from app.api.owned import shown_memory
from app.api.schemas import MemoryCorrectionIn
from app.api.strict import StrictRoute
from app.clock import Moment
from app.memories.store import Memory
from app.memory_types import MemoryType, Tier

router = APIRouter(prefix="/v1", responses=BEHIND_A_KEY, route_class=StrictRoute)


@router.get("/users/{user_id}/memories/{memory_id}", response_model=Memory, tags=["memories"])
def get_memory(
    user_id: str,
    memory_id: str,
    container: ContainerDep,
    tenant: ReaderDep,
    as_of: Annotated[Moment | None, Query(description="the moment of the decay score (default now)")] = None,
) -> Memory:
    """One memory with the entities it mentions, the facts it asserts, and its decay score."""
    return shown_memory(tenant, container.memories.get(tenant.key(user_id), memory_id, as_of))


@router.get("/users/{user_id}/memories", response_model=list[Memory], tags=["memories"])
def list_memories(
    user_id: str,
    container: ContainerDep,
    tenant: ReaderDep,
    memory_type: Annotated[list[MemoryType] | None, Query(description="only these kinds")] = None,
    tier: Annotated[list[Tier] | None, Query(description="only these tiers")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[Memory]:
    """The user's memories, newest first, a page at a time (`offset`, `limit`)."""
    listed = container.memories.page(tenant.key(user_id), memory_type, tier, offset, limit)
    return [shown_memory(tenant, m) for m in listed]


@router.patch(
    "/users/{user_id}/memories/{memory_id}",
    response_model=Memory,
    tags=["memories"],
    responses={**WITH_A_BODY, **documented(409)},
)
async def correct_memory(
    user_id: str, memory_id: str, body: MemoryCorrectionIn, container: ContainerDep, tenant: WriterDep
) -> Memory:
    """A person corrects what a memory says: the new text is analysed as the message would have been (the
    guard, entities, facts, embedding) and takes the old one's place, which the memory keeps under
    `revisions`; facts only the old text stated are retracted. 422 with the reason when the new text would
    not be kept as a memory; 409 when the memory was forgotten."""
    corrected = await run_in_threadpool(container.revisions.revise, tenant.key(user_id), memory_id, body.content)
    return shown_memory(tenant, corrected)


@router.delete("/users/{user_id}/memories/{memory_id}", status_code=204, tags=["memories"])
def delete_memory(user_id: str, memory_id: str, container: ContainerDep, tenant: WriterDep) -> Response:
    """Delete one memory (its timeline closes over the gap)."""
    container.memories.delete_memory(tenant.key(user_id), memory_id)
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/conversations/{conversation_id}/memories",
    response_model=list[Memory],
    tags=["memories"],
)
def conversation_memories(
    user_id: str,
    conversation_id: str,
    container: ContainerDep,
    tenant: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[Memory]:
    """A conversation's memories in timeline order."""
    return [
        shown_memory(tenant, m) for m in container.memories.conversation(tenant.key(user_id), conversation_id, limit)
    ]
