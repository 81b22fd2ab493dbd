"""The decay pass's queries: its users and their memories' columns, the tiers it moves, the content it
purges, what a person brings back, and the job's lease with its progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.graph.cypher import Query
from app.graph.repository import GraphRepository, WriteUnit
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


@dataclass(frozen=True)
class UserColumns:
    """One user's memories not yet forgotten, a list a column, as the decay formula reads them."""

    user_id: str
    ids: list[str]
    refs: list[str]
    #: the stored decay kind ('' for memories written before kinds were stored)
    kind: list[str]
    memory_type: list[str]
    predicates: list[list[str]]
    mentions_people: list[bool]
    occurred_ms: list[float]
    #: -1 for never recalled
    accessed_ms: list[float]
    access_count: list[int]
    significance: list[float]
    tier: list[str]
    keeps: list[bool]


class DecayStore:
    """What the decay pass reads and writes outside its batches' transactions."""

    def __init__(self, repository: GraphRepository) -> None:
        self.repository = repository

    def memories_after(self, after: str, prefix: str) -> int:
        """How many memories the users after `after` whose ids start with `prefix` hold."""
        record = self.repository.read_one(Query.DECAY_TOTALS, after=after, prefix=prefix)
        return int(record["memories"] or 0) if record else 0

    def users_after(self, after: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The next `limit` users in id order after `after` whose ids start with `prefix`, with how many
        memories each holds."""
        rows = self.repository.read_all(Query.DECAY_USERS, after=after, prefix=prefix, limit=limit)
        return [(r["user_id"], int(r["memories"])) for r in rows]

    def restore(self, user_id: str, since: datetime | None, as_of: datetime) -> int:
        """Bring back the user's memories forgotten since `since` whose content is still held; how many."""
        record = self.repository.write_one(Query.DECAY_RESTORE, user_id=user_id, since=since, as_of=as_of)
        return int(record["restored"]) if record else 0

    def take_lease(self, name: str, holder: str, now: datetime, seconds: float) -> Progress | None:
        """Take (or renew) the lease of job `name` for `holder`: the job's progress, or None when another
        holder has it."""
        record = self.repository.write_one(Query.LEASE_ACQUIRE, name=name, holder=holder, now=now, lease_s=seconds)
        if record is None or not record["held"]:
            return None
        lease: dict[str, Any] = record["lease"]
        return Progress(native(lease["as_of"]), lease["cursor"] or "", bool(lease["finished"]))

    def save_progress(
        self, name: str, holder: str, now: datetime, seconds: float, progress: Progress, release: bool
    ) -> bool:
        """Save the job's progress and renew the lease (or give it up); False when `holder` lost it."""
        record = self.repository.write_one(
            Query.LEASE_PROGRESS,
            name=name,
            holder=holder,
            now=now,
            lease_s=seconds,
            as_of=progress.as_of,
            cursor=progress.cursor,
            finished=progress.finished,
            release=release,
        )
        return record is not None


def user_columns(unit: WriteUnit, users: list[str]) -> list[UserColumns]:
    """What the decay formula reads of these users' memories, one row a user."""
    fields = UserColumns.__dataclass_fields__
    return [UserColumns(**{k: row[k] for k in fields}) for row in unit.run(Query.DECAY_MEMORIES, users=users)]


def set_tiers(unit: WriteUnit, tiered: dict[str, list[dict[str, Any]]], as_of: datetime) -> None:
    """Move memories (`ref`, `tier`, `kind`, by user) to their new tiers as of `as_of`."""
    if tiered:
        rows = [{"user_id": u, "rows": rows} for u, rows in tiered.items()]
        unit.run(Query.DECAY_TIERS_SET, users=rows, as_of=as_of)


def purge(unit: WriteUnit, users: list[str], until: datetime, as_of: datetime) -> int:
    """Delete the content of these users' memories forgotten before `until`; how many."""
    return sum(int(r["purged"]) for r in unit.run(Query.DECAY_PURGE, users=users, until=until, as_of=as_of))
