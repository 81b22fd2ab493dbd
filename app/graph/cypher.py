"""The one module that loads Cypher: every statement lives in `cypher/` as a `.cypher` file.

Queries are addressed by name through a `NamedQuery` enum, one per folder (`Query` for `cypher/queries`;
the measurement package has its own); a unit test checks that each enum and its folder agree. Schema
migrations are the ordered `cypher/schema/V<nnn>__<name>.cypher` files.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import LiteralString

CYPHER_DIR = Path(__file__).resolve().parent.parent.parent / "cypher"
QUERIES_DIR = CYPHER_DIR / "queries"
SCHEMA_DIR = CYPHER_DIR / "schema"
#: Saved queries for analysts in Neo4j Browser (not run by the service, checked by the tests).
BROWSER_DIR = CYPHER_DIR / "browser"

_MIGRATION_NAME = re.compile(r"^V(\d{3})__([a-z0-9_]+)\.cypher$")


class NamedQuery(StrEnum):
    """Names of the `.cypher` files of one folder (without the extension); subclasses say which folder."""

    @classmethod
    def folder(cls) -> Path:
        """The folder holding this enum's files."""
        raise NotImplementedError

    @property
    def path(self) -> Path:
        """The file of this query."""
        return self.folder() / f"{self.value}.cypher"


class Query(NamedQuery):
    """Names of the files in `cypher/queries/`: the service's own queries."""

    @classmethod
    def folder(cls) -> Path:
        """`cypher/queries/`."""
        return QUERIES_DIR

    SERVER_INFO = "server_info"
    INDEX_STATES = "index_states"
    VECTOR_INDEX_DIMENSION = "vector_index_dimension"
    EMBEDDING_SPACE_GET = "embedding_space_get"
    EMBEDDING_SPACE_SET = "embedding_space_set"
    MEMORIES_OTHER_MODEL = "memories_other_model"
    SCHEMA_VERSION = "schema_version"
    RECORD_MIGRATION = "record_migration"
    AWAIT_INDEXES = "await_indexes"
    DELETE_USER = "delete_user"
    MEMORIES_WRITE = "memories_write"
    FACTS_FOR_SLOTS = "facts_for_slots"
    FACTS_CREATE = "facts_create"
    FACTS_UPDATE = "facts_update"
    FACTS_SUPERSEDE = "facts_supersede"
    FACTS_ASSERT = "facts_assert"
    MEMORY_GET = "memory_get"
    MEMORIES_LIST = "memories_list"
    MEMORY_MENTIONS = "memory_mentions"
    MEMORY_REVISE = "memory_revise"
    CONVERSATION_MEMORIES = "conversation_memories"
    MEMORY_DELETE = "memory_delete"
    USER_UPSERT = "user_upsert"
    USER_GET = "user_get"
    COMPANION_UPSERT = "companion_upsert"
    COMPANION_GET = "companion_get"
    SEARCH_CANDIDATES = "search_candidates"
    MEMORY_NEIGHBOURS = "memory_neighbours"
    MEMORY_SUCCESSORS = "memory_successors"
    CONVERSATION_CANDIDATES = "conversation_candidates"
    MEMORIES_FOR_CACHE = "memories_for_cache"
    CONVERSATION_DOCUMENTS_REFRESH = "conversation_documents_refresh"
    MEMORIES_TOUCH = "memories_touch"
    SEARCH_SIGNALS = "search_signals"
    IDENTITY_FACTS = "identity_facts"
    FACTS_CURRENT = "facts_current"
    FACT_HISTORY = "fact_history"
    ENTITY_TIMELINE = "entity_timeline"
    FACT_GET = "fact_get"
    VECTOR_INDEX_DROP = "vector_index_drop"
    MEMORIES_TO_REEMBED = "memories_to_reembed"
    MEMORIES_SET_EMBEDDINGS = "memories_set_embeddings"
    MEMORIES_TO_PACK = "memories_to_pack"
    MEMORIES_SET_PACKED = "memories_set_packed"
    API_KEY_CREATE = "api_key_create"
    API_KEY_GET = "api_key_get"
    API_KEYS_LIST = "api_keys_list"
    API_KEY_REVOKE = "api_key_revoke"
    API_KEYS_TOUCH = "api_keys_touch"
    USER_EXPORT = "user_export"
    QUARANTINE_WRITE = "quarantine_write"
    QUARANTINE_LIST = "quarantine_list"
    QUARANTINE_GET = "quarantine_get"
    QUARANTINE_DELETE = "quarantine_delete"
    QUARANTINE_PURGE = "quarantine_purge"
    USER_STATE = "user_state"
    LEASE_ACQUIRE = "lease_acquire"
    LEASE_PROGRESS = "lease_progress"
    DECAY_USERS = "decay_users"
    DECAY_TOTALS = "decay_totals"
    DECAY_MEMORIES = "decay_memories"
    DECAY_TIERS_SET = "decay_tiers_set"
    DECAY_PURGE = "decay_purge"
    DECAY_RESTORE = "decay_restore"


@cache
def query(name: NamedQuery) -> LiteralString:
    """The text of a named query, read once.

    Typed `LiteralString` for the driver: the text comes from our own files, never from input, and
    values always go in as parameters.
    """
    return name.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Migration:
    """One versioned schema file, split into statements (schema commands run one per transaction)."""

    version: int
    name: str
    statements: tuple[LiteralString, ...]
    checksum: str


def split_statements(text: str) -> list[str]:
    """Split a schema file into statements on `;` at line ends, dropping `//` comment lines."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    parts = (part.strip().rstrip(";").strip() for part in "\n".join(lines).split(";\n"))
    return [part for part in parts if part]


@cache
def migrations() -> tuple[Migration, ...]:
    """Every schema migration, in version order."""
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.cypher")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: schema files are named V<nnn>__<snake_name>.cypher")
        text = path.read_text(encoding="utf-8")
        statements = tuple(split_statements(text))
        found.append(
            Migration(
                version=int(match.group(1)),
                name=match.group(2),
                statements=statements,
                checksum=hashlib.sha256(text.encode()).hexdigest()[:16],
            )
        )
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"schema versions must run 1..n without gaps, found {versions}")
    return tuple(found)
