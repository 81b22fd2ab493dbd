"""Train the guard's classifier on the development data and write it to `app/guard/model/`.

    python -m pipelines.train_guard [--c C]      (make train-guard)

Deterministic: the same data, model and C give the same weights. Each message is cleaned as the write path
cleans it (the guard's rules and redaction), split into sentences by the write path's spaCy pipeline and
embedded by its model; those vectors are cached under `var/guard/` (minutes to compute, once).
Every kind weighs the same in the fit whatever its count (real turns `REAL_WEIGHT` times as much, since
they are what a user sends all day); features are standardised, and the scaling folded into the weights.
`DEFAULT_C`, `REAL_WEIGHT` and the thresholds in the settings are chosen by `measure.guard_eval --sweep`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.guard import cues
from app.guard.classifier import CLASSES, FEATURES_VERSION, GuardModel, features, vector_parts
from app.guard.rules import check
from app.guard.secrets import without_secrets
from app.settings import PROJECT_ROOT, Settings, get_settings
from pipelines.guard_data import REAL, TRAINED_ON, Example, examples

log = logging.getLogger(__name__)

CACHE = PROJECT_ROOT / "var" / "guard"
#: Chosen by source-held-out cross-validation (docs/guard.md, `python -m measure.guard_eval --sweep`).
DEFAULT_C = 1.0
REAL_WEIGHT = 6.0

Floats = npt.NDArray[np.float32]


def class_of(example: Example) -> int:
    """The class index an example trains: its kind for attacks and make-believe, else store."""
    return CLASSES.index(example.kind) if example.kind in CLASSES else 0


@dataclass(frozen=True)
class Embedded:
    """Cleaned texts with what the write path computes of them, one row per example: the vector, the peak of
    the sentence vectors and the parse's signals."""

    texts: list[str]
    vectors: Floats
    peaks: Floats
    parsed: Floats
    embedding_model: str

    def matrix(self) -> Floats:
        """The feature rows of every example: what `cues.signals` gives the write path, the cues read
        afresh (a changed pattern needs no new parse) beside the cached parse signals."""
        return np.stack(
            [
                features(v, p, np.concatenate([cues.vector(t), s]))
                for t, v, p, s in zip(self.texts, self.vectors, self.peaks, self.parsed, strict=True)
            ]
        )


def _key(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


_PARTS = ("vectors", "peaks", "parsed")


def embed(data: list[Example], settings: Settings) -> Embedded:
    """Clean, parse and embed every example as the write path would. Cached per text, embedding model and
    spaCy pipeline, so that new examples are the only ones parsed and embedded."""
    from app.nlp.embedding import Embedder
    from app.nlp.sentences import sentences
    from app.nlp.spacy_pipeline import load_spacy, resolve_spacy_model

    # What the classifier reads on the write path: the cleaned text, a sentence stating a redacted secret
    # left out (where nothing else is left, the write path judges nothing: the text stands for itself).
    texts = [without_secrets(check(e.text, settings.max_message_chars).text) or e.text for e in data]
    embedder = Embedder(settings)
    name = _key(f"{embedder.name} {resolve_spacy_model(settings)} {len(cues.PARSE_NAMES)}")[:12]
    path = CACHE / f"vectors-{name}.npz"
    known: dict[str, tuple[Floats, ...]] = {}
    if path.exists():
        with np.load(path) as cached:
            known = dict(zip(cached["keys"], zip(*(cached[part] for part in _PARTS), strict=True), strict=True))
    missing = sorted({t for t in texts if _key(t) not in known})
    if missing:
        log.info("parsing and embedding %d messages (cached in %s)", len(missing), path)
        docs = list(load_spacy(settings).pipe(missing, batch_size=256))
        encoded = embedder.encode_sentences([sentences(doc) for doc in docs])
        for text, doc, message_vectors in zip(missing, docs, encoded, strict=True):
            known[_key(text)] = (*vector_parts(message_vectors), cues.parse_vector(doc))
        CACHE.mkdir(parents=True, exist_ok=True)
        keys = sorted(known)
        vectors, peaks, parsed = (np.stack([known[k][i] for k in keys]) for i in range(len(_PARTS)))
        np.savez_compressed(path, keys=np.array(keys), vectors=vectors, peaks=peaks, parsed=parsed)
    rows = [known[_key(t)] for t in texts]
    vectors, peaks, parsed = (np.stack([r[i] for r in rows]) for i in range(len(_PARTS)))
    return Embedded(texts, vectors, peaks, parsed, embedder.name)


def sample_weights(data: list[Example], real_weight: float) -> Floats:
    """Each kind weighs one in total (real turns `real_weight`), spread evenly over its messages."""
    counts = Counter(e.kind for e in data)
    return np.array(
        [(real_weight if e.kind == REAL else 1.0) / counts[e.kind] * len(data) for e in data],
        dtype=np.float32,
    )


def fit(rows: Floats, data: list[Example], c: float, real_weight: float) -> tuple[Floats, Floats]:
    """Multinomial logistic regression on standardised rows; weights and biases on the raw rows."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000, tol=1e-5)
    model.fit((rows - mean) / scale, [class_of(e) for e in data], sample_weight=sample_weights(data, real_weight))
    weights = (model.coef_ / scale).astype(np.float32)
    bias = (model.intercept_ - weights @ mean).astype(np.float32)
    return weights, bias


def train(c: float = DEFAULT_C, real_weight: float = REAL_WEIGHT, settings: Settings | None = None) -> GuardModel:
    """Fit on every development example and describe the result."""
    settings = settings or get_settings()
    data = [e for e in examples() if e.trains]
    embedded = embed(data, settings)
    weights, bias = fit(embedded.matrix(), data, c, real_weight)
    card = {
        "features_version": FEATURES_VERSION,
        "classes": list(CLASSES),
        "cues": list(cues.SIGNAL_NAMES),
        "c": c,
        "real_weight": real_weight,
        "trained_on": {kind: n for kind, n in sorted(Counter(e.kind for e in data).items())},
        "data_sha256": {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in TRAINED_ON},
    }
    return GuardModel(weights, bias, embedded.embedding_model, card)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    parser.add_argument("--real-weight", type=float, default=REAL_WEIGHT, help="real turns' weight beside a kind's")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model = train(args.c, args.real_weight)
    model.save()
    print(f"guard model written to app/guard/model/ ({model.weights.shape[1]} features)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
