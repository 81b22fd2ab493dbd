"""The offline variants' pieces: runs of sentences within a word budget, and a turn's score from its pieces."""

from __future__ import annotations

from typing import cast

import numpy as np
from rank_bm25 import BM25Okapi

from measure.cases import Case
from research.variants import Corpus, Store, runs, scaled, with_whole_turn


def test_sentences_join_while_a_piece_stays_within_its_words() -> None:
    sentences = ["one two three", "four five", "six seven eight nine", "ten"]
    assert runs(sentences, 5) == ["one two three four five", "six seven eight nine ten"]
    assert runs(sentences, 0) == sentences
    assert runs(sentences, 1000) == [" ".join(sentences)]
    assert runs(["a sentence longer than the budget", "b"], 2) == ["a sentence longer than the budget", "b"]


def test_a_turn_scores_its_whole_vector_and_best_piece_by_share() -> None:
    pieces = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    owners = np.array([0, 0, 1], dtype=np.intp)
    sums = np.array([[1.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    corpus = Corpus(pieces, owners, sums / np.linalg.norm(sums, axis=1, keepdims=True))
    query = np.array([1.0, 0.0], dtype=np.float32)
    best = corpus.semantic(query, 0.0)
    whole = corpus.semantic(query, 1.0)
    assert np.allclose(best, [1.0, 0.6])
    assert np.allclose(whole, [1 / np.sqrt(2), 0.6])
    assert np.allclose(corpus.semantic(query, 0.5), (best + whole) / 2)


def test_the_whole_turn_blend_weighs_the_turn_s_own_vector_its_mean_and_its_best_sentence() -> None:
    pieces = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    mean = np.array([[1.0, 1.0]], dtype=np.float32) / np.sqrt(2)
    sentences = Corpus(pieces, np.array([0, 0], dtype=np.intp), mean)
    own = np.array([[0.8, 0.6]], dtype=np.float32)
    turn = Corpus(own, np.array([0], dtype=np.intp), own)
    store = Store(
        ["t"], ["a. b."], BM25Okapi([["a", "b"]]), {0: sentences, 10_000: turn}, np.array([False]), np.array([False])
    )
    query = np.array([1.0, 0.0], dtype=np.float32)
    case = cast(Case, None)  # the blend reads nothing of the question but its vector
    assert np.allclose(with_whole_turn(1.0, 0.0, 0.0)(store, case, query), [0.8])
    assert np.allclose(with_whole_turn(0.0, 1.0, 0.0)(store, case, query), [1 / np.sqrt(2)])
    assert np.allclose(with_whole_turn(0.0, 0.0, 1.0)(store, case, query), [1.0])
    assert np.allclose(with_whole_turn(0.5, 0.2, 0.3)(store, case, query), [0.5 * 0.8 + 0.2 / np.sqrt(2) + 0.3])


def test_a_query_s_semantic_scores_scale_from_its_worst_turn_to_its_best() -> None:
    assert np.allclose(scaled(np.array([0.72, 0.81, 0.90], dtype=np.float32)), [0.0, 0.5, 1.0])
    assert np.allclose(scaled(np.array([0.8, 0.8], dtype=np.float32)), [0.0, 0.0])
