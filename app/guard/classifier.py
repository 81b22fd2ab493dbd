"""The learned layer of the guard: a linear model over what the write path already has.

Its features are the message's vector (the mean of its sentences'), the element-wise maximum of its
sentence vectors (an instruction hidden in one sentence of a pasted email still shows there), the cues
and the signals of the parse (`app.guard.cues`: who a sentence addresses, whether it commands). Five
classes: store, ephemeral, and three kinds of attack. The weights are trained by `python -m
pipelines.train_guard` and ship in the repository (`app/guard/model/`) with the name of the embedding
model they were trained on; scaling is folded into the weights, so a verdict is one small matrix product
and a softmax.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from app.nlp.embedding import MessageVectors

MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS = MODEL_DIR / "guard.npz"
CARD = MODEL_DIR / "guard.json"
FEATURES_VERSION = 2

Floats = npt.NDArray[np.float32]


class Verdict(StrEnum):
    """What the guard decides for a message."""

    STORE = "store"
    EPHEMERAL = "ephemeral"
    REFUSE = "refuse"


#: The classes of the model, and the refusal reason each attack class gives.
CLASSES = ("store", "ephemeral", "injection", "jailbreak", "poisoning")
ATTACK_REASONS = {"injection": "prompt_injection", "jailbreak": "jailbreak", "poisoning": "memory_poisoning"}


@dataclass(frozen=True)
class Judgement:
    """The verdict, its reason code, and the probability behind it."""

    verdict: Verdict
    reason: str | None
    score: float


def vector_parts(vectors: MessageVectors) -> tuple[Floats, Floats]:
    """A message's vector and the element-wise maximum of its sentences' vectors (its vector when it has
    one sentence), as the write path and training both read them."""
    vector, sentences = vectors
    own = np.asarray(vector, dtype=np.float32)
    return own, (own if len(sentences) <= 1 else np.asarray(sentences, dtype=np.float32).max(axis=0))


def features(vector: Floats, peak: Floats, signals: Floats) -> Floats:
    """One message's feature row: its vector, the peak of its sentence vectors, its cues and the signals
    of its parse (`cues.signals`)."""
    return np.concatenate([vector, peak, signals]).astype(np.float32)


@dataclass(frozen=True)
class GuardModel:
    """Weights (classes × features) and biases, with what they were trained on."""

    weights: Floats
    bias: Floats
    embedding_model: str
    card: dict[str, Any]

    def probabilities(self, rows: Floats) -> Floats:
        """Class probabilities (rows × classes, in `CLASSES` order)."""
        logits = rows @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: Floats = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return probabilities

    def save(self, weights: Path = WEIGHTS, card: Path = CARD) -> None:
        """Write the weights and the card (JSON: what, how and on what it was trained)."""
        weights.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(weights, weights=self.weights, bias=self.bias)
        card.write_text(json.dumps({**self.card, "embedding_model": self.embedding_model}, indent=2) + "\n")

    @classmethod
    def load(cls, weights: Path = WEIGHTS, card: Path = CARD) -> GuardModel:
        """The shipped model (FileNotFoundError, ValueError when absent or made for other features)."""
        meta = json.loads(card.read_text())
        if meta.get("features_version") != FEATURES_VERSION or tuple(meta.get("classes", ())) != CLASSES:
            raise ValueError(f"{card} was trained for other features or classes: train it again")
        with np.load(weights) as arrays:
            return cls(arrays["weights"], arrays["bias"], meta["embedding_model"], meta)


def decide(probabilities: Floats, refuse_at: float, ephemeral_at: float) -> tuple[Verdict, str | None, float]:
    """The verdict of one row of probabilities: refused when the attack classes together reach
    `refuse_at`, else ephemeral when make-believe reaches `ephemeral_at`, else stored."""
    attack = {name: float(probabilities[i]) for i, name in enumerate(CLASSES) if name in ATTACK_REASONS}
    total = sum(attack.values())
    if total >= refuse_at:
        return Verdict.REFUSE, ATTACK_REASONS[max(attack, key=attack.__getitem__)], total
    framing = float(probabilities[CLASSES.index("ephemeral")])
    if framing >= ephemeral_at:
        return Verdict.EPHEMERAL, None, framing
    return Verdict.STORE, None, float(probabilities[0])
