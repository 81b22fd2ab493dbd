"""The context cache's rules of reuse, without a graph: same text, same meaning, fresh, memories unmoved."""

from __future__ import annotations

import time

import pytest

from app.retrieval.cache.state import CacheState
from app.retrieval.context import Context
from app.typeahead.cache import ContextCache, Entry, LocalStore

STATE = CacheState(version=3, deletions=0, generation="g", memory_count=10)
CONTEXT = Context(user_id="u", memories=[], identity=[], companion=None, text="", approx_tokens=1)


def _cache(ttl_s: float = 60.0) -> ContextCache:
    cache = ContextCache(LocalStore(ttl_s), ttl_s, reuse_cosine=0.95)
    cache.remember("u", "c1", Entry("how is my dog", [1.0, 0.0], CONTEXT, STATE, time.time(), 5.0))
    return cache


def test_the_same_text_reuses_the_entry_and_its_embedding() -> None:
    reuse = _cache().reusable("u", "c1", "how is my dog", STATE)
    assert reuse is not None
    assert reuse.same_text
    assert reuse.entry.embedding == [1.0, 0.0]


def test_another_text_reuses_it_only_when_its_meaning_is_close() -> None:
    cache = _cache()
    assert cache.reusable("u", "c1", "how's my dog", STATE) is None  # no embedding: text only
    close = cache.reusable("u", "c1", "how's my dog", STATE, [0.99, 0.05])
    assert close is not None
    assert not close.same_text
    assert cache.reusable("u", "c1", "what's the weather", STATE, [0.2, 0.98]) is None


def test_moved_memories_drop_the_entry() -> None:
    cache = _cache()
    moved = CacheState(version=4, deletions=0, generation="g", memory_count=11)
    assert cache.reusable("u", "c1", "how is my dog", moved) is None
    assert cache.reusable("u", "c1", "how is my dog", STATE) is None  # dropped for good


def test_entries_expire_and_belong_to_one_user_and_conversation() -> None:
    cache = _cache(ttl_s=0.05)
    assert cache.reusable("other", "c1", "how is my dog", STATE) is None
    assert cache.reusable("u", "c2", "how is my dog", STATE) is None
    time.sleep(0.06)
    assert cache.reusable("u", "c1", "how is my dog", STATE) is None


@pytest.mark.parametrize("size", [1, 2])
def test_the_local_store_is_bounded(size: int) -> None:
    store = LocalStore(60.0, size=size)
    for i in range(3):
        store.put("u", f"c{i}", Entry("t", [1.0], CONTEXT, STATE, time.time(), 1.0))
    assert sum(store.get("u", f"c{i}") is not None for i in range(3)) == size
