"""Keys: made, listed, revoked, and checked on every request.

A checked key is remembered for `cache_s` seconds, so that a request does not wait for a read of the graph
each time; revoking a key in this process forgets it at once, in other replicas within `cache_s`. When a
key was last used is written off the request path, in batches.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import BaseModel

from app.background.periodic import PeriodicWorker
from app.errors import AuthenticationError, NotFoundError
from app.graph.repository import GraphRepository
from app.keys.secrets import Scope, matches, new_key, parse
from app.keys.store import ApiKey, CheckedKey, KeysStore
from app.tenancy import Tenant, valid_tenant

#: Keys (and unknown key ids, so that a flood of made-up keys costs no read each) remembered at most.
CHECKED_KEYS_HELD = 10_000


class CreatedKey(BaseModel):
    """A key just made: `key` is shown this once."""

    key: str
    api_key: ApiKey


class Principal(BaseModel):
    """Who is calling: a tenant, with the scopes of its key."""

    tenant_id: str
    scopes: frozenset[Scope]
    key_id: str | None = None

    @property
    def tenant(self) -> Tenant:
        """The caller's tenant."""
        return Tenant(self.tenant_id)


class KeysService:
    """API keys of tenants, stored as hashes in the graph."""

    def __init__(self, repository: GraphRepository, cache_s: float = 10.0, touch_interval_s: float = 5.0) -> None:
        self.store = KeysStore(repository)
        self.cache_s = cache_s
        self._checked: dict[str, tuple[float, CheckedKey | None]] = {}
        self._used: dict[str, datetime] = {}
        self._lock = threading.Lock()
        # One flush at a time: a flush that finds nothing to write must still return only after a write
        # already taken by the periodic worker has landed, or a caller that flushes and reads misses it.
        self._flushing = threading.Lock()
        self._toucher = PeriodicWorker("api-key-use", self.flush, touch_interval_s)
        self._toucher.start()

    def close(self) -> None:
        """Write the last uses and stop."""
        self._toucher.close()

    def create(self, tenant_id: str, scopes: Iterable[Scope], name: str = "") -> CreatedKey:
        """A new key of `tenant_id` with `scopes`; the returned `key` is its only copy."""
        made = new_key()
        key = self.store.create(
            key_id=made.key_id,
            tenant_id=valid_tenant(tenant_id),
            name=name,
            scopes=sorted({Scope(s).value for s in scopes}),
            secret_hash=made.secret_hash,
        )
        return CreatedKey(key=made.text, api_key=key)

    def list(self, tenant_id: str | None = None) -> list[ApiKey]:
        """Every key, or a tenant's, newest first."""
        return self.store.list(tenant_id)

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key; NotFoundError when there is none of that id."""
        key = self.store.revoke(key_id)
        if key is None:
            raise NotFoundError(f"no API key {key_id!r}")
        with self._lock:
            self._checked.pop(key_id, None)
        return key

    def authenticate(self, text: str) -> Principal:
        """The caller a key's text stands for; AuthenticationError for anything else, saying no more than
        that the key is not valid."""
        parsed = parse(text)
        if parsed is None:
            raise AuthenticationError("the API key is not valid")
        key_id, secret = parsed
        now = time.monotonic()
        with self._lock:
            held = self._checked.get(key_id)
        if held is None or held[0] < now:
            held = (now + self.cache_s, self.store.checked(key_id))
            with self._lock:
                if len(self._checked) >= CHECKED_KEYS_HELD:  # unknown ids are remembered too: bound them
                    self._checked.clear()
                self._checked[key_id] = held
        stored = held[1]
        if stored is None or stored.revoked or not matches(secret, stored.secret_hash):
            raise AuthenticationError("the API key is not valid")
        with self._lock:
            self._used[key_id] = datetime.now(UTC)
        return Principal(tenant_id=stored.tenant_id, scopes=frozenset(stored.scopes), key_id=key_id)

    def flush(self) -> None:
        """Write when keys were last used."""
        with self._flushing:
            with self._lock:
                used, self._used = self._used, {}
            if used:
                self.store.touch(used)
