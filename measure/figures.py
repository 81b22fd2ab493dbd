"""The current figures against their targets, written from the reports the measurements leave:

    python -m measure.figures        (after `make eval`, `make eval-guard`, `make bench`)

reads `reports/eval.json`, `reports/guard.json` and `reports/bench.json` and writes `docs/figures.md`: one
table, each figure with its target and the command that measures it, each report dated by when it was
written. A figure a report does not hold (a benchmark not run since) is shown as not measured.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.retrieval.fusion import FACTORS, WEIGHTED
from app.settings import PROJECT_ROOT, Settings

REPORTS = PROJECT_ROOT / "reports"
PAGE = PROJECT_ROOT / "docs" / "figures.md"
Report = dict[str, Any]


@dataclass(frozen=True)
class Figure:
    """One line of the table: what, from which report, read how, against what target, measured by what."""

    label: str
    report: str
    read: Callable[[Report], Any]
    target: str
    command: str


def _path(*keys: str) -> Callable[[Report], Any]:
    def read(report: Report) -> Any:
        value: Any = report
        for key in keys:
            value = value[key]
        return value

    return read


def _both(*reads: Callable[[Report], Any]) -> Callable[[Report], Any]:
    return lambda report: " / ".join(_shown(read(report)) for read in reads)


def _guard(kind: str, field: str = "kept_out") -> Callable[[Report], Any]:
    return _path("held_out", kind, field, "share")


FIGURES = (
    Figure(
        "LongMemEval dev: session recall_all@5 / turn recall_all@10",
        "eval",
        _both(_path("session_recall_all@5"), _path("turn_recall_all@10")),
        "≥ 0.98 / 0.93",
        "make eval",
    ),
    Figure(
        "LoCoMo dev, filters off: turn recall@10 / session recall@10",
        "eval",
        _both(_path("locomo_turn_recall@10"), _path("locomo_session_recall@10")),
        "≥ 0.80 / 0.95",
        "make eval",
    ),
    Figure(
        "semantic only against the plain cosine of whole turns, LoCoMo turn recall@10",
        "eval",
        _both(
            _path("parts", "semantic only", "locomo", "turn_recall@10"),
            _path("parts", "plain cosine", "locomo", "turn_recall@10"),
        ),
        "semantic ≥ plain",
        "make eval",
    ),
    Figure(
        "context: evidence in context, LongMemEval / LoCoMo",
        "eval",
        _both(
            _path("context", "longmemeval", "evidence_in_context"), _path("context", "locomo", "evidence_in_context")
        ),
        "",
        "make eval",
    ),
    Figure(
        "context: an older value shown as current / duplicates",
        "eval",
        _both(
            _path("context", "longmemeval", "update_older_as_current"), _path("context", "longmemeval", "duplicates")
        ),
        "0 / 0",
        "make eval",
    ),
    Figure(
        "guard held out by source: injection / jailbreak / poisoning / make-believe kept out",
        "guard",
        _both(_guard("injection"), _guard("jailbreak"), _guard("poisoning"), _guard("ephemeral")),
        "≥ 0.80 / 0.85 / 0.90 / 0.85",
        "make eval-guard",
    ),
    Figure(
        "guard held out: look-alikes stored / real turns refused or ephemeral",
        "guard",
        _both(_path("held_out", "benign_lookalike", "stored", "share"), _guard("real_turn")),
        "≥ 0.95 / ≤ 0.003",
        "make eval-guard",
    ),
    Figure(
        "guard held out by topic: small talk to a bot refused or ephemeral",
        "guard",
        _guard("small_talk"),
        "",
        "make eval-guard",
    ),
    Figure(
        "search p50 / p95 at 100k memories (ms)",
        "bench",
        _both(_path("search_p50_ms_100k"), _path("search_p95_ms_100k")),
        "≤ 15 / 40",
        "make bench",
    ),
    Figure("context p50 at 100k (ms)", "bench", _path("context_p50_ms_100k"), "≤ 25", "make bench"),
    Figure(
        "write p50, one message until durable (ms)", "bench", _path("write_p50_ms"), "≤ 40", "make bench --only write"
    ),
    Figure(
        "batch pipeline / HTTP batch (msg/s)",
        "bench",
        _both(_path("batch_short_msgs_per_s"), _path("http_batch_msgs_per_s")),
        "≥ 150 / within 15 %",
        "make bench --only write",
    ),
    Figure(
        "warm type-ahead send to its context / a user's first search, p50 (ms)",
        "bench",
        _both(_path("typeahead_send_to_context_p50_ms"), _path("search_cold_user_p50_ms")),
        "≤ 2 / 50",
        "make bench --only typeahead",
    ),
    Figure(
        "guard a message, p50 / p95 (ms)",
        "bench",
        _both(_path("guard_p50_ms"), _path("guard_p95_ms")),
        "mean ≤ 3",
        "make bench --only guard",
    ),
    Figure(
        "decay pass over 1M memories (s); search p95 during / idle",
        "bench",
        _both(_path("decay_pass_s_1m"), _path("search_during_decay_ratio")),
        "≤ 60; ≤ 1.25",
        "make bench --only decay",
    ),
    Figure("MCP stdio initialize (s)", "bench", _path("mcp_initialize_s"), "≤ 2", "make bench --only mcp"),
)


def _shown(value: Any) -> str:
    # Shares and ratios at three places, as the reports round them; milliseconds and rates as measured.
    if isinstance(value, float) and abs(value) < 2:
        return f"{value:.4f}" if 0 < abs(value) < 0.01 else f"{value:.3f}"
    return str(value)


def _value(figure: Figure, reports: dict[str, Report]) -> str:
    report = reports.get(figure.report)
    if report is None:
        return "not measured"
    try:
        return _shown(figure.read(report))
    except (KeyError, TypeError):
        return "not measured"


def page(reports: dict[str, Report], written: dict[str, str]) -> str:
    """The markdown of `docs/figures.md`."""
    dates = ", ".join(f"`reports/{name}.json` {when}" for name, when in sorted(written.items()))
    lines = [
        "# Figures against their targets",
        "",
        "Written by `python -m measure.figures` (run by `make eval`, `make eval-guard` and `make bench`) on the",
        "2-core development machine, whose speed moves 10-30 % by the hour; from",
        f"{dates or 'no report'} (UTC). What each figure means and how it is measured: docs/evaluation.md,",
        "docs/performance.md, docs/guard.md.",
        "",
        "| figure | value | target | command |",
        "|---|---|---|---|",
    ]
    lines += [f"| {f.label} | {_value(f, reports)} | {f.target} | `{f.command}` |" for f in FIGURES]
    return "\n".join(lines + _weights() + _parts(reports.get("eval", {}).get("parts", {}))) + "\n"


def _weights() -> list[str]:
    """The search's score as the part table (`app.retrieval.fusion.WEIGHTED`) and the default settings
    make it."""
    defaults = Settings.model_fields
    terms = " + ".join(f"{defaults[f'weight_{p.name}'].default:.2f} {p.name}" for p in WEIGHTED)
    lines = [
        "",
        f"A search's score: {' × '.join(FACTORS[1:])} × max({FACTORS[0]}, {terms}), the weights being the",
        "`WEIGHT_<PART>` settings' defaults:",
        "",
        "| part | weight | what it is |",
        "|---|---|---|",
    ]
    return lines + [f"| {p.name} | {defaults[f'weight_{p.name}'].default:.2f} | {p.meaning} |" for p in WEIGHTED]


def _parts(parts: dict[str, Any]) -> list[str]:
    """The search by mode and part on both sets (everything the store holds), as `make eval` measured it."""
    if not parts:
        return []
    lines = [
        "",
        "The search on both development sets, each part taken out in turn and the plain searches beside it",
        "(`make eval`; what each part is for: docs/evaluation.md):",
        "",
        "| search | LongMemEval session recall_all@5 / turn recall_all@10 "
        "| LoCoMo turn recall@10 / session recall@10 |",
        "|---|---|---|",
    ]
    for name, figures in parts.items():
        lme, locomo = figures.get("longmemeval", {}), figures.get("locomo", {})
        lme_pair = _both(_path("session_recall_all@5"), _path("turn_recall_all@10"))
        locomo_pair = _both(_path("turn_recall@10"), _path("session_recall@10"))
        lines.append(f"| {name} | {lme_pair(lme) if lme else ''} | {locomo_pair(locomo) if locomo else ''} |")
    return lines


def main() -> int:
    """Command-line entry point."""
    reports: dict[str, Report] = {}
    written: dict[str, str] = {}
    for name in sorted({f.report for f in FIGURES}):
        path: Path = REPORTS / f"{name}.json"
        if path.exists():
            reports[name] = json.loads(path.read_text(encoding="utf-8"))
            written[name] = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M")
    PAGE.write_text(page(reports, written), encoding="utf-8")
    print(f"written to {PAGE.relative_to(PROJECT_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
