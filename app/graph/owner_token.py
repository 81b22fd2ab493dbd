"""The owner token: a user's owner key (app/tenancy.py) as one Lucene term, stored on the user's memories,
entities and conversations as `tenant`, so that full-text queries filter by user natively."""

from __future__ import annotations

import hashlib


def owner_token(user_id: str) -> str:
    """A letters-and-digits token (the standard analyzer keeps it whole) that identifies the user."""
    return "t" + hashlib.sha256(user_id.encode()).hexdigest()[:32]
