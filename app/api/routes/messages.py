"""Ingestion of messages: one, or a back-fill batch."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ContainerDep, WriterDep
from app.api.schemas import MessageBatchIn, MessageIn
from app.write.ingest import IngestOutcome

router = APIRouter(prefix="/v1", tags=["messages"])


@router.post("/messages", response_model=IngestOutcome)
async def ingest_message(body: MessageIn, container: ContainerDep, tenant: WriterDep) -> IngestOutcome:
    """Ingest one message. 200 means durable (or deliberately not stored, with the reason);
    503 means Neo4j is unreachable and nothing was stored: send it again, it is idempotent."""
    outcomes = await run_in_threadpool(container.ingest.ingest, [body.to_domain(tenant)])
    return outcomes[0]


@router.post("/messages/batch", response_model=list[IngestOutcome])
async def ingest_batch(body: MessageBatchIn, container: ContainerDep, tenant: WriterDep) -> list[IngestOutcome]:
    """Ingest a batch in order, in one transaction: all stored or none."""
    return await run_in_threadpool(container.ingest.ingest, [m.to_domain(tenant) for m in body.messages])
