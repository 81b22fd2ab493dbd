"""Retrieval quality on LongMemEval_S (dev 100) and LoCoMo dev, scored as ../shared/data/README.md says.

    python -m measure.eval [--questions N] [--reingest] [--no-decay]

One user per question holds that question's user turns, each at its session's date (loaded through the
batch pipeline, so the guard and the ephemeral filter apply as in production). Each question is asked as
of its `question_date` through the search service in three modes: hybrid, semantic only, keyword only.
Turn level: a retrieved turn is relevant if it has `has_answer`. Session level: sessions ranked by their
best-ranked turn. recall_any@k, recall_all@k and NDCG@k for k = 5 and 10, overall and per question type.
Abstention questions and questions whose evidence is only in assistant turns are skipped. Before the
questions, a decay pass runs over each user as of its questions' moment (`--no-decay`: none), and the
hybrid search is asked once more with the default options (what a companion gets: the hot tier). LoCoMo:
`measure.locomo_eval`. Then both sets side by side, part by part, beside the plain searches
(`measure.ablation`), the context itself (`measure.context_eval`), and what a pass as of today would forget
(`measure.forgetting_eval`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

from app.container import Container, build_container
from app.retrieval.options import Mode, SearchOptions
from app.settings import PROJECT_ROOT, get_settings
from measure import ablation, context_eval, forgetting_eval, locomo, locomo_eval, longmemeval
from measure.cases import locomo_cases, longmemeval_cases
from measure.longmemeval import evidence_turns, ranking_scores, scored_questions
from measure.stores import decay_stores, ensure_store

REPORT = PROJECT_ROOT / "reports" / "eval.json"
MODES: tuple[Mode, ...] = ("hybrid", "semantic", "keyword")
#: The rows of the LongMemEval table: each mode with the everyday filters off, then hybrid with defaults.
ROWS = (*MODES, "default")
KS = (5, 10)
RETRIEVE = 60  # turns fetched per question, enough to rank sessions for session@10


def ensure_loaded(container: Container, questions: list[dict[str, Any]], reingest: bool) -> None:
    """Each question's haystack in its own user, loaded once."""
    for question in questions:
        user_id = longmemeval.user_id_for(question)
        ensure_store(container, user_id, longmemeval.messages(question), longmemeval.question_as_of(question), reingest)


def evaluate(container: Container, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Run every question in every mode; returns the report."""
    per_mode: dict[str, dict[str, list[float]]] = {m: defaultdict(list) for m in ROWS}
    per_type: dict[str, dict[str, dict[str, list[float]]]] = {m: defaultdict(lambda: defaultdict(list)) for m in ROWS}
    latencies: list[float] = []
    for question in questions:
        user_id = longmemeval.user_id_for(question)
        as_of = longmemeval.question_as_of(question)
        turns = evidence_turns(question)
        sessions = set(question["answer_session_ids"])
        embedding = container.embedder.encode_one(question["question"])
        for row in ROWS:
            mode: Mode = "hybrid" if row == "default" else row  # type: ignore[assignment]
            lifted = {} if row == "default" else {"everyday_filters": False, "include_cold": True}
            options = SearchOptions(k=RETRIEVE, as_of=as_of, mode=mode, record_access=False, **lifted)
            start = time.perf_counter()
            hits = container.retrieval.search(user_id, question["question"], options, embedding=embedding)
            if row == "hybrid":
                latencies.append((time.perf_counter() - start) * 1000)
            scores = ranking_scores([h.message_id for h in hits], turns, sessions, KS)
            for key, value in scores.items():
                per_mode[row][key].append(value)
                per_type[row][question["question_type"]][key].append(value)
    report: dict[str, Any] = {"questions": len(questions), "search_p50_ms_dev": round(statistics.median(latencies), 2)}
    for name in ROWS:
        report[name] = {key: round(statistics.mean(v), 4) for key, v in per_mode[name].items()}
        report[name]["by_type"] = {
            qtype: {key: round(statistics.mean(v), 4) for key, v in values.items()}
            | {"n": len(values["turn_recall_all@10"])}
            for qtype, values in sorted(per_type[name].items())
        }
    report["session_recall_all@5"] = report["hybrid"]["session_recall_all@5"]
    report["turn_recall_all@10"] = report["hybrid"]["turn_recall_all@10"]
    return report


def print_table(report: dict[str, Any]) -> None:
    """The headline metrics, one row per mode, then hybrid per question type."""
    keys = [
        "session_recall_any@5",
        "session_recall_all@5",
        "session_ndcg@5",
        "session_recall_all@10",
        "turn_recall_any@10",
        "turn_recall_all@5",
        "turn_recall_all@10",
        "turn_ndcg@10",
    ]
    print(f"{'mode':<10}" + "".join(f"{k:>23}" for k in keys))
    for mode in ROWS:
        print(f"{mode:<10}" + "".join(f"{report[mode][k]:>23.3f}" for k in keys))
    print(f"\nhybrid by question type ({report['questions']} questions)")
    print(f"{'type':<28}{'n':>4}" + "".join(f"{k:>23}" for k in ("session_recall_all@5", "turn_recall_all@10")))
    for qtype, values in report["hybrid"]["by_type"].items():
        print(
            f"{qtype:<28}{values['n']:>4}{values['session_recall_all@5']:>23.3f}{values['turn_recall_all@10']:>23.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, help="only the first N scored questions")
    parser.add_argument("--reingest", action="store_true", help="delete and load the haystacks again")
    parser.add_argument("--no-decay", action="store_true", help="no decay pass before the questions")
    args = parser.parse_args(argv)
    for path in (longmemeval.DEV_SET, locomo.DEV_SET):
        if not path.exists():
            parser.error(f"{path} not found")
    questions = scored_questions(longmemeval.load())[: args.questions]
    samples = locomo.load()
    container = build_container(get_settings())
    try:
        ensure_loaded(container, questions, args.reingest)
        locomo_eval.ensure_loaded(container, samples, args.reingest)
        moves: dict[str, dict[str, int]] = {}
        if not args.no_decay:
            moves["longmemeval"] = decay_stores(
                container, ((longmemeval.user_id_for(q), longmemeval.question_as_of(q)) for q in questions)
            )
            moves["locomo"] = decay_stores(container, ((locomo.user_id_for(s), locomo.as_of(s)) for s in samples))
        container.documents.flush()
        report = evaluate(container, questions)
        report["decay_moves"] = moves
        report["locomo"] = locomo_eval.evaluate(container, samples)
        report["locomo_turn_recall@10"] = report["locomo"]["filters_off"]["turn_recall@10"]
        report["locomo_session_recall@10"] = report["locomo"]["filters_off"]["session_recall@10"]
        report["locomo_default_turn_recall@10"] = report["locomo"]["default"]["turn_recall@10"]
        report["default_turn_recall_all@10"] = report["default"]["turn_recall_all@10"]
        cases = longmemeval_cases(container.embedder, questions) + locomo_cases(container.embedder, samples)
        parts = ablation.ablate(container, cases)
        report["parts"] = ablation.report(parts)
        asked = context_eval.longmemeval_cases(questions) + context_eval.locomo_cases(samples)
        report["context"] = context_eval.evaluate(container, asked)
        report["forgetting"] = forgetting_eval.evaluate(container, cases)
    finally:
        container.close()
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    locomo_eval.print_table(report["locomo"])
    ablation.print_table(parts)
    context_eval.print_table(report["context"])
    forgetting_eval.print_table(report["forgetting"])
    print(f"decay moves: {report['decay_moves']}")
    print(f"\nwritten to {REPORT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
