"""The write path: guard → ephemeral check → spaCy → significance and type → embedding → one transaction.

The API's single and batch endpoints call `IngestService.ingest`, and the batch pipeline its stages one by
one (`analyse_batch`, `embed`, `commit`, overlapped across chunks); every stage takes a list so that spaCy
(`nlp.pipe`), the embedding model and the Cypher (`UNWIND`) always work in batches.
A message is acknowledged only after its transaction committed; idempotent on (user, message id).
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from prometheus_client import Counter
from pydantic import BaseModel

from app.decay.model import Kind, kind_of
from app.facts.planning import FUNCTIONAL_PREDICATES, HIGH_STAKES_PREDICATES, FactPlan
from app.facts.writes import Assertions, write_asserted_facts
from app.graph.cypher import Query
from app.graph.owner_token import owner_token
from app.graph.repository import GraphRepository, WriteUnit
from app.nlp.embedding import Embedder, MessageVectors, SentenceEncoder
from app.nlp.extraction import Extraction, Extractor
from app.nlp.sentences import presplit, sentences
from app.settings import Settings
from app.views import ClarificationOut, EntityOut, FactOut
from app.write import ephemeral, guard
from app.write.ephemeral import EphemeralStore
from app.write.significance import fired_rules, memory_type, score_of

Role = Literal["user", "companion", "system"]

OUTCOMES = Counter("memory_messages_total", "Messages by outcome and reason", ["status", "reason"])


@dataclass(frozen=True)
class IncomingMessage:
    """One message of a conversation, as the client sent it."""

    user_id: str
    companion_id: str
    conversation_id: str
    role: Role
    text: str
    message_id: str
    occurred_at: datetime
    device_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


class IngestOutcome(BaseModel):
    """What happened to one message: stored, kept for this exchange only, or refused, and why."""

    message_id: str
    status: Literal["stored", "ephemeral", "refused"]
    reason: str | None = None
    detail: str | None = None
    duplicate: bool = False
    truncated: bool = False
    memory_id: str | None = None
    significance: float | None = None
    memory_type: str | None = None
    entities: list[EntityOut] = []
    facts: list[FactOut] = []
    clarifications: list[ClarificationOut] = []


@dataclass
class _Prepared:
    message: IncomingMessage
    text: str
    truncated: bool
    extraction: Extraction
    significance: float
    memory_type: str
    sentences: list[str]
    decay_kind: Kind
    memory_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class PreparedBatch:
    """Messages processed up to the graph write: outcomes of those that stop early, the rest prepared."""

    size: int
    outcomes: dict[int, IngestOutcome] = field(default_factory=dict)
    indexes: list[int] = field(default_factory=list)
    #: the messages that passed the screen, with their clean text and whether it was truncated
    accepted: list[tuple[IncomingMessage, str, bool]] = field(default_factory=list)
    prepared: list[_Prepared] = field(default_factory=list)
    embeddings: list[MessageVectors] = field(default_factory=list)


class IngestService:
    """Turns messages into long-term memory; the same code for the API and the batch jobs."""

    def __init__(
        self,
        settings: Settings,
        repository: GraphRepository,
        embedder: Embedder,
        extractor: Extractor,
        ephemeral_store: EphemeralStore,
    ) -> None:
        self.settings = settings
        self.repository = repository
        self.embedder = embedder
        self.extractor = extractor
        self.ephemeral_store = ephemeral_store
        self.functional = FUNCTIONAL_PREDICATES | settings.extra_functional_predicates
        self.high_stakes = HIGH_STAKES_PREDICATES | settings.extra_high_stakes_predicates
        self.decay = settings.decay
        self._embedding_while_parsing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-ahead")

    def close(self) -> None:
        """Stop the thread that embeds messages while spaCy parses them."""
        self._embedding_while_parsing.shutdown(wait=True)

    # --- stages before the graph ---

    def screen(self, message: IncomingMessage) -> IngestOutcome | tuple[str, bool]:
        """Guard and ephemeral check: an outcome that ends the message's way here, or the clean text."""
        checked = guard.check(message.text, self.settings.max_message_chars)
        if not checked.accepted:
            assert checked.refusal is not None
            OUTCOMES.labels("refused", checked.refusal.value).inc()
            return IngestOutcome(
                message_id=message.message_id,
                status="refused",
                reason=checked.refusal.value,
                detail=checked.detail,
            )
        reason = ephemeral.detect(checked.text, message.role, message.metadata)
        if reason is None and message.role == "system":
            reason = ephemeral.EphemeralReason.SYSTEM
        if reason is not None:
            self.ephemeral_store.add(
                message.user_id,
                message.conversation_id,
                message_id=message.message_id,
                role=message.role,
                text=checked.text,
                reason=reason,
                occurred_at=message.occurred_at,
            )
            OUTCOMES.labels("ephemeral", reason.value).inc()
            return IngestOutcome(
                message_id=message.message_id,
                status="ephemeral",
                reason=reason.value,
                detail="kept for this exchange only, never written to long-term memory",
            )
        return checked.text, checked.truncated

    def _parse(self, batch: PreparedBatch) -> PreparedBatch:
        """spaCy (batched), extraction, significance and type for the batch's accepted messages."""
        docs = self.extractor.nlp.pipe([text for _, text, _ in batch.accepted], batch_size=256)
        for (message, text, truncated), doc in zip(batch.accepted, docs, strict=True):
            extraction = self.extractor.extract(doc, message.role)
            rules = fired_rules(text, extraction)
            kind = memory_type(text, extraction).value
            split = sentences(doc)
            predicates = [f.predicate for f in extraction.facts]
            batch.prepared.append(
                _Prepared(
                    message,
                    text,
                    truncated,
                    extraction,
                    score_of(rules),
                    kind,
                    split,
                    kind_of(kind, predicates, rules, self.functional, len(split)),
                )
            )
        return batch

    # --- the whole path ---

    def ingest(
        self, messages: list[IncomingMessage], known: dict[str, list[float]] | None = None
    ) -> list[IngestOutcome]:
        """Process messages in order; returns one outcome per message, in the same order. `known` maps
        message ids to their text's embedding where the caller already has it (type-ahead embedded the
        draft): a one-sentence message is then not embedded again."""
        return self.commit(self.prepare_batch(messages, known))

    def prepare_batch(
        self, messages: list[IncomingMessage], known: dict[str, list[float]] | None = None
    ) -> PreparedBatch:
        """Everything before the graph (guard, ephemeral, spaCy, embedding): no Neo4j involved. The
        embedding does not wait for the parse: it starts on the sentences that punctuation alone gives
        (`presplit`) and runs (ONNX Runtime, outside the GIL) while spaCy parses; a message whose parsed
        sentences turn out different is embedded again (3 in 400 short chat messages)."""
        batch = self.screen_batch(messages)
        if not batch.accepted:
            return batch
        split = [presplit(text) for _, text, _ in batch.accepted]
        known = known or {}
        # A one-sentence message's vector is its text's embedding: the one a caller may already hold.
        given = [
            known.get(message.message_id) if len(sentences) == 1 else None
            for (message, _, _), sentences in zip(batch.accepted, split, strict=True)
        ]
        wanted = [sentences for sentences, vector in zip(split, given, strict=True) if vector is None]
        ahead = self._embedding_while_parsing.submit(self.embedder.encode_sentences, wanted)
        self._parse(batch)
        computed = iter(ahead.result())
        embeddings: list[MessageVectors] = [
            (vector, None) if vector is not None else next(computed) for vector in given
        ]
        misses = [i for i, p in enumerate(batch.prepared) if p.sentences != split[i]]
        if misses:
            again = self.embedder.encode_sentences([batch.prepared[i].sentences for i in misses])
            for i, vectors in zip(misses, again, strict=True):
                embeddings[i] = vectors
        batch.embeddings = embeddings
        return batch

    def screen_batch(self, messages: list[IncomingMessage]) -> PreparedBatch:
        """Guard and ephemeral check of each message: the outcomes of those that stop here, the rest
        accepted."""
        batch = PreparedBatch(size=len(messages))
        for index, message in enumerate(messages):
            screened = self.screen(message)
            if isinstance(screened, IngestOutcome):
                batch.outcomes[index] = screened
            else:
                batch.indexes.append(index)
                batch.accepted.append((message, *screened))
        return batch

    def analyse_batch(self, messages: list[IncomingMessage]) -> PreparedBatch:
        """Guard, ephemeral check, spaCy, significance and type, without the embedding, so that a batch
        job can analyse the next chunk while this one is embedded and the one before is written."""
        return self._parse(self.screen_batch(messages))

    def embed(self, batch: PreparedBatch, encoder: SentenceEncoder | None = None) -> PreparedBatch:
        """The embedding of an analysed batch's messages, sentence by sentence, in one call, by `encoder`
        (a batch job's child process running the same model) or this service's embedder."""
        if batch.prepared:
            batch.embeddings = (encoder or self.embedder).encode_sentences([p.sentences for p in batch.prepared])
        return batch

    def commit(self, batch: PreparedBatch) -> list[IngestOutcome]:
        """Write a prepared batch in one transaction and return the outcomes in message order."""
        outcomes = dict(batch.outcomes)
        if batch.prepared:
            stored = self.store(batch.prepared, batch.embeddings)
            outcomes.update(zip(batch.indexes, stored, strict=True))
        return [outcomes[i] for i in range(batch.size)]

    def store(self, prepared: list[_Prepared], embeddings: list[MessageVectors]) -> list[IngestOutcome]:
        """Write prepared messages in one transaction; acknowledged only once it committed."""
        now = datetime.now(UTC)
        base_seq = time.time_ns()
        rows = [
            {
                "id": p.memory_id,
                "user_id": p.message.user_id,
                "tenant": owner_token(p.message.user_id),
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
                    "external_id": p.message.message_id,
                    "companion_id": p.message.companion_id,
                    "conversation_id": p.message.conversation_id,
                    "device_id": p.message.device_id,
                    "role": p.message.role,
                    "content": p.text,
                    "embedding": embedding,
                    "sentence_embeddings": sentence_embeddings,
                    "embedding_model": self.embedder.name,
                    "memory_type": p.memory_type,
                    "significance": p.significance,
                    "occurred_at": p.message.occurred_at,
                    "ingested_at": now,
                    "seq": base_seq + i,
                    "access_count": 0,
                    "tier": self.decay.first_tier(p.significance),
                    "decay_score": self.decay.importance(p.significance),
                    "decay_kind": p.decay_kind.value,
                    "metadata_json": json.dumps(p.message.metadata, sort_keys=True, default=str),
                },
            }
            for i, (p, (embedding, sentence_embeddings)) in enumerate(zip(prepared, embeddings, strict=True))
        ]

        def work(unit: WriteUnit) -> tuple[list[Any], dict[str, FactPlan]]:
            merged = unit.run(Query.MEMORIES_WRITE, rows=rows)
            created_ids = {r["id"] for r in merged if r["created"]}
            fresh = [p for p in prepared if p.memory_id in created_ids]
            asserted = [
                Assertions(p.memory_id, p.message.user_id, p.message.role, p.message.occurred_at, p.extraction.facts)
                for p in fresh
            ]
            plans = write_asserted_facts(unit, asserted, now, self.functional, self.high_stakes)
            return merged, plans

        merged, plans = self.repository.write(work, users=(p.message.user_id for p in prepared))
        return [self._outcome(p, record, plans) for p, record in zip(prepared, merged, strict=True)]

    @staticmethod
    def _outcome(p: _Prepared, record: Any, plans: dict[str, FactPlan]) -> IngestOutcome:
        duplicate = not record["created"]
        OUTCOMES.labels("stored", "duplicate" if duplicate else "new").inc()
        plan = plans.get(p.memory_id)
        return IngestOutcome(
            message_id=p.message.message_id,
            status="stored",
            duplicate=duplicate,
            truncated=p.truncated,
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
