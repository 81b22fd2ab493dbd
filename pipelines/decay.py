"""The decay pass, out of band: every memory scored as of one moment, moved between the hot and cold
tiers, the faded that carry nothing forgotten, and what was forgotten longer ago than the grace period
(`DECAY_GRACE_DAYS`) deleted (app/decay/model.py says how).

    python -m pipelines.decay [--as-of 2026-12-01T00:00:00Z] [--tenant ID] [--dry-run] [--restart]
    python -m pipelines.decay --restore USER_ID [--since 2026-11-01T00:00:00Z] [--tenant ID]

One runner at a time across every process and replica (a lease in Neo4j; the service's periodic pass
takes it too). A run killed part-way is resumed where it stopped, as of its own moment, by the next run
(`--restart` starts afresh instead). `--dry-run` reports what would move and changes nothing. `--tenant`
passes over one tenant's users only, with a lease of its own (the default tenant's pass is every user's).
`--restore` undoes forgetting for one user: the memories forgotten since `--since` (all by default) whose
grace period has not ended come back, cold, and are kept from then on.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime

from tqdm import tqdm

from app.clock import aware
from app.decay.model import DecayParams
from app.decay.service import DecayService
from app.graph.driver import create_driver
from app.graph.repository import GraphRepository
from app.settings import get_settings
from app.tenancy import DEFAULT_TENANT, Tenant, valid_tenant


def _moment(text: str) -> datetime:
    return aware(datetime.fromisoformat(text.replace("Z", "+00:00")))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", type=_moment, help="score as of this ISO time (default: now)")
    parser.add_argument("--tenant", type=valid_tenant, default=DEFAULT_TENANT, help="one tenant's users only")
    parser.add_argument("--dry-run", action="store_true", help="report what would move; change nothing")
    parser.add_argument("--restart", action="store_true", help="do not resume an unfinished run")
    parser.add_argument("--restore", metavar="USER_ID", help="bring back this user's forgotten memories; no pass")
    parser.add_argument("--since", type=_moment, help="with --restore: only those forgotten at or after this time")
    args = parser.parse_args(argv)
    settings = get_settings()
    driver = create_driver(settings)
    repository = GraphRepository(driver, settings.neo4j_database)
    try:
        service = DecayService(
            repository,
            DecayParams.of(settings),
            settings.decay_batch_memories,
            settings.decay_lease_s,
        )
        if args.restore is not None:
            restored = service.restore(Tenant(args.tenant).key(args.restore), args.since)
            print(json.dumps({"user_id": args.restore, "restored": restored}))
            return 0
        with tqdm(unit="memory", file=sys.stderr) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            report = service.run(
                args.as_of,
                prefix=Tenant(args.tenant).key(""),
                dry_run=args.dry_run,
                resume=not args.restart,
                progress=advance,
            )
    finally:
        repository.close()
        driver.close()
    if report.skipped:
        print("another runner holds the decay lease; nothing done", file=sys.stderr)
        return 1
    print(json.dumps(asdict(report), default=str, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
