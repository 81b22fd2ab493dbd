"""A learned ranker over the fusion's parts, beside the fitted weighted sum: does learning how the parts
combine (more than one weight each) rank better on a set it was not trained on?

    python -m research.learned_ranker

Procedure: every question of both development sets is asked through the search service (hybrid,
everything the store holds, the `POOL` best), and each candidate keeps its parts (`SearchHit.parts`).
Two feature sets: the fusion's parts alone, and "parts+" (the parts, each part's reciprocal rank among the
question's candidates, the shipped score and its rank, the best semantic, keyword and shipped score of the
candidate's conversation neighbours among the candidates, semantic × keyword). Two learners, logistic
regression on standardised features: pointwise (evidence or not; each question weighs the same, each set
the same in total) and pairwise (each evidence candidate against each other candidate of the `PAIRS`
best). The candidates are re-ranked by the learned score and scored as `make eval` scores them. Held out:
trained on one set and scored on the other, and each LoCoMo conversation scored by the ranker trained on
LongMemEval and the other conversation; in sample beside them. Writes `reports/learned_ranker.json`.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from app.container import build_container
from app.retrieval.fusion import WEIGHTED
from app.retrieval.options import SearchHit, SearchOptions
from app.settings import PROJECT_ROOT, get_settings
from measure import locomo, longmemeval
from measure.cases import EVERYTHING, HEADLINE, Case, locomo_cases, longmemeval_cases, objective
from measure.eval import ensure_loaded as ensure_longmemeval
from measure.locomo_eval import ensure_loaded as ensure_locomo
from measure.longmemeval import evidence_turns, scored_questions

REPORT = PROJECT_ROOT / "reports" / "learned_ranker.json"
POOL = 100
PAIRS = 30
PARTS = (*(p.name for p in WEIGHTED if p.name != "recency"), "succession")
C_GRID = (0.1, 1.0)
Floats = npt.NDArray[np.float64]


@dataclass
class Question:
    """One asked question: its case, its candidates best first as the service ranked them, which of them
    are evidence, and the two feature sets."""

    case: Case
    ids: list[str]
    evidence: npt.NDArray[np.bool_]
    features: dict[str, Floats]


#: A learner: (training questions, feature set, C) -> a score for each row of a question's features.
Learner = Callable[[list[Question], str, float], Callable[[Floats], Floats]]


def _reciprocal_ranks(values: Floats) -> Floats:
    """1 / rank, tied values sharing the best rank of their tie (a part that is the same for every candidate
    says nothing of their order)."""
    return 1.0 / np.asarray(rankdata(-values, method="min"), dtype=np.float64)


def _scale(x: Floats) -> Floats:
    """Each feature's spread, 1 where it has none (a part the training set never shows)."""
    spread = x.std(0)
    return np.where(spread > 0, spread, 1.0)


def featurise(hits: list[SearchHit]) -> dict[str, Floats]:
    """Both feature sets of one question's candidates."""
    parts = np.array([[h.parts[p] for p in PARTS] for h in hits], dtype=np.float64)
    score = np.array([h.score for h in hits], dtype=np.float64)
    at = {(h.conversation_id, h.message_id.rpartition(":")[2]): i for i, h in enumerate(hits)}
    neighbours = np.zeros((len(hits), 3))
    for i, h in enumerate(hits):
        index = h.message_id.rpartition(":")[2]
        if not index.isdigit():
            continue
        near = [at[key] for d in (-1, 1) if (key := (h.conversation_id, str(int(index) + d))) in at]
        if near:
            neighbours[i] = (parts[near, 0].max(), parts[near, 1].max(), score[near].max())
    ranks = np.column_stack([_reciprocal_ranks(parts[:, j]) for j in range(parts.shape[1])])
    extra = [
        parts,
        ranks,
        score[:, None],
        _reciprocal_ranks(score)[:, None],
        neighbours,
        (parts[:, 0] * parts[:, 1])[:, None],
    ]
    return {"parts": parts, "parts+": np.hstack(extra)}


def asked(cases: list[Case], relevant: list[set[str]], search: Callable[[Case], list[SearchHit]]) -> list[Question]:
    """Every case asked once, its candidates kept."""
    questions = []
    for case, evidence in zip(cases, relevant, strict=True):
        hits = search(case)
        ids = [h.message_id for h in hits]
        questions.append(Question(case, ids, np.array([i in evidence for i in ids]), featurise(hits)))
    return questions


def _weights(questions: list[Question]) -> list[float]:
    """Each question weighs the same, each set the same in total."""
    per_set = {c: sum(q.case.collection == c for q in questions) for c in HEADLINE}
    return [1.0 / per_set[q.case.collection] for q in questions]


def fit_pointwise(train: list[Question], features: str, c: float) -> Callable[[Floats], Floats]:
    """Logistic regression of evidence or not over every candidate."""
    x = np.vstack([q.features[features] for q in train])
    y = np.concatenate([q.evidence for q in train])
    w = np.concatenate([np.full(len(q.ids), wq / len(q.ids)) for q, wq in zip(train, _weights(train), strict=True)])
    mean, scale = x.mean(0), _scale(x)
    model = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y, sample_weight=w * len(w))
    return lambda f: np.asarray(model.decision_function((f - mean) / scale))


def fit_pairwise(train: list[Question], features: str, c: float) -> Callable[[Floats], Floats]:
    """Logistic regression on differences: each evidence candidate against each other one of the `PAIRS` best."""
    rows, weights = [], []
    for q, wq in zip(train, _weights(train), strict=True):
        f = q.features[features]
        good = np.flatnonzero(q.evidence)
        bad = [i for i in range(min(PAIRS, len(q.ids))) if not q.evidence[i]]
        for g in good:
            for b in bad:
                rows.append(f[g] - f[b])
                weights.append(wq / (len(good) * len(bad)))
    x = np.array(rows)
    scale = _scale(x)
    both = np.vstack([x, -x]) / scale
    labels = np.concatenate([np.ones(len(x)), np.zeros(len(x))])
    w = np.array(weights * 2)
    model = LogisticRegression(C=c, max_iter=3000, fit_intercept=False).fit(both, labels, sample_weight=w * len(w))
    return lambda f: np.asarray((f / scale) @ model.coef_[0])


LEARNERS: dict[str, Learner] = {"pointwise": fit_pointwise, "pairwise": fit_pairwise}


def figures(questions: list[Question], score: Callable[[Question], Floats] | None) -> dict[str, dict[str, float]]:
    """Each set's mean scores with the candidates re-ranked by `score` (None: as the service ranked them)."""
    totals: dict[str, dict[str, list[float]]] = {}
    for q in questions:
        order = range(len(q.ids)) if score is None else np.argsort(-score(q), kind="stable")
        for key, value in q.case.score([q.ids[i] for i in order]).items():
            totals.setdefault(q.case.collection, {}).setdefault(key, []).append(value)
    return {c: {k: round(statistics.mean(v), 4) for k, v in scores.items()} for c, scores in totals.items()}


def _scorer(fit: Learner, train: list[Question], features: str, c: float) -> Callable[[Question], Floats]:
    """A question's candidates' scores by the model `fit` learns from `train`."""
    model = fit(train, features, c)
    return lambda q: model(q.features[features])


def study(questions: list[Question]) -> dict[str, Any]:
    """Every learner, feature set and C: held out by set, by LoCoMo conversation, and in sample."""
    lme = [q for q in questions if q.case.collection == "longmemeval"]
    loc = [q for q in questions if q.case.collection == "locomo"]
    conversations = sorted({q.case.user_id for q in loc})
    rows: dict[str, Any] = {"shipped ranking": figures(questions, None)}
    for learner, fit in LEARNERS.items():
        for features in ("parts", "parts+"):
            for c in C_GRID:
                by_conversation = []
                for held in conversations:
                    test = [q for q in loc if q.case.user_id == held]
                    model = _scorer(fit, lme + [q for q in loc if q.case.user_id != held], features, c)
                    by_conversation += [(q, model(q)) for q in test]
                held_scores = {id(q): s for q, s in by_conversation}

                def held_out(q: Question, scores: dict[int, Floats] = held_scores) -> Floats:
                    return scores[id(q)]

                rows[f"{learner}, {features}, C {c}"] = {
                    "trained on LoCoMo, LongMemEval held out": figures(lme, _scorer(fit, loc, features, c)),
                    "trained on LongMemEval, LoCoMo held out": figures(loc, _scorer(fit, lme, features, c)),
                    "LoCoMo conversation held out": figures(loc, held_out),
                    "in sample": figures(questions, _scorer(fit, questions, features, c)),
                }
    return rows


def _line(name: str, figures_: dict[str, dict[str, float]]) -> str:
    cells = "".join(
        f"{figures_[c][k]:>9.3f}" if c in figures_ else f"{'':>9}" for c, keys in HEADLINE.items() for k in keys
    )
    whole = f"{objective(figures_):>10.4f}" if len(figures_) == len(HEADLINE) else ""
    return f"{name:<62}{cells}{whole}"


def main() -> int:
    """Command-line entry point."""
    questions_lme = scored_questions(longmemeval.load())
    samples = locomo.load()
    container = build_container(get_settings())
    try:
        ensure_longmemeval(container, questions_lme, reingest=False)
        ensure_locomo(container, samples, reingest=False)
        cases = longmemeval_cases(container.embedder, questions_lme) + locomo_cases(container.embedder, samples)
        relevant = [evidence_turns(q) for q in questions_lme] + [
            locomo.evidence(q) for s in samples for q in locomo.scored_questions(s)
        ]

        def search(case: Case) -> list[SearchHit]:
            options = SearchOptions(k=POOL, as_of=case.as_of, record_access=False, **EVERYTHING)
            return container.retrieval.search(case.user_id, case.text, options, embedding=case.embedding)

        rows = study(asked(cases, relevant, search))
    finally:
        container.close()
    print(f"{'ranking (LME session all@5, turn all@10; LoCoMo turn R@10, session R@10)':<62}{'':>36}{'objective':>10}")
    print(_line("shipped ranking", rows["shipped ranking"]))
    for name, variants in rows.items():
        if name != "shipped ranking":
            for variant, figures_ in variants.items():
                print(_line(f"{name}: {variant}", figures_))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"written to {REPORT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
