"""Search and context: what the model should know before replying."""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from app.api.deps import ContainerDep, ReaderDep
from app.api.errors import WITH_A_BODY
from app.api.owned import shown_companion
from app.api.schemas import ContextCount
from app.api.strict import StrictRoute
from app.clock import Moment
from app.errors import InvalidInputError
from app.retrieval.context import Context
from app.retrieval.options import NOT_A_FLAG, SearchHit, SearchOptions

router = APIRouter(prefix="/v1/users/{user_id}", tags=["retrieval"], responses=WITH_A_BODY, route_class=StrictRoute)


#: What makes a query something to search: a character that is not a space. The schema states it, and the
#: validator applies the same pattern.
SEARCHABLE = r"[^ \t\n\r]"


class SearchIn(SearchOptions):
    """A query (or a precomputed embedding of it) and the search options."""

    # The schema says what the validator below refuses: a searchable query, or an embedding.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["query"], "properties": {"query": {"pattern": SEARCHABLE}}},
                {"required": ["embedding"], "properties": {"embedding": {"type": "array"}}},
            ]
        }
    )

    query: str = Field(default="", max_length=4000)
    #: A vector of the service's model (cosines are taken after normalising it); components far beyond any
    #: model's range are refused rather than overflow the 32-bit floats the search computes in.
    embedding: list[Annotated[float, Field(ge=-1e4, le=1e4, strict=True)]] | None = None

    @model_validator(mode="after")
    def _something_to_search(self) -> SearchIn:
        if re.search(SEARCHABLE, self.query) is None and self.embedding is None:
            raise ValueError("give a query, an embedding, or both")
        return self


class ContextIn(BaseModel):
    """What the user just said (or typed so far), and for which companion."""

    query: str = Field(min_length=1, max_length=4000)
    companion_id: str | None = None
    k: ContextCount = 10
    as_of: Moment | None = None
    token_budget: Annotated[int, Field(ge=50, le=32000), NOT_A_FLAG] | None = None
    #: false for a look that is no recall (a person reviewing what would be said): decay is not told
    record_access: StrictBool = True


def _check_embedding(embedding: list[float] | None, dimension: int) -> None:
    if embedding is not None and len(embedding) != dimension:
        raise InvalidInputError(f"embedding has {len(embedding)} dimensions; this service's model has {dimension}")


@router.post("/search", response_model=list[SearchHit])
async def search(user_id: str, body: SearchIn, container: ContainerDep, tenant: ReaderDep) -> list[SearchHit]:
    """The user's best memories, each with its score broken into parts."""
    _check_embedding(body.embedding, container.embedder.dimension)
    options = SearchOptions(**body.model_dump(exclude={"query", "embedding"}))
    return await run_in_threadpool(container.retrieval.search, tenant.key(user_id), body.query, options, body.embedding)


@router.post("/context", response_model=Context)
async def context(user_id: str, body: ContextIn, container: ContainerDep, tenant: ReaderDep) -> Context:
    """Top memories, the user's identity facts and the companion's persona, as data and as text."""
    built = await run_in_threadpool(
        partial(
            container.context.build,
            tenant.key(user_id),
            body.query,
            companion_id=tenant.key(body.companion_id) if body.companion_id is not None else None,
            k=body.k,
            as_of=body.as_of,
            token_budget=body.token_budget,
            record_access=body.record_access,
        )
    )
    companion = shown_companion(tenant, built.companion) if built.companion else None
    return built.model_copy(update={"user_id": user_id, "companion": companion})
