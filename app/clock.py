"""The one rule for a moment a caller gives: none means now, and a time without a zone is UTC (never the
server's zone, which a client cannot know)."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(moment: datetime | None) -> datetime:
    """`moment` as an aware datetime: now when None, UTC when naive."""
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
