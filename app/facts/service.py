"""What the service believes about a user, and how that changed: current facts, the history of a
predicate, an entity's timeline, the answer to a clarification (confirm or reject a pending fact), and a
person's correction of a fact."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pydantic import BaseModel

from app.errors import ConflictError, NotFoundError
from app.facts.planning import RETRACTABLE, FactPlan, FactStatus, StoredFact, plan_correction, resolve_pending
from app.facts.store import FactsStore, FactView, TimelineEntry, create_facts, read_fact, slot_facts
from app.facts.writes import created_row, write_fact_changes
from app.graph.repository import GraphRepository, WriteUnit
from app.nlp.extraction import SELF_KEY, entity_key


class FactHistory(BaseModel):
    """Every value of one predicate, oldest first, and a sentence a person can read."""

    predicate: str
    subject_key: str
    facts: list[FactView]
    summary: str


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
        self.store = FactsStore(repository)

    def current(self, user_id: str, statuses: Sequence[FactStatus] = ("current",)) -> list[FactView]:
        """The user's current facts (or those of other statuses: `pending` ones wait for an answer)."""
        return self.store.of_statuses(user_id, statuses)

    def history(self, user_id: str, predicate: str, subject: str = SELF_KEY) -> FactHistory:
        """All values a predicate has had for a subject, with what superseded what."""
        key = entity_key(subject) if subject != SELF_KEY else SELF_KEY
        facts = self.store.history(user_id, predicate, key)
        return FactHistory(predicate=predicate, subject_key=key, facts=facts, summary=summarise(predicate, facts))

    def timeline(self, user_id: str, entity: str, limit: int = 200) -> list[TimelineEntry]:
        """Memories and facts about an entity ('self' for the user), in time order."""
        key = SELF_KEY if entity == SELF_KEY else entity_key(entity)
        entries = self.store.timeline(user_id, key, limit)
        if not entries:
            raise NotFoundError(f"no entity {entity!r} for user {user_id!r}")
        return entries

    def resolve(self, user_id: str, fact_id: str, confirm: bool) -> list[FactView]:
        """Confirm (supersede the current value) or reject (discard) a pending fact."""

        def plan(unit: WriteUnit, pending: StoredFact, valid_from: datetime | None) -> FactPlan:
            if pending.status != "pending":
                raise ConflictError(f"fact {fact_id!r} is {pending.status}, not pending")
            return resolve_pending(pending, self._current_of(unit, user_id, pending), confirm)

        self._change(user_id, fact_id, plan)
        return self.current(user_id)

    def correct(self, user_id: str, fact_id: str, value: str | None) -> FactHistory:
        """The user says a fact is wrong: it is retracted (kept in its history as never so) and `value`,
        when given, is current in its place. The predicate's history after the change."""

        def plan(unit: WriteUnit, fact: StoredFact, valid_from: datetime | None) -> FactPlan:
            if fact.status not in RETRACTABLE:
                raise ConflictError(f"fact {fact_id!r} is {fact.status}: only a fact held can be corrected")
            if value is not None and fact.status != "current":
                raise ConflictError(f"fact {fact_id!r} is {fact.status}: only a current fact takes a new value")
            planned = plan_correction(fact, self._current_of(unit, user_id, fact), value)
            create_facts(unit, [created_row(user_id, f, a, "user", valid_from) for f, a in planned.created])
            return planned

        fact = self._change(user_id, fact_id, plan)
        return self.history(user_id, fact.predicate, fact.subject_key)

    @staticmethod
    def _current_of(unit: WriteUnit, user_id: str, fact: StoredFact) -> list[StoredFact]:
        """The current facts of `fact`'s slot (its subject's values of its predicate)."""
        slot = slot_facts(unit, user_id, [fact.predicate])
        return [f for f in slot if f.status == "current" and f.subject_key == fact.subject_key]

    def _change(
        self, user_id: str, fact_id: str, plan: Callable[[WriteUnit, StoredFact, datetime | None], FactPlan]
    ) -> StoredFact:
        """Read a fact, plan its change and write the plan, in one transaction; the fact (its status as
        planned; its predicate and subject, which no plan changes, as read)."""
        now = datetime.now(UTC)

        def work(unit: WriteUnit) -> StoredFact:
            read = read_fact(unit, user_id, fact_id)
            if read is None:
                raise NotFoundError(f"fact {fact_id!r} does not exist for user {user_id!r}")
            fact = read.fact
            planned = plan(unit, fact, read.valid_from)
            write_fact_changes(unit, user_id, now, planned.updated, planned.supersessions)
            return fact

        changed: StoredFact = self.repository.write(work, users=[user_id])
        return changed
