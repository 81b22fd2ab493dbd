"""Writing fact decisions to the graph inside a write unit: shared by ingestion and clarifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.graph.cypher import Query
from app.graph.repository import WriteUnit
from app.services.facts import StoredFact, Supersession


def stored_fact(record: Any) -> StoredFact:
    """A fact row of `facts_for_slots` or `fact_get` as the planner's `StoredFact`."""
    return StoredFact(
        record["id"],
        record["subject_key"],
        record["predicate"],
        record["value"],
        record["confidence"],
        record["status"],
    )


def write_fact_changes(
    unit: WriteUnit, user_id: str, at: datetime, updated: Iterable[StoredFact], supersessions: Iterable[Supersession]
) -> None:
    """Persist new confidences and statuses, then the SUPERSEDES edges."""
    unit.run_rows(
        Query.FACTS_UPDATE,
        user_id=user_id,
        at=at,
        rows=[{"id": f.id, "confidence": f.confidence, "status": f.status} for f in updated],
    )
    unit.run_rows(
        Query.FACTS_SUPERSEDE,
        user_id=user_id,
        at=at,
        rows=[
            {
                "new_id": s.new_id,
                "old_id": s.old_id,
                "reason": s.reason,
                "before": s.old_confidence_before,
                "after": s.old_confidence_after,
            }
            for s in supersessions
        ],
    )
