"""docs/figures.md is written from the reports: each figure read from its report, a figure no report holds
shown as not measured, each report dated; the score's parts listed from the part table."""

from __future__ import annotations

from app.retrieval.fusion import WEIGHTED
from measure.figures import FIGURES, page


def test_each_figure_is_read_from_its_report_and_a_missing_one_is_not_measured() -> None:
    reports = {"eval": {"session_recall_all@5": 0.9765, "turn_recall_all@10": 0.9059}, "bench": {"write_p50_ms": 23.5}}
    text = page(reports, {"eval": "2026-12-07 21:32", "bench": "2026-12-07 20:16"})
    first, weights = text.split("A search's score", 1)
    rows = {
        line.split(" | ")[0].lstrip("| "): line.split(" | ")[1] for line in first.splitlines() if line.startswith("| ")
    }
    assert rows["LongMemEval dev: session recall_all@5 / turn recall_all@10"] == "0.977 / 0.906"
    assert rows["write p50, one message until durable (ms)"] == "23.5"
    assert rows["context p50 at 100k (ms)"] == "not measured"
    assert "`reports/eval.json` 2026-12-07 21:32" in text
    assert len(rows) == len(FIGURES) + 1  # the header row too
    assert [line.split(" | ")[0].lstrip("| ") for line in weights.splitlines() if line.startswith("| ")][1:] == [
        part.name for part in WEIGHTED
    ]
