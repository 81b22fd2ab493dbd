"""Score fusion: explainable parts, one weighted sum. Pure.

strength = w_semantic × semantic + w_keyword × keyword + w_graph × graph + w_conversation × conversation
           + w_recency × recency + w_time × time + w_significance × significance, or succession if higher
final = strength × confidence × tier
- semantic: the likeness of query and memory: their cosine on the model's scale, from its cosine floor (0)
  to 1 (`app.nlp.embedding.likeness`); a memory of several sentences blends its whole vector's cosine and
  its best sentence's by `message_share` (`app.retrieval.cache.memory_scores`);
- keyword: BM25 (by the user's own statistics for a user the memory cache holds, `app.retrieval.cache.keywords`;
  Lucene's otherwise), divided by the best keyword score among the candidates (the seeds' max-norm);
- graph: the memory mentions an entity the query names (entity-match score, max-normalised), or it is a
  conversation neighbour of a strong hit (half its parent's strength);
- conversation: how well the memory's whole conversation matches (the same 0.7/0.3 blend of cosine and
  max-normalised BM25, over conversations as documents), 0 outside the best conversations;
- recency: 0.5 ** (age / half-life); weighed only in everyday searches (`Weights.reaching_back`);
- time: how close the memory lies to the moment the query names ("10 days ago", "last Saturday"), 0..1;
  0 for every candidate when the query names none;
- succession: the strength of the strongest candidate whose facts this memory's facts superseded ("I
  moved to Tokyo" for "where do I live", found through "I live in Seattle"): the question that finds an
  outdated fact is answered by the fact that replaced it, whatever words each was said in; 0 for most;
- confidence: 1, or `superseded_factor` when every fact the memory asserts of the kinds the query names (all
  of them when it names none of theirs: `app.retrieval.plan.outdated`) has been superseded;
- tier: 1 for a hot memory; `cold_factor` for a cold one in an everyday search, which finds what has cooled
  when it matters more than what is hot, and never lets it crowd what is hot out (1 in a search that
  reaches back or asks for cold memories).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.nlp.embedding import likeness
from app.retrieval.rows import MemoryRow
from app.settings import Settings


@dataclass(frozen=True)
class Weights:
    """Fusion weights. The service's come from settings (`of_settings`), the one place that holds their
    defaults; a search mode that names one part alone zeroes the others (`alone`). `message_share` says how
    the semantic part itself is computed."""

    semantic: float
    keyword: float
    graph: float
    conversation: float
    recency: float
    time: float
    significance: float
    message_share: float = 0.0
    #: A kind word's member words in the keyword search, against a query word's weight (`app.retrieval.kinds`).
    kind_members: float = 0.0
    recency_half_life_days: float = 30.0
    superseded_factor: float = 0.5
    cold_factor: float = 1.0
    #: the embedding model's cosine of unrelated texts (`app.nlp.embedding.likeness`)
    cosine_floor: float = 0.0

    @classmethod
    def of_settings(cls, settings: Settings) -> Weights:
        """The weights a deployment configured."""
        return cls(
            semantic=settings.weight_semantic,
            keyword=settings.weight_keyword,
            graph=settings.weight_graph,
            conversation=settings.weight_conversation,
            recency=settings.weight_recency,
            time=settings.weight_time,
            significance=settings.weight_significance,
            message_share=settings.semantic_message_share,
            kind_members=settings.kind_member_boost,
            cold_factor=settings.everyday_cold_factor,
            cosine_floor=settings.cosine_floor,
        )

    def reaching_back(self) -> Weights:
        """For a search that reaches back (everyday filters off): recent memories are not preferred, since
        the question is about the past, not about now, and cold ones count fully."""
        return replace(self, recency=0.0, cold_factor=1.0)

    def cold_in_full(self) -> Weights:
        """For a search that asks for cold memories: they count as hot ones do."""
        return replace(self, cold_factor=1.0)

    def alone(self, part: str) -> Weights:
        """Only `part` ("semantic" or "keyword") counts: the plain search it names."""
        zero = dict.fromkeys(("semantic", "keyword", "graph", "conversation", "recency", "time", "significance"), 0.0)
        return replace(self, **(zero | {part: 1.0}))


@dataclass
class Candidate:
    """One memory with its raw signals."""

    memory: MemoryRow
    semantic: float = 0.0
    keyword_raw: float = 0.0
    entity_raw: float = 0.0
    neighbour_of: float = 0.0
    conversation: float = 0.0
    age_days: float = 0.0
    when: float = 0.0
    superseded_only: bool = False
    #: the kinds of fact the memory asserted that have since been replaced
    superseded: tuple[str, ...] = ()
    succession: float = 0.0
    #: the score before confidence and tier, as `fuse` last computed it
    strength: float = 0.0
    score: float = 0.0
    _parts: tuple[float, ...] = field(default=(), repr=False)

    @property
    def parts(self) -> dict[str, float]:
        """The score's parts as `fuse` last computed them, rounded for people to read."""
        return {name: round(value, 4) for name, value in zip(PARTS, self._parts, strict=True)}


PARTS = (
    "semantic",
    "keyword",
    "graph",
    "conversation",
    "recency",
    "time",
    "significance",
    "succession",
    "confidence",
    "tier",
)


def fuse(candidates: list[Candidate], weights: Weights) -> list[Candidate]:
    """Compute the parts and `score` of every candidate and return them best first."""
    best_keyword = max((c.keyword_raw for c in candidates), default=0.0) or 1.0
    best_entity = max((c.entity_raw for c in candidates), default=0.0) or 1.0
    for c in candidates:
        semantic = likeness(c.semantic, weights.cosine_floor)
        keyword = c.keyword_raw / best_keyword
        graph = max(c.entity_raw / best_entity, c.neighbour_of)
        recency = 0.5 ** (max(0.0, c.age_days) / weights.recency_half_life_days)
        significance = float(c.memory["significance"] or 0.0)
        confidence = weights.superseded_factor if c.superseded_only else 1.0
        tier = weights.cold_factor if c.memory.get("tier") == "cold" else 1.0
        parts = (
            semantic,
            keyword,
            graph,
            c.conversation,
            recency,
            c.when,
            significance,
            c.succession,
            confidence,
            tier,
        )
        c._parts = parts
        weighed = (
            weights.semantic * semantic
            + weights.keyword * keyword
            + weights.graph * graph
            + weights.conversation * c.conversation
            + weights.recency * recency
            + weights.time * c.when
            + weights.significance * significance
        )
        c.strength = max(weighed, c.succession)
        c.score = confidence * tier * c.strength
    return sorted(candidates, key=lambda c: c.score, reverse=True)
