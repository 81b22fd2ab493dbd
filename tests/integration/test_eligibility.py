"""The three places a search's filters run hold to one table of cases: the Cypher of `search_candidates`
(inside Neo4j), `Eligibility.admits` (one row in Python) and `Eligibility.mask` (a cached user's columns)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.container import Container
from app.graph.cypher import Query
from app.retrieval.cache.user_memories import UserMemories
from app.retrieval.eligibility import Eligibility

pytestmark = pytest.mark.integration

START = datetime(2025, 1, 1, tzinfo=UTC)
#: message id -> (days after START, significance, tier, memory type)
MEMORIES = {
    "old-hot": (0, 0.5, "hot", "conversation"),
    "faint": (5, 0.1, "hot", "conversation"),
    "kept": (5, 0.5, "hot", "conversation"),
    "later": (20, 0.5, "hot", "conversation"),
    "cold-event": (6, 0.8, "cold", "event"),
    "forgotten": (7, 0.9, "forgotten", "event"),
    "untiered": (8, 0.6, None, "observation"),
}
AS_OF = START + timedelta(days=10)
CASES = {
    "everything": Eligibility(as_of=START + timedelta(days=365), since=None, min_significance=0.0),
    "as of": Eligibility(as_of=AS_OF, since=None, min_significance=0.0),
    "since and significance": Eligibility(as_of=AS_OF, since=START + timedelta(days=2), min_significance=0.3),
    "hot only": Eligibility(as_of=AS_OF, since=None, min_significance=0.0, tiers=frozenset({"hot"})),
    "events": Eligibility(
        as_of=AS_OF, since=None, min_significance=0.0, memory_types=frozenset({"event", "relationship"})
    ),
    "a type nobody has": Eligibility(
        as_of=AS_OF, since=None, min_significance=0.0, memory_types=frozenset({"relationship"})
    ),
}


@pytest.fixture
def stored(client: TestClient, container: Container, user_id: str) -> str:
    messages = [
        {
            "user_id": user_id,
            "companion_id": "lucy",
            "conversation_id": "c1",
            "message_id": message_id,
            "role": "user",
            "text": f"I planted {i + 2} rows of beans in the garden this week",
            "occurred_at": (START + timedelta(days=days)).isoformat(),
        }
        for i, (message_id, (days, _, _, _)) in enumerate(MEMORIES.items())
    ]
    assert client.post("/v1/messages/batch", json={"messages": messages}).status_code == 200
    for message_id, (_, significance, tier, memory_type) in MEMORIES.items():
        container.driver.execute_query(
            "MATCH (m:Memory {user_id: $u, external_id: $mid}) "
            "SET m.significance = $s, m.tier = $tier, m.memory_type = $type",
            u=user_id,
            mid=message_id,
            s=significance,
            tier=tier,
            type=memory_type,
            database_=container.settings.neo4j_database,
        )
    return user_id


@pytest.mark.parametrize("case", list(CASES))
def test_cypher_one_row_and_numpy_admit_the_same_memories(container: Container, stored: str, case: str) -> None:
    eligibility = CASES[case]
    embedding = container.embedder.encode_one("the garden")
    by_cypher = {
        r["memory"]["message_id"]
        for r in container.repository.read_all(
            Query.SEARCH_CANDIDATES,
            user_id=stored,
            embedding=embedding,
            vector_source="exact",
            vector_k=0,
            candidates=100,
            found=[],
            **eligibility.cypher_parameters(),
        )
    }
    fetched = container.memory_cache.fetch(stored)
    assert fetched.rows is not None
    memories = UserMemories(container.embedder.dimension, fetched.state)
    memories.upsert(fetched.rows)
    one_by_one = {record["message_id"] for record in memories.records if eligibility.admits(record)}
    mask = memories.eligible(eligibility)
    by_numpy = {memories.records[i]["message_id"] for i in range(memories.size) if mask[i]}
    assert by_cypher == one_by_one == by_numpy
    expected = {
        message_id
        for message_id, (days, significance, tier, memory_type) in MEMORIES.items()
        if START + timedelta(days=days) <= eligibility.as_of
        and (eligibility.since is None or START + timedelta(days=days) >= eligibility.since)
        and significance >= eligibility.min_significance
        and (tier or "hot") in eligibility.tiers
        and (eligibility.memory_types is None or memory_type in eligibility.memory_types)
    }
    assert by_cypher == expected
