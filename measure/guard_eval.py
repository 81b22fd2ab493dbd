"""The guard on the development data: source-held-out cross-validation, the headline, and in-sample beside it.

    python -m measure.guard_eval [--sweep]      (make eval-guard)

Each message goes the write path's way: the rules first (a rule's refusal stands), then the classifier,
whose verdict is read at the thresholds of the settings. Held out: the classifier that judges a message was
trained without its fold (`pipelines.guard_data.folds`: a public source whole, a fifth of the hand-written
messages, of LongMemEval's sessions, one LoCoMo conversation) and never on a set it only measures
(`guard_data.TRAINED_ON`): those sets' sources are unseen by every model. In-sample: the shipped model on
what it was trained on. Each labelled set's figures are also given alone (`held_out_by_set`).
Per kind: the share kept out (attacks, make-believe; and the share refused), the share stored
(look-alikes), the share of the conversations' real turns refused or made ephemeral, and of small talk's
apart, with counts; attacks per source too.
`--sweep` also runs the selection of the real turns' weight and the thresholds, and writes the trade-off
curve (docs/guard.md).
Writes `reports/guard.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from typing import Any

import numpy as np
import numpy.typing as npt

from app.guard.classifier import CLASSES, GuardModel, Verdict, decide
from app.guard.rules import check
from app.settings import PROJECT_ROOT, Settings, get_settings
from pipelines.guard_data import CONVERSATIONS, FOLDS, REAL, SMALL_TALK, Example, examples, folds
from pipelines.train_guard import DEFAULT_C, embed, fit

REPORT = PROJECT_ROOT / "reports" / "guard.json"
ATTACKS = ("injection", "jailbreak", "poisoning")
REAL_WEIGHTS = (2.0, 6.0, 20.0, 60.0)
REFUSE_AT = (0.5, 0.7, 0.8, 0.9, 0.93, 0.95, 0.97, 0.99, 0.995)
EPHEMERAL_AT = (0.5, 0.7, 0.9, 0.97)
#: The constraints of the selection on the false-refusal side.
LOOKALIKES_STORED = 0.95
REAL_KEPT_OUT = 0.005

Floats = npt.NDArray[np.float32]


def held_out_probabilities(rows: Floats, data: list[Example], fold: list[int], c: float, real_weight: float) -> Floats:
    """Each example's class probabilities from the model trained without its fold (and never on a set
    that is only measured)."""
    out = np.zeros((len(data), len(CLASSES)), dtype=np.float32)
    for k in range(FOLDS):
        train = [i for i, f in enumerate(fold) if f != k and data[i].trains]
        test = [i for i, f in enumerate(fold) if f == k]
        weights, bias = fit(rows[train], [data[i] for i in train], c, real_weight)
        model = GuardModel(weights, bias, "", {})
        out[test] = model.probabilities(rows[test])
    return out


def refused_by_rules(data: list[Example], settings: Settings) -> list[bool]:
    """Whether the rules refuse each example (before any classifier)."""
    return [not check(e.text, settings.max_message_chars).accepted for e in data]


def verdicts(ruled: list[bool], probabilities: Floats, refuse_at: float, ephemeral_at: float) -> list[str]:
    """The write path's verdict of each example: a rule's refusal, else the classifier's at the thresholds."""
    names = {Verdict.STORE: "stored", Verdict.EPHEMERAL: "ephemeral", Verdict.REFUSE: "refused"}
    return [
        "refused" if refused else names[decide(row, refuse_at, ephemeral_at)[0]]
        for refused, row in zip(ruled, probabilities, strict=True)
    ]


def _share(hits: int, total: int) -> dict[str, Any]:
    return {"share": round(hits / total, 4) if total else None, "count": hits, "of": total}


def table(data: list[Example], verdict: list[str]) -> dict[str, Any]:
    """Figures per kind (and per source for attacks, per dataset for real turns) as the README scores."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    by_source: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for example, v in zip(data, verdict, strict=True):
        by_kind[example.kind].append(v)
        by_source[example.kind][example.source].append(v)
    report: dict[str, Any] = {}
    for kind in (*ATTACKS, "ephemeral"):
        found = by_kind[kind]
        report[kind] = {
            "kept_out": _share(sum(v != "stored" for v in found), len(found)),
            "refused": _share(sum(v == "refused" for v in found), len(found)),
        }
        if kind in ATTACKS:
            report[kind]["by_source"] = {
                source: _share(sum(v != "stored" for v in vs), len(vs))
                for source, vs in sorted(by_source[kind].items())
            }
    looks = by_kind["benign_lookalike"]
    report["benign_lookalike"] = {"stored": _share(sum(v == "stored" for v in looks), len(looks))}
    real = [v for source in CONVERSATIONS for v in by_source[REAL][source]]
    report["real_turn"] = {
        "kept_out": _share(sum(v != "stored" for v in real), len(real)),
        "by_source": {
            source: _share(sum(v != "stored" for v in vs), len(vs)) for source, vs in sorted(by_source[REAL].items())
        },
    }
    talk = by_source[REAL][SMALL_TALK]
    if talk:
        report["small_talk"] = {"kept_out": _share(sum(v != "stored" for v in talk), len(talk))}
    return report


def _line(name: str, figure: dict[str, Any]) -> str:
    return f"  {name:<34} {figure['share']:>7.3f}  ({figure['count']}/{figure['of']})"


def show(title: str, report: dict[str, Any]) -> None:
    """Print one table."""
    print(title)
    for kind in (*ATTACKS, "ephemeral"):
        print(_line(f"{kind} kept out", report[kind]["kept_out"]) + f"  refused {report[kind]['refused']['share']:.3f}")
    print(_line("benign look-alikes stored", report["benign_lookalike"]["stored"]))
    print(_line("real turns refused or ephemeral", report["real_turn"]["kept_out"]))
    if "small_talk" in report:
        print(_line("small talk refused or ephemeral", report["small_talk"]["kept_out"]))
    for kind in ATTACKS:
        weakest = sorted(report[kind]["by_source"].items(), key=lambda item: item[1]["share"])[:3]
        print(f"    {kind} weakest sources: " + ", ".join(f"{s} {f['share']:.2f} of {f['of']}" for s, f in weakest))


def _summary(report: dict[str, Any]) -> dict[str, float]:
    return {
        **{kind: report[kind]["kept_out"]["share"] for kind in (*ATTACKS, "ephemeral")},
        "benign_lookalike_stored": report["benign_lookalike"]["stored"]["share"],
        "real_turn_kept_out": report["real_turn"]["kept_out"]["share"],
    } | ({"small_talk_kept_out": report["small_talk"]["kept_out"]["share"]} if "small_talk" in report else {})


def table_of(data: list[Example], verdict: list[str], kept: list[int]) -> dict[str, Any]:
    """`table` of the examples at `kept` alone."""
    return table([data[i] for i in kept], [verdict[i] for i in kept])


def by_set(data: list[Example], verdict: list[str]) -> dict[str, dict[str, float]]:
    """The summary figures of each labelled set alone, beside the same real turns."""
    report = {}
    for name in sorted({e.collection for e in data if e.kind != REAL}):
        kept = [i for i, e in enumerate(data) if e.collection == name or e.kind == REAL]
        report[name] = _summary(table_of(data, verdict, kept))
    return report


def sweep(rows: Floats, data: list[Example], fold: list[int], ruled: list[bool]) -> dict[str, Any]:
    """The selection procedure: for each real-turn weight and pair of thresholds, the held-out figures of
    the sets trained on (a set only measured is a test set: it chooses nothing); chosen is the setting
    that keeps most attacks and make-believe out (the mean of the four kinds' kept-out shares) among those
    that store at least `LOOKALIKES_STORED` of the look-alikes and keep out at most `REAL_KEPT_OUT` of the
    real turns. The curve holds both: the figures on the sets trained on, and on everything."""
    curve: list[dict[str, Any]] = []
    trained = [i for i, e in enumerate(data) if e.trains]
    for real_weight in REAL_WEIGHTS:
        probabilities = held_out_probabilities(rows, data, fold, DEFAULT_C, real_weight)
        for refuse_at in REFUSE_AT:
            for ephemeral_at in EPHEMERAL_AT:
                verdict = verdicts(ruled, probabilities, refuse_at, ephemeral_at)
                figures = _summary(table_of(data, verdict, trained))
                point = {"real_weight": real_weight, "refuse_at": refuse_at, "ephemeral_at": ephemeral_at}
                curve.append(point | figures | {"everything": _summary(table(data, verdict))})
                print("  ".join(f"{k} {v}" for k, v in (point | figures).items()))
    allowed = [
        p
        for p in curve
        if p["benign_lookalike_stored"] >= LOOKALIKES_STORED and p["real_turn_kept_out"] <= REAL_KEPT_OUT
    ]
    chosen = max(allowed, key=lambda p: sum(p[k] for k in (*ATTACKS, "ephemeral")), default=None)
    print(f"chosen: {chosen}")
    return {"curve": curve, "chosen": chosen}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sweep", action="store_true", help="also every C of the grid at every threshold")
    args = parser.parse_args(argv)
    settings = get_settings()
    data = examples()
    fold = folds(data)
    rows = embed(data, settings).matrix()
    shipped = GuardModel.load()
    at = (settings.guard_refuse_threshold, settings.guard_ephemeral_threshold)
    held = held_out_probabilities(rows, data, fold, shipped.card["c"], shipped.card["real_weight"])
    ruled = refused_by_rules(data, settings)
    held_verdicts = verdicts(ruled, held, *at)
    held_out = table(data, held_verdicts)
    trained = [i for i, e in enumerate(data) if e.trains]
    # In sample: the shipped model on what it was trained on.
    in_sample = table_of(data, verdicts(ruled, shipped.probabilities(rows), *at), trained)
    show(f"held out by source ({FOLDS} folds), refused at {at[0]}, ephemeral at {at[1]}", held_out)
    show("in-sample (the shipped model)", in_sample)
    held_by_set = by_set(data, held_verdicts)
    for name, figures in held_by_set.items():
        print(f"held out, {name} alone: " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    result: dict[str, Any] = {
        "thresholds": {"refuse": settings.guard_refuse_threshold, "ephemeral": settings.guard_ephemeral_threshold},
        "c": shipped.card["c"],
        "real_weight": shipped.card["real_weight"],
        "held_out": held_out,
        "held_out_by_set": held_by_set,
        "in_sample": in_sample,
    }
    if args.sweep:
        result["sweep"] = sweep(rows, data, fold, ruled)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {REPORT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
