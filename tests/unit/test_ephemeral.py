"""Role-play, hypotheticals, games and reasoning stay out of long-term memory; the store expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.write.ephemeral import EphemeralReason, EphemeralStore, detect

EPHEMERAL = [
    ("Let's pretend you're a dragon guarding a castle", "user", EphemeralReason.ROLE_PLAY),
    ("*draws my sword and charges at the goblin*", "user", EphemeralReason.ROLE_PLAY),
    ("Can we roleplay as two detectives in Paris?", "user", EphemeralReason.ROLE_PLAY),
    ("What if I were a millionaire, what would I buy?", "user", EphemeralReason.HYPOTHETICAL),
    ("Hypothetically, if I lived on Mars, would I be lonely?", "user", EphemeralReason.HYPOTHETICAL),
    ("Imagine you were a cat for a day", "user", EphemeralReason.HYPOTHETICAL),
    ("If I were a bird I'd fly to Tokyo", "user", EphemeralReason.HYPOTHETICAL),
    ("Let's play a game of 20 questions", "user", EphemeralReason.GAME),
    ("Would you rather fight one horse-sized duck or ten duck-sized horses?", "user", EphemeralReason.GAME),
    ("Thinking: the user seems tired, keep the answer short", "companion", EphemeralReason.REASONING),
]
STORED = [
    "I pretended to be sick to skip work yesterday",
    "What if it rains at my wedding on Saturday? I'm so nervous",
    "I imagine my mom will love the scarf I knitted",
    "I played a game of chess with my dad last night",
    "My friend and I are going to a role-play convention in May",
]


@pytest.mark.parametrize(("text", "role", "reason"), EPHEMERAL)
def test_detects_ephemeral_context(text: str, role: str, reason: EphemeralReason) -> None:
    assert detect(text, role) == reason


@pytest.mark.parametrize("text", STORED)
def test_real_life_look_alikes_are_not_ephemeral(text: str) -> None:
    assert detect(text, "user") is None


def test_companion_reasoning_flagged_by_metadata() -> None:
    assert detect("The user likes tea.", "companion", {"kind": "reasoning"}) == EphemeralReason.REASONING
    assert detect("The user likes tea.", "companion") is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _add(store: EphemeralStore, conversation: str, message_id: str, minutes: int) -> None:
    store.add(
        "u1",
        conversation,
        message_id=message_id,
        role="user",
        text=message_id,
        reason=EphemeralReason.ROLE_PLAY,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes),
    )


def test_store_keeps_order_by_time_whatever_the_arrival_order() -> None:
    store = EphemeralStore(ttl_s=60, max_items=10, clock=FakeClock())
    for message_id, minute in [("b", 2), ("a", 1), ("c", 3)]:
        _add(store, "c1", message_id, minute)
    assert [i.message_id for i in store.read("u1", "c1")] == ["a", "b", "c"]
    assert store.read("u2", "c1") == []


def test_store_expires_after_ttl_and_clears_on_request() -> None:
    clock = FakeClock()
    store = EphemeralStore(ttl_s=60, max_items=10, clock=clock)
    _add(store, "c1", "a", 1)
    _add(store, "c2", "b", 1)
    assert store.clear("u1", "c2") == 1
    assert store.read("u1", "c2") == []
    clock.now = 61
    assert store.read("u1", "c1") == []


def test_store_is_capped_and_ignores_a_repeated_message_id() -> None:
    store = EphemeralStore(ttl_s=60, max_items=2, clock=FakeClock())
    for message_id, minute in [("a", 1), ("a", 1), ("b", 2), ("c", 3)]:
        _add(store, "c1", message_id, minute)
    assert [i.message_id for i in store.read("u1", "c1")] == ["b", "c"]
