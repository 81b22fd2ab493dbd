"""What each part of the search adds, on both development sets side by side: the hybrid search, each mode
alone, the hybrid search with each part taken out, and the plain searches the modes are named after
(`measure.plain`). Every row asks every question with everything the store holds."""

from __future__ import annotations

from typing import Any

from app.container import Container
from app.retrieval.fusion import WEIGHTED
from app.retrieval.options import Mode
from measure.cases import HEADLINE, Case, ask, objective, without
from measure.plain import ask_plain

#: Parts the hybrid search is asked without, one at a time (`measure.cases.without`): every weighted part
#: but the semantic one (its row is "keyword only") and recency (it counts in everyday searches only, and
#: every question reaches back), then the keyword search's kind words and the sentence vectors.
PARTS = (*(p.name for p in WEIGHTED if p.name not in {"semantic", "recency"}), "kind_members", "sentences")
#: Modes asked alone, named as in the table.
MODES: dict[str, Mode] = {"hybrid": "hybrid", "semantic only": "semantic", "keyword only": "keyword"}
COLUMNS = [(c, k) for c, keys in HEADLINE.items() for k in keys] + [("locomo", "turn_recall@25")]


def ablate(container: Container, cases: list[Case]) -> dict[str, dict[str, dict[str, float]]]:
    """{row: {collection: mean scores}} for every row of the table."""
    weights = container.retrieval.weights
    rows = {name: ask(container, cases, weights, mode) for name, mode in MODES.items()}
    rows |= {f"without {part}": ask(container, cases, without(weights, part)) for part in PARTS}
    # The whole vector out: a memory of several sentences scores as its best one.
    rows["without message vector"] = ask(container, cases, without(weights, "message_share"))
    return rows | ask_plain(container.embedder, cases)


def print_table(rows: dict[str, dict[str, dict[str, float]]]) -> None:
    """One row per search, the two sets' headline figures as columns, then the fit's objective."""
    header = [f"{'LME' if c == 'longmemeval' else 'LoCoMo'} {k}" for c, k in COLUMNS]
    print(f"\n{'search (everything the store holds)':<36}" + "".join(f"{h:>27}" for h in header) + f"{'objective':>11}")
    for name, figures in rows.items():
        cells = "".join(f"{figures[c][k]:>27.3f}" for c, k in COLUMNS)
        print(f"{name:<36}{cells}{objective(figures):>11.4f}")


def report(rows: dict[str, dict[str, dict[str, float]]]) -> dict[str, Any]:
    """The table as `reports/eval.json` holds it."""
    return {name: figures | {"objective": round(objective(figures), 4)} for name, figures in rows.items()}
