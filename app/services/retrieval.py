"""Hybrid retrieval: Neo4j's vector index + Lucene full-text + the graph neighbourhood, fused.

Two round trips: candidates from every source in one query, then the conversation neighbours of the
strongest hits. Access is recorded off the response path.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.graph.tenant import tenant_token
from app.graph.values import native
from app.nlp.models import Embedder
from app.services.fusion import Candidate, Weights, fuse
from app.services.lucene import query_terms, scoped_query
from app.services.timeframe import TimeFrame, time_frame
from app.services.vector_cache import Eligibility, UserVectors, VectorCache, VectorState
from app.settings import Settings

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "semantic", "keyword"]

_ASKS_FOR_PAST = re.compile(
    r"\b(?:remember when|do you remember|back when|used to|years? ago|months? ago|last (?:year|summer|winter|"
    r"spring|autumn|fall|month|christmas)|when i was|a long time ago|in the past|previously|back then|"
    r"the first time|originally|history)\b",
    re.I,
)
NEIGHBOUR_PARENTS = 3


class SearchOptions(BaseModel):
    """What to search and which memories qualify."""

    k: int = Field(default=10, ge=1, le=100)
    as_of: datetime | None = None
    include_history: bool = False
    include_cold: bool = False
    everyday_filters: bool | None = Field(
        default=None,
        description="significance and age filters; default: on unless the query asks about the past",
    )
    memory_types: list[str] | None = None
    since: datetime | None = None
    mode: Mode = "hybrid"
    record_access: bool = True


class SearchHit(BaseModel):
    """One retrieved memory and why it ranked where it did."""

    memory_id: str
    message_id: str
    content: str
    occurred_at: datetime
    memory_type: str
    significance: float
    conversation_id: str
    role: str | None = None
    score: float
    parts: dict[str, float]


def asks_about_past(text: str) -> bool:
    """True when the query reaches back ("remember when", "last year", "used to")."""
    return bool(_ASKS_FOR_PAST.search(text))


def _cosine(neo4j_score: float) -> float:
    """Neo4j's vector scores are (1 + cosine) / 2; fusion works on the cosine."""
    return 2 * float(neo4j_score) - 1


@dataclass(frozen=True)
class _Moment:
    """When a search is asked (`as_of`) and the moment its query names, if any."""

    as_of: datetime
    frame: TimeFrame | None

    def candidate(self, memory: dict[str, Any], semantic: float = 0.0) -> Candidate:
        """A fusion candidate with its age and its closeness to the named moment."""
        occurred_at = native(memory["occurred_at"])
        age: timedelta = self.as_of - occurred_at
        when = self.frame.closeness(occurred_at) if self.frame else 0.0
        return Candidate(memory, semantic, age_days=age.total_seconds() / 86400, when=when)


def _session_strength(semantic: dict[str, float], keyword: dict[str, float], weights: Weights) -> dict[str, float]:
    """How well each conversation matches as a whole: the semantic/keyword blend of the fusion, over
    conversations as documents (cosine, and BM25 divided by the best conversation's)."""
    best_keyword = max(keyword.values(), default=0.0) or 1.0
    blend = weights.semantic + weights.keyword or 1.0
    return {
        conversation: (
            weights.semantic * max(0.0, semantic.get(conversation, 0.0))
            + weights.keyword * keyword.get(conversation, 0.0) / best_keyword
        )
        / blend
        for conversation in semantic.keys() | keyword.keys()
    }


class RetrievalService:
    """Search one user's memories."""

    def __init__(
        self, settings: Settings, repository: GraphRepository, embedder: Embedder, vectors: VectorCache
    ) -> None:
        self.settings = settings
        self.repository = repository
        self.embedder = embedder
        self.vectors = vectors
        self.weights = Weights(
            semantic=settings.weight_semantic,
            keyword=settings.weight_keyword,
            graph=settings.weight_graph,
            session=settings.weight_session,
            recency=settings.weight_recency,
            time=settings.weight_time,
            significance=settings.weight_significance,
        )
        self._toucher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="record-access")

    def close(self) -> None:
        """Finish recording access."""
        self._toucher.shutdown(wait=True)

    def search(
        self, user_id: str, text: str, options: SearchOptions, embedding: list[float] | None = None
    ) -> list[SearchHit]:
        """The user's best memories for a query (or a precomputed embedding of it)."""
        as_of = options.as_of or datetime.now(UTC)
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=UTC)
        if embedding is None:
            embedding = self.embedder.encode_one(text) if options.mode != "keyword" else [0.0] * self.embedder.dimension
        moment = _Moment(as_of, time_frame(text, as_of))
        everyday = options.everyday_filters
        if everyday is None:
            everyday = not (asks_about_past(text) or moment.frame or options.include_history)
        since = options.since
        if everyday:
            window = as_of.timestamp() - self.settings.max_age_days * 86400
            since = max(since, datetime.fromtimestamp(window, UTC)) if since else datetime.fromtimestamp(window, UTC)
        min_significance = self.settings.min_significance if everyday else 0.0
        tiers = ["hot", "cold"] if options.include_cold or not everyday else ["hot"]
        terms = query_terms(text)
        tenant = tenant_token(user_id)
        candidates_n = max(self.settings.fulltext_candidates, options.k * 5)

        weights = self._weights_for(options.mode)
        with_sessions = options.mode == "hybrid" and self.settings.session_candidates > 0

        counts = self.repository.read_one(Query.MEMORY_COUNTS, user_id=user_id)
        user_count = int(counts["user_count"]) if counts else 0
        total = int(counts["total_count"]) if counts else 0
        state = VectorState(
            version=int(counts["vector_version"]) if counts else 0,
            deletions=int(counts["deleted_memories"]) if counts else 0,
            generation=str(counts["generation"]) if counts else "",
            memory_count=user_count,
        )
        vectors = self.vectors.get(user_id, state) if options.mode != "keyword" else None
        given: dict[str, float] = {}
        session_strength: dict[str, float] | None = None
        if vectors is not None:
            vector_source = "given"
            query = np.asarray(embedding, dtype=np.float32)
            scores = vectors.score(query, Eligibility(as_of, since, min_significance))
            given = dict(vectors.best(scores, candidates_n))
            if with_sessions:
                session_strength = self._cached_sessions(user_id, tenant, vectors, query, scores, terms, weights, given)
        elif options.mode == "keyword":
            vector_source = "none"
        else:
            vector_source = "exact" if user_count <= self.settings.exact_scan_below else "index"
        # The index answers over all users: ask for enough that this user's share still fills the list.
        share = total / user_count if user_count else 1.0
        vector_k = min(10_000, math.ceil(self.settings.vector_candidates * share * self.settings.vector_oversample))

        rows = self.repository.read_all(
            Query.SEARCH_CANDIDATES,
            user_id=user_id,
            embedding=embedding,
            vector_source=vector_source,
            # Neo4j's vector scores are (1 + cosine) / 2: given ones are put on the same scale.
            given=[{"id": memory_id, "score": (1 + cosine) / 2} for memory_id, cosine in given.items()],
            vector_k=vector_k,
            candidates=candidates_n,
            has_keywords=bool(terms) and options.mode != "semantic",
            lucene=scoped_query(tenant, ["content"], terms) if terms else "",
            has_entities=bool(terms) and options.mode == "hybrid",
            entity_lucene=scoped_query(tenant, ["name", "aliases"], terms) if terms else "",
            as_of=as_of,
            min_significance=min_significance,
            since=since,
            types=options.memory_types,
            tiers=tiers,
        )
        candidates = [self._candidate(r["memory"], r["sources"], r["fact_statuses"], moment, options) for r in rows]
        if session_strength is not None:
            for candidate in candidates:
                candidate.session = session_strength.get(candidate.memory["conversation_id"], 0.0)
        ranked = fuse(candidates, weights)

        def admissible(memory: dict[str, Any]) -> bool:
            # The filters the candidate query applied, for memories the expansion steps bring in.
            return (
                (memory.get("tier") or "hot") in tiers
                and memory["significance"] >= min_significance
                and (since is None or native(memory["occurred_at"]) >= since)
                and (not options.memory_types or memory["memory_type"] in options.memory_types)
            )

        if with_sessions and session_strength is None:
            ranked = self._add_sessions(user_id, ranked, embedding, moment, terms, tenant, weights, admissible)
        if options.mode == "hybrid" and ranked:
            ranked = self._expand_neighbours(user_id, ranked, embedding, moment, weights, admissible)
        hits = [self._hit(c) for c in ranked[: options.k]]
        if options.record_access and hits:
            self._toucher.submit(self._touch, user_id, [h.memory_id for h in hits])
        return hits

    def _weights_for(self, mode: Mode) -> Weights:
        if mode == "semantic":
            return Weights(semantic=1.0, keyword=0.0, graph=0.0, session=0.0, recency=0.0, time=0.0, significance=0.0)
        if mode == "keyword":
            return Weights(semantic=0.0, keyword=1.0, graph=0.0, session=0.0, recency=0.0, time=0.0, significance=0.0)
        return self.weights

    @staticmethod
    def _candidate(
        memory: dict[str, Any],
        sources: list[dict[str, Any]],
        statuses: list[str],
        moment: _Moment,
        options: SearchOptions,
    ) -> Candidate:
        candidate = moment.candidate(memory)
        for source in sources:
            if source["source"] == "semantic":
                candidate.semantic = _cosine(source["score"])
            elif source["source"] == "keyword":
                candidate.keyword_raw = float(source["score"])
            elif source["source"] == "graph":
                candidate.entity_raw = float(source["score"])
        candidate.superseded_only = (
            not options.include_history and bool(statuses) and all(s == "superseded" for s in statuses)
        )
        return candidate

    def _cached_sessions(
        self,
        user_id: str,
        tenant: str,
        vectors: UserVectors,
        query: npt.NDArray[np.float32],
        scores: npt.NDArray[np.float32],
        terms: list[str],
        weights: Weights,
        given: dict[str, float],
    ) -> dict[str, float]:
        """The session signal from the vector cache (conversations by their summed vectors) and Lucene
        (conversations as documents); adds the best memories of those conversations to `given`."""
        keyword_sessions = {}
        if terms:
            rows = self.repository.read_all(
                Query.SESSION_KEYWORDS,
                user_id=user_id,
                lucene=scoped_query(tenant, ["text"], terms),
                sessions=self.settings.session_candidates,
            )
            keyword_sessions = {r["conversation_id"]: float(r["score"]) for r in rows}
        conversations = vectors.conversations(
            query, scores, self.settings.session_candidates, self.settings.memories_per_session, list(keyword_sessions)
        )
        for _, _, picks in conversations:
            for memory_id, cosine in picks:
                given.setdefault(memory_id, cosine)
        return _session_strength({c: cosine for c, cosine, _ in conversations}, keyword_sessions, weights)

    def _add_sessions(
        self,
        user_id: str,
        ranked: list[Candidate],
        embedding: list[float],
        moment: _Moment,
        terms: list[str],
        tenant: str,
        weights: Weights,
        admissible: Callable[[dict[str, Any]], bool],
    ) -> list[Candidate]:
        rows = self.repository.read_all(
            Query.SESSION_CANDIDATES,
            user_id=user_id,
            embedding=embedding,
            sessions=self.settings.session_candidates,
            has_keywords=bool(terms),
            lucene=scoped_query(tenant, ["text"], terms) if terms else "",
            per_session=self.settings.memories_per_session,
            as_of=moment.as_of,
        )
        if not rows:
            return ranked
        strength = _session_strength(
            {r["conversation_id"]: _cosine(r["session_semantic"]) for r in rows},
            {r["conversation_id"]: float(r["session_keyword"]) for r in rows},
            weights,
        )
        by_id = {c.memory["id"]: c for c in ranked}
        for row in rows:
            memory = row["memory"]
            if memory["id"] not in by_id and admissible(memory):
                candidate = moment.candidate(memory, _cosine(row["semantic"]))
                by_id[memory["id"]] = candidate
        for candidate in by_id.values():
            candidate.session = strength.get(candidate.memory["conversation_id"], 0.0)
        return fuse(list(by_id.values()), weights)

    def _expand_neighbours(
        self,
        user_id: str,
        ranked: list[Candidate],
        embedding: list[float],
        moment: _Moment,
        weights: Weights,
        admissible: Callable[[dict[str, Any]], bool],
    ) -> list[Candidate]:
        parents = ranked[:NEIGHBOUR_PARENTS]
        top = parents[0].score or 1.0
        strength = {c.memory["id"]: c.score / top for c in parents}
        by_id = {c.memory["id"]: c for c in ranked}
        rows = self.repository.read_all(
            Query.MEMORY_NEIGHBOURS, user_id=user_id, ids=list(strength), embedding=embedding, as_of=moment.as_of
        )
        for row in rows:
            memory = row["memory"]
            if not admissible(memory):
                continue
            candidate = by_id.get(memory["id"])
            if candidate is None:
                candidate = moment.candidate(memory, _cosine(row["semantic"]))
                by_id[memory["id"]] = candidate
            candidate.neighbour_of = max(candidate.neighbour_of, 0.5 * strength[row["parent_id"]])
        return fuse(list(by_id.values()), weights)

    @staticmethod
    def _hit(c: Candidate) -> SearchHit:
        m = c.memory
        return SearchHit(
            memory_id=m["id"],
            message_id=m["external_id"],
            content=m["content"],
            occurred_at=native(m["occurred_at"]),
            memory_type=m["memory_type"],
            significance=m["significance"],
            conversation_id=m["conversation_id"],
            role=m.get("role"),
            score=round(c.score, 4),
            parts=c.parts,
        )

    def _touch(self, user_id: str, ids: list[str]) -> None:
        try:
            self.repository.write_one(Query.MEMORIES_TOUCH, user_id=user_id, ids=ids, at=datetime.now(UTC))
        except Exception:  # recording access must never hurt retrieval; the next access records again
            log.warning("could not record access for %d memories", len(ids), exc_info=True)
