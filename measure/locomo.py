"""LoCoMo conversations as messages: one user per conversation, every turn of both speakers at its
session's date, scored as ../shared/data/README.md says.

    python -m measure.locomo [PATH]

loads a LoCoMo file (the dev set by default) through the batch pipeline. A turn's text is `<speaker>
said, "<text>"`, with ` and shared <blip_caption>` where it has one; turns of a session are a few seconds
apart, in order. Message ids are the turns' `dia_id`s (`D3:12`), so evidence can be scored by id. Both
people are speakers (`speaker`), neither of them the store's user: what each says of themselves is theirs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.settings import PROJECT_ROOT
from measure.stores import ingest_messages

DEV_SET = PROJECT_ROOT.parent / "shared" / "data" / "locomo_dev2.json.gz"
COMPANION_ID = "locomo"
#: Category 5 (adversarial) has no answer in the conversation.
SCORED_CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
_EVIDENCE = re.compile(r"D:?(\d+):(\d+)")
_SESSION = re.compile(r"^session_(\d+)$")


def load(path: Path = DEV_SET) -> list[dict[str, Any]]:
    """The conversations of a LoCoMo file (.json or .json.gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


def user_id_for(sample: dict[str, Any]) -> str:
    """The memory store (user) that holds one conversation."""
    return f"locomo-{sample['sample_id']}"


def sessions(sample: dict[str, Any]) -> list[tuple[int, datetime, list[dict[str, Any]]]]:
    """(number, date, turns) of each session, in order."""
    conversation = sample["conversation"]
    found = []
    for key, turns in conversation.items():
        match = _SESSION.match(key)
        if match and turns:
            date = datetime.strptime(conversation[f"{key}_date_time"], "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)
            found.append((int(match.group(1)), date, turns))
    return sorted(found, key=lambda s: s[0])


def as_of(sample: dict[str, Any]) -> datetime:
    """When every question is asked: a day after the last session."""
    return sessions(sample)[-1][1] + timedelta(days=1)


def turn_text(turn: dict[str, Any]) -> str:
    """A turn as one message, as the README prescribes."""
    text = f'{turn["speaker"]} said, "{turn["text"]}"'
    return text + f" and shared {turn['blip_caption']}" if turn.get("blip_caption") else text


def messages(sample: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every turn of the conversation as an API-shaped message, in order."""
    for number, date, turns in sessions(sample):
        for index, turn in enumerate(turns):
            yield {
                "user_id": user_id_for(sample),
                "companion_id": COMPANION_ID,
                "conversation_id": f"{sample['sample_id']}:session_{number}",
                "message_id": turn["dia_id"],
                "role": "user",
                "text": turn_text(turn),
                "speaker": turn["speaker"],
                "occurred_at": (date + timedelta(seconds=10 * index)).isoformat(),
            }


def evidence(question: dict[str, Any]) -> set[str]:
    """The evidence turns' ids, read leniently (`D8:6; D9:17`, `D:11:26`, `D30:05`)."""
    return {f"D{int(s)}:{int(t)}" for s, t in _EVIDENCE.findall(" ".join(question.get("evidence") or []))}


def scored_questions(sample: dict[str, Any]) -> list[dict[str, Any]]:
    """Questions with an answer in the conversation and evidence to score."""
    return [q for q in sample["qa"] if q.get("category") in SCORED_CATEGORIES and evidence(q)]


def ranking_scores(ranked: list[str], relevant: set[str], ks: tuple[int, ...] = (5, 10, 25)) -> dict[str, float]:
    """Turn recall@k of a ranking of turn ids (the share of the evidence turns in the top k) for each k, and
    session recall@10 (the share of the evidence turns whose session is among the ten best-ranked)."""
    scores = {f"turn_recall@{k}": len(relevant & set(ranked[:k])) / len(relevant) for k in ks}
    sessions = list(dict.fromkeys(_session(t) for t in ranked))[:10]
    scores["session_recall@10"] = sum(_session(t) in sessions for t in relevant) / len(relevant)
    return scores


def _session(turn: str) -> str:
    return turn.split(":")[0]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ingest a LoCoMo file, one user per conversation."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEV_SET, help="LoCoMo file (.json or .json.gz)")
    args = parser.parse_args(argv)
    if not args.path.exists():
        parser.error(f"{args.path} does not exist")
    print(ingest_messages(m for sample in load(args.path) for m in messages(sample)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
