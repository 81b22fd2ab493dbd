"""The write path: its analysis (`app.write.analysis`: the guard's rules → spaCy → significance and type →
embedding → the guard's classifier), then one transaction (memories, their facts, and the quarantine of
what was refused).

The API's single and batch endpoints call `IngestService.ingest`, and the batch stages the analysis's steps
and `commit` one by one, overlapped across chunks; the Cypher works in batches (`UNWIND`). A message is
acknowledged only after its transaction committed; idempotent on (user, message id).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from app.decay.model import DecayParams
from app.facts.planning import FactPlan
from app.facts.writes import Assertions, write_asserted_facts
from app.graph.owner_token import owner_token
from app.graph.repository import GraphRepository, WriteUnit
from app.metadata import to_stored
from app.metrics import WRITE_STAGE
from app.nlp.embedding import MessageVectors
from app.nlp.packed_vectors import pack
from app.settings import Settings
from app.tenancy import tenant_of
from app.views import ClarificationOut, EntityOut, FactOut
from app.write.analysis import Analysis
from app.write.batch import IncomingMessage, IngestOutcome, Prepared, PreparedBatch
from app.write.screening import OUTCOMES
from app.write.store import Merged, hold_refused, mentions_row, merge_memories, write_mentions

__all__ = ["IncomingMessage", "IngestOutcome", "IngestService", "PreparedBatch", "analysed_props"]


def analysed_props(prepared: Prepared, vectors: MessageVectors, embedding_model: str) -> dict[str, Any]:
    """What the analysis gives a memory's node: its text, vectors, type, significance and decay kind; the
    same for a message written and for a memory whose text a person corrected."""
    embedding, sentence_vectors = vectors
    return {
        "content": prepared.text,
        "embedding": embedding,
        "sentence_vectors": pack(sentence_vectors),
        "embedding_model": embedding_model,
        "memory_type": prepared.memory_type,
        "significance": prepared.significance,
        "decay_kind": prepared.decay_kind.value,
        "keeps": prepared.keeps,
    }


class IngestService:
    """Turns messages into long-term memory; the same code for the API and the batch jobs."""

    def __init__(self, settings: Settings, repository: GraphRepository, analysis: Analysis) -> None:
        self.repository = repository
        self.analysis = analysis
        self.decay = DecayParams.of(settings)

    def ingest(
        self, messages: list[IncomingMessage], known: dict[str, list[float]] | None = None, released: bool = False
    ) -> list[IngestOutcome]:
        """Process messages in order; returns one outcome per message, in the same order. `known` maps
        message ids to their text's embedding where the caller already has it (type-ahead embedded the
        draft): a one-sentence message is then not embedded again. `released`: messages an admin let out
        of quarantine, which the guard does not judge again."""
        return self.commit(self.analysis.prepare_batch(messages, known, released))

    def commit(self, batch: PreparedBatch) -> list[IngestOutcome]:
        """Judge an embedded batch, write it (memories and quarantine) in one transaction, and return the
        outcomes in message order."""
        self.analysis.judge(batch)
        outcomes = dict(batch.outcomes)
        if batch.prepared or batch.quarantine:
            stored, quarantined = self.store(batch.prepared, batch.embeddings, list(batch.quarantine.values()))
            outcomes.update(zip(batch.indexes, stored, strict=True))
            for index, row in batch.quarantine.items():
                outcomes[index] = outcomes[index].model_copy(update={"quarantine_id": quarantined[row["external_id"]]})
        return [outcomes[i] for i in range(batch.size)]

    def store(
        self, prepared: list[Prepared], embeddings: list[MessageVectors], quarantine: list[dict[str, Any]]
    ) -> tuple[list[IngestOutcome], dict[str, str]]:
        """Write prepared messages and refused ones' quarantine in one transaction; acknowledged only once
        it committed. The outcomes of the stored, and the quarantine id of each refused message id."""
        now = datetime.now(UTC)
        base_seq = time.time_ns()
        rows = [
            {
                "id": p.memory_id,
                "user_id": p.message.user_id,
                "tenant": owner_token(p.message.user_id),
                "tenant_id": tenant_of(p.message.user_id),
                "external_id": p.message.message_id,
                "props": {
                    "user_id": p.message.user_id,
                    "tenant": owner_token(p.message.user_id),
                    "tenant_id": tenant_of(p.message.user_id),
                    "external_id": p.message.message_id,
                    "companion_id": p.message.companion_id,
                    "conversation_id": p.message.conversation_id,
                    "device_id": p.message.device_id,
                    "speaker": p.message.speaker,
                    "role": p.message.role,
                    **analysed_props(p, vectors, self.analysis.embedder.name),
                    "occurred_at": p.message.occurred_at,
                    "ingested_at": now,
                    "seq": base_seq + i,
                    "access_count": 0,
                    "tier": self.decay.first_tier(p.significance),
                    "metadata_json": to_stored(p.message.metadata),
                },
            }
            for i, (p, vectors) in enumerate(zip(prepared, embeddings, strict=True))
        ]

        def work(unit: WriteUnit) -> tuple[list[Merged], dict[str, FactPlan], dict[str, str]]:
            held = hold_refused(unit, quarantine)
            merged = merge_memories(unit, rows)
            created_ids = {m.id for m in merged if m.created}
            fresh = [p for p in prepared if p.memory_id in created_ids]
            write_mentions(unit, [mentions_row(p.memory_id, p.message.user_id, p.extraction) for p in fresh])
            asserted = [
                Assertions(p.memory_id, p.message.user_id, p.message.role, p.message.occurred_at, p.extraction.facts)
                for p in fresh
            ]
            plans = write_asserted_facts(unit, asserted, now, self.analysis.functional, self.analysis.high_stakes)
            return merged, plans, held

        users = [p.message.user_id for p in prepared] + [row["user_id"] for row in quarantine]
        with WRITE_STAGE.labels("graph").time():
            merged, plans, held = self.repository.write(work, users=users)
        outcomes = [self._outcome(p, memory, plans) for p, memory in zip(prepared, merged, strict=True)]
        return outcomes, held

    @staticmethod
    def _outcome(p: Prepared, memory: Merged, plans: dict[str, FactPlan]) -> IngestOutcome:
        duplicate = not memory.created
        OUTCOMES.labels("stored", "duplicate" if duplicate else "new").inc()
        plan = plans.get(p.memory_id)
        return IngestOutcome(
            message_id=p.message.message_id,
            status="stored",
            duplicate=duplicate,
            truncated=p.screened.truncated,
            redacted=list(p.screened.redacted),
            memory_id=memory.id,
            significance=memory.significance,
            memory_type=memory.memory_type,
            entities=[]
            if duplicate
            else [EntityOut(name=e.name, type=e.type, aliases=list(e.aliases)) for e in p.extraction.entities],
            facts=[
                FactOut(
                    id=f.id,
                    predicate=f.predicate,
                    value=f.value,
                    confidence=f.confidence,
                    status=f.status,
                    modality=a.modality,
                )
                for f, a in plan.created
            ]
            if plan
            else [],
            clarifications=[
                ClarificationOut(
                    pending_fact_id=c.pending_fact_id,
                    predicate=c.predicate,
                    current_value=c.current_value,
                    new_value=c.new_value,
                    question=c.question,
                )
                for c in plan.clarifications
            ]
            if plan
            else [],
        )
