"""Hybrid search and context through the HTTP API against the real Neo4j."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.container import Container
from app.nlp.packed_vectors import unit_mean, unpack
from app.retrieval.cache.loader import MemoryCache
from app.retrieval.cache.preselection import Preselection
from app.retrieval.fusion import Weights
from app.retrieval.options import SearchHit, SearchOptions
from app.retrieval.service import RetrievalService
from pipelines.pack_vectors import pack_all

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


def _batch(client: TestClient, user_id: str, texts: list[str], days_ago: float = 1.0, prefix: str = "m") -> None:
    messages = [
        {
            "user_id": user_id,
            "companion_id": "lucy",
            "conversation_id": f"{prefix}-conv",
            "message_id": f"{prefix}{i}",
            "role": "user",
            "text": text,
            "occurred_at": (NOW - timedelta(days=days_ago, minutes=len(texts) - i)).isoformat(),
        }
        for i, text in enumerate(texts)
    ]
    response = client.post("/v1/messages/batch", json={"messages": messages})
    assert response.status_code == 200, response.text


def _search(client: TestClient, user_id: str, query: str, **options: Any) -> list[dict[str, Any]]:
    response = client.post(f"/v1/users/{user_id}/search", json={"query": query, **options})
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()
    return hits


def test_finds_by_meaning_and_explains_the_score(client: TestClient, user_id: str) -> None:
    _batch(
        client,
        user_id,
        [
            "I finally adopted a golden retriever puppy and I am so happy about it",
            "My manager asked me to lead the quarterly budget review at work",
            "I have been learning to bake sourdough bread every weekend",
        ],
    )
    hits = _search(client, user_id, "how is my new dog doing?")
    assert hits[0]["content"].startswith("I finally adopted a golden retriever")
    assert set(hits[0]["parts"]) == {
        "semantic",
        "keyword",
        "graph",
        "conversation",
        "recency",
        "time",
        "significance",
        "succession",
        "confidence",
        "tier",
    }
    assert hits[0]["score"] >= hits[-1]["score"]


def test_two_users_with_near_identical_memories_never_see_each_other(
    client: TestClient, container: Container, user_id: str
) -> None:
    other = f"{user_id}-twin"
    try:
        _batch(client, user_id, ["My sister Anna loves hiking in the Alps every summer"], prefix="a")
        _batch(client, other, ["My sister Anna loves hiking in the Alps every summer!"], prefix="b")
        mine = _search(client, user_id, "Anna hiking Alps")
        theirs = _search(client, other, "Anna hiking Alps")
        assert [h["message_id"] for h in mine] == ["a0"]
        assert [h["message_id"] for h in theirs] == ["b0"]
        for hit in mine:
            assert client.get(f"/v1/users/{other}/memories/{hit['memory_id']}").status_code == 404
    finally:
        container.users.store.delete(other)


def test_small_user_among_a_large_one_gets_their_own_through_the_index(
    client: TestClient, container: Container, user_id: str
) -> None:
    big = f"{user_id}-big"
    try:
        _batch(client, big, [f"I went hiking on the mountain trail number {i} today" for i in range(300)], prefix="b")
        _batch(client, user_id, [f"I went hiking on the forest trail {name}" for name in ("north", "south", "east")])
        # Force the HNSW path (no memory cache, no exact scan) to prove the oversampling finds the small
        # user's memories.
        hits = _uncached(container, user_id, "hiking on a trail", k=3, exact_scan_below=0)
        assert sorted(h.message_id for h in hits) == ["m0", "m1", "m2"]
    finally:
        container.users.store.delete(big)


def test_a_users_ranking_does_not_move_when_another_user_writes_the_same_words(
    client: TestClient, container: Container, user_id: str
) -> None:
    """Keyword statistics are the user's own: how rare "shelter" is among everyone's memories is no
    concern of this user's ranking."""
    other = f"{user_id}-volunteer"
    texts = [
        "I adopted Biscuit from the shelter last spring",
        "My dog Biscuit chews everything",
        "The dog park was crowded",
        "I took the dog to the vet",
    ]
    try:
        _batch(client, user_id, texts)
        container.documents.flush()
        before = _search(client, user_id, "shelter dog", mode="keyword")
        assert before[0]["content"] == texts[0]  # the rarer word among this user's memories counts more
        hybrid = _search(client, user_id, "shelter dog")
        _batch(client, other, [f"I volunteered at the animal shelter on day {i}" for i in range(300)], prefix="v")
        container.documents.flush()
        assert _search(client, user_id, "shelter dog", mode="keyword") == before
        assert _search(client, user_id, "shelter dog") == hybrid
    finally:
        container.users.store.delete(other)


def test_a_memory_mentioning_the_person_the_query_names_takes_the_whole_graph_part(
    client: TestClient, container: Container, user_id: str
) -> None:
    """Found through the entity by the cache's own statistics, and by Neo4j's index for a user not held:
    the best entity match scores the graph part 1 (a neighbour of a strong hit earns at most a half)."""
    anna = "My sister Anna moved to Lisbon last spring"
    _batch(client, user_id, [anna, "I bought a new bike for the commute", "The weather was grey all week"])
    cached = {h["content"]: h["parts"]["graph"] for h in _search(client, user_id, "How is Anna doing?")}
    assert container.memory_cache.holds(user_id)
    uncached = {h.content: h.parts["graph"] for h in _uncached(container, user_id, "How is Anna doing?")}
    for graph in (cached, uncached):
        assert graph[anna] == 1.0
        assert all(part <= 0.5 for content, part in graph.items() if content != anna)


def _seattle_then_tokyo(client: TestClient, container: Container, user_id: str) -> None:
    _batch(client, user_id, ["I live in Seattle."], prefix="a")
    assert _search(client, user_id, "where do I live")[0]["content"] == "I live in Seattle."
    assert container.memory_cache.holds(user_id)
    # Superseded after the user's memories were cached: the cache reloads the old memory's fact status.
    _batch(client, user_id, ["I moved to Tokyo."], prefix="b")
    # Both conversations' documents built, as the background worker does within seconds: a conversation
    # part missing from the new memory alone would decide the order, not the supersession.
    container.documents.flush()


def test_a_superseded_memory_is_ranked_down_once_cached(client: TestClient, container: Container, user_id: str) -> None:
    _seattle_then_tokyo(client, container, user_id)
    seattle = next(h for h in _search(client, user_id, "where do I live") if h["content"] == "I live in Seattle.")
    assert seattle["parts"]["confidence"] == Weights.of_settings(container.settings).superseded_factor < 1.0
    history = _search(client, user_id, "where do I live", include_history=True)
    assert next(h for h in history if h["content"] == "I live in Seattle.")["parts"]["confidence"] == 1.0


def _uncached(container: Container, user_id: str, query: str, k: int = 10, **settings: Any) -> list[SearchHit]:
    """A search answered by Neo4j alone (no memory cache), under `settings` changed so."""
    no_cache = MemoryCache(container.repository, container.embedder.dimension, budget_mb=0, sync_load_below=0)
    changed = container.settings.model_copy(update=settings)
    retrieval = RetrievalService(changed, container.repository, container.embedder, no_cache, container.access)
    return retrieval.search(user_id, query, SearchOptions(k=k, record_access=False))


def test_current_fact_outranks_the_superseded_one(client: TestClient, container: Container, user_id: str) -> None:
    # "where do I live" shares its words with the old fact only; the new one inherits the old one's strength.
    _seattle_then_tokyo(client, container, user_id)
    hits = _search(client, user_id, "where do I live")
    order = [h["content"] for h in hits]
    assert order.index("I moved to Tokyo.") < order.index("I live in Seattle.")
    tokyo = next(h for h in hits if h["content"] == "I moved to Tokyo.")
    assert tokyo["parts"]["succession"] > 0
    uncached = [h.content for h in _uncached(container, user_id, "where do I live")]
    assert uncached.index("I moved to Tokyo.") < uncached.index("I live in Seattle.")


def test_a_memory_partly_outdated_gives_way_on_what_changed_and_keeps_what_did_not(
    client: TestClient, container: Container, user_id: str
) -> None:
    # One sentence tells the name and the home; only the home changes.
    _batch(client, user_id, ["My name is Alice and I live in Seattle."], prefix="a")
    _search(client, user_id, "where do I live now?")  # cached before the move
    _batch(client, user_id, ["I just moved to Tokyo for a new job!"], prefix="b")
    container.documents.flush()
    for query, first in (
        ("where do I live now?", "I just moved to Tokyo for a new job!"),
        ("what is my name?", "My name is Alice and I live in Seattle."),
    ):
        assert _search(client, user_id, query)[0]["content"] == first, query
        assert _uncached(container, user_id, query)[0].content == first, query


def test_a_chain_of_moves_ranks_the_last_home_first(client: TestClient, container: Container, user_id: str) -> None:
    _seattle_then_tokyo(client, container, user_id)
    _search(client, user_id, "where do I live")  # Tokyo's memory cached before Paris replaces it
    _batch(client, user_id, ["I moved to Paris."], prefix="c")
    container.documents.flush()
    facts = client.get(f"/v1/users/{user_id}/facts").json()
    assert [f["value"] for f in facts if f["predicate"] == "lives_in"] == ["Paris"]
    for hits in (
        [(h["content"], h["parts"]) for h in _search(client, user_id, "where do I live")],
        [(h.content, h.parts) for h in _uncached(container, user_id, "where do I live")],
    ):
        assert hits[0][0] == "I moved to Paris.", hits
        assert hits[0][1]["succession"] > 0, hits


def test_a_memory_gone_cold_is_found_at_a_discount_and_in_full_when_the_query_reaches_back(
    client: TestClient, container: Container, user_id: str
) -> None:
    _batch(client, user_id, ["The grilled sardines at that beach cafe in Lisbon were good"], days_ago=100)
    # Not counted as a recall: one would strengthen the memory and keep it hot, and whether the background
    # recorder wrote it before the pass would decide the outcome.
    hot = _search(client, user_id, "sardines in Lisbon", record_access=False)[0]
    assert (hot["message_id"], hot["parts"]["tier"]) == ("m0", 1.0)
    container.decay.run_users([user_id])
    cold = _search(client, user_id, "sardines in Lisbon", record_access=False)[0]
    assert cold["message_id"] == "m0"
    assert cold["parts"]["tier"] == container.settings.everyday_cold_factor < 1.0
    past = _search(client, user_id, "do you remember when we ate sardines in Lisbon")[0]
    assert (past["message_id"], past["parts"]["tier"]) == ("m0", 1.0)


def test_a_search_can_ask_for_significant_memories_only(client: TestClient, user_id: str) -> None:
    _batch(client, user_id, ["My sister Maya got married in Lisbon last spring.", "ok lol"])
    every = _search(client, user_id, "Maya wedding ok", k=10)
    floor = max(hit["significance"] for hit in every)
    assert min(hit["significance"] for hit in every) < floor
    significant = _search(client, user_id, "Maya wedding ok", k=10, min_significance=floor)
    assert significant
    assert all(hit["significance"] >= floor for hit in significant)
    assert len(significant) < len(every)
    for bad in (2, True, "0.3"):
        answer = client.post(f"/v1/users/{user_id}/search", json={"query": "x", "min_significance": bad})
        assert answer.status_code == 422, bad


def test_lucene_syntax_in_the_query_is_only_text(client: TestClient, user_id: str) -> None:
    _batch(client, user_id, ["I am learning C++ and Rust this year"])
    for query in ["C++ AND (rust", 'title:"x', "\\ / ~ * ? : ^", "OR NOT AND"]:
        response = client.post(f"/v1/users/{user_id}/search", json={"query": query})
        assert response.status_code == 200, query


def test_bad_search_requests_are_422(client: TestClient, user_id: str) -> None:
    assert client.post(f"/v1/users/{user_id}/search", json={}).status_code == 422
    assert client.post(f"/v1/users/{user_id}/search", json={"embedding": [0.1, 0.2]}).status_code == 422
    assert client.post(f"/v1/users/{user_id}/search", json={"query": "x", "k": 0}).status_code == 422


def test_retrieval_records_access(client: TestClient, container: Container, user_id: str) -> None:
    _batch(client, user_id, ["I started a pottery class on Tuesdays and I love it"])
    hit = _search(client, user_id, "pottery class")[0]
    _search(client, user_id, "pottery on Tuesdays")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if client.get(f"/v1/users/{user_id}/memories/{hit['memory_id']}").json()["access_count"] == 2:
            break
        time.sleep(0.05)
    memory = client.get(f"/v1/users/{user_id}/memories/{hit['memory_id']}").json()
    assert memory["access_count"] == 2  # both searches counted, whether written in one batch or two
    assert memory["last_accessed_at"] is not None


def test_context_has_memories_identity_and_persona_within_budget(client: TestClient, user_id: str) -> None:
    client.put("/v1/companions/lucy", json={"name": "Lucy", "persona": "A warm, curious friend who loves books."})
    _batch(client, user_id, ["My name is Alice.", "I live in Tokyo.", "My dog Buster hates thunderstorms"])
    response = client.post(
        f"/v1/users/{user_id}/context",
        json={"query": "there's a storm tonight, how will my dog cope?", "companion_id": "lucy", "token_budget": 80},
    )
    assert response.status_code == 200
    body = response.json()
    assert {(f["predicate"], f["value"]) for f in body["identity"]} >= {("name", "Alice"), ("lives_in", "Tokyo")}
    assert body["memories"][0]["content"] == "My dog Buster hates thunderstorms"
    assert body["text"].startswith("You are Lucy. A warm, curious friend who loves books.")
    assert "name: Alice" in body["text"]
    assert "Buster" in body["text"]
    assert body["approx_tokens"] <= 80


def test_cold_memories_rank_at_a_discount_in_everyday_search_even_as_neighbours(
    client: TestClient, container: Container, user_id: str
) -> None:
    _batch(
        client,
        user_id,
        [
            "I finally adopted a golden retriever puppy and I am so happy about it",
            "I also bought the puppy a red collar and a squeaky toy duck today",
        ],
    )
    container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u, external_id: 'm1'}) SET m.tier = 'cold'",
        u=user_id,
        database_=container.settings.neo4j_database,
    )
    container.documents.flush()
    everyday = {h["message_id"]: h["parts"]["tier"] for h in _search(client, user_id, "my golden retriever puppy")}
    assert next(iter(everyday)) == "m0"
    assert everyday == {"m0": 1.0, "m1": container.settings.everyday_cold_factor}
    asked = _search(client, user_id, "my golden retriever puppy", include_cold=True)
    assert {h["message_id"]: h["parts"]["tier"] for h in asked} == {"m0": 1.0, "m1": 1.0}


def test_the_memory_cache_follows_writes_and_deletions(client: TestClient, container: Container, user_id: str) -> None:
    _batch(client, user_id, ["I play the cello in a community orchestra", "My favourite food is ramen"], prefix="a")
    assert _search(client, user_id, "music instrument", everyday_filters=False)[0]["message_id"] == "a0"
    assert container.memory_cache.holds(user_id)
    # Written after the user's vectors were loaded: the next search sees it.
    _batch(client, user_id, ["I started learning the violin last month"], prefix="b")
    assert "b0" in [h["message_id"] for h in _search(client, user_id, "violin lessons", everyday_filters=False)]
    cello = _search(client, user_id, "cello orchestra", everyday_filters=False)[0]
    assert client.delete(f"/v1/users/{user_id}/memories/{cello['memory_id']}").status_code == 204
    assert "a0" not in [h["message_id"] for h in _search(client, user_id, "cello orchestra", everyday_filters=False)]
    # The same user id deleted and written again holds only the new memories.
    assert client.delete(f"/v1/users/{user_id}").status_code == 200
    _batch(client, user_id, ["I collect vintage postcards from Portugal"], prefix="c")
    assert [h["message_id"] for h in _search(client, user_id, "violin ramen postcards", everyday_filters=False)] == [
        "c0"
    ]


def test_a_large_user_is_answered_by_neo4j_until_its_vectors_are_loaded(
    client: TestClient, container: Container, user_id: str
) -> None:
    _batch(client, user_id, [f"I went hiking on the mountain trail number {i} today" for i in range(30)])
    _batch(client, user_id, ["I baked a lemon cake for my grandmother"], prefix="k")
    container.documents.flush()  # Neo4j's conversation step reads the conversation documents, refreshed off-path
    cache = MemoryCache(container.repository, container.embedder.dimension, budget_mb=64, sync_load_below=0)
    retrieval = RetrievalService(container.settings, container.repository, container.embedder, cache, container.access)
    options = SearchOptions(k=3, everyday_filters=False, record_access=False)
    try:
        from_graph = retrieval.search(user_id, "baking a cake", options)
        deadline = time.monotonic() + 10
        while not cache.holds(user_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.holds(user_id)
        from_cache = retrieval.search(user_id, "baking a cake", options)
    finally:
        cache.close()
    assert from_graph[0].message_id == from_cache[0].message_id == "k0"
    assert [h.message_id for h in from_graph] == [h.message_id for h in from_cache]
    for graph_hit, cache_hit in zip(from_graph, from_cache, strict=True):
        assert graph_hit.parts == pytest.approx(cache_hit.parts, abs=1e-3)
        assert graph_hit.score == pytest.approx(cache_hit.score, abs=1e-3)


@pytest.mark.parametrize("conversations", [5, 0], ids=["with-conversations", "without-conversations"])
def test_a_large_users_hits_carry_exact_cosines_though_few_were_scored_up_front(
    client: TestClient, container: Container, user_id: str, conversations: int
) -> None:
    """A cache that scores only a tenth of a user's memories up front (the nearest by sign bits, as it
    does above `memory_cache_exact_below`) scores the others as the search reaches them: the best
    conversations' members and (without the conversation step) the hits' neighbours, never 0 for them."""
    hiking = [f"I went hiking on the mountain trail number {i} today" for i in range(30)]
    _batch(client, user_id, hiking)
    _batch(client, user_id, ["I baked a lemon cake for my grandmother"], prefix="k")
    container.documents.flush()
    cache = MemoryCache(
        container.repository,
        container.embedder.dimension,
        budget_mb=64,
        sync_load_below=10_000,
        preselection=Preselection(exact_below=0, share=0.1),
    )
    settings = container.settings.model_copy(update={"conversation_candidates": conversations})
    retrieval = RetrievalService(settings, container.repository, container.embedder, cache, container.access)
    try:
        hits = retrieval.search(
            user_id, "baking a cake", SearchOptions(k=8, everyday_filters=False, record_access=False)
        )
    finally:
        cache.close()
    query, *contents = container.embedder.encode(["baking a cake", *(h.content for h in hits)])
    assert hits[0].message_id == "k0"
    assert any(h.parts["graph"] > 0 for h in hits)  # neighbours of the best hits are among them
    for hit, content in zip(hits, contents, strict=True):
        assert hit.parts["semantic"] == pytest.approx(max(0.0, float(query @ content)), abs=2e-3)


def test_a_side_remark_counts_through_its_own_sentence(client: TestClient, container: Container, user_id: str) -> None:
    """Each sentence keeps a vector: the memory scores its sentences' blend (`memory_scores`), above what one
    vector of the whole text gives a question about the side remark."""
    remark = "By the way, I just got a smoker today and I can't wait to use it."
    text = (
        "I'm looking for some new BBQ sauce recipes to try out. "
        "I've been experimenting with making my own sauces from scratch. " + remark
    )
    _batch(client, user_id, [text])
    stored = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) RETURN m.sentence_vectors AS rows",
        u=user_id,
        database_=container.settings.neo4j_database,
    ).records[0]
    rows = unpack(stored["rows"], container.embedder.dimension).astype(np.float32)
    assert rows.shape == (3, container.embedder.dimension)
    query = "which kitchen appliance did I buy?"
    hit = _search(client, user_id, query, everyday_filters=False)[0]
    vectors = container.embedder.encode([query, remark, text])
    best = float((rows @ vectors[0]).max())
    assert best == pytest.approx(float(vectors[0] @ vectors[1]), abs=2e-3)  # the remark's own sentence
    share = container.settings.semantic_message_share
    blend = share * float(unit_mean(rows) @ vectors[0]) + (1 - share) * best
    assert hit["parts"]["semantic"] == pytest.approx(blend, abs=2e-3)
    assert hit["parts"]["semantic"] > float(vectors[0] @ vectors[2])


def test_a_named_moment_prefers_what_happened_then(client: TestClient, user_id: str) -> None:
    _batch(client, user_id, ["I bought a new blender for the kitchen"], days_ago=30, prefix="a")
    _batch(client, user_id, ["I bought a new toaster for the kitchen"], days_ago=10, prefix="b")
    _batch(client, user_id, ["I bought a new kettle for the kitchen"], days_ago=2, prefix="c")
    hits = _search(client, user_id, "What kitchen appliance did I buy 10 days ago?")
    assert hits[0]["message_id"] == "b0"
    assert hits[0]["parts"]["time"] > 0.9
    assert _search(client, user_id, "What kitchen appliance did I buy a month ago?")[0]["message_id"] == "a0"


@pytest.mark.parametrize(
    ("members", "other", "query"),
    [
        (
            [
                "I'm reading about social networks. I come from a family with 3 sisters, so that shaped me.",
                "Could you find data on book club demographics? Oh, and I have a brother, by the way.",
            ],
            "Half a number plus 5 is 11. What is the number? And what is the total?",
            "What is the total number of siblings I have?",
        ),
        (
            [
                "I just finished the Midsummer 5K run with a personal best, time for new shoes.",
                "I will play in the company's annual charity soccer tournament today.",
            ],
            "I'm organising a social event for the neighbours next month.",
            "What sports event did I take part in?",
        ),
    ],
    ids=["siblings", "sports event"],
)
def test_a_question_about_a_kind_finds_the_remarks_about_its_members(
    client: TestClient, user_id: str, members: list[str], other: str, query: str
) -> None:
    # The other remark shares the question's words ("total", "number"; "event") but names no member.
    _batch(client, user_id, members, prefix="member")
    _batch(client, user_id, [other], prefix="other")
    hits = _search(client, user_id, query, mode="keyword", everyday_filters=False)
    assert {h["message_id"] for h in hits if h["parts"]["keyword"] > 0} == {"member0", "member1"}


def test_memories_stored_before_vectors_were_packed_are_found_alike_and_packed_by_the_command(
    client: TestClient, container: Container, user_id: str
) -> None:
    text = "I'm saving for a trip to Patagonia. I want to hike the Torres del Paine circuit."
    _batch(client, user_id, [text])
    query = "where do I want to go hiking?"
    fresh = _search(client, user_id, query, record_access=False)[0]["parts"]["semantic"]
    database = container.settings.neo4j_database
    # As such a memory was stored: the sentence vectors a flat float list.
    unpacked = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) WITH m, m.sentence_vectors AS packed "
        "SET m.sentence_embeddings = $floats, m.vector_version = m.vector_version REMOVE m.sentence_vectors",
        u=user_id,
        floats=[
            float(x)
            for x in container.embedder.encode(
                ["I'm saving for a trip to Patagonia.", "I want to hike the Torres del Paine circuit."]
            ).reshape(-1)
        ],
        database_=database,
    )
    assert unpacked.summary.counters.properties_set >= 1
    container.memory_cache.forget(user_id)
    assert _search(client, user_id, query, record_access=False)[0]["parts"]["semantic"] == pytest.approx(
        fresh, abs=2e-3
    )
    assert pack_all(container.repository) >= 1
    [row] = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) RETURN m.sentence_vectors AS rows, m.sentence_embeddings AS floats",
        u=user_id,
        database_=database,
    ).records
    assert row["floats"] is None
    assert unpack(row["rows"], container.embedder.dimension).shape == (2, container.embedder.dimension)
    container.memory_cache.forget(user_id)
    assert _search(client, user_id, query, record_access=False)[0]["parts"]["semantic"] == pytest.approx(
        fresh, abs=2e-3
    )
