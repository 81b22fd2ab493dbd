"""LongMemEval_S as conversation messages: one user per question, every user turn at its session's date.

    python -m measure.longmemeval [PATH] [--questions N] [--batch-size 128]

loads a LongMemEval file (the dev set by default) through the batch pipeline. The paper's retrieval setup
indexes user turns only; assistant turns are skipped. Message ids are `<session id>:<turn index>`, so
evidence turns (`has_answer`) can be scored by id.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.settings import PROJECT_ROOT
from measure.stores import ingest_messages

DEV_SET = PROJECT_ROOT.parent / "shared" / "data" / "longmemeval_s_dev100.json.gz"
COMPANION_ID = "longmemeval"


def load(path: Path = DEV_SET) -> list[dict[str, Any]]:
    """The questions of a LongMemEval file (.json or .json.gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


def parse_date(text: str) -> datetime:
    """LongMemEval's `2023/05/30 (Tue) 10:18` as an aware UTC datetime."""
    return datetime.strptime(text.split(" (")[0] + " " + text.split(") ")[-1], "%Y/%m/%d %H:%M").replace(tzinfo=UTC)


def question_as_of(question: dict[str, Any]) -> datetime:
    """The end of the question's day: in 7 of the dev set's questions, evidence sessions are dated hours
    after the question on the same day (session times within a day are arbitrary in this data set), and
    no evidence is ever dated a later day."""
    return parse_date(question["question_date"]).replace(hour=23, minute=59, second=59)


def user_id_for(question: dict[str, Any]) -> str:
    """The memory store (user) that holds one question's haystack."""
    return f"lme-{question['question_id']}"


def messages(question: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The question's user turns as API-shaped messages, in session order."""
    for session_id, date, session in zip(
        question["haystack_session_ids"], question["haystack_dates"], question["haystack_sessions"], strict=True
    ):
        occurred_at = parse_date(date)
        for index, turn in enumerate(session):
            if turn["role"] != "user":
                continue
            yield {
                "user_id": user_id_for(question),
                "companion_id": COMPANION_ID,
                "conversation_id": session_id,
                "message_id": f"{session_id}:{index}",
                "role": "user",
                "text": turn["content"],
                "occurred_at": occurred_at.isoformat(),
                "metadata": {"has_answer": bool(turn.get("has_answer"))},
            }


def evidence_turns(question: dict[str, Any]) -> set[str]:
    """Message ids of the user turns that hold the answer."""
    return {
        f"{sid}:{i}"
        for sid, session in zip(question["haystack_session_ids"], question["haystack_sessions"], strict=True)
        for i, turn in enumerate(session)
        if turn["role"] == "user" and turn.get("has_answer")
    }


def scored_questions(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Questions the paper's retrieval setup scores."""
    return [q for q in data if not q["question_id"].endswith("_abs") and evidence_turns(q)]


def metrics(ranked: Sequence[str], relevant: set[str], k: int) -> dict[str, float]:
    """recall_any@k, recall_all@k and NDCG@k (binary relevance) of one ranking."""
    top = list(ranked[:k])
    hits = [1.0 if r in relevant else 0.0 for r in top]
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    found = relevant & set(top)
    return {
        f"recall_any@{k}": 1.0 if found else 0.0,
        f"recall_all@{k}": 1.0 if found == relevant else 0.0,
        f"ndcg@{k}": dcg / ideal if ideal else 0.0,
    }


def ranking_scores(
    ranked: Sequence[str], turns: set[str], sessions: set[str], ks: Sequence[int] = (5, 10)
) -> dict[str, float]:
    """`metrics` of a ranking of turn ids at turn level and at session level (sessions ranked by their
    best-ranked turn), for each k: `turn_recall_all@10`, `session_ndcg@5`..."""
    ranked_sessions = list(dict.fromkeys(turn.rsplit(":", 1)[0] for turn in ranked))
    scores: dict[str, float] = {}
    for k in ks:
        scores |= {f"turn_{key}": v for key, v in metrics(ranked, turns, k).items()}
        scores |= {f"session_{key}": v for key, v in metrics(ranked_sessions, sessions, k).items()}
    return scores


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ingest a LongMemEval file, one user per question."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEV_SET, help="LongMemEval file (.json or .json.gz)")
    parser.add_argument("--questions", type=int, help="only the first N questions")
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args(argv)
    if not args.path.exists():
        parser.error(f"{args.path} does not exist")
    print(ingest_messages((m for q in load(args.path)[: args.questions] for m in messages(q)), args.batch_size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
