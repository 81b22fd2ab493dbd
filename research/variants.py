"""What else a semantic or plain search could do, tried over both development sets' turns without the
service, so that a variant is worth building only if it raises both sets:

    python -m research.variants

prints LongMemEval session recall_all@5 / turn recall_all@10 and LoCoMo turn recall@10 / session recall@10
(and R@25) for each variant (docs/evaluation.md). Semantic rows score a turn as the service does: `share`
× its whole vector (the normalised mean of its pieces') + the rest × its best piece, the pieces being its
sentences (`app.nlp.sentences.presplit`) or runs of them up to a number of words; whole-turn rows add the
turn's own embedding (its text in one pass, which the service does not hold). Query expansion adds the
mean whole vector of the first ranking's best turns to the query. Formula rows are the seeds' plain formula
over one of those semantic scores (the turn's own vector among them: does it help once fused?), with a
turn's best neighbour in its session lending a share of its score, or a bonus for turns spoken by a
speaker the question names (LoCoMo's `<speaker> said, "..."`); scaled rows scale the semantic part per
query first (min-max), as an encoder with a narrow band of cosines needs. `EMBEDDING_MODEL=e5-small-v2`
runs it with e5's vectors. No Neo4j.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from app.nlp.embedding import Embedder
from app.nlp.sentences import presplit
from app.settings import get_settings
from measure import locomo, longmemeval
from measure.cases import HEADLINE, Case, locomo_cases, longmemeval_cases
from measure.plain import TurnVectors, _tokens

Floats = npt.NDArray[np.float32]
_SPEAKER = re.compile(r'^(\w+) said, "')


def runs(sentences: list[str], words: int) -> list[str]:
    """Consecutive sentences joined while a piece stays within `words` words (0: the sentences as they are)."""
    if words <= 0:
        return sentences
    pieces: list[list[str]] = []
    count = 0
    for sentence in sentences:
        length = len(sentence.split())
        if not pieces or count + length > words:
            pieces.append([])
            count = 0
        pieces[-1].append(sentence)
        count += length
    return [" ".join(piece) for piece in pieces]


@dataclass
class Corpus:
    """One store's turns cut into pieces, embedded: each piece's vector and owner, each turn's whole vector."""

    pieces: Floats
    owners: npt.NDArray[np.intp]
    whole: Floats

    @classmethod
    def of(cls, texts: list[str], words: int, vectors: TurnVectors) -> Corpus:
        cut = [runs(presplit(text), words) for text in texts]
        owners = np.array([i for i, pieces in enumerate(cut) for _ in pieces], dtype=np.intp)
        pieces = vectors.of([piece for turn in cut for piece in turn])
        sums = np.zeros((len(texts), pieces.shape[1]), dtype=np.float32)
        np.add.at(sums, owners, pieces)
        return cls(pieces, owners, sums / np.linalg.norm(sums, axis=1, keepdims=True))

    def semantic(self, query: Floats, share: float) -> Floats:
        best = np.full(len(self.whole), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.owners, self.pieces @ query)
        return np.asarray(share * (self.whole @ query) + (1.0 - share) * best, dtype=np.float32)


@dataclass
class Store:
    """What a variant may read of one case's store."""

    ids: list[str]
    texts: list[str]
    bm25: BM25Okapi
    cut: dict[int, Corpus]
    #: whether the turn before / after is of the same session
    before: npt.NDArray[np.bool_]
    after: npt.NDArray[np.bool_]


Variant = Callable[[Store, Case, Floats], Floats]


def semantic(share: float, words: int = 0) -> Variant:
    return lambda store, case, query: store.cut[words].semantic(query, share)


def with_whole_turn(whole: float, mean: float, best: float) -> Variant:
    """A turn's own embedding (the whole text in one pass, as plain cosine has it) beside the mean of its
    sentences' vectors and its best sentence, which are all the service holds."""

    def score(store: Store, case: Case, query: Floats) -> Floats:
        sentences = store.cut[0]
        parts = (store.cut[10_000].whole @ query, sentences.whole @ query, sentences.semantic(query, 0.0))
        return np.asarray(whole * parts[0] + mean * parts[1] + best * parts[2], dtype=np.float32)

    return score


def expanded(share: float, top: int, weight: float) -> Variant:
    def score(store: Store, case: Case, query: Floats) -> Floats:
        corpus = store.cut[0]
        first = corpus.semantic(query, share)
        moved = query + weight * corpus.whole[np.argsort(-first)[:top]].mean(axis=0)
        return corpus.semantic((moved / np.linalg.norm(moved)).astype(np.float32), share)

    return score


def formula(over: Variant, neighbour: float = 0.0, speaker: float = 0.0) -> Variant:
    """The seeds' plain formula with the semantic variant `over` as its semantic part."""

    def score(store: Store, case: Case, query: Floats) -> Floats:
        keyword = np.asarray(store.bm25.get_scores(_tokens(case.text)), dtype=np.float32)
        base = 0.7 * np.clip(over(store, case, query), 0, None) + 0.3 * keyword / (keyword.max() or 1.0)
        lent = np.maximum(np.where(store.before, np.roll(base, 1), 0), np.where(store.after, np.roll(base, -1), 0))
        question = case.text.lower()
        said = [m.group(1) if (m := _SPEAKER.match(text)) else "" for text in store.texts]
        named = np.array([bool(name) and name.lower() in question for name in said], dtype=np.float32)
        return np.asarray(base + neighbour * lent + speaker * named, dtype=np.float32)

    return score


def scaled(values: Floats) -> Floats:
    """Min-max scaled over one query's turns: the best 1, the worst 0 (all 0 when they are equal)."""
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def formula_scaled(over: Variant, share: float = 0.7) -> Variant:
    """The seeds' formula with its semantic part min-max scaled per query, as a model whose cosines all
    sit in a narrow band (e5-small-v2's, about 0.7 to 0.9) needs: added raw, its spread is too small
    beside the max-normalised keywords'."""

    def score(store: Store, case: Case, query: Floats) -> Floats:
        keyword = np.asarray(store.bm25.get_scores(_tokens(case.text)), dtype=np.float32)
        semantic = scaled(over(store, case, query))
        return np.asarray(share * semantic + (1 - share) * keyword / (keyword.max() or 1.0), dtype=np.float32)

    return score


VARIANTS: dict[str, Variant] = {
    "semantic, best sentence": semantic(0.0),
    "semantic, share 0.5": semantic(0.5),
    "semantic, share 0.7 (the service's)": semantic(0.7),
    "semantic, whole vector (mean)": semantic(1.0),
    "semantic, pieces of ≤ 30 words, best": semantic(0.0, 30),
    "semantic, pieces of ≤ 30 words, share 0.5": semantic(0.5, 30),
    "semantic, pieces of ≤ 60 words, best": semantic(0.0, 60),
    "semantic, whole turn (plain cosine)": semantic(0.0, 10_000),
    "semantic, whole turn 0.5 + best sentence 0.5": with_whole_turn(0.5, 0.0, 0.5),
    "semantic, whole turn 0.7 + best sentence 0.3": with_whole_turn(0.7, 0.0, 0.3),
    "semantic, whole turn 0.2 + mean 0.5 + best 0.3": with_whole_turn(0.2, 0.5, 0.3),
    "semantic, whole turn 0.35 + mean 0.35 + best 0.3": with_whole_turn(0.35, 0.35, 0.3),
    "semantic, whole turn 0.5 + mean 0.5": with_whole_turn(0.5, 0.5, 0.0),
    "semantic 0.5, query + 0.3 × best 5": expanded(0.5, 5, 0.3),
    "semantic 0.5, query + 1.0 × best 3": expanded(0.5, 3, 1.0),
    "formula over semantic 0.5": formula(semantic(0.5)),
    "formula over semantic 0.7 (the service's)": formula(semantic(0.7)),
    "formula over whole turn 0.2 + mean 0.5 + best 0.3": formula(with_whole_turn(0.2, 0.5, 0.3)),
    "formula over whole turn 0.35 + mean 0.35 + best 0.3": formula(with_whole_turn(0.35, 0.35, 0.3)),
    "formula scaled per query, over whole turn (plain cosine)": formula_scaled(semantic(0.0, 10_000)),
    "formula scaled per query, over semantic 0.7": formula_scaled(semantic(0.7)),
    "formula scaled per query, over whole turn 0.5 + mean 0.5": formula_scaled(with_whole_turn(0.5, 0.5, 0.0)),
    "formula scaled per query 0.8, over whole turn 0.5 + mean 0.5": formula_scaled(with_whole_turn(0.5, 0.5, 0.0), 0.8),
    "formula, neighbour lends 0.1": formula(semantic(0.5), neighbour=0.1),
    "formula, neighbour lends 0.3": formula(semantic(0.5), neighbour=0.3),
    "formula, named speaker + 0.1": formula(semantic(0.5), speaker=0.1),
    "formula, named speaker + 1.0": formula(semantic(0.5), speaker=1.0),
}


def store_of(case: Case, vectors: TurnVectors) -> Store:
    ids = [turn_id for turn_id, _ in case.turns]
    texts = [text for _, text in case.turns]
    session = [turn_id.rsplit(":", 1)[0] for turn_id in ids]
    same = np.array([a == b for a, b in pairwise(session)], dtype=np.bool_)
    cut = {words: Corpus.of(texts, words, vectors) for words in (0, 30, 60, 10_000)}
    bm25 = BM25Okapi([_tokens(t) for t in texts])
    return Store(ids, texts, bm25, cut, np.concatenate([[False], same]), np.concatenate([same, [False]]))


def main() -> int:
    embedder = Embedder(get_settings())
    cases = longmemeval_cases(embedder, longmemeval.scored_questions(longmemeval.load()))
    cases += locomo_cases(embedder, locomo.load())
    vectors = TurnVectors(embedder)
    stores: dict[tuple[tuple[str, str], ...], Store] = {}
    totals: dict[tuple[str, str, str], list[float]] = {}
    for case in cases:
        store = stores.get(case.turns) or stores.setdefault(case.turns, store_of(case, vectors))
        query = np.asarray(case.embedding, dtype=np.float32)
        for name, variant in VARIANTS.items():
            order = np.argsort(-variant(store, case, query), kind="stable")[:60]
            for key, value in case.score([store.ids[i] for i in order]).items():
                totals.setdefault((name, case.collection, key), []).append(value)
    vectors.save()
    keys = [(c, k) for c, ks in HEADLINE.items() for k in ks] + [("locomo", "turn_recall@25")]
    print("variant | " + " | ".join(f"{c} {k}" for c, k in keys))
    for name in VARIANTS:
        print(name + " | " + " | ".join(f"{statistics.mean(totals[(name, c, k)]):.3f}" for c, k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
