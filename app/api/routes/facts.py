"""Facts: what the service believes now, how it changed, answers to its clarification questions, and a
person's corrections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ContainerDep, ReaderDep, WriterDep
from app.api.errors import BEHIND_A_KEY, WITH_A_BODY, documented
from app.api.schemas import FactCorrectionIn
from app.api.strict import StrictRoute
from app.facts.planning import FactStatus
from app.facts.service import FactHistory
from app.facts.store import FactView, TimelineEntry

router = APIRouter(prefix="/v1/users/{user_id}", tags=["facts"], responses=BEHIND_A_KEY, route_class=StrictRoute)
PENDING = documented(409)


@router.get("/facts", response_model=list[FactView])
def current_facts(
    user_id: str,
    container: ContainerDep,
    tenant: ReaderDep,
    status: Annotated[
        list[FactStatus] | None, Query(description="these statuses instead (`pending`: awaiting a clarification)")
    ] = None,
) -> list[FactView]:
    """The user's current facts (identity, preferences, people and pets around them)."""
    return container.facts.current(tenant.key(user_id), status or ("current",))


@router.get("/facts/history", response_model=FactHistory)
def fact_history(
    user_id: str,
    container: ContainerDep,
    tenant: ReaderDep,
    predicate: Annotated[str, Query(min_length=1, max_length=100)],
    subject: Annotated[str, Query(max_length=200)] = "self",
) -> FactHistory:
    """Every value a predicate had ("lived in Seattle until 2025-03-01, then Tokyo")."""
    return container.facts.history(tenant.key(user_id), predicate, subject)


@router.get("/timeline", response_model=list[TimelineEntry])
def timeline(
    user_id: str,
    container: ContainerDep,
    tenant: ReaderDep,
    entity: Annotated[str, Query(min_length=1, max_length=200)] = "self",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[TimelineEntry]:
    """The memories and facts about an entity (the user by default), in time order."""
    return container.facts.timeline(tenant.key(user_id), entity, limit)


@router.post("/facts/{fact_id}/confirm", response_model=list[FactView], responses=PENDING)
def confirm(user_id: str, fact_id: str, container: ContainerDep, tenant: WriterDep) -> list[FactView]:
    """The user confirmed a pending fact: it supersedes the current one. Returns the current facts."""
    return container.facts.resolve(tenant.key(user_id), fact_id, confirm=True)


@router.post("/facts/{fact_id}/reject", response_model=list[FactView], responses=PENDING)
def reject(user_id: str, fact_id: str, container: ContainerDep, tenant: WriterDep) -> list[FactView]:
    """The user rejected a pending fact: it is discarded, the current one stays. Returns the current facts."""
    return container.facts.resolve(tenant.key(user_id), fact_id, confirm=False)


@router.patch("/facts/{fact_id}", response_model=FactHistory, responses={**PENDING, **WITH_A_BODY})
def correct_fact(
    user_id: str, fact_id: str, body: FactCorrectionIn, container: ContainerDep, tenant: WriterDep
) -> FactHistory:
    """The user says a current fact is wrong and what it should say ("I live in Bremen, not Berlin"): it is
    retracted, kept in its history as never so, and the new value is current in its place. Returns the
    history of the fact's predicate."""
    return container.facts.correct(tenant.key(user_id), fact_id, body.value)


@router.delete("/facts/{fact_id}", response_model=FactHistory, responses=PENDING)
def retract_fact(user_id: str, fact_id: str, container: ContainerDep, tenant: WriterDep) -> FactHistory:
    """The user says a fact was never so ("I never lived in Berlin"): it is retracted, kept in its history
    as never so, and no longer stated. Returns the history of the fact's predicate."""
    return container.facts.correct(tenant.key(user_id), fact_id, None)
