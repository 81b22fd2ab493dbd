"""Stored memories: one, a conversation's, and deleting one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import ContainerDep, ReaderDep, WriterDep
from app.api.errors import BEHIND_A_KEY
from app.api.owned import shown_memory
from app.api.strict import StrictRoute
from app.clock import Moment
from app.memories.service import Memory

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
