"""The context cache shared between API replicas, in Redis.

A send may reach another replica than the drafts did; with `REDIS_URL` set every replica keeps
and reads entries here. One key per (owner key, conversation), so a tenant's entry is never another's;
Redis expires it at the TTL; the value is the entry as JSON. A Redis that cannot be reached makes the cache
miss (the context is computed then), never the request fail.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging

import redis

from app.retrieval.cache.state import CacheState
from app.retrieval.context import Context
from app.typeahead.cache import Entry

log = logging.getLogger(__name__)
PREFIX = "companion-memory:typeahead:"


def _key(owner: str, conversation: str) -> str:
    # Hashed: ids may hold any character, and the key's length stays fixed.
    return PREFIX + hashlib.sha256(json.dumps([owner, conversation]).encode()).hexdigest()


class RedisStore:
    """Entries in Redis, each for `ttl_s`."""

    def __init__(self, url: str, ttl_s: float) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._ttl_ms = int(ttl_s * 1000)

    def get(self, owner: str, conversation: str) -> Entry | None:
        try:
            raw = self._redis.get(_key(owner, conversation))
        except redis.RedisError:
            log.warning("Redis unreachable: the type-ahead cache misses", exc_info=True)
            return None
        if raw is None:
            return None
        value = json.loads(raw)
        return Entry(
            text=value["text"],
            embedding=value["embedding"],
            context=Context.model_validate(value["context"]),
            state=CacheState(**value["state"]),
            computed_at=value["computed_at"],
            took_ms=value["took_ms"],
        )

    def put(self, owner: str, conversation: str, entry: Entry) -> None:
        value = {
            "text": entry.text,
            "embedding": entry.embedding,
            "context": entry.context.model_dump(mode="json"),
            "state": dataclasses.asdict(entry.state),
            "computed_at": entry.computed_at,
            "took_ms": entry.took_ms,
        }
        try:
            self._redis.set(_key(owner, conversation), json.dumps(value), px=self._ttl_ms)
        except redis.RedisError:
            log.warning("Redis unreachable: a draft's context is not shared", exc_info=True)

    def drop(self, owner: str, conversation: str) -> None:
        try:
            self._redis.delete(_key(owner, conversation))
        except redis.RedisError:
            log.warning("Redis unreachable: an entry waits for its TTL", exc_info=True)
