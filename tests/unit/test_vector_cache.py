"""The in-process vector store: exact top-k, the filters it applies, conversations, re-embedding."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from app.services.vector_cache import Eligibility, UserVectors, VectorState

DAY = 86_400_000
START = datetime(2025, 1, 1, tzinfo=UTC)
STATE = VectorState(version=1, deletions=0, generation="g", memory_count=0)


def _unit(*values: float) -> list[float]:
    vector = np.array(values, dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def _row(
    memory_id: str, vector: list[float], day: int = 0, significance: float = 0.5, conversation: str = "c1"
) -> dict[str, Any]:
    return {
        "id": memory_id,
        "conversation_id": conversation,
        "occurred_at_ms": int(START.timestamp() * 1000) + day * DAY,
        "significance": significance,
        "embedding": vector,
    }


def _search(vectors: UserVectors, query: Any, n: int, eligible: Eligibility) -> list[tuple[str, float]]:
    return vectors.best(vectors.score(query, eligible), n)


def _everything() -> Eligibility:
    return Eligibility(as_of=datetime(2030, 1, 1, tzinfo=UTC), since=None, min_significance=0.0)


def test_search_is_exact_and_ordered() -> None:
    vectors = UserVectors(3, STATE)
    vectors.upsert([_row("x", _unit(1, 0, 0)), _row("y", _unit(0, 1, 0)), _row("xy", _unit(1, 1, 0))])
    hits = _search(vectors, np.array(_unit(1, 0.2, 0), dtype=np.float32), 2, _everything())
    assert [memory_id for memory_id, _ in hits] == ["x", "xy"]
    assert hits[0][1] > hits[1][1]
    assert len(_search(vectors, np.array(_unit(1, 0, 0), dtype=np.float32), 10, _everything())) == 3


def test_many_appends_grow_the_arrays_without_losing_rows() -> None:
    vectors = UserVectors(2, STATE)
    for i in range(300):
        vectors.upsert([_row(f"m{i}", _unit(1, i / 300))])
    assert vectors.size == 300
    assert _search(vectors, np.array(_unit(1, 1), dtype=np.float32), 1, _everything())[0][0] == "m299"


def test_filters_on_time_and_significance() -> None:
    vectors = UserVectors(2, STATE)
    vectors.upsert(
        [
            _row("old", _unit(1, 0), day=0),
            _row("faint", _unit(1, 0.01), day=5, significance=0.1),
            _row("later", _unit(1, 0.02), day=20),
            _row("kept", _unit(1, 0.03), day=5),
        ]
    )
    query = np.array(_unit(1, 0), dtype=np.float32)
    eligible = Eligibility(
        as_of=datetime(2025, 1, 10, tzinfo=UTC), since=datetime(2025, 1, 2, tzinfo=UTC), min_significance=0.3
    )
    assert [memory_id for memory_id, _ in _search(vectors, query, 10, eligible)] == ["kept"]


def test_upsert_replaces_a_re_embedded_vector() -> None:
    vectors = UserVectors(2, STATE)
    vectors.upsert([_row("a", _unit(1, 0)), _row("b", _unit(0, 1))])
    vectors.upsert([_row("a", _unit(0, 1))])
    assert vectors.size == 2
    hits = _search(vectors, np.array(_unit(1, 0), dtype=np.float32), 2, _everything())
    assert all(score < 0.01 for _, score in hits)


def test_conversations_rank_by_their_whole_and_pick_their_best_memories() -> None:
    vectors = UserVectors(2, STATE)
    vectors.upsert(
        [
            _row("a1", _unit(1, 0), conversation="a"),
            _row("a2", _unit(1, 0.1), conversation="a"),
            _row("b1", _unit(0, 1), conversation="b"),
            _row("c1", _unit(0.2, 1), conversation="c"),
        ]
    )
    query = np.array(_unit(1, 0), dtype=np.float32)
    ranked = vectors.conversations(query, vectors.score(query, _everything()), 1, 1, also=["b"])
    assert [(conversation, [m for m, _ in picks]) for conversation, _, picks in ranked] == [
        ("a", ["a1"]),
        ("b", ["b1"]),
    ]
    assert ranked[0][1] > ranked[1][1]


def test_a_memory_scores_as_its_best_sentence() -> None:
    vectors = UserVectors(3, STATE)
    mixed = _unit(1, 1, 0)
    sentences = [*_unit(1, 0, 0), *_unit(0, 1, 0)]
    vectors.upsert([_row("mixed", mixed) | {"sentence_embeddings": sentences}, _row("plain", _unit(1, 0.6, 0))])
    hits = _search(vectors, np.array(_unit(0, 1, 0), dtype=np.float32), 2, _everything())
    assert hits[0][0] == "mixed"
    assert hits[0][1] == pytest.approx(1.0)
    # Re-embedded without sentences: the old sentence rows no longer count.
    vectors.upsert([_row("mixed", _unit(1, 0, 0))])
    assert _search(vectors, np.array(_unit(0, 1, 0), dtype=np.float32), 1, _everything())[0][0] == "plain"
