"""The in-process memory store: exact top-k, the filters it applies, conversations, timelines,
re-embedding."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from app.nlp.packed_vectors import pack
from app.retrieval.cache.preselection import EXACT, Preselection
from app.retrieval.cache.state import CacheState
from app.retrieval.cache.user_memories import UserMemories
from app.retrieval.eligibility import Eligibility

START = datetime(2025, 1, 1, tzinfo=UTC)
STATE = CacheState(version=1, deletions=0, generation="g", memory_count=0)
#: Every row through the sign-bit preselection: the results must be the exact ones.
EVERY_ROW = Preselection(exact_below=0, share=1.0)


def _unit(*values: float) -> list[float]:
    vector = np.array(values, dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def _row(
    memory_id: str,
    vector: list[float],
    day: float = 0,
    significance: float = 0.5,
    conversation: str = "c1",
    seq: int = 0,
    tier: str = "hot",
    memory_type: str = "conversation",
    facts: list[list[str]] | None = None,
    sentences: list[list[float]] | None = None,
) -> dict[str, Any]:
    occurred_at = START + timedelta(days=day)
    return {
        "memory": {
            "id": memory_id,
            "message_id": f"x-{memory_id}",
            "content": f"memory {memory_id}",
            "memory_type": memory_type,
            "significance": significance,
            "conversation_id": conversation,
            "seq": seq,
            "tier": tier,
            "role": "user",
        },
        "occurred_at": [int(occurred_at.timestamp()), occurred_at.microsecond, 0],
        "sentence_vectors": pack(np.asarray(sentences or [vector])),
        "facts": facts or [],
    }


def _everything(**narrowed: Any) -> Eligibility:
    return Eligibility(
        **({"as_of": datetime(2030, 1, 1, tzinfo=UTC), "since": None, "min_significance": 0.0} | narrowed)
    )


def _admitted(rows: list[dict[str, Any]], eligible: Eligibility) -> set[str]:
    """What the filters admit of `rows`, asked one memory at a time (as the search does of what Neo4j
    returns) and of the cache's numpy columns: the two must agree."""
    memories = UserMemories(2, STATE)
    memories.upsert(rows)
    mask = memories.eligible(eligible)
    by_numpy = {memories.records[i]["id"] for i in np.flatnonzero(mask)}
    one_by_one = {record["id"] for record in memories.records if eligible.admits(record)}
    assert by_numpy == one_by_one
    return one_by_one


def _search(
    memories: UserMemories, query: Any, n: int, eligible: Eligibility | None = None, share: float = 0.0
) -> list[tuple[str, float]]:
    query = np.array(query, dtype=np.float32)
    _, scores = memories.eligible_and_scores(query, eligible or _everything(), share=share)
    return [(memories.records[i]["id"], score) for i, score in memories.best(scores, n)]


def test_search_is_exact_and_ordered() -> None:
    memories = UserMemories(3, STATE)
    memories.upsert([_row("x", _unit(1, 0, 0)), _row("y", _unit(0, 1, 0)), _row("xy", _unit(1, 1, 0))])
    hits = _search(memories, _unit(1, 0.2, 0), 2)
    assert [memory_id for memory_id, _ in hits] == ["x", "xy"]
    assert hits[0][1] > hits[1][1]
    assert len(_search(memories, _unit(1, 0, 0), 10)) == 3


def test_many_appends_grow_the_arrays_without_losing_rows() -> None:
    vectors = np.random.default_rng(5).normal(size=(300, 16))
    memories = UserMemories(16, STATE)
    for i, vector in enumerate(vectors):
        memories.upsert([_row(f"m{i}", _unit(*vector))])
    assert memories.size == 300
    for i in (0, 63, 64, 299):  # either side of a doubling
        (best, score), *_ = _search(memories, _unit(*vectors[i]), 1)
        assert best == f"m{i}"
        assert score == pytest.approx(1.0, abs=1e-3)
    assert memories.records[memories.index("m7") or 0]["message_id"] == "x-m7"


def test_filters_on_time_and_significance() -> None:
    rows = [
        _row("old", _unit(1, 0), day=0),
        _row("faint", _unit(1, 0.01), day=5, significance=0.1),
        _row("later", _unit(1, 0.02), day=20),
        _row("kept", _unit(1, 0.03), day=5),
    ]
    memories = UserMemories(2, STATE)
    memories.upsert(rows)
    eligible = Eligibility(
        as_of=datetime(2025, 1, 10, tzinfo=UTC), since=datetime(2025, 1, 2, tzinfo=UTC), min_significance=0.3
    )
    assert [memory_id for memory_id, _ in _search(memories, _unit(1, 0), 10, eligible)] == ["kept"]
    assert _admitted(rows, eligible) == {"kept"}
    assert _admitted(rows, _everything(min_significance=0.3)) == {"old", "later", "kept"}


def test_filters_on_tiers_and_memory_types() -> None:
    rows = [
        _row("hot-event", _unit(1, 0), memory_type="event"),
        _row("cold-event", _unit(1, 0.01), tier="cold", memory_type="event"),
        _row("hot-talk", _unit(1, 0.02)),
        _row("forgotten", _unit(1, 0.03), tier="forgotten"),
    ]
    memories = UserMemories(2, STATE)
    memories.upsert(rows)
    hot = _everything(tiers=frozenset({"hot"}))
    assert {m for m, _ in _search(memories, _unit(1, 0), 10, hot)} == {"hot-event", "hot-talk"}
    events = _everything(memory_types=frozenset({"event"}))
    assert {m for m, _ in _search(memories, _unit(1, 0), 10, events)} == {"hot-event", "cold-event"}
    unknown = _everything(memory_types=frozenset({"relationship"}))
    assert _search(memories, _unit(1, 0), 10, unknown) == []
    assert _admitted(rows, hot) == {"hot-event", "hot-talk"}
    assert _admitted(rows, events) == {"hot-event", "cold-event"}
    assert _admitted(rows, unknown) == set()


def test_upsert_replaces_a_re_embedded_vector_and_its_fields() -> None:
    memories = UserMemories(2, STATE)
    memories.upsert([_row("a", _unit(1, 0)), _row("b", _unit(0, 1))])
    memories.upsert([_row("a", _unit(0, 1), facts=[["lives_in", "superseded"]])])
    assert memories.size == 2
    hits = _search(memories, _unit(1, 0), 2)
    assert all(score < 0.01 for _, score in hits)
    assert memories.facts[memories.index("a") or 0] == [("lives_in", "superseded")]


def test_conversations_rank_by_their_whole_and_pick_their_best_memories() -> None:
    memories = UserMemories(2, STATE)
    memories.upsert(
        [
            _row("a1", _unit(1, 0), conversation="a"),
            _row("a2", _unit(1, 0.1), conversation="a"),
            _row("b1", _unit(0, 1), conversation="b"),
            _row("c1", _unit(0.2, 1), conversation="c"),
        ]
    )
    query = np.array(_unit(1, 0), dtype=np.float32)
    ranked = memories.closest_conversations(query, memories.eligible_and_scores(query, _everything())[1], 1, 1, ["b"])
    assert [(c, [memories.records[i]["id"] for i, _ in picks]) for c, _, picks in ranked] == [
        ("a", ["a1"]),
        ("b", ["b1"]),
    ]
    assert ranked[0][1] > ranked[1][1]
    # Conversation "a" re-embedded the opposite way: its whole follows, the old vectors taken out.
    memories.upsert([_row("a1", _unit(-1, 0), conversation="a"), _row("a2", _unit(-1, 0), conversation="a")])
    opposite = np.array(_unit(-1, 0), dtype=np.float32)
    _, scores = memories.eligible_and_scores(opposite, _everything())
    (best, cosine, _), *_ = memories.closest_conversations(opposite, scores, 1, 1, [])
    assert best == "a"
    assert cosine == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("preselection", [EXACT, EVERY_ROW], ids=["exact", "preselected"])
def test_a_memory_scores_as_its_best_sentence(preselection: Preselection) -> None:
    memories = UserMemories(3, STATE, preselection)
    mixed = _unit(1, 1, 0)
    sentences = [_unit(1, 0, 0), _unit(0, 1, 0)]
    memories.upsert([_row("mixed", mixed, sentences=sentences), _row("plain", _unit(1, 0.6, 0))])
    hits = _search(memories, _unit(0, 1, 0), 2)
    assert hits[0][0] == "mixed"
    assert hits[0][1] == pytest.approx(1.0)
    # Re-embedded without sentences: the old sentence rows no longer count.
    memories.upsert([_row("mixed", _unit(1, 0, 0))])
    assert _search(memories, _unit(0, 1, 0), 1)[0][0] == "plain"


@pytest.mark.parametrize("preselection", [EXACT, EVERY_ROW], ids=["exact", "preselected"])
def test_a_memory_of_several_sentences_blends_its_whole_vector_and_its_best_sentence(
    preselection: Preselection,
) -> None:
    rng = np.random.default_rng(5)
    sentences = {f"m{i}": rng.normal(size=(1 + i % 3, 4)) for i in range(12)}
    units = {m: v / np.linalg.norm(v, axis=1, keepdims=True) for m, v in sentences.items()}
    memories = UserMemories(4, STATE, preselection)
    memories.upsert([_row(m, list(v[0]), sentences=[list(r) for r in v]) for m, v in units.items()])
    # One re-embedded with other sentences: only its new rows count.
    units["m4"] = np.array([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0)])
    memories.upsert([_row("m4", _unit(1, 1, 0, 0), sentences=[list(r) for r in units["m4"]])])
    query = np.array(_unit(1, 2, 0, 1))
    for share in (0.0, 0.8, 1.0):
        expected = {}
        for m, rows in units.items():
            whole = rows.sum(axis=0) / np.linalg.norm(rows.sum(axis=0))
            expected[m] = share * float(whole @ query) + (1 - share) * float((rows @ query).max())
        got = dict(_search(memories, query, len(units), share=share))
        assert got == pytest.approx(expected, abs=2e-3)  # the rows are held at half precision


def test_memories_stored_before_vectors_were_packed_score_as_packed_ones() -> None:
    packed, legacy = UserMemories(3, STATE), UserMemories(3, STATE)
    sentences = [_unit(1, 0, 0), _unit(0, 1, 0)]
    packed.upsert([_row("two", _unit(1, 1, 0), sentences=sentences), _row("one", _unit(1, 0.6, 0))])
    old = {"sentence_vectors": None}
    legacy.upsert(
        [
            _row("two", _unit(1, 1, 0))
            | old
            | {"embedding": _unit(1, 1, 0), "sentence_embeddings": [*sentences[0], *sentences[1]]},
            _row("one", _unit(1, 0.6, 0)) | old | {"embedding": _unit(1, 0.6, 0), "sentence_embeddings": None},
        ]
    )
    for query in (_unit(0, 1, 0), _unit(1, 0.6, 0), _unit(0, 0, 1)):
        expected, got = _search(packed, query, 2), _search(legacy, query, 2)
        assert [m for m, _ in got] == [m for m, _ in expected]
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], abs=1e-6)


def test_one_row_per_memory_and_sentence_rows_score_the_same() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(50, 4)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    plain, split = UserMemories(4, STATE), UserMemories(4, STATE)
    plain.upsert([_row(f"m{i}", list(v)) for i, v in enumerate(vectors)])
    # The same vectors; one memory given twice as sentences moves the store off its one-row fast path.
    split.upsert([_row(f"m{i}", list(v)) for i, v in enumerate(vectors)])
    split.upsert([_row("m0", list(vectors[0]), sentences=[list(vectors[0]), list(vectors[0])])])
    query = _unit(1, 2, 3, 4)
    expected, got = _search(plain, query, 50), _search(split, query, 50)
    assert [m for m, _ in got] == [m for m, _ in expected]
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], abs=1e-6)


def test_neighbours_follow_the_conversation_timeline_whatever_the_arrival_order() -> None:
    memories = UserMemories(2, STATE)
    memories.upsert(
        [
            _row("third", _unit(1, 0), day=2),
            _row("first", _unit(1, 0), day=0),
            _row("second-b", _unit(1, 0), day=1, seq=2),
            _row("second-a", _unit(1, 0), day=1, seq=1),
            _row("elsewhere", _unit(1, 0), day=1, conversation="other"),
        ]
    )

    def around(memory_id: str) -> list[str]:
        return [memories.records[i]["id"] for i in memories.neighbours(memories.index(memory_id) or 0)]

    assert around("second-a") == ["first", "second-b"]
    assert around("first") == ["second-a"]
    assert around("third") == ["second-b"]
    memories.upsert([_row("fourth", _unit(1, 0), day=3)])
    assert around("third") == ["second-b", "fourth"]


@pytest.mark.parametrize("preselection", [EXACT, Preselection(0, 0.1)], ids=["exact", "preselected"])
def test_a_refresh_never_lands_between_the_filter_and_the_scores(preselection: Preselection) -> None:
    """A search scores while another request's refresh appends memories: the filter and the scores
    always cover the same memories (filtering and scoring in two holds of the lock raised IndexError)."""
    memories = UserMemories(3, STATE, preselection)
    memories.upsert([_row("m0", _unit(1, 0, 0))])
    stop = threading.Event()

    def append() -> None:
        for i in range(1, 3000):
            if stop.is_set():
                return
            memories.upsert([_row(f"m{i}", _unit(1, i % 7, 0), seq=i)])

    writer = threading.Thread(target=append)
    writer.start()
    try:
        while writer.is_alive():
            # The filter as a search computes it before its round trip, then the scores: memories added in
            # between are filtered again with the scores, never left out of the filter.
            early = memories.eligible(_everything())
            eligible, scores = memories.eligible_and_scores(np.array(_unit(1, 0, 0)), _everything(), early)
            assert len(eligible) == len(scores.values)
    finally:
        stop.set()
        writer.join()


def _clustered(rng: np.random.Generator, n: int, dimension: int, clusters: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around `clusters` centres (as a user's memories gather around their topics)."""
    centres = rng.normal(size=(clusters, dimension))
    vectors = centres[rng.integers(0, clusters, n)] + rng.normal(0, 0.5, (n, dimension))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), centres


def test_a_large_user_is_scored_exactly_where_it_matters_and_on_demand_elsewhere() -> None:
    """Above `exact_below` a search scores the rows nearest by sign bits; its top hits, its conversations'
    picks and any memory asked for later carry the exact cosines; ineligible ones never score."""
    rng = np.random.default_rng(11)
    vectors, centres = _clustered(rng, 3000, 64, 30)
    rows = [
        _row(f"m{i}", list(v), conversation=f"c{i % 50}", significance=0.2 if i % 10 == 0 else 0.5)
        for i, v in enumerate(vectors)
    ]
    exact, preselected = UserMemories(64, STATE), UserMemories(64, STATE, Preselection(exact_below=0, share=0.1))
    exact.upsert(rows)
    preselected.upsert(rows)
    narrowed = _everything(min_significance=0.3)
    for centre in centres[:10]:
        query = (centre / np.linalg.norm(centre)).astype(np.float32)
        _, all_scored = exact.eligible_and_scores(query, narrowed)
        _, scores = preselected.eligible_and_scores(query, narrowed)
        assert scores.pending is not None
        assert 0 < scores.pending.sum() < 0.95 * len(rows)
        # Equal scores may come in either order: the same scores, each the memory's exact one.
        hits = preselected.best(scores, 20)
        assert [v for _, v in hits] == [v for _, v in exact.best(all_scored, 20)]
        assert all(v == all_scored.values[i] for i, v in hits)
        got, expected = (
            [(c, cosine, [v for _, v in picks]) for c, cosine, picks in ranked]
            for ranked in (
                preselected.closest_conversations(query, scores, 3, 5, ["c7"]),
                exact.closest_conversations(query, all_scored, 3, 5, ["c7"]),
            )
        )
        assert got == expected
        far = int(np.flatnonzero(scores.pending)[0])
        ineligible = next(i for i in range(0, len(rows), 10) if scores.values[i] == -np.inf)
        preselected.fill(scores, [far, ineligible])
        assert scores.values[far] == all_scored.values[far]
        assert scores.values[ineligible] == -np.inf
        assert not scores.pending[far]
