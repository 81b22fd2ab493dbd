"""The guard's cost per message on the write path (`make bench --only guard`).

- guard_p50_ms / guard_p95_ms: the rules (normalisation, redaction, refusals by form), the parse's signals
  and the classifier's verdict for one message at a time, as `POST /v1/messages` runs them, over the dev
  set's first 1,000 user turns and every guard_dev message; the parse and the embedding are not counted
  (the write path computes them anyway).
- guard_rules_p50_ms: the rules alone.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from app.container import Container
from app.guard import cues
from app.guard.service import Judged
from app.nlp.sentences import presplit
from measure import longmemeval
from pipelines.guard_data import GUARD_DEV, labelled


def _quantile(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[int(q * 100) - 1], 3)


def measure(container: Container) -> dict[str, Any]:
    """Time the guard on real turns and attacks, one message at a time."""
    guard = container.ingest.analysis.screening.guard
    turns = [m["text"] for q in longmemeval.load() for m in longmemeval.messages(q)][:1000]
    texts = [guard.screen(t).text for t in turns + [e.text for e in labelled(GUARD_DEV)]]
    vectors = container.embedder.encode_sentences([presplit(t) for t in texts])
    docs = list(container.nlp.pipe(texts))
    whole, rules = [], []
    for text, vector, doc in zip(texts, vectors, docs, strict=True):
        started = time.perf_counter()
        guard.judge([Judged("user", vector, cues.signals(guard.screen(text).text, doc))])
        whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        guard.screen(text)
        rules.append((time.perf_counter() - started) * 1000)
    return {
        "guard_p50_ms": _quantile(whole, 0.5),
        "guard_p95_ms": _quantile(whole, 0.95),
        "guard_rules_p50_ms": _quantile(rules, 0.5),
        "guard_classifier": guard.model is not None,
    }
