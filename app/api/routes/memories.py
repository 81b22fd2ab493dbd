"""Stored memories: one, a conversation's, and deleting one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import ContainerDep
from app.memories.service import Memory

router = APIRouter(prefix="/v1")


@router.get("/users/{user_id}/memories/{memory_id}", response_model=Memory, tags=["memories"])
def get_memory(user_id: str, memory_id: str, container: ContainerDep) -> Memory:
    """One memory with the entities it mentions and the facts it asserts."""
    return container.memories.get(user_id, memory_id)


@router.delete("/users/{user_id}/memories/{memory_id}", status_code=204, tags=["memories"])
def delete_memory(user_id: str, memory_id: str, container: ContainerDep) -> Response:
    """Delete one memory (its timeline closes over the gap)."""
    container.memories.delete_memory(user_id, memory_id)
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
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[Memory]:
    """A conversation's memories in timeline order."""
    return container.memories.conversation(user_id, conversation_id, limit)
