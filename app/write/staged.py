"""Many messages through the write path in overlapped stages: while chunk n is written to Neo4j, chunk
n+1 is embedded (ONNX Runtime, outside the GIL) and chunk n+2 analysed (spaCy) on the calling thread.
The batch pipeline and `POST /v1/messages/batch` both ingest this way."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from app.nlp.embedding import SentenceEncoder
from app.write.batch import IncomingMessage, IngestOutcome, PreparedBatch
from app.write.ingest import IngestService

#: Chunks written or being embedded while the next is analysed: one per stage after the first.
IN_FLIGHT = 2


def ingest_in_stages(
    service: IngestService, chunks: Iterable[list[IncomingMessage]], encoder: SentenceEncoder | None = None
) -> Iterator[list[IngestOutcome]]:
    """Each chunk's outcomes, in chunk order, once that chunk is durable (one transaction a chunk;
    chunks are written in order, one at a time). If a chunk fails, the chunks after it are not written
    and the error is raised; those before it stay written (ingestion is idempotent on message id, so
    sending everything again stores each message once)."""
    with ThreadPoolExecutor(max_workers=1) as embedding, ThreadPoolExecutor(max_workers=1) as writer:
        pending: deque[Future[list[IngestOutcome]]] = deque()
        previous: Future[list[IngestOutcome]] | None = None
        try:
            for chunk in chunks:
                embedded = embedding.submit(service.embed, service.analyse_batch(chunk), encoder)
                previous = writer.submit(_commit_after, service, embedded, previous)
                pending.append(previous)
                while len(pending) > IN_FLIGHT:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for written in pending:  # an abandoned iteration: write nothing more
                written.cancel()


def _commit_after(
    service: IngestService, embedded: Future[PreparedBatch], previous: Future[list[IngestOutcome]] | None
) -> list[IngestOutcome]:
    """Commit once embedded, and only if the chunk before was written: the writer thread has already
    finished it, so a failure there fails this chunk without a write."""
    if previous is not None:
        previous.result()
    return service.commit(embedded.result())


def ingest_chunked(
    service: IngestService, messages: list[IncomingMessage], chunk: int, encoder: SentenceEncoder | None = None
) -> list[IngestOutcome]:
    """Messages in order, `chunk` a transaction through the stages; the outcomes once all are durable."""
    parts = (messages[first : first + chunk] for first in range(0, len(messages), chunk))
    return [outcome for outcomes in ingest_in_stages(service, parts, encoder) for outcome in outcomes]
