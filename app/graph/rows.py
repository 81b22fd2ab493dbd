"""Typed rows the graph repository returns about the server itself."""

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
