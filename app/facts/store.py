"""The facts' queries: read for a person or a context, read and written inside a write unit as facts are
planned (created, asserted by a memory, changed, superseded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.facts.planning import FactStatus, StoredFact
from app.graph.cypher import Query
from app.graph.repository import GraphRepository, WriteUnit
from app.graph.values import native
from app.nlp.extraction import SELF_KEY


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


class TimelineEntry(BaseModel):
    """A memory or a fact about an entity, at its time."""

    at: datetime | None
    kind: str
    text: str
    memory_id: str | None = None
    fact_id: str | None = None
    status: str | None = None


class IdentityFact(BaseModel):
    """A current, confident fact about the user, someone close to them, or a speaker of theirs."""

    predicate: str
    value: str
    confidence: float
    subject: str
    #: the name of whom it is about ("the user" for the user)
    subject_name: str = "the user"


@dataclass(frozen=True)
class ReadFact:
    """A fact read to be changed: as the planner knows it, and since when it holds."""

    fact: StoredFact
    valid_from: datetime | None


def _view(row: dict[str, Any], superseded_by: list[dict[str, Any]] | None = None) -> FactView:
    return FactView(
        **{k: native(v) for k, v in row.items()},
        superseded_by=[{k: native(v) for k, v in s.items()} for s in superseded_by or []],
    )


def stored_fact(record: Any) -> StoredFact:
    """A fact row (of `facts_for_slots`, `fact_get`, or a memory's dropped facts) as the planner's."""
    return StoredFact(
        record["id"],
        record["subject_key"],
        record["predicate"],
        record["value"],
        record["confidence"],
        record["status"],
    )


class FactsStore:
    """Facts in the graph, read on their own."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def of_statuses(self, user_id: str, statuses: Sequence[FactStatus]) -> list[FactView]:
        """The user's facts of these statuses."""
        rows = self.repository.read_all(Query.FACTS_CURRENT, user_id=user_id, statuses=list(statuses))
        return [_view(r["fact"]) for r in rows]

    def history(self, user_id: str, predicate: str, subject_key: str) -> list[FactView]:
        """Every value of a subject's predicate, oldest first, each with the facts that superseded it."""
        rows = self.repository.read_all(
            Query.FACT_HISTORY, user_id=user_id, predicate=predicate, subject_key=subject_key
        )
        return [_view(r["fact"], r["superseded_by"]) for r in rows]

    def timeline(self, user_id: str, entity_key: str, limit: int) -> list[TimelineEntry]:
        """Memories and facts about an entity, in time order (none when there is no such entity)."""
        rows = self.repository.read_all(Query.ENTITY_TIMELINE, user_id=user_id, entity_key=entity_key, limit=limit)
        return [TimelineEntry(**{k: native(r[k]) for k in r.keys()}) for r in rows]  # noqa: SIM118 - typed keys()

    def identity(self, user_id: str, min_confidence: float, limit: int) -> list[IdentityFact]:
        """The user's current facts of at least `min_confidence`, strongest first."""
        rows = self.repository.read_all(
            Query.IDENTITY_FACTS, user_id=user_id, min_confidence=min_confidence, limit=limit
        )
        return [
            IdentityFact(
                predicate=r["predicate"],
                value=r["value"],
                confidence=r["confidence"],
                subject=r["subject"],
                subject_name=r["subject_name"] if r["subject"] != SELF_KEY else "the user",
            )
            for r in rows
        ]


def slot_facts(unit: WriteUnit, user_id: str, predicates: list[str]) -> list[StoredFact]:
    """The user's facts of these predicates, any subject and status."""
    return [stored_fact(r) for r in unit.run(Query.FACTS_FOR_SLOTS, user_id=user_id, predicates=predicates)]


def read_fact(unit: WriteUnit, user_id: str, fact_id: str) -> ReadFact | None:
    """One fact of the user, or None."""
    rows = unit.run(Query.FACT_GET, user_id=user_id, fact_id=fact_id)
    return ReadFact(stored_fact(rows[0]), native(rows[0]["valid_from"])) if rows else None


def create_facts(unit: WriteUnit, rows: list[dict[str, Any]]) -> None:
    """New facts, with their subjects and values as entities (rows of `created_row`)."""
    unit.run_rows(Query.FACTS_CREATE, rows=rows)


def assert_facts(unit: WriteUnit, rows: list[dict[str, str]]) -> None:
    """`ASSERTS` edges from memories to facts (`memory_id`, `fact_id`)."""
    unit.run_rows(Query.FACTS_ASSERT, rows=rows)


def update_facts(unit: WriteUnit, user_id: str, rows: list[dict[str, Any]]) -> None:
    """New confidences and statuses (`id`, `confidence`, `status`, `at`)."""
    unit.run_rows(Query.FACTS_UPDATE, user_id=user_id, rows=rows)


def supersede_facts(unit: WriteUnit, user_id: str, rows: list[dict[str, Any]]) -> None:
    """`SUPERSEDES` edges (`new_id`, `old_id`, `reason`, `before`, `after`, `at`)."""
    unit.run_rows(Query.FACTS_SUPERSEDE, user_id=user_id, rows=rows)
