"""What the decay pass keeps of stores that age on the real clock: both development sets, as loaded, scored
by a pass as of today (dry: the stores stay as the other figures need them), then every scored question
searched with everything the store holds, before the pass and without the memories the pass forgets.

    python -m measure.forgetting_eval [--as-of 2026-12-07T00:00:00Z]   # over the stores measure.eval loaded

Per set:
- evidence forgotten: the share of the questions' evidence turns (each counted once) that the pass forgets;
- recall before / after: each set's headline figures (`measure.cases.HEADLINE`) over the search's ranking,
  then over the same ranking less what the pass forgets (a search after a real pass finds the same
  memories but those, their order unchanged up to the scaling of each part over fewer candidates);
- carrying nothing, forgotten: of the memories that assert no fact, name no entity and are no event (the
  kinds chatter, mood and observation), the share the pass forgets;
- placed: where the pass leaves every memory (hot, cold, forgotten).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from app.clock import aware
from app.container import Container, build_container
from app.retrieval.options import SearchOptions
from app.settings import get_settings
from measure import locomo, longmemeval
from measure.cases import EVERYTHING, HEADLINE, RETRIEVE, Case, locomo_cases, longmemeval_cases
from measure.cypher import MeasureQuery

#: Kinds of memory that tell no event, person or fact of who the user is (`app.decay.model.DecayKind`).
_PLAIN_KINDS = frozenset({"chatter", "mood", "observation"})


def _placement(container: Container, users: list[str], as_of: datetime) -> dict[str, str]:
    tiers: dict[str, str] = {}
    container.decay.run_users(users, as_of, dry_run=True, tiers=tiers)
    return tiers


def evaluate(container: Container, cases: list[Case], as_of: datetime | None = None) -> dict[str, Any]:
    """The figures above, per set, for a pass as of `as_of` (default now)."""
    moment = aware(as_of)
    report: dict[str, Any] = {"as_of": moment.isoformat()}
    by_set: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_set[case.collection].append(case)
    for collection, asked in by_set.items():
        users = sorted({c.user_id for c in asked})
        tiers = _placement(container, users, moment)
        forgotten_turns: set[tuple[str, str]] = set()
        plain = Counter[str]()
        for user_id in users:
            for row in container.repository.read_all(MeasureQuery.MEMORY_SIGNALS, user_id=user_id):
                gone = tiers.get(row["id"]) == "forgotten"
                if gone:
                    forgotten_turns.add((user_id, row["message_id"]))
                if not row["asserts"] and not row["names"] and row["kind"] in _PLAIN_KINDS:
                    plain["all"] += 1
                    plain["forgotten"] += gone
        evidence = {(c.user_id, turn) for c in asked for turn in c.evidence}
        before: dict[str, list[float]] = defaultdict(list)
        after: dict[str, list[float]] = defaultdict(list)
        for case in asked:
            options = SearchOptions(k=RETRIEVE, as_of=case.as_of, record_access=False, **EVERYTHING)
            hits = container.retrieval.search(case.user_id, case.text, options, embedding=case.embedding)
            kept = [h.message_id for h in hits if tiers.get(h.memory_id) != "forgotten"]
            for key in HEADLINE[collection]:
                before[key].append(case.score([h.message_id for h in hits])[key])
                after[key].append(case.score(kept)[key])
        placed = Counter(tiers.values())
        report[collection] = {
            "questions": len(asked),
            "evidence_turns": len(evidence),
            "evidence_forgotten": round(len(evidence & forgotten_turns) / max(len(evidence), 1), 4),
            "before": {k: round(statistics.mean(v), 4) for k, v in before.items()},
            "after": {k: round(statistics.mean(v), 4) for k, v in after.items()},
            "after_share": {
                k: round(statistics.mean(after[k]) / max(statistics.mean(v), 1e-9), 4) for k, v in before.items()
            },
            "carrying_nothing": plain["all"],
            "carrying_nothing_forgotten": round(plain["forgotten"] / max(plain["all"], 1), 4),
            "placed": {t: placed.get(t, 0) for t in ("hot", "cold", "forgotten")},
        }
    return report


def print_table(report: dict[str, Any]) -> None:
    """One row a set."""
    print(f"\nforgetting: a pass as of {report['as_of']} (dry), searched with everything the store holds")
    header = ("evidence forgotten", "recall kept (share)", "carrying nothing, forgotten", "hot / cold / forgotten")
    print(f"{'set':<14}" + "".join(f"{h:>32}" for h in header))
    for collection, figures in report.items():
        if collection == "as_of":
            continue
        shares = " / ".join(f"{v:.3f}" for v in figures["after_share"].values())
        placed = " / ".join(str(v) for v in figures["placed"].values())
        row = (f"{figures['evidence_forgotten']:.3f}", shares, f"{figures['carrying_nothing_forgotten']:.3f}", placed)
        print(f"{collection:<14}" + "".join(f"{v:>32}" for v in row))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", type=lambda t: aware(datetime.fromisoformat(t.replace("Z", "+00:00"))))
    args = parser.parse_args(argv)
    container = build_container(get_settings())
    try:
        questions = longmemeval.scored_questions(longmemeval.load())
        cases = longmemeval_cases(container.embedder, questions) + locomo_cases(container.embedder, locomo.load())
        print_table(evaluate(container, cases, args.as_of))
    finally:
        container.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
