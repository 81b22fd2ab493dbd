"""A person's correction of a memory's text: the new text goes through the write path's analysis (the
guard, spaCy, significance and type, the embedding) as the message would have, and replaces the old one
in place, which the memory keeps as history. Facts the old text stated and the new one does not are
retracted unless another memory states them too; facts the new text states are planned as any message's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.errors import ConflictError, InvalidInputError, NotFoundError
from app.facts.planning import RETRACTABLE, StoredFact
from app.facts.writes import Assertions, stored_fact, write_asserted_facts, write_fact_changes
from app.graph.cypher import Query
from app.graph.repository import GraphRepository, WriteUnit
from app.graph.values import native
from app.memories.service import MemoriesService, Memory
from app.metadata import from_stored
from app.nlp.embedding import MessageVectors
from app.nlp.extraction import ExtractedFact, entity_key
from app.write.analysis import Analysis
from app.write.batch import IncomingMessage, Prepared
from app.write.ingest import analysed_props, mentions_row


def _key(fact: ExtractedFact) -> list[str]:
    return [fact.subject_key, fact.predicate, entity_key(fact.value)]


class MemoryRevisions:
    """Corrections of memories' texts."""

    def __init__(self, repository: GraphRepository, analysis: Analysis, memories: MemoriesService) -> None:
        self.repository = repository
        self.analysis = analysis
        self.memories = memories

    def revise(self, user_id: str, memory_id: str, content: str) -> Memory:
        """Replace a memory's text with `content`, re-analysed, and return the memory as it now stands;
        NotFoundError when there is no such memory, ConflictError when its text was forgotten,
        InvalidInputError when the write path would not keep the new text as a memory (the guard refused
        it, or it holds nothing to remember), saying why."""
        record = self.repository.read_one(Query.MEMORY_GET, user_id=user_id, memory_id=memory_id)
        if record is None:
            raise NotFoundError(f"memory {memory_id!r} does not exist for user {user_id!r}")
        row = record["memory"]
        if row.get("content") is None or row.get("tier") == "forgotten":
            raise ConflictError(f"memory {memory_id!r} was forgotten: there is no text to correct")
        prepared, vectors = self._analysed(row, content)
        props = analysed_props(prepared, vectors, self.analysis.embedder.name)
        stated = [_key(f) for f in prepared.extraction.facts]
        now = datetime.now(UTC)

        def work(unit: WriteUnit) -> None:
            rows = unit.run(
                Query.MEMORY_REVISE, user_id=user_id, memory_id=memory_id, props=props, stated=stated, at=now
            )
            if not rows:
                raise ConflictError(f"memory {memory_id!r} was forgotten meanwhile")
            unit.run(Query.MEMORY_MENTIONS, rows=[mentions_row(memory_id, user_id, prepared.extraction)])
            dropped: list[StoredFact] = [
                stored_fact(f) for f in rows[0]["dropped"] if f["others"] == 0 and f["status"] in RETRACTABLE
            ]
            for fact in dropped:
                fact.status, fact.confidence = "retracted", 0.0
            write_fact_changes(unit, user_id, now, dropped, [])
            kept = {tuple(k) for k in rows[0]["kept"]}
            new = [f for f in prepared.extraction.facts if tuple(_key(f)) not in kept]
            occurred_at = native(row["occurred_at"])
            write_asserted_facts(
                unit,
                [Assertions(memory_id, user_id, row["role"], occurred_at, new)],
                now,
                self.analysis.functional,
                self.analysis.high_stakes,
            )

        self.repository.write(work, users=[user_id])
        return self.memories.get(user_id, memory_id)

    def _analysed(self, row: dict[str, Any], content: str) -> tuple[Prepared, MessageVectors]:
        """The write path's analysis of the corrected text, as the memory's own message."""
        message = IncomingMessage(
            user_id=row["user_id"],
            companion_id=row["companion_id"],
            conversation_id=row["conversation_id"],
            role=row["role"],
            text=content,
            message_id=row["external_id"],
            occurred_at=native(row["occurred_at"]),
            device_id=row.get("device_id"),
            speaker=row.get("speaker"),
            metadata=from_stored(row.get("metadata_json"), f"memory {row['id']!r}"),
        )
        batch = self.analysis.prepare_batch([message])
        self.analysis.judge(batch)
        if not batch.prepared:
            outcome = batch.outcomes[0]
            why = "; ".join(filter(None, [outcome.reason, outcome.detail]))
            raise InvalidInputError(f"the corrected text would not be kept as a memory ({outcome.status}: {why})")
        return batch.prepared[0], batch.embeddings[0]
