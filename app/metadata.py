"""A client's `metadata`: free JSON that the service keeps beside a message or a user and gives back as it
came, within bounds that every reader can serialise.

Unbounded, a client could store what no later read can return (JSON nested hundreds of levels deep passes
Python's parser but not pydantic's serialiser, so every read of that memory, its conversation and the
user's export would fail). So one rule bounds what is taken, at every door (HTTP, the batch route and
pipeline, the WebSocket, MCP), and the same rule guards what is read back, for what was stored before
the bound existed.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

log = logging.getLogger(__name__)

#: Levels of nesting, the object itself being the first.
MAX_DEPTH = 16
#: Keys of every object in it, together.
MAX_KEYS = 256
#: Its size as stored JSON, in bytes of UTF-8.
MAX_BYTES = 16 * 1024


def problem(value: object, *, sized: bool = True) -> str | None:
    """Why `value` is not acceptable metadata, or None; `sized`: its key count and size count too. Walks
    iteratively, so that no depth of nesting can exhaust the interpreter's stack before the bound
    refuses it."""
    if not isinstance(value, dict):
        return "metadata is a JSON object"
    keys = 0
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list) and depth > MAX_DEPTH:
            return f"metadata is nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, dict):
            keys += len(item)
            if sized and keys > MAX_KEYS:
                return f"metadata holds more than {MAX_KEYS} keys"
            if not all(isinstance(key, str) for key in item):
                return "metadata's keys are strings"
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, float) and not math.isfinite(item):
            return "metadata holds a number that is not finite (NaN or Infinity)"
        elif item is not None and not isinstance(item, str | int | float):
            return f"metadata holds a {type(item).__name__}, which JSON has not"
    if sized and len(to_stored(value).encode("utf-8")) > MAX_BYTES:
        return f"metadata is larger than {MAX_BYTES} bytes as JSON"
    return None


def to_stored(value: dict[str, Any]) -> str:
    """The stored form: JSON with sorted keys."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _bounded(value: object) -> object:
    reason = problem(value)
    if reason is not None:
        raise ValueError(reason)
    return value


#: Metadata as a request takes it (a field of a body, a frame or a tool's arguments).
Metadata = Annotated[
    dict[str, Any],
    BeforeValidator(_bounded),
    Field(
        description=f"any JSON object, given back as sent: at most {MAX_DEPTH} levels deep, {MAX_KEYS} keys in all "
        f"and {MAX_BYTES} bytes"
    ),
]


def from_stored(text: str | None, owner: str) -> dict[str, Any]:
    """Metadata as kept in the graph, read back. What no answer could carry (written before the bounds
    existed: nested too deep, not finite) reads as empty, so that the rest of `owner` (a memory, a user)
    still reads; what is only larger than a request may now send is given back whole."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        value = None
    reason = problem(value, sized=False)
    if reason is not None:
        log.warning("stored metadata of %s left out of the answer: %s", owner, reason)
        return {}
    result: dict[str, Any] = value
    return result
