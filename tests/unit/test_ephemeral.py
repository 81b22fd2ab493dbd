"""The companion's reasoning and system messages stay out of long-term memory; the store expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.write.ephemeral import EphemeralReason, EphemeralStore, of_role


def test_companion_reasoning_is_ephemeral_by_metadata_or_marker() -> None:
    assert of_role("The user likes tea.", "companion", {"kind": "reasoning"}) == EphemeralReason.REASONING
    assert of_role("Thinking: the user seems tired", "companion") == EphemeralReason.REASONING
    assert of_role("The user likes tea.", "companion") is None


def test_system_messages_are_ephemeral_and_a_users_marker_is_not_reasoning() -> None:
    assert of_role("Be kind.", "system") == EphemeralReason.SYSTEM
    assert of_role("Thinking: should I move to Lisbon?", "user") is None


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
