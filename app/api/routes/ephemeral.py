"""The exchange's ephemeral context: read it, or end the exchange."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ContainerDep, ReaderDep, WriterDep
from app.api.errors import BEHIND_A_KEY
from app.api.strict import StrictRoute
from app.write.ephemeral import EphemeralItem

router = APIRouter(prefix="/v1", responses=BEHIND_A_KEY, route_class=StrictRoute)


@router.get(
    "/users/{user_id}/conversations/{conversation_id}/ephemeral",
    response_model=list[EphemeralItem],
    tags=["ephemeral"],
)
def read_ephemeral(
    user_id: str, conversation_id: str, container: ContainerDep, tenant: ReaderDep
) -> list[EphemeralItem]:
    """What this exchange keeps only for itself (role-play, hypotheticals, games, reasoning)."""
    return container.ephemeral.read(tenant.key(user_id), conversation_id)


@router.delete("/users/{user_id}/conversations/{conversation_id}/ephemeral", tags=["ephemeral"])
def end_exchange(user_id: str, conversation_id: str, container: ContainerDep, tenant: WriterDep) -> dict[str, int]:
    """End the exchange: its ephemeral context is dropped."""
    return {"cleared": container.ephemeral.clear(tenant.key(user_id), conversation_id)}
