"""Users and companions."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ContainerDep
from app.api.schemas import CompanionIn, UserIn
from app.users.service import Companion, User

router = APIRouter(prefix="/v1")


@router.put("/users/{user_id}", response_model=User, tags=["users"])
def put_user(user_id: str, body: UserIn, container: ContainerDep) -> User:
    """Create or update a user."""
    return container.users.upsert_user(user_id, body.display_name, body.metadata)


@router.get("/users/{user_id}", response_model=User, tags=["users"])
def get_user(user_id: str, container: ContainerDep) -> User:
    """Read a user."""
    return container.users.get_user(user_id)


@router.delete("/users/{user_id}", tags=["users"])
def delete_user(user_id: str, container: ContainerDep) -> dict[str, int]:
    """Delete everything of a user: afterwards nothing of theirs is left in the graph or in memory."""
    container.ephemeral.clear(user_id)
    return container.users.delete_user(user_id)


@router.put("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def put_companion(companion_id: str, body: CompanionIn, container: ContainerDep) -> Companion:
    """Create or update a companion and its persona."""
    return container.users.upsert_companion(companion_id, body.name, body.persona)


@router.get("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def get_companion(companion_id: str, container: ContainerDep) -> Companion:
    """Read a companion."""
    return container.users.get_companion(companion_id)
