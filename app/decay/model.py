"""How fast a memory fades, and which tier that puts it in: the one formula, for the write path (a new
memory's first tier) and the decay pass (every memory, every pass). Pure: no graph, no clock of its own.

    importance = max(significance, importance_floor)
    half_life  = half_life_days[kind] * (1 + recall_boost * log2(1 + access_count))
    age        = as_of - max(occurred_at, last_accessed_at)
    score      = importance * 0.5 ** (age / half_life)

The kind says how long a memory matters (the seeds' layers: your name for years, today's mood for days);
recalling a memory restarts its clock and lengthens its half-life. Tiers follow the score with
hysteresis (a hot memory cools below `cold_below`, a cold one warms above `hot_above`). Age only cools:
a memory whose score falls below `forget_below` is forgotten only if it carries nothing a question could
need (`carries_content`), and a memory that does goes cold instead. docs/decisions/0010-decay.md and
0017-forget-by-content.md say why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from app.facts.planning import FUNCTIONAL_PREDICATES
from app.memory_types import DecayKind
from app.settings import Settings

Floats = npt.NDArray[np.float64]
DAY_MS = 86_400_000.0


#: Rules of `app.write.significance` that say nothing beyond a feeling and when it was felt.
_MOOD_ONLY_RULES = frozenset({"emotion", "content", "date"})


def kind_of(
    memory_type: str,
    predicates: Iterable[str],
    rules: Iterable[str],
    identity_predicates: frozenset[str] = FUNCTIONAL_PREDICATES,
    sentences: int = 1,
) -> DecayKind:
    """A new memory's kind from what the write path knows: its type, the predicates of the facts it
    asserts (those with one current value per user are who the user is), the significance rules that
    fired, and how many sentences it has (a mood is one sentence: a longer message with a feeling in it
    tells more than the rules see)."""
    if set(predicates) & identity_predicates:
        return DecayKind.IDENTITY
    fired = set(rules)
    if memory_type == "relationship":
        return DecayKind.RELATIONSHIP
    if memory_type == "event":
        return DecayKind.EVENT
    if memory_type == "observation":
        return DecayKind.OBSERVATION
    if "emotion" in fired and fired <= _MOOD_ONLY_RULES and sentences == 1:
        return DecayKind.MOOD
    return DecayKind.CHATTER


#: Kinds that tell who the user is, whom they know, or what happened.
_LASTING_KINDS = frozenset({DecayKind.IDENTITY, DecayKind.RELATIONSHIP, DecayKind.EVENT})


def carries_content(kind: DecayKind, asserts: bool, names: bool, tells: bool) -> bool:
    """Whether a memory holds anything a question could ask about, by the write path's own signals: a fact
    it asserts, an entity it names, a kind that tells a person or an event, or a statement about the
    person it is about (`app.nlp.statements.tells_of`). What carries none (filler, acknowledgements, a
    passing mood, a request) may be forgotten with age; the rest only cools."""
    return kind in _LASTING_KINDS or asserts or names or tells


def with_mentions(kind: DecayKind, mentions_people: bool) -> DecayKind:
    """A memory that names a person or pet the user knows matters as long as a relationship does, at
    least (what the graph knows once the names are resolved: "Buster has a sore paw")."""
    order = list(DecayKind)
    if mentions_people and order.index(kind) > order.index(DecayKind.RELATIONSHIP):
        return DecayKind.RELATIONSHIP
    return kind


def resolved_kind(stored: str | None, memory_type: str, predicates: Iterable[str], mentions_people: bool) -> DecayKind:
    """A stored memory's kind as the formula reads it: the one stored at write time (memories written
    before kinds were stored get theirs from their type and facts), raised by the people it names."""
    kind = DecayKind(stored) if stored else kind_of(memory_type, predicates, ())
    return with_mentions(kind, mentions_people)


@dataclass(frozen=True)
class DecayParams:
    """The formula's numbers (from settings)."""

    half_life_days: dict[DecayKind, float]
    importance_floor: float
    recall_boost: float
    hot_above: float
    cold_below: float
    forget_below: float
    #: days a forgotten memory's content waits, out of every search, before it is deleted
    grace_days: float = 30.0

    @classmethod
    def of(cls, settings: Settings) -> DecayParams:
        """The numbers a deployment set (`DECAY_*`)."""
        return cls(
            half_life_days=dict(settings.decay_half_life_days),
            importance_floor=settings.decay_importance_floor,
            recall_boost=settings.decay_recall_boost,
            hot_above=settings.decay_hot_above,
            cold_below=settings.decay_cold_below,
            forget_below=settings.decay_forget_below,
            grace_days=settings.decay_grace_days,
        )

    def importance(self, significance: float) -> float:
        """What a new memory's score starts at."""
        return max(significance, self.importance_floor)

    def first_tier(self, significance: float) -> str:
        """A new memory's tier: hot unless it starts below the cold bar (filler)."""
        return "hot" if self.importance(significance) >= self.cold_below else "cold"


@dataclass(frozen=True)
class Memories:
    """Columns of the memories one pass scores, one entry each."""

    occurred_ms: Floats
    last_accessed_ms: Floats  # NaN: never recalled
    access_count: Floats
    significance: Floats
    kinds: list[DecayKind]
    tiers: list[str]
    #: `carries_content`: age never forgets these
    keeps: list[bool]


def scores(params: DecayParams, memories: Memories, as_of_ms: float) -> Floats:
    """Each memory's decay score as of `as_of_ms`."""
    importance = np.maximum(memories.significance, params.importance_floor)
    half_life = np.array([params.half_life_days[k] for k in memories.kinds], dtype=np.float64)
    half_life *= 1.0 + params.recall_boost * np.log2(1.0 + memories.access_count)
    reference = np.fmax(memories.occurred_ms, memories.last_accessed_ms)
    age_days = np.maximum(as_of_ms - reference, 0.0) / DAY_MS
    result: Floats = importance * np.exp2(-age_days / half_life)
    return result


def score_of(
    params: DecayParams,
    kind: DecayKind,
    significance: float,
    occurred_at: datetime,
    last_accessed_at: datetime | None,
    access_count: int,
    as_of: datetime,
) -> float:
    """One memory's decay score as of `as_of` (what a pass would compute for it then)."""
    one = Memories(
        occurred_ms=np.array([occurred_at.timestamp() * 1000]),
        last_accessed_ms=np.array([last_accessed_at.timestamp() * 1000 if last_accessed_at else np.nan]),
        access_count=np.array([float(access_count)]),
        significance=np.array([significance]),
        kinds=[kind],
        tiers=["hot"],
        keeps=[True],
    )
    return round(float(scores(params, one, as_of.timestamp() * 1000)[0]), 4)


def next_tiers(params: DecayParams, memories: Memories, score: Floats) -> list[str]:
    """Each memory's tier after a pass: below `forget_below`, forgotten if it carries nothing (its content
    deleted once the grace period ends) and cold if it does; else hot and cold with hysteresis, so that a
    memory near one bar does not flap between passes."""
    moved: list[str] = []
    for tier, keeps, s in zip(memories.tiers, memories.keeps, score.tolist(), strict=True):
        if tier == "forgotten" or (s < params.forget_below and not keeps):
            moved.append("forgotten")
        elif tier == "hot":
            moved.append("cold" if s < params.cold_below else "hot")
        else:
            moved.append("hot" if s >= params.hot_above else "cold")
    return moved
