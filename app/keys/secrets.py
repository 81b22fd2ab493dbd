"""API keys as a client holds them, and as the graph stores them. Pure.

A key reads `cm_<key id>_<secret>`: the id finds the stored key, the secret (32 random bytes, URL-safe) is
checked against its SHA-256. A secret of that entropy needs no slow hash: nobody can guess it, and a
stolen hash does not give it back. Only the hash is ever stored; the key is shown once, at creation.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

PREFIX = "cm"
_KEY = re.compile(rf"^{PREFIX}_([0-9a-f]{{16}})_([A-Za-z0-9_-]{{43}})$")


class Scope(StrEnum):
    """What a key may do."""

    READ = "read"  # search, context, facts, timeline, memories, ephemeral items
    WRITE = "write"  # messages, users and companions, answers to clarifications
    ADMIN = "admin"  # deleting users, managing keys


@dataclass(frozen=True)
class NewKey:
    """A key just made: the text the client keeps, and what the graph stores."""

    key_id: str
    text: str
    secret_hash: str


def new_key() -> NewKey:
    """A fresh, high-entropy key."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return NewKey(key_id, f"{PREFIX}_{key_id}_{secret}", hash_secret(secret))


def hash_secret(secret: str) -> str:
    """What the graph stores of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def parse(text: str) -> tuple[str, str] | None:
    """The key id and the secret of a key's text, None when it is not shaped like one of ours."""
    match = _KEY.match(text.strip())
    return (match.group(1), match.group(2)) if match else None


def matches(secret: str, stored_hash: str) -> bool:
    """Whether `secret` is the one whose hash was stored (in constant time)."""
    return hmac.compare_digest(hash_secret(secret), stored_hash)
