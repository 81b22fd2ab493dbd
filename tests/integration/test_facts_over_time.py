"""Facts that change without forgetting: scenarios of several messages through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


class Conversation:
    """Sends a user's messages one after another, a day apart."""

    def __init__(self, client: TestClient, user_id: str) -> None:
        self.client, self.user_id, self.day = client, user_id, 0

    def say(self, text: str, role: str = "user") -> dict[str, Any]:
        self.day += 1
        response = self.client.post(
            "/v1/messages",
            json={
                "user_id": self.user_id,
                "companion_id": "lucy",
                "conversation_id": "c1",
                "role": role,
                "text": text,
                "message_id": f"m{self.day}",
                "occurred_at": f"2025-{1 + self.day // 28:02d}-{1 + self.day % 28:02d}T12:00:00Z",
            },
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def current(self) -> set[tuple[str, str]]:
        return {(f["predicate"], f["value"]) for f in self.client.get(f"/v1/users/{self.user_id}/facts").json()}

    def history(self, predicate: str) -> dict[str, Any]:
        response = self.client.get(f"/v1/users/{self.user_id}/facts/history", params={"predicate": predicate})
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result


def test_seattle_then_tokyo_keeps_the_history(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("I live in Seattle.")
    chat.say("I moved to Tokyo last month!")
    assert ("lives_in", "Tokyo") in chat.current()
    assert ("lives_in", "Seattle") not in chat.current()
    history = chat.history("lives_in")
    assert [(f["value"], f["status"]) for f in history["facts"]] == [("Seattle", "superseded"), ("Tokyo", "current")]
    assert history["facts"][0]["superseded_by"][0]["value"] == "Tokyo"
    # Seattle stopped being true when the move was said (the second message's day), not when it was ingested.
    assert history["summary"].startswith("lives in: Seattle until 2025-01-03, then Tokyo")
    assert history["summary"].endswith("then Tokyo (current)")


def test_sushi_then_vegan(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("I love sushi and hiking.")
    chat.say("I'm vegan now.")
    assert {("diet", "vegan"), ("likes", "hiking")} <= chat.current()
    assert ("likes", "sushi") not in chat.current()
    sushi = next(f for f in chat.history("likes")["facts"] if f["value"] == "sushi")
    assert sushi["status"] == "superseded"
    assert sushi["superseded_by"][0]["reason"] == "incompatible with diet: vegan"


def test_name_change_asks_then_confirm_supersedes(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("My name is Alice.")
    answer = chat.say("Actually, call me Ally.")
    (question,) = answer["clarifications"]
    assert question["question"] == "You told me your name is Alice; should I call you Ally now?"
    assert ("name", "Alice") in chat.current()
    confirmed = client.post(f"/v1/users/{user_id}/facts/{question['pending_fact_id']}/confirm")
    assert confirmed.status_code == 200
    assert ("name", "Ally") in {(f["predicate"], f["value"]) for f in confirmed.json()}
    assert [(f["value"], f["status"]) for f in chat.history("name")["facts"]] == [
        ("Alice", "superseded"),
        ("Ally", "current"),
    ]
    again = client.post(f"/v1/users/{user_id}/facts/{question['pending_fact_id']}/confirm")
    assert again.status_code == 409


def test_rejected_name_is_discarded(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("My name is Alice.")
    pending = chat.say("Call me Bob.")["clarifications"][0]["pending_fact_id"]
    assert client.post(f"/v1/users/{user_id}/facts/{pending}/reject").status_code == 200
    assert ("name", "Alice") in chat.current()
    assert client.post(f"/v1/users/{user_id}/facts/does-not-exist/reject").status_code == 404


def test_companion_inference_never_outranks_the_users_statement(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("I'm a nurse.")
    inferred = chat.say("You seem like a writer.", role="companion")
    assert [(f["value"], f["status"], f["modality"]) for f in inferred["facts"]] == [
        ("writer", "candidate", "inferred")
    ]
    assert ("job", "nurse") in chat.current()
    assert ("job", "writer") not in chat.current()


def test_an_old_value_comes_back_with_a_new_edge(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("I live in Seattle.")
    chat.say("I moved to Tokyo.")
    chat.say("I moved back to Seattle.")
    facts = chat.history("lives_in")["facts"]
    assert [(f["value"], f["status"]) for f in facts] == [
        ("Seattle", "superseded"),
        ("Tokyo", "superseded"),
        ("Seattle", "current"),
    ]
    assert facts[1]["superseded_by"][0]["reason"] == "restated earlier value"


def test_timeline_of_an_entity_is_in_time_order(client: TestClient, user_id: str) -> None:
    chat = Conversation(client, user_id)
    chat.say("My dog Buster loves the beach.")
    chat.say("Buster chewed my favourite shoes today, I'm so annoyed")
    response = client.get(f"/v1/users/{user_id}/timeline", params={"entity": "Buster"})
    assert response.status_code == 200
    entries = response.json()
    memories = [e["text"] for e in entries if e["kind"] == "memory"]
    assert memories == ["My dog Buster loves the beach.", "Buster chewed my favourite shoes today, I'm so annoyed"]
    assert any(e["kind"] == "fact" and e["text"] == "has_pet: dog Buster" for e in entries)
    assert client.get(f"/v1/users/{user_id}/timeline", params={"entity": "Nobody"}).status_code == 404
