"""Driver values as plain Python: Neo4j's temporal types become `datetime` and friends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any


def native(value: Any) -> Any:
    """`value.to_native()` for the driver's temporal types; anything else unchanged."""
    return value.to_native() if hasattr(value, "to_native") else value


def moment_of(parts: Sequence[int]) -> datetime:
    """A moment from its epoch seconds, microsecond and offset seconds (a query that returns many moments
    returns them so: the driver's DateTime is slow to decode)."""
    seconds, microsecond, offset = parts
    zone = timezone(timedelta(seconds=offset)) if offset else UTC
    return datetime.fromtimestamp(seconds, zone).replace(microsecond=microsecond)


def plain(value: Any) -> Any:
    """A driver value with every temporal inside it, in maps and lists too, made plain Python."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return native(value)
