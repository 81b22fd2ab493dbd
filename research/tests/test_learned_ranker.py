"""The learned-ranker study's pieces: its features of a question's candidates, and that a ranker trained on
where the evidence lies ranks by it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import numpy as np

from app.retrieval.options import SearchHit
from measure.cases import Case
from research.learned_ranker import PARTS, Question, featurise, fit_pairwise, fit_pointwise


def _hit(message_id: str, score: float, **parts: float) -> SearchHit:
    return SearchHit(
        memory_id=message_id,
        message_id=message_id,
        content="",
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        memory_type="observation",
        significance=0.0,
        conversation_id=message_id.rpartition(":")[0],
        score=score,
        parts=dict.fromkeys(PARTS, 0.0) | parts,
    )


def test_a_part_the_same_for_every_candidate_ranks_them_all_first() -> None:
    hits = [_hit("s:0", 0.9, semantic=0.8), _hit("s:1", 0.5, semantic=0.2), _hit("t:1", 0.4, semantic=0.5)]
    rich = featurise(hits)["parts+"]
    semantic_rank, time_rank = len(PARTS) + PARTS.index("semantic"), len(PARTS) + PARTS.index("time")
    assert np.allclose(rich[:, semantic_rank], [1.0, 1 / 3, 1 / 2])
    # Time is 0 for all three: the feature must not carry the service's order into the ranker.
    assert np.allclose(rich[:, time_rank], [1.0, 1.0, 1.0])


def test_a_candidate_s_neighbours_are_the_turns_next_to_it_in_its_conversation() -> None:
    hits = [_hit("s:0", 0.9, semantic=0.8), _hit("s:1", 0.5, semantic=0.2), _hit("t:1", 0.4, semantic=0.5)]
    rich = featurise(hits)["parts+"]
    best_neighbour_semantic = 2 * len(PARTS) + 2
    assert np.allclose(rich[:, best_neighbour_semantic], [0.2, 0.8, 0.0])


def _questions(collection: str, count: int, seed: int) -> list[Question]:
    """Questions whose one evidence candidate has the highest keyword part, whatever the shipped order."""
    rng = np.random.default_rng(seed)
    questions = []
    for q in range(count):
        keyword = rng.random(20)
        evidence = int(np.argmax(keyword))
        hits = [_hit(f"c{q}:{i}", float(rng.random()), keyword=float(keyword[i])) for i in range(20)]
        case = cast(Case, type("C", (), {"collection": collection, "user_id": collection})())
        questions.append(Question(case, [h.message_id for h in hits], np.arange(20) == evidence, featurise(hits)))
    return questions


def test_both_learners_learn_which_part_finds_the_evidence() -> None:
    train = _questions("longmemeval", 30, seed=1) + _questions("locomo", 30, seed=2)
    test = _questions("locomo", 20, seed=3)
    for fit in (fit_pointwise, fit_pairwise):
        model = fit(train, "parts", 1.0)
        top = [int(np.argmax(model(q.features["parts"]))) for q in test]
        assert all(q.evidence[t] for q, t in zip(test, top, strict=True)), fit.__name__
