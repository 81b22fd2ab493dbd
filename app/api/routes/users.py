"""Users and companions."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AdminDep, ContainerDep, ReaderDep, WriterDep
from app.api.errors import BEHIND_A_KEY, WITH_A_BODY
from app.api.owned import shown_companion, shown_memory, shown_quarantined, shown_user
from app.api.schemas import CompanionIn, PathId, UserIn
from app.api.strict import StrictRoute
from app.users.service import UserExport
from app.users.store import Companion, User

router = APIRouter(prefix="/v1", responses=BEHIND_A_KEY, route_class=StrictRoute)
#: Quarantined messages in an export: far more than a retention period's refusals of one user.
EXPORT_LIMIT = 100_000


@router.put("/users/{user_id}", response_model=User, tags=["users"], responses=WITH_A_BODY)
def put_user(user_id: PathId, body: UserIn, container: ContainerDep, tenant: WriterDep) -> User:
    """Create or update a user."""
    return shown_user(tenant, container.users.upsert_user(tenant.key(user_id), body.display_name, body.metadata))


@router.get("/users/{user_id}", response_model=User, tags=["users"])
def get_user(user_id: str, container: ContainerDep, tenant: ReaderDep) -> User:
    """Read a user."""
    return shown_user(tenant, container.users.get_user(tenant.key(user_id)))


@router.delete("/users/{user_id}", tags=["users"])
def delete_user(user_id: str, container: ContainerDep, tenant: AdminDep) -> dict[str, int]:
    """Delete everything of a user: afterwards nothing of theirs is left in the graph or in memory."""
    owner = tenant.key(user_id)
    container.ephemeral.clear(owner)
    deleted = container.users.delete_user(owner)
    # After the graph: a search meanwhile would otherwise load the user again from what is being deleted.
    container.memory_cache.forget(owner)
    return deleted


@router.get("/users/{user_id}/export", response_model=UserExport, tags=["users"])
def export_user(user_id: str, container: ContainerDep, tenant: AdminDep) -> UserExport:
    """Everything held about a user: memories with their entities and facts, every fact with its history,
    the ephemeral items of exchanges still open, and refused messages in quarantine."""
    owner = tenant.key(user_id)
    held = container.users.export(owner)
    return held.model_copy(
        update={
            "user": shown_user(tenant, held.user),
            "memories": [shown_memory(tenant, m) for m in held.memories],
            "ephemeral": container.ephemeral.of_user(owner),
            "quarantined": [
                shown_quarantined(tenant, q) for q in container.quarantine.list(owner, EXPORT_LIMIT, expired=True)
            ],
        }
    )


@router.put("/companions/{companion_id}", response_model=Companion, tags=["companions"], responses=WITH_A_BODY)
def put_companion(companion_id: PathId, body: CompanionIn, container: ContainerDep, tenant: WriterDep) -> Companion:
    """Create or update a companion and its persona."""
    return shown_companion(tenant, container.users.upsert_companion(tenant.key(companion_id), body.name, body.persona))


@router.get("/companions/{companion_id}", response_model=Companion, tags=["companions"])
def get_companion(companion_id: str, container: ContainerDep, tenant: ReaderDep) -> Companion:
    """Read a companion."""
    return shown_companion(tenant, container.users.get_companion(tenant.key(companion_id)))
