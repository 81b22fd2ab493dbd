"""The batch jobs' embedding child process: the parent's vectors, and the parent's own model whenever the
child cannot serve (loading, another model, dead)."""

from __future__ import annotations

import os
import signal
import time

import numpy as np

from app.nlp.embedding import Embedder, MessageVectors
from app.nlp.embedding_process import EmbeddingProcess
from app.settings import get_settings
from models.fetch import PACKAGED

MESSAGES = [
    ["My name is Alice and I live in Seattle."],
    ["I come from a family with 3 sisters.", "My professional network is mostly men, though."],
    ["ok"],
]


def _wait_until_loaded(process: EmbeddingProcess, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while process.pid is None and not process.serving and time.monotonic() < deadline:
        time.sleep(0.2)


def _same_vectors(a: list[MessageVectors], b: list[MessageVectors]) -> bool:
    def flat(vectors: list[MessageVectors]) -> list[float]:
        return [x for mean, sentences in vectors for x in [*mean, *sentences.reshape(-1)]]

    return [s.shape for _, s in a] == [s.shape for _, s in b] and np.allclose(flat(a), flat(b), atol=1e-5)


def test_the_child_gives_the_parents_vectors_and_the_parent_takes_over_when_it_dies() -> None:
    settings = get_settings()
    local = Embedder(settings)
    expected = local.encode_sentences(MESSAGES)
    with EmbeddingProcess(settings, local, threads=1) as process:
        assert _same_vectors(process.encode_sentences(MESSAGES), expected)  # before it loads: the parent's
        _wait_until_loaded(process)
        assert process.serving
        assert process.pid not in (None, os.getpid())
        assert _same_vectors(process.encode_sentences(MESSAGES), expected)
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        assert _same_vectors(process.encode_sentences(MESSAGES), expected)
        assert not process.serving


def test_a_child_running_another_model_is_not_used() -> None:
    settings = get_settings()
    local = Embedder(settings)
    another = next(name for name in PACKAGED if name != settings.embedding_model)
    other = settings.model_copy(update={"embedding_model": another})
    with EmbeddingProcess(other, local, threads=1) as process:
        _wait_until_loaded(process)
        assert process.pid is not None
        assert not process.serving
        assert _same_vectors(process.encode_sentences(MESSAGES), local.encode_sentences(MESSAGES))
