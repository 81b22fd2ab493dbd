"""Users and companions."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AdminDep, ContainerDep, ReaderDep, WriterDep
from app.api.schemas import CompanionIn, UserIn
from app.tenancy import Tenant
from app.users.service import Companion, User

router = APIRouter(prefix="/v1")


def _user(tenant: Tenant, user: User) -> User:
    return user.model_copy(update={"id": tenant.shown(user.id)})


def _companion(tenant: Tenant, companion: Companion) -> Companion:
    return companion.model_copy(update={"id": tenant.shown(companion.id)})


@router.put("/users/{user_id}", response_model=User, tags=["users"])
def put_user(user_id: str, body: UserIn, container: ContainerDep, tenant: WriterDep) -> User:
    """Create or update a user."""
    return _user(tenant, container.users.upsert_user(tenant.key(user_id), body.display_name, body.metadata))


@router.get("/users/{user_id}", response_model=User, tags=["users"])
def get_user(user_id: str, container: ContainerDep, tenant: ReaderDep) -> User:
    """Read a user."""
    return _user(tenant, container.users.get_user(tenant.key(user_id)))


@router.delete("/users/{user_id}", tags=["users"])
def delete_user(user_id: str, container: ContainerDep, tenant: AdminDep) -> dict[str, int]:
    """Delete everything of a user: afterwards nothing of theirs is left in the graph or in memory."""
    container.ephemeral.clear(tenant.key(user_id))
    return container.users.delete_user(tenant.key(user_id))


@router.put("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def put_companion(companion_id: str, body: CompanionIn, container: ContainerDep, tenant: WriterDep) -> Companion:
    """Create or update a companion and its persona."""
    return _companion(tenant, container.users.upsert_companion(tenant.key(companion_id), body.name, body.persona))


@router.get("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def get_companion(companion_id: str, container: ContainerDep, tenant: ReaderDep) -> Companion:
    """Read a companion."""
    return _companion(tenant, container.users.get_companion(tenant.key(companion_id)))
