"""Both development sets' questions in one shape, so that one loop asks them with any weights or mode and
one score sums them: what the part-by-part tables (`measure.ablation`) and the weight fit
(`research.fit_fusion`) run on. Each set keeps its own scoring (../shared/data/README.md); `headline` names
the figures the issue's targets are set on.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from app.container import Container
from app.nlp.embedding import Embedder
from app.retrieval.fusion import Weights
from app.retrieval.options import Mode, SearchOptions
from measure import locomo, longmemeval
from measure.longmemeval import evidence_turns

RETRIEVE = 60
#: Each set's headline figures: the issue's targets.
HEADLINE = {
    "longmemeval": ("session_recall_all@5", "turn_recall_all@10"),
    "locomo": ("turn_recall@10", "session_recall@10"),
}
EVERYTHING = {"everyday_filters": False, "include_cold": True}


@dataclass(frozen=True)
class Case:
    """One question: whose store, the text, when it is asked, its embedding, how a ranking scores, and the
    turns its store was loaded with (id, text), for the plain baselines (`measure.plain`)."""

    collection: str  # "longmemeval" or "locomo"
    user_id: str
    text: str
    as_of: datetime
    embedding: list[float]
    score: Callable[[list[str]], dict[str, float]]
    turns: tuple[tuple[str, str], ...]
    evidence: frozenset[str] = frozenset()  # the message ids of the turns that hold the answer


def longmemeval_cases(embedder: Embedder, questions: list[dict[str, Any]]) -> list[Case]:
    """LongMemEval's questions, scored at turn and session level (`longmemeval.ranking_scores`)."""
    cases = []
    for question in questions:
        score = partial(
            longmemeval.ranking_scores, turns=evidence_turns(question), sessions=set(question["answer_session_ids"])
        )
        cases.append(
            Case(
                "longmemeval",
                longmemeval.user_id_for(question),
                question["question"],
                longmemeval.question_as_of(question),
                embedder.encode_one(question["question"]),
                score,
                _turns(longmemeval.messages(question), longmemeval.question_as_of(question)),
                frozenset(evidence_turns(question)),
            )
        )
    return cases


def _turns(messages: Iterable[dict[str, Any]], as_of: datetime) -> tuple[tuple[str, str], ...]:
    return tuple((m["message_id"], m["text"]) for m in messages if datetime.fromisoformat(m["occurred_at"]) <= as_of)


def locomo_cases(embedder: Embedder, samples: list[dict[str, Any]]) -> list[Case]:
    """LoCoMo's questions, scored by turn recall@k and session recall@10 (`locomo.ranking_scores`)."""
    cases = []
    for sample in samples:
        turns = _turns(locomo.messages(sample), locomo.as_of(sample))
        for question in locomo.scored_questions(sample):
            cases.append(
                Case(
                    "locomo",
                    locomo.user_id_for(sample),
                    question["question"],
                    locomo.as_of(sample),
                    embedder.encode_one(question["question"]),
                    partial(locomo.ranking_scores, relevant=locomo.evidence(question)),
                    turns,
                    frozenset(locomo.evidence(question)),
                )
            )
    return cases


def ask(
    container: Container, cases: list[Case], weights: Weights, mode: Mode = "hybrid"
) -> dict[str, dict[str, float]]:
    """Every case searched with `weights` (everything the store holds); each collection's mean scores."""
    retrieval = container.retrieval
    kept = retrieval.weights
    retrieval.weights = weights
    try:
        totals: dict[str, dict[str, list[float]]] = {}
        for case in cases:
            options = SearchOptions(k=RETRIEVE, as_of=case.as_of, mode=mode, record_access=False, **EVERYTHING)
            hits = retrieval.search(case.user_id, case.text, options, embedding=case.embedding)
            for key, value in case.score([h.message_id for h in hits]).items():
                totals.setdefault(case.collection, {}).setdefault(key, []).append(value)
    finally:
        retrieval.weights = kept
    return {c: {k: round(statistics.mean(v), 4) for k, v in scores.items()} for c, scores in totals.items()}


def objective(figures: dict[str, dict[str, float]]) -> float:
    """The fit's one number: the mean over the sets of each set's mean headline figure, so that each set
    counts the same whatever its number of questions."""
    return statistics.mean(statistics.mean(figures[c][k] for k in keys) for c, keys in HEADLINE.items() if c in figures)


def without(weights: Weights, part: str) -> Weights:
    """`weights` with one part of the fusion taken out ("sentences": a memory scores as its whole vector)."""
    if part == "sentences":
        return replace(weights, message_share=1.0)
    return replace(weights, **{part: 0.0})
