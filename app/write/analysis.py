"""Everything the write path does to messages before the graph: the guard's rules, spaCy (entities, facts,
significance and type), the embedding, and the guard's classifier. No Neo4j involved, so that the batch
stages overlap it with writing, and that the evaluation of facts (`measure.facts`) runs it alone.

Every stage takes a list so that spaCy (`nlp.pipe`) and the embedding model always work in batches.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from app.decay.model import carries_content, kind_of
from app.facts.planning import FUNCTIONAL_PREDICATES, HIGH_STAKES_PREDICATES
from app.guard import cues
from app.guard.secrets import without_secrets
from app.guard.service import Guard, Judged
from app.metrics import WRITE_STAGE
from app.nlp.embedding import Embedder, MessageVectors, SentenceEncoder
from app.nlp.extraction import Extractor
from app.nlp.sentences import presplit, sentences
from app.settings import Settings
from app.write.batch import IncomingMessage, Prepared, PreparedBatch
from app.write.ephemeral import EphemeralStore
from app.write.screening import Screening
from app.write.significance import fired_rules, memory_type, score_of


class Analysis:
    """The write path's stages before the graph; one per process."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        extractor: Extractor,
        ephemeral_store: EphemeralStore,
        guard: Guard,
    ) -> None:
        self.embedder = embedder
        self.extractor = extractor
        self.screening = Screening(settings, guard, ephemeral_store)
        #: Predicates with one current value per subject, and those whose change asks the user first.
        self.functional = FUNCTIONAL_PREDICATES | settings.extra_functional_predicates
        self.high_stakes = HIGH_STAKES_PREDICATES | settings.extra_high_stakes_predicates
        self._embedding_while_parsing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-ahead")

    def close(self) -> None:
        """Stop the thread that embeds messages while spaCy parses them."""
        self._embedding_while_parsing.shutdown(wait=True)

    def _parse(self, batch: PreparedBatch) -> PreparedBatch:
        """spaCy (batched), extraction, significance and type for the batch's accepted messages."""
        docs = self.extractor.nlp.pipe([checked.text for _, checked in batch.accepted], batch_size=256)
        for (message, checked), doc in zip(batch.accepted, docs, strict=True):
            extraction = self.extractor.extract(doc, message.role, message.speaker)
            rules = fired_rules(checked.text, extraction)
            kind = memory_type(checked.text, extraction).value
            split = sentences(doc)
            signals = cues.signals(checked.text, doc) if self.screening.guard.judges(message.role) else None
            if signals is not None and cues.framing_reason(signals) is not None:
                extraction.facts = []  # what is said inside a game or a make-believe is no fact of the speaker's
            predicates = [f.predicate for f in extraction.facts]
            decay_kind = kind_of(kind, predicates, rules, self.functional, len(split))
            names = bool(extraction.entities or extraction.alias_mentions)
            batch.prepared.append(
                Prepared(
                    message,
                    checked,
                    extraction,
                    score_of(rules),
                    kind,
                    split,
                    decay_kind,
                    carries_content(decay_kind, bool(predicates), names, extraction.tells),
                    signals,
                )
            )
        return batch

    def prepare_batch(
        self, messages: list[IncomingMessage], known: dict[str, list[float]] | None = None, released: bool = False
    ) -> PreparedBatch:
        """Everything before the graph (the guard's rules, spaCy, embedding): no Neo4j involved. The
        embedding does not wait for the parse: it starts on the sentences that punctuation alone gives
        (`presplit`) and runs (ONNX Runtime, outside the GIL) while spaCy parses; a message whose parsed
        sentences turn out different is embedded again (3 in 400 short chat messages)."""
        with WRITE_STAGE.labels("rules").time():
            batch = self.screening.screen(messages, released)
        if not batch.accepted:
            return batch
        split = [presplit(checked.text) for _, checked in batch.accepted]
        # A caller holds a query's vector (a type-ahead draft's): it stands for the stored text's only where
        # the model reads both alike.
        known = (known or {}) if self.embedder.symmetric else {}
        # A one-sentence message's vector is its text's embedding: the one a caller may already hold.
        given = [
            known.get(message.message_id) if len(sentences) == 1 else None
            for (message, _), sentences in zip(batch.accepted, split, strict=True)
        ]
        wanted = [sentences for sentences, vector in zip(split, given, strict=True) if vector is None]
        ahead = self._embedding_while_parsing.submit(self.embedder.encode_sentences, wanted)
        with WRITE_STAGE.labels("parse").time():
            self._parse(batch)
        with WRITE_STAGE.labels("embedding").time():  # what is left of it once the parse is done
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
        with WRITE_STAGE.labels("rules").time():
            batch = self.screening.screen(messages)
        with WRITE_STAGE.labels("parse").time():
            return self._parse(batch)

    def embed(self, batch: PreparedBatch, encoder: SentenceEncoder | None = None) -> PreparedBatch:
        """The embedding of an analysed batch's messages, sentence by sentence, in one call, by `encoder`
        (a batch job's child process running the same model) or this service's embedder."""
        if batch.prepared:
            with WRITE_STAGE.labels("embedding").time():
                batch.embeddings = (encoder or self.embedder).encode_sentences([p.sentences for p in batch.prepared])
        return batch

    def judge(self, batch: PreparedBatch) -> None:
        """The guard's classifier over an embedded batch: what it stops leaves the batch's prepared list. A
        message whose secrets were redacted is judged without the sentences that state them, and not at all
        when nothing else is left: a secret told in passing is never itself a reason to refuse ("My PIN is
        4821.")."""
        with WRITE_STAGE.labels("judge").time():
            self._judge(batch)

    def _judge(self, batch: PreparedBatch) -> None:
        redacted = [i for i, p in enumerate(batch.prepared) if p.screened.redacted and p.signals is not None]
        instead: dict[int, Judged | None] = {}
        if redacted and self.screening.guard.model is not None:
            remainders = {i: without_secrets(batch.prepared[i].text) for i in redacted}
            instead = {i: None for i, text in remainders.items() if not text}
            redacted = [i for i in redacted if remainders[i]]
            texts = [remainders[i] for i in redacted]
            docs = list(self.extractor.nlp.pipe(texts))
            vectors = self.embedder.encode_sentences([sentences(doc) for doc in docs])
            for i, text, doc, vector in zip(redacted, texts, docs, vectors, strict=True):
                prepared = batch.prepared[i]
                instead[i] = Judged(
                    prepared.message.role, vector, cues.signals(text, doc), prepared.extraction.states_facts
                )
        self.screening.judge(batch, instead)
