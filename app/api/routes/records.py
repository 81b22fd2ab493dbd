"""Users, companions, stored memories and the exchange's ephemeral context."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import ContainerDep
from app.api.schemas import CompanionIn, UserIn
from app.services.ephemeral import EphemeralItem
from app.services.records import Companion, Memory, User

router = APIRouter(prefix="/v1")


@router.put("/users/{user_id}", response_model=User, tags=["users"])
def put_user(user_id: str, body: UserIn, container: ContainerDep) -> User:
    """Create or update a user."""
    return container.records.upsert_user(user_id, body.display_name, body.metadata)


@router.get("/users/{user_id}", response_model=User, tags=["users"])
def get_user(user_id: str, container: ContainerDep) -> User:
    """Read a user."""
    return container.records.get_user(user_id)


@router.delete("/users/{user_id}", tags=["users"])
def delete_user(user_id: str, container: ContainerDep) -> dict[str, int]:
    """Delete everything of a user: afterwards nothing of theirs is left in the graph or in memory."""
    container.ephemeral.clear(user_id)
    return container.records.delete_user(user_id)


@router.put("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def put_companion(companion_id: str, body: CompanionIn, container: ContainerDep) -> Companion:
    """Create or update a companion and its persona."""
    return container.records.upsert_companion(companion_id, body.name, body.persona)


@router.get("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def get_companion(companion_id: str, container: ContainerDep) -> Companion:
    """Read a companion."""
    return container.records.get_companion(companion_id)


@router.get("/users/{user_id}/memories/{memory_id}", response_model=Memory, tags=["memories"])
def get_memory(user_id: str, memory_id: str, container: ContainerDep) -> Memory:
    """One memory with the entities it mentions and the facts it asserts."""
    return container.records.get_memory(user_id, memory_id)


@router.delete("/users/{user_id}/memories/{memory_id}", status_code=204, tags=["memories"])
def delete_memory(user_id: str, memory_id: str, container: ContainerDep) -> Response:
    """Delete one memory (its timeline closes over the gap)."""
    container.records.delete_memory(user_id, memory_id)
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
    return container.records.conversation(user_id, conversation_id, limit)


@router.get(
    "/users/{user_id}/conversations/{conversation_id}/ephemeral",
    response_model=list[EphemeralItem],
    tags=["ephemeral"],
)
def read_ephemeral(user_id: str, conversation_id: str, container: ContainerDep) -> list[EphemeralItem]:
    """What this exchange keeps only for itself (role-play, hypotheticals, games, reasoning)."""
    return container.ephemeral.read(user_id, conversation_id)


@router.delete("/users/{user_id}/conversations/{conversation_id}/ephemeral", tags=["ephemeral"])
def end_exchange(user_id: str, conversation_id: str, container: ContainerDep) -> dict[str, int]:
    """End the exchange: its ephemeral context is dropped."""
    return {"cleared": container.ephemeral.clear(user_id, conversation_id)}
