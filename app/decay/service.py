"""The decay pass: every user's memories scored as of one moment, moved between tiers, the faded that carry
nothing forgotten, and the content of those forgotten longer ago than the grace period deleted. Out of
band (`python -m pipelines.decay`, or the service's periodic run), one runner at a time (`Lease`), in
batches of whole users, each batch one transaction, resumable where a killed run stopped. Scoring the
same memories as of the same moment again changes nothing, so a batch done twice is harmless. A pass
writes only what moves between tiers: a score that fades within its tier is read nowhere, so it is not
stored (`GET .../memories/{id}` computes it as of the request).
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from prometheus_client import Counter as Metric

from app.clock import aware
from app.decay.lease import Lease
from app.decay.model import DecayParams, Memories, next_tiers, resolved_kind, scores
from app.decay.store import DecayStore, Progress, UserColumns, purge, set_tiers, user_columns
from app.graph.repository import GraphRepository, WriteUnit

log = logging.getLogger(__name__)

MOVES = Metric("memory_decay_moves_total", "Memories moved by the decay pass, by tiers", ["from_tier", "to_tier"])
PURGED = Metric("memory_decay_purged_total", "Forgotten memories whose content was deleted after the grace period")
JOB = "decay"
_USERS_PER_PAGE = 1000


@dataclass
class DecayReport:
    """What one pass did (or, dry, would do)."""

    as_of: datetime
    dry_run: bool
    resumed: bool = False
    skipped: bool = False  # another runner holds the lease
    users: int = 0
    memories: int = 0
    moves: dict[str, int] = field(default_factory=dict)  # "hot->cold": n
    #: where the pass leaves the memories it scored: {"hot": n, "cold": n, "forgotten": n}
    placed: dict[str, int] = field(default_factory=dict)
    #: memories whose grace period ended, their content deleted (none in a dry run)
    purged: int = 0
    seconds: float = 0.0


class DecayService:
    """Runs decay passes over the graph."""

    def __init__(self, repository: GraphRepository, params: DecayParams, batch_memories: int, lease_s: float) -> None:
        self.repository = repository
        self.store = DecayStore(repository)
        self.params = params
        self.batch_memories = batch_memories
        self.lease_s = lease_s

    def run(
        self,
        as_of: datetime | None = None,
        *,
        prefix: str = "",
        dry_run: bool = False,
        resume: bool = True,
        progress: Callable[[int, int], None] | None = None,
        max_batches: int | None = None,
        stop: Callable[[], bool] = lambda: False,
        rest_share: float = 0.0,
    ) -> DecayReport:
        """One pass as of `as_of` (default now) over the users whose id starts with `prefix` (a tenant's
        owner keys; all by default), each prefix with its own lease. A run left unfinished is resumed
        where it stopped (with its own `as_of`) unless `resume` is false or another `as_of` is asked.
        `max_batches` or `stop()` becoming true stops early, leaving the run to resume (time-boxed runs,
        shutdown, tests). `progress(done, total)` hears of each batch. After each batch the pass rests
        `rest_share` times as long as the batch took (a pass beside live traffic)."""
        started = time.perf_counter()
        lease = Lease(self.repository, f"{JOB}:{prefix}" if prefix else JOB, self.lease_s)
        held = lease.acquire()
        if held is None:
            return DecayReport(aware(as_of), dry_run, skipped=True)
        resumed = resume and held.unfinished and (as_of is None or aware(as_of) == held.as_of)
        moment = held.as_of if resumed and held.as_of else aware(as_of)
        cursor = held.cursor if resumed else ""
        report = DecayReport(moment, dry_run, resumed=resumed)
        total = self.store.memories_after(cursor, prefix)
        finished = True
        try:
            for done, batch in enumerate(self._batches(cursor, prefix)):
                if (max_batches is not None and done >= max_batches) or stop():
                    finished = False
                    break
                batch_started = time.perf_counter()
                self._pass_batch(batch, moment, dry_run, report)
                cursor = batch[-1]
                if progress is not None:
                    progress(report.memories, total)
                if not dry_run and not lease.save(Progress(moment, cursor, finished=False)):
                    log.warning("decay: lease lost after user %r; the next runner resumes", cursor)
                    finished = False
                    break
                time.sleep(rest_share * (time.perf_counter() - batch_started))
        finally:
            lease.save(held if dry_run else Progress(moment, cursor, finished=finished), release=True)
        report.seconds = time.perf_counter() - started
        return report

    def run_users(
        self,
        users: list[str],
        as_of: datetime | None = None,
        dry_run: bool = False,
        tiers: dict[str, str] | None = None,
    ) -> DecayReport:
        """One pass over these users only, as of `as_of` (each user a transaction; no lease, no saved
        progress: the caller names the work and owns it). `tiers`, where given, receives the tier the pass
        leaves each scored memory in, by memory id (what a dry run would do, memory by memory)."""
        started = time.perf_counter()
        report = DecayReport(aware(as_of), dry_run)
        for user in users:
            self._pass_batch([user], report.as_of, dry_run, report, tiers)
        report.seconds = time.perf_counter() - started
        return report

    def restore(self, user_id: str, since: datetime | None = None) -> int:
        """Bring back a user's memories forgotten since `since` (all by default) whose content the grace
        period still holds: cold, and kept from then on. How many came back."""
        return self.store.restore(user_id, since, aware(None))

    def _batches(self, after: str, prefix: str) -> Iterator[list[str]]:
        """Whole users, gathered until a batch holds about `batch_memories` memories."""
        users: list[str] = []
        memories = 0
        while True:
            page = self.store.users_after(after, prefix, _USERS_PER_PAGE)
            for user_id, held in page:
                users.append(user_id)
                memories += held
                if memories >= self.batch_memories:
                    yield users
                    users, memories = [], 0
            if len(page) < _USERS_PER_PAGE:
                break
            after = page[-1][0]
        if users:
            yield users

    def _pass_batch(
        self,
        users: list[str],
        as_of: datetime,
        dry_run: bool,
        report: DecayReport,
        tiers: dict[str, str] | None = None,
    ) -> None:
        def work(unit: WriteUnit) -> tuple[int, _Plan]:
            plan = _Plan(placement=tiers)
            scored = 0
            for user in user_columns(unit, users):
                scored += len(user.refs)
                self._plan(user, as_of, plan)
            if not dry_run:
                set_tiers(unit, plan.tiered, as_of)
                plan.purged = purge(unit, users, as_of - timedelta(days=self.params.grace_days), as_of)
            return scored, plan

        # Read and written in one transaction, so that a memory recalled meanwhile is scored as it stands.
        scored, plan = self.repository.write(work, users=users)
        report.users += len(users)
        report.memories += scored
        report.purged += plan.purged
        if not dry_run:
            PURGED.inc(plan.purged)
        for tier, n in plan.placed.items():
            report.placed[tier] = report.placed.get(tier, 0) + n
        for move, n in plan.moves.items():
            report.moves[move] = report.moves.get(move, 0) + n
            if not dry_run:
                before, after = move.split("->")
                MOVES.labels(before, after).inc(n)

    def _plan(self, user: UserColumns, as_of: datetime, plan: _Plan) -> None:
        """Add what one user's memories change to `plan`."""
        user_id, refs = user.user_id, user.refs
        columns = zip(user.kind, user.memory_type, user.predicates, user.mentions_people, strict=True)
        kinds = [resolved_kind(*column) for column in columns]
        accessed = np.asarray(user.accessed_ms, dtype=np.float64)
        memories = Memories(
            occurred_ms=np.asarray(user.occurred_ms, dtype=np.float64),
            last_accessed_ms=np.where(accessed < 0, np.nan, accessed),
            access_count=np.asarray(user.access_count, dtype=np.float64),
            significance=np.asarray(user.significance, dtype=np.float64),
            kinds=kinds,
            tiers=list(user.tier),
            keeps=list(user.keeps),
        )
        score = np.round(scores(self.params, memories, as_of.timestamp() * 1000), 4)
        tiers = next_tiers(self.params, memories, score)
        plan.placed.update(tiers)
        if plan.placement is not None:
            plan.placement.update(zip(user.ids, tiers, strict=True))
        for i, (tier, was) in enumerate(zip(tiers, memories.tiers, strict=True)):
            if tier == was:
                continue
            plan.moves[f"{was}->{tier}"] += 1
            plan.tiered[user_id].append({"ref": refs[i], "tier": tier, "kind": kinds[i].value})


@dataclass
class _Plan:
    """What one batch changes."""

    tiered: defaultdict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    moves: Counter[str] = field(default_factory=Counter)
    placed: Counter[str] = field(default_factory=Counter)
    #: each scored memory's tier after the pass, by memory id, where the caller asked for them
    placement: dict[str, str] | None = None
    purged: int = 0
