"""The keys' queries: a key made, listed, revoked, read for a check, and when keys were last used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.graph.values import native
from app.keys.secrets import Scope


class ApiKey(BaseModel):
    """A key as listed (never its secret nor its hash)."""

    id: str
    tenant_id: str
    name: str
    scopes: list[Scope]
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class CheckedKey(BaseModel):
    """What checking a key needs: its tenant, scopes, hash and whether it was revoked."""

    tenant_id: str
    scopes: list[Scope]
    secret_hash: str
    revoked: bool


def _key(row: Any) -> ApiKey:
    return ApiKey(**{k: native(v) for k, v in row.items() if k != "secret_hash"})


class KeysStore:
    """API keys in the graph, stored as hashes."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def create(self, key_id: str, tenant_id: str, name: str, scopes: list[str], secret_hash: str) -> ApiKey:
        """Store a new key."""
        record = self.repository.write_one(
            Query.API_KEY_CREATE, key_id=key_id, tenant_id=tenant_id, name=name, scopes=scopes, secret_hash=secret_hash
        )
        assert record is not None  # CREATE always answers its node
        return _key(record["key"])

    def list(self, tenant_id: str | None) -> list[ApiKey]:
        """Every key, or a tenant's, newest first."""
        return [_key(r["key"]) for r in self.repository.read_all(Query.API_KEYS_LIST, tenant_id=tenant_id)]

    def revoke(self, key_id: str) -> ApiKey | None:
        """Mark a key revoked; None when there is none of that id."""
        record = self.repository.write_one(Query.API_KEY_REVOKE, key_id=key_id)
        return _key(record["key"]) if record is not None else None

    def checked(self, key_id: str) -> CheckedKey | None:
        """What a check of key `key_id` compares, or None when there is no such key."""
        record = self.repository.read_one(Query.API_KEY_GET, key_id=key_id)
        if record is None:
            return None
        key = record["key"]
        return CheckedKey(
            tenant_id=key["tenant_id"],
            scopes=key["scopes"],
            secret_hash=key["secret_hash"],
            revoked=key.get("revoked_at") is not None,
        )

    def touch(self, used: dict[str, datetime]) -> None:
        """Record when each key was last used."""
        self.repository.write_one(Query.API_KEYS_TOUCH, rows=[{"id": k, "at": at} for k, at in used.items()])
