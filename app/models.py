"""Domain models passed between the graph repository, the services and the HTTP layer."""

from __future__ import annotations

from pydantic import BaseModel


class ServerInfo(BaseModel):
    """The Neo4j server the service talks to."""

    name: str
    version: str
    edition: str


class IndexState(BaseModel):
    """One index of the graph and whether it can serve queries."""

    name: str
    type: str
    state: str
    population_percent: float


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
