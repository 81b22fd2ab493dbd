"""Isolation, property-based: a hypothesis state machine drives three tenants whose users share ids and
near-identical words through every read and write of the API, and after every operation no answer to one
(tenant, user) holds a memory id, an entity, a fact or a word of another.

Each text carries its owner's mark (a word no other owner's texts use), so that a leak shows as a foreign
mark in an answer. The suite runs `ISOLATION_EXAMPLES` x `ISOLATION_STEPS` (100 x 100) operations with a fixed seed
(derandomized); `make test-long` runs more.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from app.container import Container
from app.keys.secrets import Scope

pytestmark = pytest.mark.integration

TENANTS = ("iso-a", "iso-b", "iso-c")
USERS = ("alice", "bob")
EXAMPLES = int(os.environ.get("ISOLATION_EXAMPLES", "100"))
STEPS = int(os.environ.get("ISOLATION_STEPS", "100"))
SENTENCES = (
    "My name is {name} and I live in Seattle with my dog Buster, {mark}.",
    "I moved to Tokyo for a new job at Sony, {mark}.",
    "My sister Anna loves hiking and sushi, {mark}.",
    "I am vegan now and I work as a nurse, {mark}.",
    "Let's pretend I'm a pirate captain, {mark}.",
)
QUERIES = ("where do I live", "tell me about my dog", "what does my sister like", "what is my job")
MARK = re.compile(r"\bmark[a-z]+\b")

owners = st.tuples(st.sampled_from(TENANTS), st.sampled_from(USERS))


def _mark(tenant: str, user: str) -> str:
    # letters only: one word for Lucene and spaCy alike
    return "mark" + "".join(chr(ord("a") + (ord(c) % 26)) for c in f"{tenant}{user}")


class Isolation(RuleBasedStateMachine):
    """The model: which memory ids belong to whom. The graph carries over from one example to the next
    (deleting six users per example would cost more than the operations); the marks catch a leak either
    way, and the ids an example wrote are checked against every other owner's answers."""

    client: TestClient
    container: Container
    keys: dict[str, dict[str, str]]

    def __init__(self) -> None:
        super().__init__()
        self.memories: dict[tuple[str, str], set[str]] = {}
        self.counter = 0
        self.last: tuple[tuple[str, str], Any] | None = None

    def _call(self, owner: tuple[str, str], method: str, path: str, **kwargs: Any) -> Any:
        tenant, user = owner
        response = self.client.request(method, path.format(user=user), headers=self.keys[tenant], **kwargs)
        assert response.status_code < 500, response.text
        body = response.json() if response.content else None
        self.last = (owner, body)
        return body

    def _message(self, owner: tuple[str, str], sentence: int) -> dict[str, Any]:
        self.counter += 1
        tenant, user = owner
        return {
            "user_id": user,
            "companion_id": "lucy",
            "conversation_id": f"c{self.counter % 3}",
            "message_id": f"m{self.counter}",
            "role": "user",
            "text": SENTENCES[sentence].format(name=user.title(), mark=_mark(tenant, user)),
        }

    def _stored(self, owner: tuple[str, str], outcomes: list[dict[str, Any]]) -> None:
        for outcome in outcomes:
            if outcome.get("status") == "stored" and outcome.get("memory_id"):
                self.memories.setdefault(owner, set()).add(outcome["memory_id"])

    @rule(owner=owners, sentence=st.integers(0, len(SENTENCES) - 1))
    def write(self, owner: tuple[str, str], sentence: int) -> None:
        self._stored(owner, [self._call(owner, "POST", "/v1/messages", json=self._message(owner, sentence))])

    @rule(owner=owners, sentences=st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=4))
    def batch(self, owner: tuple[str, str], sentences: list[int]) -> None:
        messages = [self._message(owner, s) for s in sentences]
        self._stored(owner, self._call(owner, "POST", "/v1/messages/batch", json={"messages": messages}))

    @rule(owner=owners, query=st.sampled_from(QUERIES), mode=st.sampled_from(["hybrid", "semantic", "keyword"]))
    def search(self, owner: tuple[str, str], query: str, mode: str) -> None:
        body = {"query": query, "mode": mode, "everyday_filters": False, "k": 20}
        self._call(owner, "POST", "/v1/users/{user}/search", json=body)

    @rule(owner=owners, query=st.sampled_from(QUERIES))
    def context(self, owner: tuple[str, str], query: str) -> None:
        self._call(owner, "POST", "/v1/users/{user}/context", json={"query": query, "companion_id": "lucy"})

    @rule(owner=owners)
    def facts(self, owner: tuple[str, str]) -> None:
        self._call(owner, "GET", "/v1/users/{user}/facts")

    @rule(owner=owners, predicate=st.sampled_from(["lives_in", "name", "diet", "job"]))
    def history(self, owner: tuple[str, str], predicate: str) -> None:
        self._call(owner, "GET", "/v1/users/{user}/facts/history", params={"predicate": predicate})

    @rule(owner=owners, entity=st.sampled_from(["self", "Buster", "Anna", "Tokyo"]))
    def timeline(self, owner: tuple[str, str], entity: str) -> None:
        self._call(owner, "GET", "/v1/users/{user}/timeline", params={"entity": entity})

    @rule(owner=owners, other=owners, data=st.data())
    def memory(self, owner: tuple[str, str], other: tuple[str, str], data: st.DataObject) -> None:
        # Asking for a memory id of any owner: only one's own is ever found.
        ids = sorted(self.memories.get(other, set()))
        if not ids:
            return
        memory_id = data.draw(st.sampled_from(ids))
        found = self._call(owner, "GET", f"/v1/users/{{user}}/memories/{memory_id}")
        assert (found.get("id") == memory_id) == (owner == other), (owner, other)
        if owner != other:
            self.last = None  # a 404 that names the id asked for tells nothing new

    @rule(owner=owners, other=owners, data=st.data())
    def delete_memory(self, owner: tuple[str, str], other: tuple[str, str], data: st.DataObject) -> None:
        ids = sorted(self.memories.get(other, set()))
        if not ids:
            return
        memory_id = data.draw(st.sampled_from(ids))
        tenant, user = owner
        response = self.client.delete(f"/v1/users/{user}/memories/{memory_id}", headers=self.keys[tenant])
        assert response.status_code == (204 if owner == other else 404)
        if owner == other:
            self.memories[owner].discard(memory_id)
        self.last = None

    @rule(owner=owners)
    def list_memories(self, owner: tuple[str, str]) -> None:
        self._call(owner, "GET", "/v1/users/{user}/memories", params={"limit": 500})

    @rule(owner=owners, other=owners, data=st.data(), sentence=st.integers(0, len(SENTENCES) - 1))
    def correct_memory(
        self, owner: tuple[str, str], other: tuple[str, str], data: st.DataObject, sentence: int
    ) -> None:
        # Correcting a memory id of any owner: only one's own is ever changed.
        ids = sorted(self.memories.get(other, set()))
        if not ids:
            return
        memory_id = data.draw(st.sampled_from(ids))
        text = self._message(owner, sentence)["text"]
        tenant, user = owner
        path = f"/v1/users/{user}/memories/{memory_id}"
        response = self.client.patch(path, json={"content": text}, headers=self.keys[tenant])
        # Its own may be refused as a correction (make-believe is no memory); another's is never found.
        assert response.status_code in ({200, 422} if owner == other else {404}), response.text
        self.last = (owner, response.json()) if response.status_code == 200 else None

    @rule(owner=owners)
    def delete_user(self, owner: tuple[str, str]) -> None:
        tenant, user = owner
        self.client.delete(f"/v1/users/{user}", headers=self.keys[tenant])
        self.memories.pop(owner, None)
        self.last = None

    @rule(owner=owners, conversation=st.integers(0, 2))
    def ephemeral(self, owner: tuple[str, str], conversation: int) -> None:
        self._call(owner, "GET", f"/v1/users/{{user}}/conversations/c{conversation}/ephemeral")

    @invariant()
    def no_answer_holds_another_owners_things(self) -> None:
        if self.last is None:
            return
        owner, body = self.last
        text = str(body)
        marks = set(MARK.findall(text))
        assert marks <= {_mark(*owner)}, (owner, marks)
        foreign = {m for o, ids in self.memories.items() if o != owner for m in ids}
        assert not any(memory_id in text for memory_id in foreign), owner


def test_no_tenant_or_user_ever_sees_another(client: TestClient, container: Container) -> None:
    made = {tenant: container.keys.create(tenant, list(Scope), name="isolation") for tenant in TENANTS}
    Isolation.client = TestClient(client.app)
    Isolation.container = container
    Isolation.keys = {tenant: {"Authorization": f"Bearer {m.key}"} for tenant, m in made.items()}
    run = settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        run_state_machine_as_test(Isolation, settings=run)
    finally:
        for tenant, created in made.items():
            container.keys.revoke(created.api_key.id)
            for user in USERS:
                container.users.store.delete(f"{tenant}/{user}")
