"""Score fusion: explainable parts, one weighted sum. Pure.

strength = Σ weight(part) × part over the `WEIGHTED` parts (each one's meaning and computation is its
entry there), or succession if higher; final = strength × confidence × tier.
- semantic blends a memory's whole vector's cosine and its best sentence's by `message_share`
  (`app.retrieval.cache.memory_scores`); keyword is BM25 by the user's own statistics when the memory
  cache holds the user (`app.retrieval.cache.keywords`), Lucene's otherwise, over the best candidate's (the
  seeds' max-norm); graph's neighbour share is half its parent's strength; time is 0 for every candidate
  when the query names no moment;
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

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from operator import mul

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
        """The weights a deployment configured: each weighted part's `weight_<name>` setting."""
        return cls(
            **{part.name: getattr(settings, f"weight_{part.name}") for part in WEIGHTED},
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
        zero = dict.fromkeys((p.name for p in WEIGHTED), 0.0)
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


@dataclass(frozen=True)
class Scale:
    """What one search normalises its candidates' raw signals by."""

    best_keyword: float
    best_entity: float
    weights: Weights


@dataclass(frozen=True)
class Part:
    """One weighted part of the score: its name (the hit's part, the `Weights` field and the setting
    `weight_<name>`), what it means, and each candidate's value of it, 0 to 1 (computed for a search's
    candidates together: one call per part, not per candidate and part)."""

    name: str
    meaning: str
    values: Callable[[list[Candidate], Scale], list[float]]


#: The weighted parts, in the order a hit shows them. Adding one: an entry here with its computation, its
#: weight's `Weights` field and setting (a test holds the three together).
WEIGHTED = (
    Part(
        "semantic",
        "the query's likeness to the memory, on the model's scale from its cosine floor",
        lambda cs, s: [likeness(c.semantic, s.weights.cosine_floor) for c in cs],
    ),
    Part(
        "keyword",
        "BM25 of the query's words, over the best candidate's",
        lambda cs, s: [c.keyword_raw / s.best_keyword for c in cs],
    ),
    Part(
        "graph",
        "mentions an entity the query names, or neighbours a strong hit in its conversation",
        lambda cs, s: [max(c.entity_raw / s.best_entity, c.neighbour_of) for c in cs],
    ),
    Part(
        "conversation", "how well the memory's whole conversation matches", lambda cs, s: [c.conversation for c in cs]
    ),
    Part(
        "recency",
        "0.5 ** (age / half-life), in everyday searches only",
        lambda cs, s: [0.5 ** (max(0.0, c.age_days) / s.weights.recency_half_life_days) for c in cs],
    ),
    Part("time", "closeness to the moment the query names", lambda cs, s: [c.when for c in cs]),
    Part(
        "significance",
        "how much the memory mattered when written",
        lambda cs, s: [float(c.memory["significance"] or 0.0) for c in cs],
    ),
)
#: The parts that multiply or floor the weighted sum rather than add to it.
FACTORS = ("succession", "confidence", "tier")
PARTS = (*(part.name for part in WEIGHTED), *FACTORS)


def fuse(candidates: list[Candidate], weights: Weights) -> list[Candidate]:
    """Compute the parts and `score` of every candidate and return them best first."""
    scale = Scale(
        best_keyword=max((c.keyword_raw for c in candidates), default=0.0) or 1.0,
        best_entity=max((c.entity_raw for c in candidates), default=0.0) or 1.0,
        weights=weights,
    )
    part_weights = [getattr(weights, part.name) for part in WEIGHTED]
    columns = [part.values(candidates, scale) for part in WEIGHTED]
    for c, values in zip(candidates, zip(*columns, strict=True), strict=True):
        confidence = weights.superseded_factor if c.superseded_only else 1.0
        tier = weights.cold_factor if c.memory.get("tier") == "cold" else 1.0
        c._parts = (*values, c.succession, confidence, tier)
        weighed = sum(map(mul, part_weights, values))
        c.strength = max(weighed, c.succession)
        c.score = confidence * tier * c.strength
    return sorted(candidates, key=lambda c: c.score, reverse=True)
