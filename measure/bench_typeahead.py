"""Type-ahead replayed: the evaluation's LongMemEval questions typed into their own users' stores.

Model of typing (no clock is waited on; the pauses say when the server would precompute): a question is
typed word by word; the typist pauses (longer than the 500 ms the server waits for) after each clause, at
`,` `.` `?` `!` or `;`, and, with probability `FINAL_PAUSE` (seeded), once more before pressing Enter, as
one rereads before sending. Each pause precomputes the draft typed so far (`TypeaheadService.precompute`);
Enter asks `TypeaheadService.answer` for the whole question. The questions' users must be loaded (`make
eval` loads them).

- typeahead_hit_rate: the share of sends answered from the type-ahead cache;
- typeahead_send_to_context_p50_ms: how long a warm send took to its context (the state read included);
- context_cold_p50_ms: the same call with nothing precomputed;
- typeahead_warm_recall_ratio: turn recall_all@10 of warm answers over that of fresh contexts for the
  same sends (both with the default options, as of now).
"""

from __future__ import annotations

import random
import re
import statistics
from typing import Any

from app.container import Container
from measure import longmemeval
from measure.longmemeval import evidence_turns

FINAL_PAUSE = 0.7
SEED = 11
_CLAUSE_END = re.compile(r"[,.?!;]$")


def pauses(text: str, rng: random.Random) -> list[str]:
    """The drafts a typist pauses on while typing `text`, in order."""
    words, drafts = text.split(), []
    for i, word in enumerate(words):
        if _CLAUSE_END.search(word) and i < len(words) - 1:
            drafts.append(" ".join(words[: i + 1]))
    if rng.random() < FINAL_PAUSE:
        drafts.append(text)
    return drafts


def _recall_all(memories: list[Any], relevant: set[str]) -> float:
    return 1.0 if relevant <= {m.message_id for m in memories[:10]} else 0.0


def measure(container: Container, questions: list[dict[str, Any]]) -> dict[str, float]:
    """Replay every question's typing against its user; the figures above."""
    rng = random.Random(SEED)
    typeahead = container.typeahead
    warm_ms, cold_ms, warm_recall, fresh_recall = [], [], [], []
    hits = 0
    for question in questions:
        owner, text = longmemeval.user_id_for(question), question["question"]
        conversation = f"typeahead-{question['question_id']}"
        for draft in pauses(text, rng):
            typeahead.precompute(owner, conversation, draft)
        # Nothing counts as recalled: the evaluation's stores decay as of their questions.
        answer = typeahead.answer(owner, conversation, text, record_access=False)
        fresh = container.context.build(owner, text, embedding=answer.embedding, record_access=False)
        cold = typeahead.answer(owner, f"{conversation}-cold", text, record_access=False)
        cold_ms.append(cold.took_ms)
        if answer.warm:
            hits += 1
            warm_ms.append(answer.took_ms)
            relevant = evidence_turns(question)
            warm_recall.append(_recall_all(answer.context.memories, relevant))
            fresh_recall.append(_recall_all(fresh.memories, relevant))
    fresh_mean = statistics.mean(fresh_recall) if fresh_recall else 0.0
    return {
        "typeahead_sends": len(questions),
        "typeahead_hit_rate": round(hits / len(questions), 3),
        "typeahead_send_to_context_p50_ms": round(statistics.median(warm_ms), 3) if warm_ms else float("nan"),
        "context_cold_p50_ms": round(statistics.median(cold_ms), 2),
        "typeahead_warm_recall_ratio": round(statistics.mean(warm_recall) / fresh_mean, 4) if fresh_mean else 1.0,
    }
