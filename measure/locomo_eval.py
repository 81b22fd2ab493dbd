"""Retrieval on LoCoMo dev (two conversations), scored as ../shared/data/README.md says: turn recall@k
(the share of a question's evidence turns in the top k, averaged over questions) for k = 5, 10, 25,
overall and per category, and session recall@10. Every question is asked as of a day after the last
session, twice: with the everyday filters off (everything the store holds) and with the default options
(what a companion gets), after a decay pass as of that moment (`measure.stores.decay_stores`)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from app.container import Container
from app.retrieval.options import SearchOptions
from measure import locomo
from measure.stores import ensure_store

KS = (5, 10, 25)
RETRIEVE = 60
#: The two ways each question is asked: everything the store holds, and what a companion gets.
VARIANTS: dict[str, dict[str, Any]] = {
    "filters_off": {"everyday_filters": False, "include_cold": True},
    "default": {},
}


def ensure_loaded(container: Container, samples: list[dict[str, Any]], reingest: bool) -> None:
    """Each conversation in its own user, loaded once."""
    for sample in samples:
        ensure_store(container, locomo.user_id_for(sample), locomo.messages(sample), locomo.as_of(sample), reingest)


def evaluate(container: Container, samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Every scored question in both variants; returns the report."""
    values: dict[str, dict[str, list[float]]] = {v: defaultdict(list) for v in VARIANTS}
    by_category: dict[str, dict[str, dict[str, list[float]]]] = {
        v: defaultdict(lambda: defaultdict(list)) for v in VARIANTS
    }
    for sample in samples:
        user_id = locomo.user_id_for(sample)
        as_of = locomo.as_of(sample)
        for question in locomo.scored_questions(sample):
            relevant = locomo.evidence(question)
            category = locomo.SCORED_CATEGORIES[question["category"]]
            embedding = container.embedder.encode_one(question["question"])
            for variant, options in VARIANTS.items():
                search = SearchOptions(k=RETRIEVE, as_of=as_of, record_access=False, **options)
                hits = container.retrieval.search(user_id, question["question"], search, embedding=embedding)
                scores = locomo.ranking_scores([h.message_id for h in hits], relevant, KS)
                for key, value in scores.items():
                    values[variant][key].append(value)
                    by_category[variant][category][key].append(value)
    report: dict[str, Any] = {"questions": len(values["default"]["turn_recall@10"])}
    for variant in VARIANTS:
        report[variant] = {key: round(statistics.mean(v), 4) for key, v in values[variant].items()}
        report[variant]["by_category"] = {
            category: {key: round(statistics.mean(v), 4) for key, v in scores.items()}
            | {"n": len(scores["turn_recall@10"])}
            for category, scores in sorted(by_category[variant].items())
        }
    return report


def print_table(report: dict[str, Any]) -> None:
    """Both variants, overall and per category."""
    keys = [*(f"turn_recall@{k}" for k in KS), "session_recall@10"]
    print(f"\nLoCoMo dev ({report['questions']} questions)")
    print(f"{'variant':<14}" + "".join(f"{k:>19}" for k in keys))
    for variant in VARIANTS:
        print(f"{variant:<14}" + "".join(f"{report[variant][k]:>19.3f}" for k in keys))
    print(f"{'category':<14}{'n':>4}" + "".join(f"{v + ' R@10':>22}" for v in VARIANTS))
    for category, scores in report["filters_off"]["by_category"].items():
        default = report["default"]["by_category"][category]["turn_recall@10"]
        print(f"{category:<14}{scores['n']:>4}{scores['turn_recall@10']:>22.3f}{default:>22.3f}")
