"""Wiring: one driver, one set of models and the services built on them, per process.

The API's lifespan and the batch jobs build the same container, so both run the same code paths.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from app.background.access import AccessRecorder
from app.background.conversation_documents import ConversationDocuments
from app.decay.model import DecayParams
from app.decay.service import DecayService
from app.facts.service import FactsService
from app.graph.driver import create_driver
from app.graph.repository import GraphRepository
from app.graph.schema import apply_migrations, check_embedding_model
from app.guard.service import Guard
from app.keys.callers import Callers
from app.keys.limits import KeyRateLimiter
from app.keys.service import KeysService
from app.memories.revision import MemoryRevisions
from app.memories.service import MemoriesService
from app.nlp import sentences
from app.nlp.embedding import Embedder
from app.nlp.embedding_process import EmbeddingProcess
from app.nlp.extraction import Extractor
from app.nlp.spacy_pipeline import load_spacy, resolve_spacy_model
from app.quarantine.service import QuarantineService
from app.retrieval import timeframe
from app.retrieval.cache.loader import MemoryCache
from app.retrieval.cache.preselection import Preselection
from app.retrieval.context import ContextService
from app.retrieval.context_text import Relevance
from app.retrieval.service import RetrievalService
from app.settings import Settings
from app.typeahead.cache import ContextCache, EntryStore, LocalStore
from app.typeahead.redis_store import RedisStore
from app.typeahead.service import TypeaheadService
from app.users.service import UsersService
from app.write.analysis import Analysis
from app.write.ephemeral import EphemeralStore
from app.write.ingest import IngestService
from app.write.staged import Stages

log = logging.getLogger(__name__)


@dataclass
class Container:
    """Everything a request or a job needs, built once."""

    settings: Settings
    driver: Driver
    repository: GraphRepository
    embedder: Embedder
    nlp: Any
    spacy_model: str
    schema_version: int
    ephemeral: EphemeralStore
    ingest: IngestService
    stages: Stages
    users: UsersService
    memories: MemoriesService
    revisions: MemoryRevisions
    retrieval: RetrievalService
    memory_cache: MemoryCache
    access: AccessRecorder
    context: ContextService
    facts: FactsService
    keys: KeysService
    callers: Callers
    #: frames per type-ahead socket
    frame_limiter: KeyRateLimiter
    documents: ConversationDocuments
    decay: DecayService
    typeahead: TypeaheadService
    quarantine: QuarantineService
    _embedding_process: EmbeddingProcess | None = field(default=None, init=False)
    _starting: threading.Lock = field(default_factory=threading.Lock, init=False)

    def embedding_process(self, start: bool = True) -> EmbeddingProcess | None:
        """The embedding model in a child process, for batch jobs and batch requests: started on the
        first call that asks (`start`), then kept until `close`. None when not started, or switched off in
        settings."""
        with self._starting:  # two batch requests at once start one child
            if self._embedding_process is None and start and self.settings.batch_embedding_process:
                self._embedding_process = EmbeddingProcess(
                    self.settings, self.embedder, self.settings.batch_inference_threads
                )
        return self._embedding_process

    def close(self) -> None:
        """Finish background work and release the driver's connections."""
        self.stages.close()  # before the embedding child its chunks may be waiting on
        if self._embedding_process is not None:
            self._embedding_process.close()
        self.documents.close()
        self.keys.close()
        self.ingest.analysis.close()
        self.context.close()
        self.retrieval.close()
        self.access.close()
        self.memory_cache.close()
        self.repository.close()
        self.driver.close()


def build_container(settings: Settings) -> Container:
    """Connect, load the models, apply the schema (waiting for indexes); fail loudly if anything is off."""
    embedder = Embedder(settings)
    spacy_model = resolve_spacy_model(settings)
    nlp = load_spacy(settings)
    driver = create_driver(settings)
    try:
        version = apply_migrations(driver, settings.neo4j_database, embedder.dimension)
        check_embedding_model(driver, settings.neo4j_database, embedder.name, embedder.accepted_names)
    except Exception:
        driver.close()
        raise
    log.info(
        "schema at version %d; embedding %s (%d dims); spaCy %s",
        version,
        embedder.name,
        embedder.dimension,
        spacy_model,
    )
    repository = GraphRepository(driver, settings.neo4j_database)
    users = UsersService(repository)
    memory_cache = MemoryCache(
        repository,
        embedder.dimension,
        settings.memory_cache_mb,
        settings.memory_cache_sync_below,
        Preselection(settings.memory_cache_exact_below, settings.memory_cache_preselect_share),
    )
    access = AccessRecorder(repository)
    retrieval = RetrievalService(settings, repository, embedder, memory_cache, access)
    timeframe.warm_up()
    sentences.warm_up()
    documents = ConversationDocuments(repository)
    documents.start()
    ephemeral = EphemeralStore(settings.ephemeral_ttl_s, settings.ephemeral_max_items_per_conversation)
    guard = Guard.of_settings(settings, embedder.name)
    analysis = Analysis(settings, embedder, Extractor(nlp), ephemeral, guard)
    ingest = IngestService(settings, repository, analysis)
    memories = MemoriesService(repository, DecayParams.of(settings))
    context = ContextService(
        repository,
        retrieval,
        users,
        settings.context_token_budget,
        settings.fact_min_confidence,
        Relevance(settings.context_min_share, settings.context_min_semantic, settings.context_min_keyword),
    )
    entries: EntryStore = (
        RedisStore(settings.redis_url, settings.typeahead_ttl_s)
        if settings.redis_url
        else LocalStore(settings.typeahead_ttl_s, settings.typeahead_cache_entries)
    )
    keys = KeysService(repository, settings.api_key_cache_s)
    contexts = ContextCache(entries, settings.typeahead_ttl_s, settings.typeahead_reuse_cosine, settings.cosine_floor)
    return Container(
        settings=settings,
        driver=driver,
        repository=repository,
        embedder=embedder,
        nlp=nlp,
        spacy_model=spacy_model,
        schema_version=version,
        ephemeral=ephemeral,
        ingest=ingest,
        stages=Stages(ingest),
        users=users,
        memories=memories,
        revisions=MemoryRevisions(repository, analysis, memories),
        retrieval=retrieval,
        memory_cache=memory_cache,
        access=access,
        context=context,
        facts=FactsService(repository),
        keys=keys,
        callers=Callers(
            keys, KeyRateLimiter(settings.rate_limit_per_key or None, shared=settings.redis_url), settings.auth_enabled
        ),
        frame_limiter=KeyRateLimiter(settings.typeahead_frame_rate or None, of="this socket"),
        documents=documents,
        decay=DecayService(repository, DecayParams.of(settings), settings.decay_batch_memories, settings.decay_lease_s),
        typeahead=TypeaheadService(repository, embedder, context, ingest, contexts),
        quarantine=QuarantineService(repository, ingest),
    )
