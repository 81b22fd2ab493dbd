"""Fit the fusion's weights on both development sets together, by coordinate search.

    python -m research.fit_fusion [--rounds 3] [--on longmemeval|locomo|both] [--from settings|seeds]

Procedure: from the weights in settings (or the seeds' plain formula: 0.7 cosine + 0.3 keywords, every
other part at the least its grid allows), each parameter in turn is set to each value of its grid (the
others held), every question of the chosen sets is asked through the search service (everything the
store holds), and the value with the best `measure.cases.objective` is kept (ties keep the current
value, then the smaller). Rounds repeat until a round changes nothing. The semantic weight is held: a
weighted sum ranks the same at any scale. Recency is not fitted: it counts in everyday searches only
(`Weights.reaching_back`), and every question of both sets reaches back. With `--on` one set, the fit
sees that set alone and the other's figures show how it carries to a set it never saw (the
leave-one-set-out check). Writes
`reports/fit_fusion.json` (every step, both sets' figures) and prints the path taken.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any

from app.container import build_container
from app.retrieval.fusion import Weights
from app.settings import PROJECT_ROOT, get_settings
from measure import locomo, longmemeval
from measure.cases import HEADLINE, ask, locomo_cases, longmemeval_cases, objective
from measure.eval import ensure_loaded as ensure_longmemeval
from measure.locomo_eval import ensure_loaded as ensure_locomo
from measure.longmemeval import scored_questions

REPORT = PROJECT_ROOT / "reports" / "fit_fusion.json"
#: Each parameter's values tried: from off to about twice its default, and the default itself.
GRID: dict[str, tuple[float, ...]] = {
    "message_share": (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    "keyword": (0.1, 0.2, 0.3, 0.45, 0.6, 0.8),
    "graph": (0.0, 0.05, 0.1, 0.15, 0.25, 0.35, 0.5),
    "conversation": (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8),
    # Never 0: the part is what answers a query that names a moment ("10 days ago"), which few of the
    # sets' questions do, and LoCoMo's relative ones ("on Sunday") point at a week the set does not ask as
    # of; the fit sets its strength, not whether it exists.
    "time": (0.15, 0.3, 0.5),
    "significance": (0.0, 0.05, 0.1),
    "kind_members": (0.0, 0.3, 0.5, 0.7, 1.0),
}


Figures = dict[str, dict[str, float]]


def _summary(figures: Figures) -> dict[str, float]:
    return {f"{c} {k}": figures[c][k] for c, keys in HEADLINE.items() for k in keys if c in figures}


def fit(figures_of: Callable[[Weights], Figures], start: Weights, fitted_on: set[str], rounds: int) -> dict[str, Any]:
    """Coordinate search from `start` over `GRID`, each candidate judged by `figures_of` (every set's
    figures) on the sets in `fitted_on`; every step with every set's figures."""
    seen: dict[Weights, Figures] = {}

    def judged(candidate: Weights) -> Figures:
        if candidate not in seen:
            seen[candidate] = figures_of(candidate)
        return seen[candidate]

    def fitted(figures: Figures) -> float:
        return objective({c: f for c, f in figures.items() if c in fitted_on})

    weights = start
    first = judged(weights)
    steps: list[dict[str, Any]] = [{"step": "start", "figures": _summary(first), "objective": fitted(first)}]
    for round_number in range(1, rounds + 1):
        moved = False
        for name, grid in GRID.items():
            current = getattr(weights, name)
            tried = {value: judged(replace(weights, **{name: value})) for value in sorted({*grid, current})}
            best = max(tried, key=lambda v: (fitted(tried[v]), v == current, -v))
            if best != current:
                weights, moved = replace(weights, **{name: best}), True
            steps.append(
                {
                    "step": f"round {round_number}: {name}",
                    "tried": {str(v): round(fitted(f), 4) for v, f in tried.items()},
                    "chosen": best,
                    "figures": _summary(tried[best]),
                    "objective": fitted(tried[best]),
                }
            )
            print(f"round {round_number} {name:<24} {current} -> {best}  {_summary(tried[best])}", flush=True)
        if not moved:
            break
    return {"fitted_on": sorted(fitted_on), "weights": asdict(weights), "steps": steps}


def seeds(weights: Weights) -> Weights:
    """The seeds' plain formula in `weights`' terms: each fitted part at the least its grid allows."""
    least = {name: min(grid) for name, grid in GRID.items() if name != "keyword"}
    return replace(weights, semantic=0.7, keyword=0.3, **least | {"message_share": 1.0})


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--on", choices=("both", *HEADLINE), default="both", help="the sets the fit sees")
    parser.add_argument("--from", dest="start", choices=("settings", "seeds"), default="settings")
    args = parser.parse_args(argv)
    questions = scored_questions(longmemeval.load())
    samples = locomo.load()
    container = build_container(get_settings())
    try:
        ensure_longmemeval(container, questions, False)
        ensure_locomo(container, samples, False)
        container.documents.flush()
        cases = longmemeval_cases(container.embedder, questions) + locomo_cases(container.embedder, samples)
        fitted_on = set(HEADLINE) if args.on == "both" else {args.on}
        start = container.retrieval.weights if args.start == "settings" else seeds(container.retrieval.weights)
        result = fit(lambda w: ask(container, cases, w), start, fitted_on, args.rounds)
    finally:
        container.close()
    REPORT.parent.mkdir(exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[f"{args.on} from {args.start}"] = result
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["weights"], indent=2))
    print(f"written to {REPORT.relative_to(PROJECT_ROOT)} under {args.on!r} from {args.start!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
