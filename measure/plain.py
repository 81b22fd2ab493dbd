"""The plain searches each mode is named after, over the same turns: what a search mode must never fall
below. Plain cosine: the service's embedding model over each whole turn. Plain BM25: Okapi BM25
(rank-bm25, its defaults) over lower-cased word tokens. The seeds' plain formula: 0.7 × cosine + 0.3 ×
BM25 divided by the best turn's. No graph, time, conversations or filters. Turn vectors are kept under
`var/eval/` by model and text, since a set's turns are embedded once.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from app.nlp.embedding import Embedder
from app.settings import PROJECT_ROOT
from measure.cases import Case

CACHE = PROJECT_ROOT / "var" / "eval"
_WORD = re.compile(r"\w+")
Floats = npt.NDArray[np.float32]
#: Each plain search: (cosines, BM25 scores) -> a score per turn.
PLAIN: dict[str, Callable[[Floats, Floats], Floats]] = {
    "plain cosine": lambda cosine, bm25: cosine,
    "plain BM25": lambda cosine, bm25: bm25,
    "plain formula": lambda cosine, bm25: 0.7 * np.clip(cosine, 0, None) + 0.3 * bm25 / (bm25.max() or 1.0),
}


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class TurnVectors:
    """Whole-turn vectors by text, embedded once and kept on disk."""

    def __init__(self, embedder: Embedder, directory: Path = CACHE) -> None:
        self.embedder = embedder
        self.path = directory / f"turns-{hashlib.blake2b(embedder.name.encode(), digest_size=6).hexdigest()}.npz"
        self.vectors: dict[str, Floats] = {}
        self._unsaved = False
        if self.path.exists():
            with np.load(self.path) as held:
                self.vectors = dict(zip(held["keys"].tolist(), held["vectors"], strict=True))

    def of(self, texts: list[str]) -> Floats:
        """The vectors of `texts`, in order."""
        keys = [hashlib.blake2b(t.encode(), digest_size=16).hexdigest() for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            for key, vector in zip(missing, self.embedder.encode([text_of[k] for k in missing]), strict=True):
                self.vectors[key] = vector
            self._unsaved = True
        return np.stack([self.vectors[k] for k in keys])

    def save(self) -> None:
        """Keep what was embedded since the last save."""
        if self._unsaved:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, keys=np.array(list(self.vectors)), vectors=np.stack(list(self.vectors.values())))
            self._unsaved = False


def ask_plain(embedder: Embedder, cases: list[Case]) -> dict[str, dict[str, dict[str, float]]]:
    """Each plain search over every case's turns: {search: {collection: mean scores}}."""
    vectors = TurnVectors(embedder)
    corpora: dict[tuple[tuple[str, str], ...], tuple[BM25Okapi, Floats]] = {}
    totals: dict[str, dict[str, dict[str, list[float]]]] = {name: {} for name in PLAIN}
    for case in cases:
        if case.turns not in corpora:
            texts = [text for _, text in case.turns]
            corpora[case.turns] = (BM25Okapi([_tokens(t) for t in texts]), vectors.of(texts))
        bm25, matrix = corpora[case.turns]
        cosine = matrix @ np.asarray(case.embedding, dtype=np.float32)
        keyword = np.asarray(bm25.get_scores(_tokens(case.text)), dtype=np.float32)
        ids = [turn_id for turn_id, _ in case.turns]
        for name, score in PLAIN.items():
            order = np.argsort(-score(cosine, keyword), kind="stable")
            for key, value in case.score([ids[i] for i in order[:60]]).items():
                totals[name].setdefault(case.collection, {}).setdefault(key, []).append(value)
    vectors.save()
    return {
        name: {c: {k: round(statistics.mean(v), 4) for k, v in scores.items()} for c, scores in collections.items()}
        for name, collections in totals.items()
    }
