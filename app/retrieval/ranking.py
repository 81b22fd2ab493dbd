"""The one ranking pipeline: candidates (from a `CandidateSource`) → Lucene's and the conversations'
signals → fusion → the conversation neighbours of the best hits, and the memories whose facts replaced
those of superseded hits → fusion again.

Two sources feed it: the in-process memory cache (`cached_source`), and Neo4j itself when the user's
memories are not held (`graph_source`). Each stage is entered once, in this order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from app.nlp.embedding import likeness
from app.retrieval.fusion import Candidate, Weights, fuse
from app.retrieval.plan import SearchPlan
from app.retrieval.signals import Signals

#: How many of the best hits lend their strength to their conversation neighbours.
NEIGHBOUR_PARENTS = 3


class CandidateSource(Protocol):
    """Where a search's candidates come from."""

    def keywords(self, signals: Signals) -> Signals:
        """The round trip's signals with the keyword scores this source ranks by."""
        ...

    def candidates(self, plan: SearchPlan, signals: Signals) -> tuple[dict[str, Candidate], dict[str, float]]:
        """The candidates by meaning, by the query's words and from the best conversations, and each conversation's
        strength (empty when the plan asks for no conversations)."""
        ...

    def neighbours(
        self, plan: SearchPlan, parents: dict[str, float], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """(parent id, neighbour id) for each eligible conversation neighbour of `parents`, the neighbour
        added to `candidates` where it was not one already."""
        ...

    def successors(
        self, plan: SearchPlan, superseded: list[str], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """(superseded id, successor id) for each eligible memory asserting a current fact that replaced
        (directly or down a chain of replacements) a fact of a `superseded` memory, the successor added to
        `candidates` where it was not one already."""
        ...


def rank(plan: SearchPlan, signals: Signals, source: CandidateSource) -> list[Candidate]:
    """The candidates best first, each with its score and parts."""
    signals = source.keywords(signals)
    candidates, strength = source.candidates(plan, signals)
    for memory_id, candidate in candidates.items():
        candidate.keyword_raw = signals.keyword.get(memory_id, 0.0)
        if plan.options.mode == "hybrid":
            candidate.entity_raw = signals.entity.get(memory_id, 0.0)
    _conversation_parts(candidates, strength)
    ranked = fuse(list(candidates.values()), plan.weights)
    if plan.options.mode != "hybrid" or not ranked:
        return ranked
    parents = _parents(ranked)
    for parent_id, neighbour_id in source.neighbours(plan, parents, candidates):
        # A conversation neighbour of a strong hit: half its parent's strength as its graph part.
        neighbour = candidates[neighbour_id]
        neighbour.neighbour_of = max(neighbour.neighbour_of, 0.5 * parents[parent_id])
    superseded = [c.memory["id"] for c in ranked if c.superseded_only]
    if superseded:
        for old_id, new_id in source.successors(plan, superseded, candidates):
            # The question that found an outdated fact is answered by the fact that replaced it.
            successor = candidates[new_id]
            successor.succession = max(successor.succession, candidates[old_id].strength)
    _conversation_parts(candidates, strength)  # those the graph steps added have none yet
    return fuse(list(candidates.values()), plan.weights)


def _conversation_parts(candidates: dict[str, Candidate], strength: dict[str, float]) -> None:
    """Each candidate's conversation part: the strength of the conversation it belongs to."""
    for candidate in candidates.values():
        candidate.conversation = strength.get(candidate.memory["conversation_id"], 0.0)


def conversation_strength(semantic: dict[str, float], keyword: dict[str, float], weights: Weights) -> dict[str, float]:
    """How well each conversation matches as a whole: the semantic/keyword blend of the fusion, over
    conversations as documents (cosine, and BM25 divided by the best conversation's)."""
    best_keyword = max(keyword.values(), default=0.0) or 1.0
    blend = weights.semantic + weights.keyword or 1.0
    return {
        conversation: (
            weights.semantic * likeness(semantic.get(conversation, 0.0), weights.cosine_floor)
            + weights.keyword * keyword.get(conversation, 0.0) / best_keyword
        )
        / blend
        for conversation in semantic.keys() | keyword.keys()
    }


def _parents(ranked: list[Candidate]) -> dict[str, float]:
    """The hits whose conversation neighbours join the candidates, with their strength relative to the
    best hit."""
    parents = ranked[:NEIGHBOUR_PARENTS]
    top = parents[0].score or 1.0
    return {c.memory["id"]: c.score / top for c in parents}
