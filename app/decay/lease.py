"""A job lease in Neo4j: one runner at a time across every process and replica, and the run's progress
kept with it, so that a runner killed mid-pass is taken over (after the lease expires) where it stopped.
A local lock would not do: two API replicas are two processes, often on two hosts."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.graph.values import native


@dataclass(frozen=True)
class Progress:
    """Where the job's last run stands: as of when it scores, the last user done, whether it ended."""

    as_of: datetime | None
    cursor: str
    finished: bool

    @property
    def unfinished(self) -> bool:
        """True when a run started and did not end (killed, or its lease lost)."""
        return self.as_of is not None and not self.finished


class Lease:
    """The lease of one job name, for one runner (`holder`)."""

    def __init__(self, repository: GraphRepository, name: str, seconds: float) -> None:
        self.repository = repository
        self.name = name
        self.seconds = seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self) -> Progress | None:
        """Take (or renew) the lease: the job's progress, or None when another runner holds it."""
        record = self.repository.write_one(
            Query.LEASE_ACQUIRE, name=self.name, holder=self.holder, now=_now(), lease_s=self.seconds
        )
        if record is None or not record["held"]:
            return None
        lease: dict[str, Any] = record["lease"]
        return Progress(native(lease["as_of"]), lease["cursor"] or "", bool(lease["finished"]))

    def save(self, progress: Progress, release: bool = False) -> bool:
        """Save progress and renew the lease (or give it up); False when the lease was lost meanwhile."""
        record = self.repository.write_one(
            Query.LEASE_PROGRESS,
            name=self.name,
            holder=self.holder,
            now=_now(),
            lease_s=self.seconds,
            as_of=progress.as_of,
            cursor=progress.cursor,
            finished=progress.finished,
            release=release,
        )
        return record is not None


def _now() -> datetime:
    return datetime.now(UTC)
