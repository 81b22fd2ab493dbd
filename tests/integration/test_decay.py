"""Forgetting on purpose, on the real Neo4j: what a decay pass keeps hot, cools and forgets, with the clock
set by each test (memories dated in the past, passes and searches run `as_of` a chosen moment)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.container import Container
from app.decay.lease import Lease
from app.decay.model import DecayParams
from app.decay.service import DecayService
from app.graph.cypher import Query
from app.memory_types import DecayKind
from app.settings import PROJECT_ROOT
from app.write.ingest import IncomingMessage

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)
USERS = 150


def _write(client: TestClient, user_id: str, dated: list[tuple[str, datetime, str]], conversation: str = "c1") -> None:
    messages = [
        {
            "user_id": user_id,
            "companion_id": "lucy",
            "conversation_id": conversation,
            "message_id": message_id,
            "role": "user",
            "text": text,
            "occurred_at": at.isoformat(),
        }
        for message_id, at, text in dated
    ]
    response = client.post("/v1/messages/batch", json={"messages": messages})
    assert response.status_code == 200, response.text
    assert all(r["status"] == "stored" for r in response.json()), response.text


def _found(client: TestClient, user_id: str, query: str, as_of: datetime, **options: Any) -> list[str]:
    body = {"query": query, "as_of": as_of.isoformat(), "record_access": False, **options}
    response = client.post(f"/v1/users/{user_id}/search", json=body)
    assert response.status_code == 200, response.text
    return [h["message_id"] for h in response.json()]


def _tier(client: TestClient, user_id: str, query: str, as_of: datetime, message_id: str, **options: Any) -> float:
    """The tier part of one memory's score in a search (an everyday search finds a cold one at a discount)."""
    body = {"query": query, "as_of": as_of.isoformat(), "record_access": False, **options}
    hits = client.post(f"/v1/users/{user_id}/search", json=body).json()
    return float(next(h["parts"]["tier"] for h in hits if h["message_id"] == message_id))


def _context(client: TestClient, user_id: str, query: str, as_of: datetime) -> list[str]:
    response = client.post(f"/v1/users/{user_id}/context", json={"query": query, "as_of": as_of.isoformat()})
    assert response.status_code == 200, response.text
    return [m["message_id"] for m in response.json()["memories"]]


def _memory(client: TestClient, user_id: str, message_id: str, query: str) -> dict[str, Any]:
    hits = client.post(
        f"/v1/users/{user_id}/search", json={"query": query, "include_cold": True, "record_access": False, "k": 50}
    ).json()
    memory_id = next(h["memory_id"] for h in hits if h["message_id"] == message_id)
    body: dict[str, Any] = client.get(f"/v1/users/{user_id}/memories/{memory_id}").json()
    return body


def _cypher(container: Container, statement: str, **params: Any) -> list[Any]:
    """The records of an ad-hoc statement (what the service's own queries do not show or do)."""
    return list(container.driver.execute_query(statement, params, database_=container.settings.neo4j_database).records)


def _tiers(container: Container, user_id: str) -> dict[str, str]:
    records = container.repository.read_all(
        Query.CONVERSATION_MEMORIES, user_id=user_id, conversation_id="c1", limit=100
    )
    return {r["memory"]["external_id"]: r["memory"]["tier"] for r in records}


def test_a_pets_vet_visit_stays_in_context_the_same_day_months_and_a_year_later(
    client: TestClient, container: Container, user_id: str
) -> None:
    day = NOW - timedelta(days=400)
    _write(
        client,
        user_id,
        [
            ("vacuum", day - timedelta(days=30), "My dog Buster hates the vacuum cleaner."),
            ("vet", day, "Buster had a vet visit today, he has a sore paw."),
        ],
    )
    for later in (timedelta(hours=2), timedelta(days=90), timedelta(days=365)):
        as_of = day + later
        container.decay.run_users([user_id], as_of)
        found = _context(client, user_id, "how is my dog doing?", as_of)
        assert {"vet", "vacuum"} <= set(found), (later, found)


def test_a_name_said_a_year_ago_stays_and_small_talk_from_yesterday_does_not(
    client: TestClient, container: Container, user_id: str
) -> None:
    _write(
        client,
        user_id,
        [
            ("name", NOW - timedelta(days=365), "My name is Samantha Reyes."),
            ("lol", NOW - timedelta(days=1), "lol ok"),
            ("mood", NOW - timedelta(days=7), "I'm so stressed today"),
        ],
    )
    report = container.decay.run_users([user_id], NOW)
    assert report.memories == 3
    assert _tiers(container, user_id) == {"name": "hot", "lol": "cold", "mood": "cold"}
    assert _tier(client, user_id, "what is my name?", NOW, "name") == 1.0
    cold = container.settings.everyday_cold_factor
    assert _tier(client, user_id, "lol ok", NOW, "lol") == cold < 1.0
    assert _tier(client, user_id, "lol ok", NOW, "lol", include_cold=True) == 1.0
    assert _tier(client, user_id, "feeling stressed", NOW, "mood") == cold
    assert _tier(client, user_id, "feeling stressed", NOW, "mood", everyday_filters=False) == 1.0


def test_a_memorys_score_is_shown_as_of_the_moment_asked_and_a_pass_writes_only_moves(
    client: TestClient, container: Container, user_id: str
) -> None:
    said = NOW - timedelta(days=365)
    _write(client, user_id, [("name", said, "My name is Samantha Reyes.")])
    memory = _memory(client, user_id, "name", "Samantha Reyes")
    report = container.decay.run_users([user_id], NOW)
    assert report.moves == {}
    statement = "MATCH (m:Memory {id: $id}) RETURN m.decay_score AS s, m.decayed_at AS t"
    stored = _cypher(container, statement, id=memory["id"])
    assert (stored[0]["s"], stored[0]["t"]) == (None, None)

    def shown(as_of: datetime) -> float:
        response = client.get(f"/v1/users/{user_id}/memories/{memory['id']}", params={"as_of": as_of.isoformat()})
        assert response.status_code == 200, response.text
        score: float = response.json()["decay_score"]
        return score

    half_life = timedelta(days=DecayParams.of(container.settings).half_life_days[DecayKind.IDENTITY])
    assert shown(said) == pytest.approx(memory["significance"], abs=1e-3)
    assert shown(said + half_life) == pytest.approx(memory["significance"] / 2, abs=1e-3)
    assert 0 < shown(NOW + half_life) < shown(NOW) < shown(said)
    assert client.get(f"/v1/users/{user_id}/memories/{memory['id']}", params={"as_of": "soon"}).status_code == 422


def test_a_memory_recalled_often_stays_hot_and_its_twin_cools(
    client: TestClient, container: Container, user_id: str
) -> None:
    long_ago = NOW - timedelta(days=150)
    _write(
        client,
        user_id,
        [
            ("recalled", long_ago, "Maria's bakery on the corner sells cinnamon rolls."),
            ("idle", long_ago + timedelta(minutes=1), "Tom's bookshop by the station sells old maps."),
        ],
    )
    for _ in range(5):
        body = {"query": "cinnamon rolls bakery", "k": 1, "everyday_filters": False}
        assert client.post(f"/v1/users/{user_id}/search", json=body).json()[0]["message_id"] == "recalled"
    container.access.flush()
    container.decay.run_users([user_id], NOW + timedelta(minutes=1))
    assert _tiers(container, user_id) == {"recalled": "hot", "idle": "cold"}


def test_a_tier_move_reaches_a_user_already_in_the_memory_cache(
    client: TestClient, container: Container, user_id: str
) -> None:
    _write(client, user_id, [("mood", NOW - timedelta(days=10), "I feel so anxious and sad tonight")])
    assert _tier(client, user_id, "anxious and sad", NOW, "mood") == 1.0
    assert container.memory_cache.holds(user_id)
    container.decay.run_users([user_id], NOW)
    assert _tier(client, user_id, "anxious and sad", NOW, "mood") == container.settings.everyday_cold_factor


def test_a_forgotten_memory_leaves_every_search_at_once_and_its_content_goes_after_the_grace_period(
    client: TestClient, container: Container, user_id: str
) -> None:
    years_ago = NOW - timedelta(days=3 * 365)
    _write(
        client,
        user_id,
        [
            ("before", years_ago, "ok sounds good"),
            ("faded", years_ago + timedelta(minutes=1), "haha the marmalade was sticky"),
            ("after", years_ago + timedelta(minutes=2), "ok cool"),
        ],
    )
    memory = _memory(client, user_id, "faded", "sticky marmalade")
    embedding = container.embedder.encode_one("haha the marmalade was sticky")
    report = container.decay.run_users([user_id], NOW)
    assert (report.placed, report.purged) == ({"forgotten": 3}, 0)
    # In the grace period: out of every search, its content still held (so that it can be restored).
    assert _found(client, user_id, "sticky marmalade", NOW, everyday_filters=False, include_cold=True) == []
    held = client.get(f"/v1/users/{user_id}/memories/{memory['id']}").json()
    assert (held["tier"], held["content"]) == ("forgotten", "haha the marmalade was sticky")

    grace = timedelta(days=container.settings.decay_grace_days)
    assert container.decay.run_users([user_id], NOW + grace - timedelta(days=1)).purged == 0
    assert container.decay.run_users([user_id], NOW + grace).purged == 3
    shown = client.get(f"/v1/users/{user_id}/memories/{memory['id']}").json()
    assert (shown["tier"], shown["content"], shown["decay_score"]) == ("forgotten", None, 0.0)
    props = _cypher(
        container,
        "MATCH (m:Memory {id: $id}) RETURN m.content AS content, m.embedding AS embedding, "
        "m.sentence_vectors AS sentences, m.tenant AS tenant",
        id=memory["id"],
    )[0]
    assert dict(props) == {"content": None, "embedding": None, "sentences": None, "tenant": None}
    lucene = _cypher(
        container,
        "CALL db.index.fulltext.queryNodes('memory_content_en', 'marmalade') YIELD node RETURN node.id AS id",
    )
    assert memory["id"] not in {r["id"] for r in lucene}
    nearest = _cypher(
        container,
        "CALL db.index.vector.queryNodes('memory_embedding', 50, $e) YIELD node RETURN node.id AS id",
        e=embedding,
    )
    assert memory["id"] not in {r["id"] for r in nearest}
    # The timeline keeps its shape: the tombstone still sits between its neighbours.
    chain = _cypher(
        container,
        "MATCH (:Memory {user_id: $u, external_id: 'before'})-[:NEXT]->(m)-[:NEXT]->(:Memory {external_id: 'after'}) "
        "RETURN m.id AS id",
        u=user_id,
    )
    assert [r["id"] for r in chain] == [memory["id"]]


def test_age_only_cools_what_a_question_could_ask_about(client: TestClient, container: Container, user_id: str) -> None:
    years_ago = NOW - timedelta(days=4 * 365)
    _write(
        client,
        user_id,
        [
            ("mug", years_ago, "I bought each coworker a $12 mug for the holidays."),
            ("dentist", years_ago + timedelta(minutes=1), "Went to the dentist on the 15th, all fine."),
            ("thanks", years_ago + timedelta(minutes=2), "ok thanks!"),
            ("mood", years_ago + timedelta(minutes=3), "I'm so tired today."),
        ],
    )
    placed = container.decay.run_users([user_id], NOW, dry_run=True).placed
    assert placed.get("forgotten") == 2
    container.decay.run_users([user_id], NOW)
    tiers = _tiers(container, user_id)
    assert (tiers["thanks"], tiers["mood"]) == ("forgotten", "forgotten")
    assert "forgotten" not in (tiers["mug"], tiers["dentist"])
    found = _found(client, user_id, "what did I buy my coworkers?", NOW, include_cold=True)
    assert found[0] == "mug"


def test_forgetting_is_undone_within_the_grace_period_and_not_done_again(
    client: TestClient, container: Container, user_id: str
) -> None:
    years_ago = NOW - timedelta(days=3 * 365)
    later = years_ago + timedelta(minutes=1)
    _write(client, user_id, [("ok", years_ago, "ok sounds good"), ("haha", later, "haha the marmalade was sticky")])
    container.decay.run_users([user_id], NOW)
    assert _tiers(container, user_id) == {"ok": "forgotten", "haha": "forgotten"}
    assert container.decay.restore(user_id, since=NOW + timedelta(days=1)) == 0
    assert container.decay.restore(user_id) == 2
    assert _tiers(container, user_id) == {"ok": "cold", "haha": "cold"}
    assert _found(client, user_id, "sticky marmalade", NOW, include_cold=True)[0] == "haha"
    container.decay.run_users([user_id], NOW + timedelta(days=365))
    assert _tiers(container, user_id) == {"ok": "cold", "haha": "cold"}


def test_an_erasure_does_not_wait_for_the_grace_period(client: TestClient, container: Container, user_id: str) -> None:
    _write(client, user_id, [("jar", NOW - timedelta(days=3 * 365), "haha the marmalade jar was sticky")])
    memory = _memory(client, user_id, "jar", "marmalade jar")
    container.decay.run_users([user_id], NOW)
    assert _tiers(container, user_id) == {"jar": "forgotten"}
    assert client.delete(f"/v1/users/{user_id}/memories/{memory['id']}").status_code in {200, 204}
    left = _cypher(
        container,
        "MATCH (m:Memory) WHERE m.id = $id OR m.content CONTAINS 'marmalade jar' RETURN count(m) AS n",
        id=memory["id"],
    )
    assert left[0]["n"] == 0


def test_a_memory_that_asserts_a_fact_cools_with_age_and_its_fact_stays(
    client: TestClient, container: Container, user_id: str
) -> None:
    years_ago = NOW - timedelta(days=5 * 365)
    _write(
        client,
        user_id,
        [
            ("sushi-old", years_ago, "I love sushi."),
            ("jazz-old", years_ago + timedelta(minutes=1), "I love jazz."),
            ("sushi-new", NOW - timedelta(days=1), "I love sushi."),
        ],
    )
    container.decay.run_users([user_id], NOW)
    assert _tiers(container, user_id) == {"sushi-old": "cold", "jazz-old": "cold", "sushi-new": "hot"}
    after = {(f["predicate"], f["value"]) for f in client.get(f"/v1/users/{user_id}/facts").json()}
    assert {("likes", "sushi"), ("likes", "jazz")} <= after


@pytest.fixture
def users_of_two_runs(container: Container) -> Iterator[tuple[str, str]]:
    """Two id prefixes, each for an identical set of users; everything under them deleted afterwards."""
    run = uuid.uuid4().hex[:8]
    prefixes = (f"decay-{run}-a-", f"decay-{run}-b-")
    yield prefixes
    for prefix in prefixes:
        for i in range(4):
            container.users.store.delete(f"{prefix}{i}")
    _delete_leases(container, f"decay:decay-{run}-")


def _delete_leases(container: Container, name_prefix: str) -> None:
    _cypher(container, "MATCH (l:JobLease) WHERE l.name STARTS WITH $p DELETE l", p=name_prefix)


def test_a_pass_killed_part_way_resumes_and_ends_as_an_uninterrupted_one(
    client: TestClient, container: Container, users_of_two_runs: tuple[str, str]
) -> None:
    texts = ["My name is Alex.", "ok thanks", "I'm so stressed today", "Our cat Miso knocked over a plant."]
    for prefix in users_of_two_runs:
        for i in range(4):
            dated = [(f"t{j}", NOW - timedelta(days=20 * (i + j)), text) for j, text in enumerate(texts)]
            _write(client, f"{prefix}{i}", dated)
    # One user a batch, so that a run can stop between users.
    decay = DecayService(container.repository, DecayParams.of(container.settings), batch_memories=1, lease_s=60)
    whole, killed = users_of_two_runs
    assert decay.run(NOW, prefix=whole).users == 4
    first = decay.run(NOW, prefix=killed, max_batches=2)
    assert first.users == 2
    resumed = decay.run(prefix=killed)  # an unfinished run resumes as of its own moment
    assert (resumed.resumed, resumed.as_of, resumed.users) == (True, NOW, 2)
    for i in range(4):
        assert _tiers(container, f"{killed}{i}") == _tiers(container, f"{whole}{i}")
    assert not decay.run(NOW, prefix=killed).resumed  # a finished run is not resumed


def test_one_runner_at_a_time_holds_the_lease(container: Container) -> None:
    prefix = f"decay-lease-{uuid.uuid4().hex[:8]}-"
    holder = Lease(container.repository, f"decay:{prefix}", seconds=60)
    assert holder.acquire() is not None
    assert container.decay.run(NOW, prefix=prefix).skipped
    assert Lease(container.repository, f"decay:{prefix}", seconds=60).acquire() is None
    holder.save(holder.acquire() or pytest.fail("lost"), release=True)
    assert not container.decay.run(NOW, prefix=prefix).skipped
    _delete_leases(container, f"decay:{prefix}")


def test_a_dry_run_reports_moves_and_changes_nothing(client: TestClient, container: Container, user_id: str) -> None:
    _write(client, user_id, [("mood", NOW - timedelta(days=30), "I'm so stressed today")])
    dry = container.decay.run_users([user_id], NOW, dry_run=True)
    assert dry.moves == {"hot->forgotten": 1}
    assert _tiers(container, user_id) == {"mood": "hot"}
    assert container.decay.run_users([user_id], NOW).moves == dry.moves
    assert _tiers(container, user_id) == {"mood": "forgotten"}


def test_a_runner_killed_mid_pass_is_taken_over_and_the_result_is_an_uninterrupted_ones(
    container: Container,
) -> None:
    run = uuid.uuid4().hex[:8]
    killed, whole = f"decaykill-{run}", f"decaywhole-{run}"
    texts = ["I'm so stressed today", "Our cat Miso knocked over a plant."]
    # Three batches of a hundred memories each, so that the kill lands between two of them or inside one.
    users = [f"{tenant}/u{i:03d}" for tenant in (killed, whole) for i in range(USERS)]
    container.ingest.ingest(
        [
            IncomingMessage(
                user_id=f"{tenant}/u{i:03d}",
                companion_id="lucy",
                conversation_id="c1",
                role="user",
                text=text,
                message_id=f"t{j}",
                occurred_at=NOW - timedelta(days=5 * (i % 7 + j)),
            )
            for tenant in (killed, whole)
            for i in range(USERS)
            for j, text in enumerate(texts)
        ]
    )
    try:
        env = os.environ | {"DECAY_BATCH_MEMORIES": "100", "DECAY_LEASE_S": "1"}
        as_of = NOW.isoformat()
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.decay", "--tenant", killed, "--as-of", as_of],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            lease = _cypher(
                container, "MATCH (l:JobLease {name: $name}) RETURN l.cursor AS cursor", name=f"decay:{killed}/"
            )
            if lease and lease[0]["cursor"]:
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(1.1)  # the killed runner's lease expires
        taken_over = container.decay.run(prefix=f"{killed}/")
        assert taken_over.resumed
        assert taken_over.as_of == NOW
        assert 0 < taken_over.users < USERS
        container.decay.run(NOW, prefix=f"{whole}/")
        for i in range(USERS):
            assert _tiers(container, f"{killed}/u{i:03d}") == _tiers(container, f"{whole}/u{i:03d}")
    finally:
        for user in users:
            container.users.store.delete(user)
        _delete_leases(container, f"decay:decaykill-{run}")
        _delete_leases(container, f"decay:decaywhole-{run}")
