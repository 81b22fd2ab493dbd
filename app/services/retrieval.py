"""Hybrid retrieval: vectors + Lucene full-text + the graph neighbourhood, fused.

One round trip reads where the user's memories stand and what Lucene finds (ids and scores only); while
Neo4j answers it, the query is embedded, the cached memories scored and the candidates that meaning alone
gives gathered (the best memories, the closest conversations' best). When the user's memories are in
the in-process cache (`memory_cache`), that is all: vectors, filters, conversations, `NEXT` neighbours
and the hits' fields come from the cache. Otherwise Neo4j answers in
three more (candidates from its vector index or an exact scan, conversations, neighbours). Access is
recorded off the response path, in batches (`access`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
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
from app.nlp.kinds import expand_kinds
from app.nlp.models import Embedder
from app.services.access import AccessRecorder
from app.services.fusion import Candidate, Weights, fuse
from app.services.lucene import query_terms, scoped_query
from app.services.memory_cache import CacheState, Eligibility, Mask, MemoryCache, Scores, UserMemories
from app.services.timeframe import TimeFrame, time_frame, without_relative_time
from app.settings import Settings

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

    def candidate(self, memory: dict[str, Any], semantic: float, statuses: list[str], history: bool) -> Candidate:
        """A fusion candidate with its age, its closeness to the named moment, and whether all it asserts
        was superseded (unless the search asks for history)."""
        occurred_at = native(memory["occurred_at"])
        age: timedelta = self.as_of - occurred_at
        when = self.frame.closeness(occurred_at) if self.frame else 0.0
        superseded_only = not history and bool(statuses) and all(s == "superseded" for s in statuses)
        return Candidate(
            memory, semantic, age_days=age.total_seconds() / 86400, when=when, superseded_only=superseded_only
        )


@dataclass(frozen=True)
class _Plan:
    """One search, as decided before any round trip."""

    user_id: str
    options: SearchOptions
    moment: _Moment
    eligibility: Eligibility
    terms: list[str]
    #: words the query's kind words stand for (`expand_kinds`), searched with a lower weight
    related: list[str]
    tenant: str
    weights: Weights
    candidates: int
    sessions: int


@dataclass(frozen=True)
class _Signals:
    """The first round trip: where the user's memories stand, and what Lucene found."""

    state: CacheState
    total: int
    keyword: dict[str, float]
    entity: dict[str, float]
    sessions: dict[str, float]

    def found(self, mode: Mode) -> list[str]:
        """The memories Lucene found that join the candidates (entity matches only in hybrid search)."""
        return list(self.keyword | self.entity if mode == "hybrid" else self.keyword)


@dataclass(frozen=True)
class _Filtered:
    """A search's filter over a user's cached memories, and the version they were read at."""

    memories: UserMemories
    version: int
    eligible: Mask

    @classmethod
    def of(cls, plan: _Plan, memories: UserMemories) -> _Filtered:
        """Which of `memories` pass `plan`'s filters."""
        version = memories.version  # read first: a refresh that lands meanwhile makes `still_fits` false
        return cls(memories, version, memories.eligible(plan.eligibility))


@dataclass(frozen=True)
class _Scored:
    """A search's filter and cosines over a user's cached memories, and the version they were read at."""

    memories: UserMemories
    version: int
    query: npt.NDArray[np.float32]
    eligible: Mask
    scores: Scores

    @classmethod
    def of(
        cls, plan: _Plan, memories: UserMemories, query: npt.NDArray[np.float32], filtered: _Filtered | None = None
    ) -> _Scored:
        """Filter and score `memories` for `plan` (every eligible memory scores 0 in keyword search),
        reusing the filter `filtered` computed of the same memories earlier."""
        if filtered is None or filtered.memories is not memories:
            filtered = _Filtered.of(plan, memories)
        if plan.options.mode != "keyword":
            eligible, scores = memories.eligible_and_scores(query, plan.eligibility, filtered.eligible)
        else:
            eligible = filtered.eligible
            scores = Scores(np.where(eligible, np.float32(0.0), np.float32(-np.inf)))
        return cls(memories, filtered.version, query, eligible, scores)

    def still_fits(self, memories: UserMemories) -> bool:
        """Whether these are the memories the search ranks: not reloaded nor refreshed since."""
        return memories is self.memories and memories.version == self.version


@dataclass
class _Gathered:
    """A search's candidates from the cached memories, gathered while Neo4j answers the first round trip:
    the best by meaning, and the best memories of the conversations closest in meaning."""

    plan: _Plan
    scored: _Scored
    per_conversation: int
    candidates: dict[str, Candidate]
    #: conversation id -> cosine of the query with the conversation as a whole
    conversations: dict[str, float]

    @classmethod
    def of(cls, plan: _Plan, scored: _Scored, per_conversation: int) -> _Gathered:
        """What the scores alone tell, before Lucene's hits and the conversations it names."""
        gathered = cls(plan, scored, per_conversation, {}, {})
        memories = scored.memories
        if plan.options.mode != "keyword":
            for index, _ in memories.best(scored.scores, plan.candidates):
                gathered.add(index)
        if plan.sessions:
            gathered.add_conversations(
                memories.conversations(scored.query, scored.scores, plan.sessions, per_conversation, [])
            )
        return gathered

    def add(self, index: int) -> None:
        """Make a cached memory a candidate (once)."""
        memories = self.scored.memories
        record = memories.records[index]
        if record["id"] not in self.candidates:
            self.candidates[record["id"]] = self.plan.moment.candidate(
                record,
                float(self.scored.scores.values[index]),
                memories.fact_statuses[index],
                self.plan.options.include_history,
            )

    def add_conversations(self, conversations: list[tuple[str, float, list[tuple[int, float]]]]) -> None:
        """Conversations (id, cosine, their best memories) and their best memories as candidates."""
        for conversation_id, cosine, picks in conversations:
            self.conversations[conversation_id] = cosine
            for index, _ in picks:
                self.add(index)

    def admitted(self, indices: Iterable[int | None]) -> list[int]:
        """Those of `indices` the search may return, scored (a large user's are scored on demand).
        Memories another request's refresh appended after the scores are not part of this search."""
        eligible = self.scored.eligible
        kept = [i for i in indices if i is not None and i < len(eligible) and eligible[i]]
        self.scored.memories.fill(self.scored.scores, kept)
        return kept


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


def _add_signals(candidates: dict[str, Candidate], plan: _Plan, signals: _Signals, strength: dict[str, float]) -> None:
    """Lucene's scores and the conversations' strength, on candidates gathered by either path."""
    for memory_id, candidate in candidates.items():
        candidate.keyword_raw = signals.keyword.get(memory_id, 0.0)
        if plan.options.mode == "hybrid":
            candidate.entity_raw = signals.entity.get(memory_id, 0.0)
        candidate.session = strength.get(candidate.memory["conversation_id"], 0.0)


def _boost_neighbour(neighbour: Candidate, parent_strength: float, strength: dict[str, float]) -> None:
    """A conversation neighbour of a strong hit: half its parent's strength as its graph part, and its
    conversation's strength (a neighbour may not have been a candidate before)."""
    neighbour.session = strength.get(neighbour.memory["conversation_id"], 0.0)
    neighbour.neighbour_of = max(neighbour.neighbour_of, 0.5 * parent_strength)


def _parents(ranked: list[Candidate]) -> dict[str, float]:
    """The hits whose conversation neighbours join the candidates, with their strength relative to the
    best hit (a neighbour's graph part is half its parent's)."""
    parents = ranked[:NEIGHBOUR_PARENTS]
    top = parents[0].score or 1.0
    return {c.memory["id"]: c.score / top for c in parents}


class RetrievalService:
    """Search one user's memories."""

    def __init__(
        self,
        settings: Settings,
        repository: GraphRepository,
        embedder: Embedder,
        cache: MemoryCache,
        access: AccessRecorder,
    ) -> None:
        self.settings = settings
        self.repository = repository
        self.embedder = embedder
        self.cache = cache
        self.access = access
        self._first_trip = ThreadPoolExecutor(max_workers=8, thread_name_prefix="search-signals")
        self.weights = Weights(
            semantic=settings.weight_semantic,
            keyword=settings.weight_keyword,
            graph=settings.weight_graph,
            session=settings.weight_session,
            recency=settings.weight_recency,
            time=settings.weight_time,
            significance=settings.weight_significance,
            same_conversation_decay=settings.same_conversation_decay,
        )

    def close(self) -> None:
        """Stop the threads that run first round trips."""
        self._first_trip.shutdown(wait=True)

    def search(
        self, user_id: str, text: str, options: SearchOptions, embedding: list[float] | None = None
    ) -> list[SearchHit]:
        """The user's best memories for a query (or a precomputed embedding of it)."""
        plan = self._plan(user_id, text, options)
        # The first round trip needs only the words: Neo4j answers it while this thread embeds the query
        # and, when the user's memories are in the cache, scores them and gathers the candidates meaning
        # alone gives (checked against the round trip's version stamps afterwards, and done again in the
        # rare case the memories moved meanwhile). The filter goes first: its few numpy steps over every
        # memory took 0.5 ms alone and 3.5-5 ms at 100k memories once the round trip's thread was running,
        # each step waiting for the GIL.
        held = self.cache.peek(user_id)
        filtered = _Filtered.of(plan, held) if held is not None else None
        pending = self._first_trip.submit(self._signals, plan)
        if embedding is None:
            embedding = self.embedder.encode_one(text) if options.mode != "keyword" else [0.0] * self.embedder.dimension
        query = np.asarray(embedding, dtype=np.float32)
        per_conversation = self.settings.memories_per_session
        gathered = None
        if held is not None:
            gathered = _Gathered.of(plan, _Scored.of(plan, held, query, filtered), per_conversation)
        signals = pending.result()
        memories = self.cache.get(user_id, signals.state)
        if memories is not None:
            if gathered is None or not gathered.scored.still_fits(memories):
                gathered = _Gathered.of(plan, _Scored.of(plan, memories, query), per_conversation)
            ranked = self._rank_cached(plan, signals, gathered)
        else:
            ranked = self._rank_graph(plan, signals, embedding)
        hits = [self._hit(c) for c in ranked[: options.k]]
        if options.record_access and hits:
            self.access.record(user_id, [h.memory_id for h in hits])
        return hits

    def _plan(self, user_id: str, text: str, options: SearchOptions) -> _Plan:
        as_of = options.as_of or datetime.now(UTC)
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=UTC)
        moment = _Moment(as_of, time_frame(text, as_of))
        everyday = options.everyday_filters
        if everyday is None:
            everyday = not (asks_about_past(text) or moment.frame or options.include_history)
        since = options.since
        if everyday:
            window = datetime.fromtimestamp(as_of.timestamp() - self.settings.max_age_days * 86400, UTC)
            since = max(since, window) if since else window
        hybrid = options.mode == "hybrid"
        terms = query_terms(without_relative_time(text)) if options.mode != "semantic" else []
        related: list[str] = []
        if self.settings.kind_member_boost > 0:
            terms, related = expand_kinds(terms)
        return _Plan(
            user_id=user_id,
            options=options,
            moment=moment,
            eligibility=Eligibility(
                as_of=as_of,
                since=since,
                min_significance=self.settings.min_significance if everyday else 0.0,
                tiers=frozenset({"hot", "cold"} if options.include_cold or not everyday else {"hot"}),
                memory_types=frozenset(options.memory_types) if options.memory_types else None,
            ),
            terms=terms,
            related=related,
            tenant=tenant_token(user_id),
            weights=self._weights_for(options.mode),
            candidates=max(self.settings.fulltext_candidates, options.k * 5),
            sessions=self.settings.session_candidates if hybrid else 0,
        )

    def _signals(self, plan: _Plan) -> _Signals:
        terms, tenant = plan.terms, plan.tenant
        boost = self.settings.kind_member_boost

        def lucene(fields: list[str]) -> str:
            return scoped_query(tenant, fields, terms, plan.related, boost) if terms else ""

        row = self.repository.read_one(
            Query.SEARCH_SIGNALS,
            user_id=plan.user_id,
            has_keywords=bool(terms),
            lucene=lucene(["content"]),
            entity_lucene=lucene(["name", "aliases"]),
            session_lucene=lucene(["text"]),
            candidates=plan.candidates,
            sessions=plan.sessions,
        )
        assert row is not None  # the query always answers one row
        return _Signals(
            state=CacheState(
                version=int(row["vector_version"]),
                deletions=int(row["deleted_memories"]),
                generation=str(row["generation"]),
                memory_count=int(row["user_count"]),
            ),
            total=int(row["total_count"]),
            keyword={hit["id"]: float(hit["score"]) for hit in row["keyword"]},
            entity={hit["id"]: float(hit["score"]) for hit in row["entity"]},
            sessions={hit["conversation_id"]: float(hit["score"]) for hit in row["sessions"]},
        )

    def _weights_for(self, mode: Mode) -> Weights:
        if mode == "semantic":
            return Weights(semantic=1.0, keyword=0.0, graph=0.0, session=0.0, recency=0.0, time=0.0, significance=0.0)
        if mode == "keyword":
            return Weights(semantic=0.0, keyword=1.0, graph=0.0, session=0.0, recency=0.0, time=0.0, significance=0.0)
        return self.weights

    def _rank_cached(self, plan: _Plan, signals: _Signals, gathered: _Gathered) -> list[Candidate]:
        """Every step in process: the cache holds the user's vectors, filters and fields. Adds to what
        `_Gathered.of` found by meaning what Lucene found, then the hits' conversation neighbours."""
        memories, scored = gathered.scored.memories, gathered.scored
        strength: dict[str, float] = {}
        if plan.sessions:
            missing = [c for c in signals.sessions if c not in gathered.conversations]
            if missing:
                gathered.add_conversations(
                    memories.conversations(scored.query, scored.scores, 0, gathered.per_conversation, missing)
                )
            strength = _session_strength(gathered.conversations, signals.sessions, plan.weights)
        for index in gathered.admitted(memories.index(memory_id) for memory_id in signals.found(plan.options.mode)):
            gathered.add(index)
        candidates = gathered.candidates
        _add_signals(candidates, plan, signals, strength)
        ranked = fuse(list(candidates.values()), plan.weights)
        if plan.options.mode != "hybrid" or not ranked:
            return ranked
        parents = _parents(ranked)
        for parent_id, parent_strength in parents.items():
            parent = memories.index(parent_id)
            for index in gathered.admitted(memories.neighbours(parent) if parent is not None else []):
                gathered.add(index)
                _boost_neighbour(candidates[memories.records[index]["id"]], parent_strength, strength)
        return fuse(list(candidates.values()), plan.weights)

    def _rank_graph(self, plan: _Plan, signals: _Signals, embedding: list[float]) -> list[Candidate]:
        """Neo4j answers: the user's memories are not in the cache (not loaded yet, or the cache is off)."""
        options, eligibility = plan.options, plan.eligibility
        user_count = signals.state.memory_count
        if options.mode == "keyword":
            vector_source = "none"
        else:
            vector_source = "exact" if user_count <= self.settings.exact_scan_below else "index"
        # The index answers over all users: ask for enough that this user's share still fills the list.
        share = signals.total / user_count if user_count else 1.0
        vector_k = min(10_000, math.ceil(self.settings.vector_candidates * share * self.settings.vector_oversample))
        rows = self.repository.read_all(
            Query.SEARCH_CANDIDATES,
            user_id=plan.user_id,
            embedding=embedding,
            vector_source=vector_source,
            vector_k=vector_k,
            candidates=plan.candidates,
            found=signals.found(options.mode),
            as_of=eligibility.as_of,
            min_significance=eligibility.min_significance,
            since=eligibility.since,
            types=sorted(eligibility.memory_types) if eligibility.memory_types else None,
            tiers=sorted(eligibility.tiers),
        )
        history = options.include_history
        candidates = {
            r["memory"]["id"]: plan.moment.candidate(r["memory"], _cosine(r["semantic"]), r["fact_statuses"], history)
            for r in rows
        }
        strength: dict[str, float] = {}
        if plan.sessions and options.mode != "keyword":
            strength = self._graph_sessions(plan, signals, embedding, candidates)
        _add_signals(candidates, plan, signals, strength)
        ranked = fuse(list(candidates.values()), plan.weights)
        if options.mode != "hybrid" or not ranked:
            return ranked
        parents = _parents(ranked)
        rows = self.repository.read_all(
            Query.MEMORY_NEIGHBOURS,
            user_id=plan.user_id,
            ids=list(parents),
            embedding=embedding,
            as_of=eligibility.as_of,
        )
        for row in rows:
            memory = row["memory"]
            if not plan.eligibility.admits(memory):
                continue
            if memory["id"] not in candidates:
                candidates[memory["id"]] = plan.moment.candidate(
                    memory, _cosine(row["semantic"]), row["fact_statuses"], history
                )
            _boost_neighbour(candidates[memory["id"]], parents[row["parent_id"]], strength)
        return fuse(list(candidates.values()), plan.weights)

    def _graph_sessions(
        self, plan: _Plan, signals: _Signals, embedding: list[float], candidates: dict[str, Candidate]
    ) -> dict[str, float]:
        """Conversations as documents from Neo4j; adds the best memories of the best conversations to
        `candidates` and returns each conversation's strength."""
        rows = self.repository.read_all(
            Query.SESSION_CANDIDATES,
            user_id=plan.user_id,
            embedding=embedding,
            sessions=plan.sessions,
            keyword_sessions=list(signals.sessions),
            per_session=self.settings.memories_per_session,
            as_of=plan.eligibility.as_of,
        )
        for row in rows:
            memory = row["memory"]
            if memory["id"] not in candidates and plan.eligibility.admits(memory):
                candidates[memory["id"]] = plan.moment.candidate(
                    memory, _cosine(row["semantic"]), row["fact_statuses"], plan.options.include_history
                )
        semantic = {r["conversation_id"]: _cosine(r["session_semantic"]) for r in rows}
        return _session_strength(semantic, signals.sessions, plan.weights)

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
