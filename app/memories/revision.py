"""A person's correction of a memory's text: the new text goes through the write path's analysis (the
guard, spaCy, significance and type, the embedding) as the message would have, and replaces the old one
in place, which the memory keeps as history. Facts the old text stated and the new one does not are
retracted unless another memory states them too; facts the new text states are planned as any message's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from app.errors import ConflictError, InvalidInputError, NotFoundError
from app.facts.planning import RETRACTABLE, StoredFact
from app.facts.writes import Assertions, write_asserted_facts, write_fact_changes
from app.graph.repository import GraphRepository, WriteUnit
from app.memories.service import MemoriesService
from app.memories.store import Memory
from app.nlp.embedding import MessageVectors
from app.nlp.extraction import ExtractedFact, entity_key
from app.roles import Role
from app.write.analysis import Analysis
from app.write.batch import IncomingMessage, Prepared
from app.write.ingest import analysed_props
from app.write.store import mentions_row, write_mentions


def _key(fact: ExtractedFact) -> tuple[str, str, str]:
    return fact.subject_key, fact.predicate, entity_key(fact.value)


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
        read = self.memories.store.read(user_id, memory_id)
        if read is None:
            raise NotFoundError(f"memory {memory_id!r} does not exist for user {user_id!r}")
        memory = read.memory
        if memory.content is None or memory.tier == "forgotten":
            raise ConflictError(f"memory {memory_id!r} was forgotten: there is no text to correct")
        prepared, vectors = self._analysed(memory, content)
        props = analysed_props(prepared, vectors, self.analysis.embedder.name)
        stated = [list(_key(f)) for f in prepared.extraction.facts]
        now = datetime.now(UTC)

        def work(unit: WriteUnit) -> None:
            revised = self.memories.store.revise(unit, user_id, memory_id, props, stated, now)
            if revised is None:
                raise ConflictError(f"memory {memory_id!r} was forgotten meanwhile")
            write_mentions(unit, [mentions_row(memory_id, user_id, prepared.extraction)])
            dropped: list[StoredFact] = [f for f in revised.dropped if f.status in RETRACTABLE]
            for fact in dropped:
                fact.status, fact.confidence = "retracted", 0.0
            write_fact_changes(unit, user_id, now, dropped, [])
            new = [f for f in prepared.extraction.facts if _key(f) not in revised.kept]
            write_asserted_facts(
                unit,
                [Assertions(memory_id, user_id, memory.role, memory.occurred_at, new)],
                now,
                self.analysis.functional,
                self.analysis.high_stakes,
            )

        self.repository.write(work, users=[user_id])
        return self.memories.get(user_id, memory_id)

    def _analysed(self, memory: Memory, content: str) -> tuple[Prepared, MessageVectors]:
        """The write path's analysis of the corrected text, as the memory's own message."""
        message = IncomingMessage(
            user_id=memory.user_id,
            companion_id=memory.companion_id or "",
            conversation_id=memory.conversation_id,
            role=cast(Role, memory.role),  # stored from a message whose role was validated
            text=content,
            message_id=memory.message_id,
            occurred_at=memory.occurred_at,
            device_id=memory.device_id,
            speaker=memory.speaker,
            metadata=memory.metadata,
        )
        batch = self.analysis.prepare_batch([message])
        self.analysis.judge(batch)
        if not batch.prepared:
            outcome = batch.outcomes[0]
            why = "; ".join(filter(None, [outcome.reason, outcome.detail]))
            raise InvalidInputError(f"the corrected text would not be kept as a memory ({outcome.status}: {why})")
        return batch.prepared[0], batch.embeddings[0]
