"""What the service believes about a user, and how that changed: current facts, the history of a
predicate, an entity's timeline, the answer to a clarification (confirm or reject a pending fact), and a
person's correction of a fact."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from app.errors import ConflictError, NotFoundError
from app.facts.planning import RETRACTABLE, FactPlan, FactStatus, StoredFact, plan_correction, resolve_pending
from app.facts.writes import created_row, stored_fact, write_fact_changes
from app.graph.cypher import Query
from app.graph.repository import GraphRepository, WriteUnit
from app.graph.values import native
from app.nlp.extraction import SELF_KEY, entity_key


class FactView(BaseModel):
    """A fact with its validity."""

    id: str
    subject_key: str
    predicate: str
    value: str
    confidence: float
    status: str
    modality: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    superseded_by: list[dict[str, Any]] = []


class FactHistory(BaseModel):
    """Every value of one predicate, oldest first, and a sentence a person can read."""

    predicate: str
    subject_key: str
    facts: list[FactView]
    summary: str


class TimelineEntry(BaseModel):
    """A memory or a fact about an entity, at its time."""

    at: datetime | None
    kind: str
    text: str
    memory_id: str | None = None
    fact_id: str | None = None
    status: str | None = None


def _fact(row: dict[str, Any], superseded_by: list[dict[str, Any]] | None = None) -> FactView:
    return FactView(
        **{k: native(v) for k, v in row.items()},
        superseded_by=[{k: native(v) for k, v in s.items()} for s in superseded_by or []],
    )


def summarise(predicate: str, facts: list[FactView]) -> str:
    """'lives_in: Seattle until 2025-03-01, then Tokyo (current)'."""
    shown = [f for f in facts if f.status in {"current", "superseded"}]
    if not shown:
        return f"nothing known about {predicate.replace('_', ' ')}"
    parts = []
    for fact in shown:
        if fact.status == "current":
            parts.append(f"{fact.value} (current)")
        elif fact.valid_to is not None:
            parts.append(f"{fact.value} until {fact.valid_to:%Y-%m-%d}")
        else:
            parts.append(fact.value)
    return f"{predicate.replace('_', ' ')}: " + ", then ".join(parts)


class FactsService:
    """Reads of facts over time, and the resolution of pending high-stakes facts."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def current(self, user_id: str, statuses: Sequence[FactStatus] = ("current",)) -> list[FactView]:
        """The user's current facts (or those of other statuses: `pending` ones wait for an answer)."""
        rows = self.repository.read_all(Query.FACTS_CURRENT, user_id=user_id, statuses=list(statuses))
        return [_fact(r["fact"]) for r in rows]

    def history(self, user_id: str, predicate: str, subject: str = SELF_KEY) -> FactHistory:
        """All values a predicate has had for a subject, with what superseded what."""
        key = entity_key(subject) if subject != SELF_KEY else SELF_KEY
        rows = self.repository.read_all(Query.FACT_HISTORY, user_id=user_id, predicate=predicate, subject_key=key)
        facts = [_fact(r["fact"], r["superseded_by"]) for r in rows]
        return FactHistory(predicate=predicate, subject_key=key, facts=facts, summary=summarise(predicate, facts))

    def timeline(self, user_id: str, entity: str, limit: int = 200) -> list[TimelineEntry]:
        """Memories and facts about an entity ('self' for the user), in time order."""
        key = SELF_KEY if entity == SELF_KEY else entity_key(entity)
        rows = self.repository.read_all(Query.ENTITY_TIMELINE, user_id=user_id, entity_key=key, limit=limit)
        if not rows:
            raise NotFoundError(f"no entity {entity!r} for user {user_id!r}")
        return [TimelineEntry(**{k: native(r[k]) for k in r.keys()}) for r in rows]  # noqa: SIM118 - typed keys()

    def resolve(self, user_id: str, fact_id: str, confirm: bool) -> list[FactView]:
        """Confirm (supersede the current value) or reject (discard) a pending fact."""

        def plan(unit: WriteUnit, pending: StoredFact, row: Any) -> FactPlan:
            if pending.status != "pending":
                raise ConflictError(f"fact {fact_id!r} is {pending.status}, not pending")
            return resolve_pending(pending, self._current_of(unit, user_id, pending), confirm)

        self._change(user_id, fact_id, plan)
        return self.current(user_id)

    def correct(self, user_id: str, fact_id: str, value: str | None) -> FactHistory:
        """The user says a fact is wrong: it is retracted (kept in its history as never so) and `value`,
        when given, is current in its place. The predicate's history after the change."""

        def plan(unit: WriteUnit, fact: StoredFact, row: Any) -> FactPlan:
            if fact.status not in RETRACTABLE:
                raise ConflictError(f"fact {fact_id!r} is {fact.status}: only a fact held can be corrected")
            if value is not None and fact.status != "current":
                raise ConflictError(f"fact {fact_id!r} is {fact.status}: only a current fact takes a new value")
            planned = plan_correction(fact, self._current_of(unit, user_id, fact), value)
            rows = [created_row(user_id, f, a, "user", native(row["valid_from"])) for f, a in planned.created]
            unit.run_rows(Query.FACTS_CREATE, rows=rows)
            return planned

        fact = self._change(user_id, fact_id, plan)
        return self.history(user_id, fact.predicate, fact.subject_key)

    @staticmethod
    def _current_of(unit: WriteUnit, user_id: str, fact: StoredFact) -> list[StoredFact]:
        """The current facts of `fact`'s slot (its subject's values of its predicate)."""
        rows = unit.run(Query.FACTS_FOR_SLOTS, user_id=user_id, predicates=[fact.predicate])
        return [stored_fact(r) for r in rows if r["status"] == "current" and r["subject_key"] == fact.subject_key]

    def _change(self, user_id: str, fact_id: str, plan: Callable[[WriteUnit, StoredFact, Any], FactPlan]) -> StoredFact:
        """Read a fact, plan its change and write the plan, in one transaction; the fact (its status as
        planned; its predicate and subject, which no plan changes, as read)."""
        now = datetime.now(UTC)

        def work(unit: WriteUnit) -> StoredFact:
            rows = unit.run(Query.FACT_GET, user_id=user_id, fact_id=fact_id)
            if not rows:
                raise NotFoundError(f"fact {fact_id!r} does not exist for user {user_id!r}")
            fact = stored_fact(rows[0])
            planned = plan(unit, fact, rows[0])
            write_fact_changes(unit, user_id, now, planned.updated, planned.supersessions)
            return fact

        changed: StoredFact = self.repository.write(work, users=[user_id])
        return changed
