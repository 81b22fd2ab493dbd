"""The write path: the guard's rules → spaCy → significance and type → embedding → the guard's classifier →
one transaction (memories, and the quarantine of what was refused).

The API's single and batch endpoints call `IngestService.ingest`, and the batch pipeline its stages one by
one (`analyse_batch`, `embed`, `commit`, overlapped across chunks); every stage takes a list so that spaCy
(`nlp.pipe`), the embedding model and the Cypher (`UNWIND`) always work in batches.
A message is acknowledged only after its transaction committed; idempotent on (user, message id).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import numpy as np

from app.decay.model import kind_of
from app.facts.planning import FUNCTIONAL_PREDICATES, HIGH_STAKES_PREDICATES, FactPlan
from app.facts.writes import Assertions, write_asserted_facts
from app.graph.cypher import Query
from app.graph.owner_token import owner_token
from app.graph.repository import GraphRepository, WriteUnit
from app.guard import cues
from app.guard.service import Guard
from app.metadata import to_stored
from app.nlp.embedding import Embedder, MessageVectors, SentenceEncoder
from app.nlp.extraction import Extractor
from app.nlp.packed_vectors import pack
from app.nlp.sentences import presplit, sentences
from app.settings import Settings
from app.tenancy import tenant_of
from app.views import ClarificationOut, EntityOut, FactOut
from app.write.batch import IncomingMessage, IngestOutcome, Prepared, PreparedBatch
from app.write.ephemeral import EphemeralStore
from app.write.screening import OUTCOMES, Screening
from app.write.significance import fired_rules, memory_type, score_of

__all__ = ["IncomingMessage", "IngestOutcome", "IngestService", "PreparedBatch"]


class IngestService:
    """Turns messages into long-term memory; the same code for the API and the batch jobs."""

    def __init__(
        self,
        settings: Settings,
        repository: GraphRepository,
        embedder: Embedder,
        extractor: Extractor,
        ephemeral_store: EphemeralStore,
        guard: Guard,
    ) -> None:
        self.settings = settings
        self.repository = repository
        self.embedder = embedder
        self.extractor = extractor
        self.screening = Screening(settings, guard, ephemeral_store)
        self.functional = FUNCTIONAL_PREDICATES | settings.extra_functional_predicates
        self.high_stakes = HIGH_STAKES_PREDICATES | settings.extra_high_stakes_predicates
        self.decay = settings.decay
        self._embedding_while_parsing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-ahead")

    def close(self) -> None:
        """Stop the thread that embeds messages while spaCy parses them."""
        self._embedding_while_parsing.shutdown(wait=True)

    # --- stages before the graph ---

    def _parse(self, batch: PreparedBatch) -> PreparedBatch:
        """spaCy (batched), extraction, significance and type for the batch's accepted messages."""
        docs = self.extractor.nlp.pipe([checked.text for _, checked in batch.accepted], batch_size=256)
        for (message, checked), doc in zip(batch.accepted, docs, strict=True):
            extraction = self.extractor.extract(doc, message.role)
            rules = fired_rules(checked.text, extraction)
            kind = memory_type(checked.text, extraction).value
            split = sentences(doc)
            predicates = [f.predicate for f in extraction.facts]
            batch.prepared.append(
                Prepared(
                    message,
                    checked,
                    extraction,
                    score_of(rules),
                    kind,
                    split,
                    kind_of(kind, predicates, rules, self.functional, len(split)),
                    cues.signals(checked.text, doc) if self.screening.guard.judges(message.role) else None,
                )
            )
        return batch

    # --- the whole path ---

    def ingest(
        self, messages: list[IncomingMessage], known: dict[str, list[float]] | None = None, released: bool = False
    ) -> list[IngestOutcome]:
        """Process messages in order; returns one outcome per message, in the same order. `known` maps
        message ids to their text's embedding where the caller already has it (type-ahead embedded the
        draft): a one-sentence message is then not embedded again. `released`: messages an admin let out
        of quarantine, which the guard does not judge again."""
        return self.commit(self.prepare_batch(messages, known, released))

    def prepare_batch(
        self, messages: list[IncomingMessage], known: dict[str, list[float]] | None = None, released: bool = False
    ) -> PreparedBatch:
        """Everything before the graph (the guard's rules, spaCy, embedding): no Neo4j involved. The
        embedding does not wait for the parse: it starts on the sentences that punctuation alone gives
        (`presplit`) and runs (ONNX Runtime, outside the GIL) while spaCy parses; a message whose parsed
        sentences turn out different is embedded again (3 in 400 short chat messages)."""
        batch = self.screening.screen(messages, released)
        if not batch.accepted:
            return batch
        split = [presplit(checked.text) for _, checked in batch.accepted]
        known = known or {}
        # A one-sentence message's vector is its text's embedding: the one a caller may already hold.
        given = [
            known.get(message.message_id) if len(sentences) == 1 else None
            for (message, _), sentences in zip(batch.accepted, split, strict=True)
        ]
        wanted = [sentences for sentences, vector in zip(split, given, strict=True) if vector is None]
        ahead = self._embedding_while_parsing.submit(self.embedder.encode_sentences, wanted)
        self._parse(batch)
        computed = iter(ahead.result())
        embeddings: list[MessageVectors] = [
            (vector, np.asarray([vector], dtype=np.float32)) if vector is not None else next(computed)
            for vector in given
        ]
        misses = [i for i, p in enumerate(batch.prepared) if p.sentences != split[i]]
        if misses:
            again = self.embedder.encode_sentences([batch.prepared[i].sentences for i in misses])
            for i, vectors in zip(misses, again, strict=True):
                embeddings[i] = vectors
        batch.embeddings = embeddings
        return batch

    def analyse_batch(self, messages: list[IncomingMessage]) -> PreparedBatch:
        """The guard's rules, spaCy, significance and type, without the embedding, so that a batch
        job can analyse the next chunk while this one is embedded and the one before is written."""
        return self._parse(self.screening.screen(messages))

    def embed(self, batch: PreparedBatch, encoder: SentenceEncoder | None = None) -> PreparedBatch:
        """The embedding of an analysed batch's messages, sentence by sentence, in one call, by `encoder`
        (a batch job's child process running the same model) or this service's embedder."""
        if batch.prepared:
            batch.embeddings = (encoder or self.embedder).encode_sentences([p.sentences for p in batch.prepared])
        return batch

    def commit(self, batch: PreparedBatch) -> list[IngestOutcome]:
        """Judge an embedded batch, write it (memories and quarantine) in one transaction, and return the
        outcomes in message order."""
        self.screening.judge(batch)
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
                "entities": [
                    {"key": e.key, "name": e.name, "type": e.type, "aliases": list(e.aliases)}
                    for e in p.extraction.entities
                ],
                "names": p.extraction.name_candidates,
                "aliases": p.extraction.alias_mentions,
                "props": {
                    "user_id": p.message.user_id,
                    "tenant": owner_token(p.message.user_id),
                    "tenant_id": tenant_of(p.message.user_id),
                    "external_id": p.message.message_id,
                    "companion_id": p.message.companion_id,
                    "conversation_id": p.message.conversation_id,
                    "device_id": p.message.device_id,
                    "role": p.message.role,
                    "content": p.text,
                    "embedding": embedding,
                    "sentence_vectors": pack(sentence_vectors),
                    "embedding_model": self.embedder.name,
                    "memory_type": p.memory_type,
                    "significance": p.significance,
                    "occurred_at": p.message.occurred_at,
                    "ingested_at": now,
                    "seq": base_seq + i,
                    "access_count": 0,
                    "tier": self.decay.first_tier(p.significance),
                    "decay_kind": p.decay_kind.value,
                    "metadata_json": to_stored(p.message.metadata),
                },
            }
            for i, (p, (embedding, sentence_vectors)) in enumerate(zip(prepared, embeddings, strict=True))
        ]

        def work(unit: WriteUnit) -> tuple[list[Any], dict[str, FactPlan], list[Any]]:
            held = unit.run(Query.QUARANTINE_WRITE, rows=quarantine) if quarantine else []
            merged = unit.run(Query.MEMORIES_WRITE, rows=rows) if rows else []
            created_ids = {r["id"] for r in merged if r["created"]}
            fresh = [p for p in prepared if p.memory_id in created_ids]
            asserted = [
                Assertions(p.memory_id, p.message.user_id, p.message.role, p.message.occurred_at, p.extraction.facts)
                for p in fresh
            ]
            plans = write_asserted_facts(unit, asserted, now, self.functional, self.high_stakes)
            return merged, plans, held

        users = [p.message.user_id for p in prepared] + [row["user_id"] for row in quarantine]
        merged, plans, held = self.repository.write(work, users=users)
        outcomes = [self._outcome(p, record, plans) for p, record in zip(prepared, merged, strict=True)]
        return outcomes, {record["external_id"]: record["id"] for record in held}

    @staticmethod
    def _outcome(p: Prepared, record: Any, plans: dict[str, FactPlan]) -> IngestOutcome:
        duplicate = not record["created"]
        OUTCOMES.labels("stored", "duplicate" if duplicate else "new").inc()
        plan = plans.get(p.memory_id)
        return IngestOutcome(
            message_id=p.message.message_id,
            status="stored",
            duplicate=duplicate,
            truncated=p.screened.truncated,
            redacted=list(p.screened.redacted),
            memory_id=record["id"],
            significance=record["significance"],
            memory_type=record["memory_type"],
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
