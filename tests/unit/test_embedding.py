"""The packaged embedding models (`models.fetch`), run by ONNX Runtime without torch: unit vectors named
for the model that made them, close to the published model's own, the same whatever the batch or the thread
count."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from app.nlp.embedding import Embedder
from app.settings import Settings
from models.fetch import PACKAGED

TEXTS = [
    "ok",
    "My name is Alice and I live in Seattle.",
    "I promised my sister Anna I'd visit her in Lisbon on the 14th of March, after the conference.",
    "hmm",
    "We adopted a dog called Buster. He hates the vacuum cleaner but loves the beach " * 8,
    "I work as a nurse in Porto and I love hiking with my sister Emma on weekends. " * 20,  # past 256 tokens
]
#: sentence-transformers' float32 vectors of TEXTS by all-MiniLM-L6-v2 (its own forward pass, in torch).
PUBLISHED = Path(__file__).parent / "data" / "all-minilm-l6-v2-float32.npy"


@cache
def _embedder(model: str) -> Embedder:
    return Embedder(Settings(embedding_model=model))


def test_the_default_model_keeps_close_to_the_published_ones_vectors() -> None:
    embedder = _embedder(Settings().embedding_model)
    assert (embedder.name, embedder.backend, embedder.precision) == ("all-minilm-l6-v2+int8", "onnx", "int8")
    cosines = np.sum(embedder.encode(TEXTS) * np.load(PUBLISHED), axis=1)
    # In order, each text truncated where sentence-transformers truncates it (the last one past 256 tokens).
    assert np.min(cosines) > 0.95
    assert np.max(cosines) < 1 - 1e-4  # really the int8 weights, not the float32 ones


@pytest.mark.parametrize("model", sorted(PACKAGED))
def test_a_text_is_read_as_far_as_its_model_reads(model: str) -> None:
    # all-MiniLM-L6-v2 reads 256 tokens (where sentence-transformers truncates it), e5-small-v2 512: words
    # after that change nothing. The last text has about 360 tokens.
    embedder, text = _embedder(model), TEXTS[-1]
    as_is, extended = embedder.encode([text, text + " My cat is called Miso."])
    assert np.allclose(as_is, extended, atol=1e-6) == (PACKAGED[model].max_tokens < 360)


@pytest.mark.parametrize("model", sorted(PACKAGED))
def test_vectors_are_unit_length_and_named_for_their_model(model: str) -> None:
    embedder = _embedder(model)
    vectors = embedder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dimension) == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.name == f"{model}+int8"


@pytest.mark.parametrize("model", sorted(PACKAGED))
def test_a_texts_vector_does_not_depend_on_its_batch(model: str) -> None:
    # int8 dynamic quantisation scales activations per batch: batched, a text's vector would move with
    # the other texts and their padding.
    embedder = _embedder(model)
    alone = np.stack([embedder.encode([text])[0] for text in TEXTS])
    assert np.allclose(embedder.encode(TEXTS), alone, atol=1e-6)
    assert np.allclose(embedder.encode(list(reversed(TEXTS)))[::-1], alone, atol=1e-6)


@pytest.mark.parametrize("threads", [1, 2])
def test_thread_count_does_not_change_vectors(threads: int) -> None:
    embedder = _embedder(Settings().embedding_model)
    with embedder.threads(threads):
        inside = embedder.encode(TEXTS[:3])
    assert np.allclose(inside, embedder.encode(TEXTS[:3]), atol=1e-5)


def test_a_model_nobody_packaged_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="embedding_model must be one of"):
        Settings(embedding_model="sentence-transformers/all-mpnet-base-v2")
