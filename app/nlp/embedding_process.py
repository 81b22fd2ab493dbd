"""The embedding model in a child process, for batch jobs.

In a batch run spaCy (Python, holding the GIL) and the embedding model (ONNX Runtime) work side by side.
ONNX Runtime releases the GIL while it computes but needs it back to return each result, so in a thread
of the same process it waits on spaCy; in its own process it never does. The child loads its own copy of
the model (about 150 MB, a few seconds); until it is ready, and whenever it cannot serve (it failed to
start, died, or its model is not the parent's), the caller's in-process embedder does the work, so a
batch never waits on the child's start and never fails because of it.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.nlp.embedding import Embedder, MessageVectors
from app.settings import Settings

log = logging.getLogger(__name__)

_embedder: Embedder | None = None  # the child's own model


def _load(settings: Settings, threads: int | None) -> None:
    global _embedder
    _die_with_parent()
    _embedder = Embedder(settings.model_copy(update={"inference_threads": threads}))


def _die_with_parent() -> None:
    """End this child as soon as its parent is gone, however it went (SIGKILL included). The executor's
    worker would otherwise wait for work forever: it holds its own queue's writing end, so it never reads
    the end of it. multiprocessing gives a spawned child its parent's sentinel, a pipe that closes with the
    parent; a thread waits on it."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _identity() -> tuple[str, int]:
    assert _embedder is not None
    return _embedder.name, os.getpid()


def _encode_sentences(messages: Sequence[Sequence[str]]) -> list[MessageVectors]:
    assert _embedder is not None
    return _embedder.encode_sentences(messages)


class EmbeddingProcess:
    """A child process holding the embedding model; `encode_sentences` falls back to `local` until it is
    ready and when it breaks. Started by the constructor; `close()` ends it."""

    def __init__(self, settings: Settings, local: Embedder, threads: int | None) -> None:
        self.local = local
        # spawn, not fork: the parent runs threads (ONNX Runtime's pools, the Neo4j driver) that a fork
        # would copy in whatever state they are in.
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load,
            initargs=(settings, threads),
        )
        self._ready: Future[tuple[str, int]] = self._pool.submit(_identity)
        self._usable: bool | None = None
        self.pid: int | None = None

    @property
    def serving(self) -> bool:
        """Whether the child answers now (loaded, alive, with the parent's model); `pid` is set once it
        has loaded."""
        if self._usable is None and self._ready.done():
            try:
                name, self.pid = self._ready.result()
            except Exception:
                log.exception("embedding child process failed to start; embedding in process")
                self._usable = False
            else:
                self._usable = name == self.local.name
                if not self._usable:
                    log.warning("embedding child runs %s, not %s; embedding in process", name, self.local.name)
        return bool(self._usable)

    def encode_sentences(self, messages: Sequence[Sequence[str]]) -> list[MessageVectors]:
        """`Embedder.encode_sentences`, in the child when it serves, else in this process."""
        if self.serving:
            try:
                return self._pool.submit(_encode_sentences, messages).result()
            except BrokenProcessPool:
                log.exception("embedding child process died; embedding in process from now on")
                self._usable = False
        return self.local.encode_sentences(messages)

    def close(self) -> None:
        """End the child once it has finished what it runs (its loading included); nothing queued runs."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> EmbeddingProcess:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
