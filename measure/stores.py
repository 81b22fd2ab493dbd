"""The evaluation's memory stores: one user per question or conversation, loaded once through the batch
pipeline and reused by later runs, loaded again when asked or when a decay pass scored it as of a later
moment than its questions (what that pass forgot, a question asked as of then still needs)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.container import Container
from app.graph.cypher import Query
from measure.cypher import MeasureQuery
from pipelines.ingest import ingest_lines


def ensure_store(
    container: Container, user_id: str, messages: Iterable[dict[str, Any]], as_of: datetime, reingest: bool
) -> None:
    """Make `user_id` hold exactly `messages`, fit to be asked as of `as_of`."""
    record = container.repository.read_one(Query.USER_GET, user_id=user_id)
    if record is not None and not reingest:
        decayed = container.repository.read_one(MeasureQuery.EVAL_DECAYED_AFTER, user_id=user_id, as_of=as_of)
        if record["user"]["memory_count"] > 0 and not (decayed and decayed["later"]):
            return
    container.repository.delete_user(user_id)
    lines = [json.dumps(m) for m in messages]
    print(f"ingesting {len(lines)} turns for {user_id}", file=sys.stderr)
    ingest_lines(container, enumerate(lines, start=1), len(lines), progress=False)
