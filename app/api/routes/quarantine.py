"""Quarantine: what the guard refused, for a key with the admin scope to review, release or discard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from app.api.deps import AdminDep, ContainerDep
from app.api.errors import BEHIND_A_KEY
from app.api.owned import shown_quarantined
from app.api.strict import StrictRoute
from app.quarantine.held import QuarantinedMessage
from app.write.batch import IngestOutcome

router = APIRouter(prefix="/v1", tags=["quarantine"], responses=BEHIND_A_KEY, route_class=StrictRoute)


@router.get("/users/{user_id}/quarantine", response_model=list[QuarantinedMessage])
def list_quarantine(
    user_id: str,
    container: ContainerDep,
    tenant: AdminDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[QuarantinedMessage]:
    """The user's refused messages still kept, newest first, each with the guard's reason and score."""
    return [shown_quarantined(tenant, q) for q in container.quarantine.list(tenant.key(user_id), limit)]


@router.post("/users/{user_id}/quarantine/{quarantine_id}/release", response_model=IngestOutcome)
async def release_quarantined(
    user_id: str, quarantine_id: str, container: ContainerDep, tenant: AdminDep
) -> IngestOutcome:
    """The guard erred: ingest the message as a memory, as `POST /v1/messages` would have stored it."""
    return await run_in_threadpool(container.quarantine.release, tenant.key(user_id), quarantine_id)


@router.delete("/users/{user_id}/quarantine/{quarantine_id}", status_code=204)
def discard_quarantined(user_id: str, quarantine_id: str, container: ContainerDep, tenant: AdminDep) -> None:
    """Drop a quarantined message now instead of at the end of its retention."""
    container.quarantine.discard(tenant.key(user_id), quarantine_id)
