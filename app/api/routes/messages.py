"""Ingestion of messages: one, or a back-fill batch."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ContainerDep, WriterDep
from app.api.errors import WITH_A_BODY
from app.api.schemas import MessageBatchIn, MessageIn
from app.api.strict import StrictRoute
from app.write.ingest import IngestOutcome

router = APIRouter(prefix="/v1", tags=["messages"], responses=WITH_A_BODY, route_class=StrictRoute)


@router.post("/messages", response_model=IngestOutcome)
async def ingest_message(body: MessageIn, container: ContainerDep, tenant: WriterDep) -> IngestOutcome:
    """Ingest one message. 200 means durable (or deliberately not stored, with the reason);
    503 means Neo4j is unreachable and nothing was stored: send it again, it is idempotent."""
    outcomes = await run_in_threadpool(container.ingest.ingest, [body.to_domain(tenant)])
    return outcomes[0]


@router.post("/messages/batch", response_model=list[IngestOutcome])
async def ingest_batch(body: MessageBatchIn, container: ContainerDep, tenant: WriterDep) -> list[IngestOutcome]:
    """Ingest a batch in order, as the batch pipeline does (overlapped stages, the embedding in a child
    process once it has loaded), `BATCH_CHUNK_MESSAGES` a transaction. 200 means every message is durable;
    after an error some may be: send the batch again, each message is stored once. Batches sent together
    share the stages: two requests in flight keep them busy."""
    messages = [m.to_domain(tenant) for m in body.messages]
    chunk, encoder = container.settings.batch_chunk_messages, container.embedding_process()
    outcomes: list[IngestOutcome] = []
    for queued in container.stages.submit_all(messages, chunk, encoder):
        written: list[IngestOutcome] = await asyncio.wrap_future(queued.written)
        outcomes.extend(written)
    return outcomes
