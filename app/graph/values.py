"""Driver values as plain Python: Neo4j's temporal types become `datetime` and friends."""

from __future__ import annotations

from typing import Any


def native(value: Any) -> Any:
    """`value.to_native()` for the driver's temporal types; anything else unchanged."""
    return value.to_native() if hasattr(value, "to_native") else value


def plain(value: Any) -> Any:
    """A driver value with every temporal inside it, in maps and lists too, made plain Python."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return native(value)
