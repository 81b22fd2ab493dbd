"""Writing fact decisions to the graph inside a write unit: the facts a batch of new memories asserts
(ingestion), and the changes a clarification's answer or a person's correction makes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.facts.planning import FactPlan, StoredFact, Supersession, plan_facts, predicates_to_read
from app.facts.store import assert_facts, create_facts, slot_facts, supersede_facts, update_facts
from app.graph.owner_token import owner_token
from app.graph.repository import WriteUnit
from app.nlp.extraction import ExtractedFact, entity_key
from app.tenancy import tenant_of


@dataclass(frozen=True)
class Assertions:
    """What one newly stored memory asserts, and who said it when."""

    memory_id: str
    user_id: str
    role: str
    occurred_at: datetime
    facts: list[ExtractedFact]


def write_asserted_facts(
    unit: WriteUnit,
    memories: list[Assertions],
    now: datetime,
    functional: frozenset[str],
    high_stakes: frozenset[str],
) -> dict[str, FactPlan]:
    """Plan and write, in `unit`, what each memory's assertions do to its user's facts, in order; returns
    each memory's plan (by memory id)."""
    by_user: dict[str, list[Assertions]] = defaultdict(list)
    for memory in memories:
        if memory.facts:
            by_user[memory.user_id].append(memory)
    plans: dict[str, FactPlan] = {}
    for user_id, items in by_user.items():
        predicates = predicates_to_read({f.predicate for m in items for f in m.facts})
        existing = slot_facts(unit, user_id, predicates)
        created_rows: list[dict[str, Any]] = []
        assert_rows: list[dict[str, str]] = []
        updated: dict[str, StoredFact] = {}
        supersessions = []
        # A fact changes when the message that changes it was said, not when it was ingested: a back-fill
        # of last year's messages retires last year's facts at last year's dates.
        said_at: dict[str, datetime] = {}
        for memory in items:
            plan = plan_facts(existing, memory.facts, functional, high_stakes)
            plans[memory.memory_id] = plan
            said_at |= {f.id: memory.occurred_at for f in plan.updated}
            said_at |= {f.id: memory.occurred_at for f, _ in plan.created}
            created_rows += [created_row(user_id, f, a, memory.role, memory.occurred_at) for f, a in plan.created]
            updated.update({f.id: f for f in plan.updated})
            supersessions += plan.supersessions
            assert_rows += [{"memory_id": memory.memory_id, "fact_id": fid} for fid in plan.asserted_ids]
        # Facts created in this batch and changed by a later message are written in their final state.
        final = {f.id: f for f in existing}
        for row in created_rows:
            row["confidence"], row["status"] = final[row["id"]].confidence, final[row["id"]].status
        create_facts(unit, created_rows)
        created_ids = {row["id"] for row in created_rows}
        write_fact_changes(
            unit, user_id, now, (f for f in updated.values() if f.id not in created_ids), supersessions, said_at
        )
        assert_facts(unit, assert_rows)
    return plans


def created_row(
    user_id: str, fact: StoredFact, assertion: ExtractedFact, source_role: str, valid_from: datetime | None
) -> dict[str, Any]:
    """A `facts_create` row of a new fact."""
    return {
        "id": fact.id,
        "user_id": user_id,
        "tenant": owner_token(user_id),
        "tenant_id": tenant_of(user_id),
        "subject_key": fact.subject_key,
        "object_key": assertion.object_key,
        "predicate": fact.predicate,
        "value": fact.value,
        "value_key": entity_key(fact.value),
        "confidence": fact.confidence,
        "status": fact.status,
        "modality": assertion.modality,
        "source_role": source_role,
        "valid_from": valid_from,
    }


def write_fact_changes(
    unit: WriteUnit,
    user_id: str,
    at: datetime,
    updated: Iterable[StoredFact],
    supersessions: Iterable[Supersession],
    said_at: Mapping[str, datetime] | None = None,
) -> None:
    """Persist new confidences and statuses, then the SUPERSEDES edges. A fact's change is dated by
    `said_at` (a changed fact's id, or a superseding fact's, to when the message that did it was said),
    else `at`."""
    when = said_at or {}
    update_facts(
        unit,
        user_id,
        [{"id": f.id, "confidence": f.confidence, "status": f.status, "at": when.get(f.id, at)} for f in updated],
    )
    supersede_facts(
        unit,
        user_id,
        [
            {
                "new_id": s.new_id,
                "old_id": s.old_id,
                "reason": s.reason,
                "before": s.old_confidence_before,
                "after": s.old_confidence_after,
                "at": when.get(s.new_id, at),
            }
            for s in supersessions
        ],
    )
