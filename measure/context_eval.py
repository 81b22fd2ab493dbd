"""What a companion's model is given: the context of `POST /v1/users/{u}/context` with its default options
and token budget, for every scored question of both development sets, asked as of the question's moment.

    python -m measure.context_eval     # over the stores `python -m measure.eval` loaded and decayed

- evidence in context: the share of a question's evidence turns whose memory the context shows, beside the
  same share for the search's 10 best with the everyday filters off (what the context is held to);
- answer in context (LongMemEval): of the questions whose answer string occurs in an evidence turn, the
  share whose context text holds it;
- tokens: the context text's size (`approx_tokens`), and memories shown;
- duplicates: memories per context whose text another one of it repeats;
- knowledge updates (LongMemEval's knowledge-update questions): the newest evidence turn shown and not as
  past, and an older one shown as current (neither marked past nor absent);
- off topic: memories shown when each store is asked a question of the other set (a LoCoMo question of a
  LongMemEval user, and the reverse), which none of its memories answers: what pads a context.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.container import Container, build_container
from app.retrieval.options import SearchOptions
from app.settings import get_settings
from measure import locomo, longmemeval

#: What marks a memory line as past (`app.retrieval.context_text`).
_PAST = re.compile(r"\((?:since then|since replaced|earlier)")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ContextCase:
    """One question as the context evaluation asks it."""

    dataset: str
    user_id: str
    question: str
    as_of: datetime
    evidence: frozenset[str]
    kind: str
    #: the answer, where it occurs in an evidence turn's text
    answer: str | None = None
    #: knowledge updates: the newest evidence turn, and the older ones
    newest: str | None = None
    older: frozenset[str] = frozenset()


def longmemeval_cases(questions: Iterable[dict[str, Any]]) -> list[ContextCase]:
    cases = []
    for question in questions:
        evidence = longmemeval.evidence_turns(question)
        turns = {m["message_id"]: m for m in longmemeval.messages(question) if m["message_id"] in evidence}
        answer = str(question["answer"])
        found = any(answer.lower() in turn["text"].lower() for turn in turns.values())
        ordered = sorted(turns, key=lambda i: (turns[i]["occurred_at"], int(i.rsplit(":", 1)[1])))
        update = question["question_type"] == "knowledge-update" and len(ordered) > 1
        cases.append(
            ContextCase(
                "longmemeval",
                longmemeval.user_id_for(question),
                question["question"],
                longmemeval.question_as_of(question),
                frozenset(evidence),
                question["question_type"],
                answer if found else None,
                ordered[-1] if update else None,
                frozenset(ordered[:-1]) if update else frozenset(),
            )
        )
    return cases


def locomo_cases(samples: Iterable[dict[str, Any]]) -> list[ContextCase]:
    return [
        ContextCase(
            "locomo",
            locomo.user_id_for(sample),
            question["question"],
            locomo.as_of(sample),
            frozenset(locomo.evidence(question)),
            locomo.SCORED_CATEGORIES[question["category"]],
        )
        for sample in samples
        for question in locomo.scored_questions(sample)
    ]


def _line_of(text: str, content: str) -> str:
    return next((line for line in text.splitlines() if content in line), "")


def _duplicates(contents: list[str]) -> int:
    seen: set[tuple[str, ...]] = set()
    repeated = 0
    for content in contents:
        words = tuple(_WORDS.findall(content.lower()))
        repeated += words in seen
        seen.add(words)
    return repeated


def evaluate(container: Container, cases: list[ContextCase]) -> dict[str, Any]:
    """The figures above, by data set."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        figures = values[case.dataset]
        context = container.context.build(case.user_id, case.question, as_of=case.as_of, record_access=False)
        shown = {m.message_id: m for m in context.memories}
        options = SearchOptions(k=10, as_of=case.as_of, everyday_filters=False, include_cold=True, record_access=False)
        searched = {h.message_id for h in container.retrieval.search(case.user_id, case.question, options)}
        figures["evidence_in_context"].append(len(shown.keys() & case.evidence) / len(case.evidence))
        figures["search_recall@10_filters_off"].append(len(searched & case.evidence) / len(case.evidence))
        figures["tokens"].append(context.approx_tokens)
        figures["memories_shown"].append(len(shown))
        figures["duplicates"].append(_duplicates([m.content for m in context.memories]))
        if case.answer is not None:
            figures["answer_in_context"].append(case.answer.lower() in context.text.lower())
        strangers = [c for c in cases if c.dataset != case.dataset]
        stranger = strangers[len(figures["tokens"]) % len(strangers)].question
        unrelated = container.context.build(case.user_id, stranger, as_of=case.as_of, record_access=False)
        figures["off_topic_memories"].append(len(unrelated.memories))
        if case.newest is not None:
            newest = shown.get(case.newest)
            current = newest is not None and not _PAST.search(_line_of(context.text, newest.content))
            figures["update_newest_as_current"].append(current)
            older_as_current = any(
                turn in shown and not _PAST.search(_line_of(context.text, shown[turn].content)) for turn in case.older
            )
            figures["update_older_as_current"].append(older_as_current)
    report: dict[str, Any] = {}
    for dataset, figures in values.items():
        report[dataset] = {name: round(statistics.mean(v), 4) for name, v in figures.items()}
        report[dataset]["questions"] = len(figures["tokens"])
        report[dataset]["duplicates_max"] = max(figures["duplicates"], default=0)
        report[dataset]["evidence_share_of_search"] = round(
            report[dataset]["evidence_in_context"] / (report[dataset]["search_recall@10_filters_off"] or 1.0), 4
        )
    return report


def print_table(report: dict[str, Any]) -> None:
    keys = (
        *("evidence_in_context", "search_recall@10_filters_off", "evidence_share_of_search", "answer_in_context"),
        *("tokens", "memories_shown", "duplicates_max", "update_newest_as_current", "update_older_as_current"),
        "off_topic_memories",
    )
    print(f"\n{'context':<14}" + "".join(f"{k:>30}" for k in keys))
    for dataset, figures in report.items():
        print(f"{dataset:<14}" + "".join(f"{figures.get(k, float('nan')):>30.3f}" for k in keys))


def main() -> int:
    container = build_container(get_settings())
    try:
        questions = longmemeval.scored_questions(longmemeval.load())
        cases = longmemeval_cases(questions) + locomo_cases(locomo.load())
        print_table(evaluate(container, cases))
    finally:
        container.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
