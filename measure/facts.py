"""The facts the service would state about a message's speaker, measured on labelled messages.

    python -m measure.facts FILE [--out PRED.jsonl] [--score SCORER] [--half tune|check]

FILE holds one message a line, as `../shared/data/facts_dev/facts_dev.jsonl` does (`{"id", "text", ...}`).
Each message goes through the write path's analysis alone (the guard's rules and classifier, spaCy,
extraction; no Neo4j) as a user's message of its own, and its facts through the same planning as a write:
a line of PRED holds what the service would then show as the user's current facts (current, about the
user, at or above `FACT_MIN_CONFIDENCE`). A message the guard refuses or keeps for the exchange states
nothing. With `--score`, the set's scorer (`score.py` beside it) prints precision, recall and F1.

`--half`: the rules were written reading the errors on one half of the development set only (`tune`: the
messages whose id hashes even, `half_of`); the other half (`check`) was only ever scored, so that its
figure predicts messages the rules were not written from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.facts.planning import plan_facts
from app.guard.service import Guard
from app.nlp.embedding import Embedder
from app.nlp.extraction import SELF_KEY, Extractor
from app.nlp.spacy_pipeline import load_spacy
from app.settings import PROJECT_ROOT, Settings, get_settings
from app.write.analysis import Analysis
from app.write.batch import IncomingMessage
from app.write.ephemeral import EphemeralStore

DEV_SET = PROJECT_ROOT.parent / "shared" / "data" / "facts_dev" / "facts_dev.jsonl"
#: Messages analysed together, as a batch request would send them.
CHUNK = 64


def analysis_of(settings: Settings) -> Analysis:
    """The write path's analysis, as a process builds it, without the graph."""
    embedder = Embedder(settings)
    ephemeral = EphemeralStore(settings.ephemeral_ttl_s, settings.ephemeral_max_items_per_conversation)
    guard = Guard.of_settings(settings, embedder.name)
    return Analysis(settings, embedder, Extractor(load_spacy(settings)), ephemeral, guard)


def stated_facts(analysis: Analysis, texts: list[str], min_confidence: float) -> list[list[dict[str, str]]]:
    """For each text, the facts about its speaker that the service would show as current."""
    stated: list[list[dict[str, str]]] = []
    for first in range(0, len(texts), CHUNK):
        chunk = texts[first : first + CHUNK]
        messages = [
            IncomingMessage(f"facts-{i}", "measure", "c", "user", text, f"m{i}", datetime.now(UTC))
            for i, text in enumerate(chunk)
        ]
        batch = analysis.prepare_batch(messages)
        analysis.judge(batch)
        kept = {index: prepared for index, prepared in zip(batch.indexes, batch.prepared, strict=True)}
        for index in range(len(chunk)):
            prepared = kept.get(index)
            if prepared is None:
                stated.append([])
                continue
            plan = plan_facts([], prepared.extraction.facts, analysis.functional, analysis.high_stakes)
            stated.append(
                [
                    {"predicate": fact.predicate, "value": fact.value}
                    for fact, _ in plan.created
                    if fact.status == "current" and fact.subject_key == SELF_KEY and fact.confidence >= min_confidence
                ]
            )
    return stated


def half_of(message_id: str) -> str:
    """The half of the development set a message belongs to: `tune` or `check`."""
    return "check" if int(hashlib.sha256(message_id.encode()).hexdigest(), 16) % 2 else "tune"


def rows_of(path: Path, half: str | None = None) -> list[dict[str, Any]]:
    """The labelled messages of a file, or of one half of it."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if half is None or half_of(row["id"]) == half]


def predict(rows: list[dict[str, Any]], out: Path, settings: Settings) -> None:
    """Write what the service would state for every message of `rows` to `out`."""
    analysis = analysis_of(settings)
    try:
        facts = stated_facts(analysis, [row["text"] for row in rows], settings.fact_min_confidence)
    finally:
        analysis.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as file:
        for row, stated in zip(rows, facts, strict=True):
            file.write(json.dumps({"id": row["id"], "facts": stated}) + "\n")


def score(scorer: Path, gold: Path, predicted: Path) -> dict[str, Any]:
    """The set's scorer over a prediction: its headline (precision, recall, F1...) and its printed table."""
    printed = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(predicted)], check=True, capture_output=True, text=True
    ).stdout
    headline: dict[str, Any] = json.loads(printed.splitlines()[0])
    headline["table"] = printed.splitlines()[1:]
    return headline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, nargs="?", default=DEV_SET)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "facts_pred.jsonl")
    parser.add_argument("--score", type=Path, help="the set's scorer (score.py), to print its figures")
    parser.add_argument("--half", choices=["tune", "check"], help="one half of the set only")
    args = parser.parse_args(argv)
    rows = rows_of(args.file, args.half)
    predict(rows, args.out, get_settings())
    if args.score is not None:
        gold = args.out.with_suffix(".gold.jsonl")
        gold.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        result = score(args.score, gold, args.out)
        print("\n".join([json.dumps({k: v for k, v in result.items() if k != "table"}), *result["table"]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
