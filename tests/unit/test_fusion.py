"""Score fusion: the seeds' 0.7/0.3 blend, max-normalised keywords, superseded facts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from app.retrieval.fusion import PARTS, WEIGHTED, Candidate, Weights, fuse
from app.retrieval.plan import asked_predicates, outdated
from app.retrieval.rows import MemoryRow
from app.settings import Settings

DEFAULTS = Weights.of_settings(Settings())
#: The seeds' blend alone: 0.7 cosine + 0.3 max-normalised keywords.
BLEND_ONLY = dataclasses.replace(
    DEFAULTS,
    semantic=0.7,
    keyword=0.3,
    graph=0.0,
    conversation=0.0,
    recency=0.0,
    time=0.0,
    significance=0.0,
)


def _candidate(memory_id: str, in_conversation: str = "c1", **signals: float | bool) -> Candidate:
    memory: MemoryRow = {
        "id": memory_id,
        "message_id": memory_id,
        "content": "",
        "occurred_at": datetime(2026, 1, 1, tzinfo=UTC),
        "memory_type": "conversation",
        "significance": 0.5,
        "conversation_id": in_conversation,
        "seq": None,
        "tier": "hot",
        "role": "user",
        "speaker": None,
    }
    return Candidate(memory, **signals)  # type: ignore[arg-type]


def test_default_blend_is_point_seven_semantic_point_three_max_normalised_keyword() -> None:
    ranked = fuse(
        [_candidate("a", semantic=0.8, keyword_raw=4.0), _candidate("b", semantic=0.9, keyword_raw=1.0)], BLEND_ONLY
    )
    scores = {c.memory["id"]: c.score for c in ranked}
    assert scores["a"] == pytest.approx(0.7 * 0.8 + 0.3 * 1.0)
    assert scores["b"] == pytest.approx(0.7 * 0.9 + 0.3 * 0.25)
    assert [c.memory["id"] for c in ranked] == ["a", "b"]


def test_parts_explain_the_score() -> None:
    (hit,) = fuse([_candidate("a", semantic=0.5, keyword_raw=2.0, conversation=0.4, age_days=30.0)], DEFAULTS)
    parts = hit.parts
    assert parts["keyword"] == 1.0
    assert parts["recency"] == pytest.approx(0.5)
    weights = DEFAULTS
    expected = (
        weights.semantic * parts["semantic"]
        + weights.keyword * parts["keyword"]
        + weights.conversation * parts["conversation"]
        + weights.recency * parts["recency"]
        + weights.significance * parts["significance"]
    )
    assert hit.score == pytest.approx(expected, abs=1e-3)


def test_a_memory_whose_facts_were_all_superseded_ranks_below_its_twin() -> None:
    ranked = fuse([_candidate("old", semantic=0.9, superseded_only=True), _candidate("new", semantic=0.8)], BLEND_ONLY)
    assert [c.memory["id"] for c in ranked] == ["new", "old"]
    assert ranked[1].parts["confidence"] == 0.5


def test_a_successor_ranks_at_least_as_strong_as_what_it_replaced() -> None:
    old = _candidate("old", semantic=0.9, keyword_raw=3.0, superseded_only=True)
    (first,) = fuse([old], BLEND_ONLY)
    new = _candidate("new", semantic=0.2, succession=first.strength)
    ranked = fuse([old, new], BLEND_ONLY)
    assert [c.memory["id"] for c in ranked] == ["new", "old"]
    assert ranked[0].score == pytest.approx(0.7 * 0.9 + 0.3 * 1.0)
    assert ranked[0].parts["succession"] == pytest.approx(ranked[0].score, abs=1e-4)
    # A successor found strongly by its own words keeps its own score.
    own = fuse([_candidate("own", semantic=0.95, keyword_raw=3.0, succession=0.1)], BLEND_ONLY)[0]
    assert own.score == pytest.approx(0.7 * 0.95 + 0.3 * 1.0)


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("where do I live now?", {"lives_in"}),
        ("Where was I living last spring?", {"lives_in"}),
        ("what is my name?", {"name"}),
        ("what do I do for work?", {"works_at", "job"}),
        ("how is my dog doing?", set()),
    ],
)
def test_a_query_names_the_kinds_of_fact_it_asks_about(query: str, asked: set[str]) -> None:
    assert asked_predicates(query) == asked


def test_a_memory_is_outdated_as_far_as_the_query_asks() -> None:
    facts = [("name", "current"), ("lives_in", "superseded")]
    assert outdated(facts, frozenset({"lives_in"}))
    assert not outdated(facts, frozenset({"name"}))
    assert not outdated(facts, frozenset())  # a query about neither: not all it asserts is outdated
    assert outdated([("lives_in", "superseded")], frozenset({"diet"}))  # none of the kind asked: all it asserts
    assert not outdated([], frozenset({"lives_in"}))
    # A fact the user took back is no longer so either.
    assert outdated([("lives_in", "retracted")], frozenset({"lives_in"}))


def test_every_weighted_part_has_its_weight_and_setting_and_nothing_else_does() -> None:
    names = [part.name for part in WEIGHTED]
    settings = {name.removeprefix("weight_") for name in Settings.model_fields if name.startswith("weight_")}
    assert set(names) == settings
    assert set(names) <= {f.name for f in dataclasses.fields(Weights)}
    configured = Settings().model_copy(update={f"weight_{name}": 0.1 * (i + 1) for i, name in enumerate(names)})
    assert [getattr(Weights.of_settings(configured), name) for name in names] == pytest.approx(
        [0.1 * (i + 1) for i in range(len(names))]
    )
    alone = DEFAULTS.alone("keyword")
    assert [getattr(alone, name) for name in names] == [1.0 if name == "keyword" else 0.0 for name in names]
    assert PARTS[: len(names)] == tuple(names)
