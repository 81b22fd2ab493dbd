"""The evaluation's memory stores: one user per question or conversation, loaded once through the batch
pipeline and reused by later runs, loaded again when asked or when a decay pass scored it as of a later
moment than its questions (what that pass forgot, a question asked as of then still needs); decayed as of
their questions' moment."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.container import Container, build_container
from app.settings import get_settings
from measure.cypher import MeasureQuery
from pipelines.ingest import ingest_lines, summary


def ensure_store(
    container: Container, user_id: str, messages: Iterable[dict[str, Any]], as_of: datetime, reingest: bool
) -> None:
    """Make `user_id` hold exactly `messages`, fit to be asked as of `as_of`."""
    user = container.users.store.user(user_id)
    if user is not None and not reingest:
        decayed = container.repository.read_one(MeasureQuery.EVAL_DECAYED_AFTER, user_id=user_id, as_of=as_of)
        if user.memory_count > 0 and not (decayed and decayed["later"]):
            return
    container.users.store.delete(user_id)
    lines = [json.dumps(m) for m in messages]
    print(f"ingesting {len(lines)} turns for {user_id}", file=sys.stderr)
    ingest_lines(container, enumerate(lines, start=1), len(lines), progress=False)


def decay_stores(container: Container, stores: Iterable[tuple[str, datetime]]) -> dict[str, int]:
    """A decay pass over each (user, moment of its questions); the moves made, summed."""
    moves: Counter[str] = Counter()
    for user_id, as_of in stores:
        moves.update(container.decay.run_users([user_id], as_of).moves)
    return dict(moves)


def ingest_messages(messages: Iterable[dict[str, Any]], batch_size: int = 128) -> str:
    """Load API-shaped messages through the batch pipeline in a container of its own; the summary."""
    lines = [json.dumps(m) for m in messages]
    container = build_container(get_settings())
    try:
        totals = ingest_lines(container, enumerate(lines, start=1), len(lines), batch_size)
    finally:
        container.close()
    return summary(totals)
