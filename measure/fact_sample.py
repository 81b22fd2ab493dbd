"""A random sample of the current facts the service holds about real users, for a person to judge.

    python -m measure.fact_sample [--users lme-] [--count 100] [--seed 7] [--out docs/research/fact-sample.md]

Draws `count` current facts at random (a fixed seed) across the users whose ids start with `--users` (the
LongMemEval development users `python -m measure.eval` loads), each with the message it was read from,
and writes them as a table with an empty verdict column: true (the message states it about its speaker),
well-formed (the value is the thing itself), about the user (not someone else).
"""

from __future__ import annotations

import argparse
import random

from app.container import build_container
from app.settings import PROJECT_ROOT, get_settings
from measure.cypher import MeasureQuery

#: How much of the message a row shows.
SHOWN_CHARS = 300


def where_said(text: str, value: str, width: int = SHOWN_CHARS) -> str:
    """`width` characters of a message around where it names the value (its last word, else its first),
    so that a judge reads the words the fact came from in a long message."""
    if len(text) <= width:
        return text
    lowered = text.lower()
    words = value.lower().split()
    found = next((at for word in (words[-1:] + words[:1]) if (at := lowered.find(word)) >= 0), 0)
    start = max(0, min(found - width // 2, len(text) - width))
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="lme-")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(PROJECT_ROOT / "reports" / "fact_sample.md"))
    args = parser.parse_args(argv)
    container = build_container(get_settings())
    try:
        rows = container.repository.read_all(MeasureQuery.CURRENT_FACTS_WITH_SOURCE, prefix=args.users)
    finally:
        container.close()
    facts = sorted(rows, key=lambda r: r["fact_id"])
    drawn = random.Random(args.seed).sample(facts, min(args.count, len(facts)))
    lines = [
        f"{len(drawn)} of {len(facts)} current facts of the users `{args.users}*`, seed {args.seed}.",
        "",
        "| # | predicate | value | said | verdict |",
        "|---|---|---|---|---|",
    ]
    for i, row in enumerate(drawn, start=1):
        said = " ".join(str(row["source"]).split()).replace("|", "/")
        lines.append(f"| {i} | {row['predicate']} | {row['value']} | {where_said(said, row['value'])} |  |")
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{len(drawn)} facts written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
