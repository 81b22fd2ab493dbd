"""What the API shows of entities, facts and clarifications: shared by the write answer and the reads."""

from __future__ import annotations

from pydantic import BaseModel


class EntityOut(BaseModel):
    """An entity as the API shows it."""

    name: str
    type: str
    aliases: list[str] = []


class FactOut(BaseModel):
    """A fact as the API shows it."""

    id: str
    predicate: str
    value: str
    confidence: float
    status: str
    modality: str | None = None


class ClarificationOut(BaseModel):
    """A question the companion should ask before a high-stakes fact changes."""

    pending_fact_id: str
    predicate: str
    current_value: str
    new_value: str
    question: str
