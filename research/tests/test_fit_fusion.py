"""The weight fit's coordinate search: it finds the best grid values, keeps a value no other beats, judges
only the sets it is told to fit on, and never asks twice for the same weights."""

from __future__ import annotations

import dataclasses

from app.retrieval.fusion import WEIGHTED, Weights
from app.settings import Settings
from research.fit_fusion import GRID, Figures, fit

START = Weights.of_settings(Settings())


def _figures(weights: Weights) -> Figures:
    """Synthetic figures: LoCoMo peaks at keyword 0.45 and graph 0.05; LongMemEval peaks at graph 0.25 and
    does not care about keyword; nothing depends on the other weights."""
    locomo = 1 - (weights.keyword - 0.45) ** 2 - (weights.graph - 0.05) ** 2
    longmemeval = 1 - (weights.graph - 0.25) ** 2
    return {
        "locomo": {"turn_recall@10": locomo, "session_recall@10": locomo},
        "longmemeval": {"session_recall_all@5": longmemeval, "turn_recall_all@10": longmemeval},
    }


def test_the_search_reaches_the_grid_optimum_and_leaves_indifferent_weights_alone() -> None:
    asked: list[Weights] = []

    def figures_of(weights: Weights) -> Figures:
        asked.append(weights)
        return _figures(weights)

    result = fit(figures_of, START, {"locomo"}, rounds=3)
    chosen = result["weights"]
    assert (chosen["keyword"], chosen["graph"]) == (0.45, 0.05)
    untouched = {"conversation", "recency", "time", "significance", "message_share"}
    assert {name: chosen[name] for name in untouched} == {name: getattr(START, name) for name in untouched}
    assert len(asked) == len(set(asked))
    assert result["steps"][-1]["objective"] == 1.0


def test_a_fit_on_one_set_ignores_the_others_figures() -> None:
    on_longmemeval = fit(_figures, START, {"longmemeval"}, rounds=3)["weights"]
    assert on_longmemeval["graph"] == 0.25
    assert on_longmemeval["keyword"] == START.keyword
    both = fit(_figures, dataclasses.replace(START, graph=0.0), {"locomo", "longmemeval"}, rounds=3)["weights"]
    assert both["graph"] == 0.15  # halfway between the two sets' peaks


def test_every_weighted_part_the_fit_can_move_has_a_grid() -> None:
    fitted = {part.name for part in WEIGHTED} - {"semantic", "recency"}
    assert fitted <= set(GRID)
