"""The guard of the write path: rules before the parse, the learned verdict once the message is embedded.

`screen` runs the rules (`app.guard.rules`: normalisation, redaction of secrets, refusals by form alone);
`judge` reads a user's message with the classifier (`app.guard.classifier`) over the vectors the write path
computes anyway, so the learned layer costs a matrix product, not a model run. The companion's and the
system's messages are the backend's own words: the rules apply to them, the classifier does not.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.guard import cues
from app.guard.classifier import GuardModel, Judgement, Verdict, decide, features, vector_parts
from app.guard.rules import GuardResult, check
from app.nlp.embedding import MessageVectors
from app.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Judged:
    """One message the classifier is asked about: its role, vectors and signals, and whether the parse reads
    in it a plain statement of a fact about its speaker ("I'm a nurse.")."""

    role: str
    vectors: MessageVectors
    #: `cues.signals` of the message and its parse (None where the guard `judges` not its role)
    signals: np.ndarray | None
    states_facts: bool = False


class Guard:
    """Rules and, where a trained model fits the embedding model, the classifier."""

    def __init__(self, settings: Settings, model: GuardModel | None) -> None:
        self.max_chars = settings.max_message_chars
        self.refuse_at = settings.guard_refuse_threshold
        self.ephemeral_at = settings.guard_ephemeral_threshold
        self.model = model

    @classmethod
    def of_settings(cls, settings: Settings, embedding_model: str) -> Guard:
        """The shipped model when the settings want it and it was trained on this embedding model; else the
        rules alone, said once in the log."""
        if not settings.guard_classifier:
            return cls(settings, None)
        try:
            model = GuardModel.load()
        except (OSError, ValueError, KeyError):
            log.exception("guard model not loaded: the rules alone guard the write path")
            return cls(settings, None)
        if model.embedding_model != embedding_model:
            log.warning(
                "guard model trained on %s, not %s: the rules alone guard the write path until "
                "`make train-guard` trains one for it",
                model.embedding_model,
                embedding_model,
            )
            return cls(settings, None)
        return cls(settings, model)

    def screen(self, text: str) -> GuardResult:
        """The rules: clean text, and a refusal if its form alone refuses it."""
        return check(text, self.max_chars)

    def judges(self, role: str) -> bool:
        """Whether the classifier reads a message of this role (the write path computes its signals only
        then)."""
        return self.model is not None and role == "user"

    def judge(self, messages: Sequence[Judged | None]) -> list[Judgement]:
        """The classifier's verdict on each message (stored where it `judges` none, and where None)."""
        verdicts = [Judgement(Verdict.STORE, None, 1.0)] * len(messages)
        asked = {i: m for i, m in enumerate(messages) if m is not None and self.judges(m.role)}
        if self.model is None or not asked:
            return verdicts
        rows = np.stack([self._row(m) for m in asked.values()])
        for (i, message), probabilities in zip(asked.items(), self.model.probabilities(rows), strict=True):
            verdict, reason, score = decide(probabilities, self.refuse_at, self.ephemeral_at)
            if verdict is Verdict.EPHEMERAL:
                framing = cues.framing_reason(_signals(message))
                if framing is None and message.states_facts:
                    # Make-believe with no game, role-play or hypothetical said, in a message the parse
                    # reads as plain statements of its speaker now: the statement stands (docs/guard.md).
                    verdict = Verdict.STORE
                else:
                    reason = framing or "make_believe"
            verdicts[i] = Judgement(verdict, reason, round(score, 4))
        return verdicts

    @staticmethod
    def _row(message: Judged) -> np.ndarray:
        return features(*vector_parts(message.vectors), _signals(message))


def _signals(message: Judged) -> np.ndarray:
    assert message.signals is not None  # the write path computes them for every message the guard judges
    return message.signals
