"""Many messages through the write path in overlapped stages: while chunk n is written to Neo4j, chunk
n+1 is embedded (ONNX Runtime, outside the GIL) and chunk n+2 analysed (spaCy), each stage on its own
thread. One `Stages` per process serves the batch pipeline and every `POST /v1/messages/batch` alike: the
chunks of requests that arrive together flow through the same three threads, so that a client keeping
two requests in flight keeps every stage busy, where one request alone fills the stages at its start
and drains them at its end."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from app.nlp.embedding import SentenceEncoder
from app.write.batch import IncomingMessage, IngestOutcome, PreparedBatch
from app.write.ingest import IngestService

#: Chunks written or being embedded while the next is analysed: one per stage after the first.
IN_FLIGHT = 2


@dataclass(frozen=True)
class Chunk:
    """One chunk on its way through the stages."""

    analysed: Future[PreparedBatch]
    embedded: Future[PreparedBatch]
    written: Future[list[IngestOutcome]]

    def cancel(self) -> None:
        """Drop what has not started (an abandoned stream)."""
        for stage in (self.written, self.embedded, self.analysed):
            stage.cancel()


class Stages:
    """The three stages' threads, shared by everything this process ingests in batches."""

    def __init__(self, service: IngestService) -> None:
        self.service = service
        self._analysis = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-analysis")
        self._embedding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-embedding")
        self._writing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writing")
        # A chunk enters all three queues before the next chunk enters any, so each stage takes chunks
        # in one order.
        self._entering = threading.Lock()

    def close(self) -> None:
        """Finish what was submitted, then stop the threads."""
        for stage in (self._analysis, self._embedding, self._writing):
            stage.shutdown(wait=True)

    def submit(
        self, messages: list[IncomingMessage], encoder: SentenceEncoder | None = None, after: Chunk | None = None
    ) -> Chunk:
        """Queue one chunk (one transaction). Its `written` future holds the outcomes once durable. With
        `after`, the chunk is written only once that chunk was, and not at all if that chunk failed."""
        with self._entering:
            analysed = self._analysis.submit(self.service.analysis.analyse_batch, messages)
            embedded = self._embedding.submit(_embed, self.service, analysed, encoder)
            previous = after.written if after is not None else None
            written = self._writing.submit(_commit_after, self.service, embedded, previous)
        return Chunk(analysed, embedded, written)

    def submit_all(
        self, messages: list[IncomingMessage], chunk: int, encoder: SentenceEncoder | None = None
    ) -> list[Chunk]:
        """Queue messages `chunk` a transaction, each chunk written only after the one before it."""
        chunks: list[Chunk] = []
        for first in range(0, len(messages), chunk):
            chunks.append(self.submit(messages[first : first + chunk], encoder, chunks[-1] if chunks else None))
        return chunks

    def stream(
        self, chunks: Iterable[list[IncomingMessage]], encoder: SentenceEncoder | None = None
    ) -> Generator[list[IngestOutcome]]:
        """Each chunk's outcomes, in chunk order, once that chunk is durable, reading `chunks` only as
        fast as the stages take them. If a chunk fails, the chunks after it are not written and the error
        is raised; those before it stay written (ingestion is idempotent on message id, so sending
        everything again stores each message once)."""
        pending: deque[Chunk] = deque()
        try:
            for messages in chunks:
                pending.append(self.submit(messages, encoder, pending[-1] if pending else None))
                while len(pending) > IN_FLIGHT:
                    yield pending.popleft().written.result()
            while pending:
                yield pending.popleft().written.result()
        finally:
            for chunk in pending:  # an abandoned iteration: write nothing more
                chunk.cancel()


def _embed(service: IngestService, analysed: Future[PreparedBatch], encoder: SentenceEncoder | None) -> PreparedBatch:
    return service.analysis.embed(analysed.result(), encoder)


def _commit_after(
    service: IngestService, embedded: Future[PreparedBatch], previous: Future[list[IngestOutcome]] | None
) -> list[IngestOutcome]:
    """Commit once embedded, and only if the chunk before was written: the writer thread has already
    finished it, so a failure there fails this chunk without a write."""
    if previous is not None:
        previous.result()
    return service.commit(embedded.result())
