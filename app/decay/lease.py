"""A job lease in Neo4j: one runner at a time across every process and replica, and the run's progress
kept with it, so that a runner killed mid-pass is taken over (after the lease expires) where it stopped.
A local lock would not do: two API replicas are two processes, often on two hosts."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime

from app.decay.store import DecayStore, Progress
from app.graph.repository import GraphRepository


class Lease:
    """The lease of one job name, for one runner (`holder`)."""

    def __init__(self, repository: GraphRepository, name: str, seconds: float) -> None:
        self.store = DecayStore(repository)
        self.name = name
        self.seconds = seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self) -> Progress | None:
        """Take (or renew) the lease: the job's progress, or None when another runner holds it."""
        return self.store.take_lease(self.name, self.holder, datetime.now(UTC), self.seconds)

    def save(self, progress: Progress, release: bool = False) -> bool:
        """Save progress and renew the lease (or give it up); False when the lease was lost meanwhile."""
        return self.store.save_progress(self.name, self.holder, datetime.now(UTC), self.seconds, progress, release)
