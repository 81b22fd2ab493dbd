"""The tenant token: a user id as one Lucene term, so full-text queries can filter by user natively."""

from __future__ import annotations

import hashlib


def tenant_token(user_id: str) -> str:
    """A letters-and-digits token (the standard analyzer keeps it whole) that identifies the user."""
    return "t" + hashlib.sha256(user_id.encode()).hexdigest()[:32]
