"""e5-small-v2 reads a query and a passage differently; every model's cosine is read on the likeness
scale."""

from __future__ import annotations

from functools import cache

import pytest

from app.nlp.embedding import Embedder, likeness
from app.settings import Settings

TEXTS = ["ok", "My dog Buster hurt his paw at the beach."]


@cache
def _e5() -> Embedder:
    return Embedder(Settings(embedding_model="e5-small-v2"))


def test_a_query_and_a_passage_are_read_differently() -> None:
    e5 = _e5()
    assert not e5.symmetric
    query, passage = e5.encode_queries(TEXTS[1:2])[0], e5.encode(TEXTS[1:2])[0]
    assert 0.8 < float(query @ passage) < 0.999
    assert e5.encode_one(TEXTS[1]) == pytest.approx(query.tolist(), abs=1e-6)


def test_what_matches_is_more_alike_than_what_does_not() -> None:
    e5 = _e5()
    floor = Settings(embedding_model="e5-small-v2").cosine_floor
    query = e5.encode_queries(["how is my dog doing?"])[0]
    related, unrelated = e5.encode([TEXTS[1], "The quarterly tax report is due in April."]) @ query
    assert likeness(float(related), floor) > likeness(float(unrelated), floor) + 0.2


def test_likeness_runs_from_the_models_floor_to_one() -> None:
    assert likeness(0.73, 0.73) == 0.0
    assert likeness(0.5, 0.73) == 0.0
    assert likeness(1.0, 0.73) == pytest.approx(1.0)
    assert likeness(0.865, 0.73) == pytest.approx(0.5)
    assert likeness(0.4, 0.0) == 0.4  # a model whose unrelated texts sit at 0 reads its cosine as is
    assert Settings(embedding_model="all-minilm-l6-v2").cosine_floor == 0.0
    assert Settings(embedding_model="e5-small-v2", embedding_cosine_floor=0.6).cosine_floor == 0.6
