"""The embedding model: ONNX Runtime and torch give the same vectors; the export is cached and reused."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from app.nlp.models import Embedder
from app.nlp.onnx_encoder import FILE
from app.settings import Settings

TEXTS = [
    "ok",
    "My name is Alice and I live in Seattle.",
    "I promised my sister Anna I'd visit her in Lisbon on the 14th of March, after the conference.",
    "hmm",
    "We adopted a dog called Buster. He hates the vacuum cleaner but loves the beach " * 8,
]


@cache
def _embedder(backend: str) -> Embedder:
    return Embedder(Settings(embedding_backend=backend))


def test_onnx_backend_is_used_and_agrees_with_torch() -> None:
    onnx, torch = _embedder("onnx"), _embedder("torch")
    assert (onnx.backend, torch.backend) == ("onnx", "torch")
    mine, theirs = onnx.encode(TEXTS), torch.encode(TEXTS)
    assert mine.shape == theirs.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    # Row order survives the length-sorted batches; a long text is truncated like sentence-transformers does.
    assert np.min(np.sum(mine * theirs, axis=1)) > 1 - 1e-5


@pytest.mark.parametrize("threads", [1, 2])
def test_thread_count_does_not_change_vectors(threads: int) -> None:
    embedder = _embedder("onnx")
    with embedder.threads(threads):
        inside = embedder.encode(TEXTS[:3])
    assert np.allclose(inside, embedder.encode(TEXTS[:3]), atol=1e-5)


def test_export_is_written_once_then_reused(tmp_path: Path) -> None:
    first = Embedder(Settings(model_cache_dir=tmp_path))
    exported = list(tmp_path.glob(f"*/{FILE}"))
    assert first.backend == "onnx"
    assert len(exported) == 1
    stamp = exported[0].stat().st_mtime_ns
    second = Embedder(Settings(model_cache_dir=tmp_path))
    assert second.backend == "onnx"
    assert [p.stat().st_mtime_ns for p in tmp_path.glob(f"*/{FILE}")] == [stamp]
    assert not list(tmp_path.glob(".export-*"))  # no scratch folder left behind


def test_a_failed_export_falls_back_to_torch(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    embedder = Embedder(Settings(model_cache_dir=blocked))
    assert embedder.backend == "torch"
    assert np.min(np.sum(embedder.encode(TEXTS[:2]) * _embedder("torch").encode(TEXTS[:2]), axis=1)) > 1 - 1e-6
