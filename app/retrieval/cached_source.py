"""Candidates from the in-process memory cache: every step in process, since the cache holds the user's
vectors, filters and fields.

The work that needs no Neo4j (the filter, the cosines, the best memories by meaning and by the query's
words, and the closest conversations' best) is done while Neo4j answers the first round trip, on the
memories as held then;
`ScoredMemories.still_fits` tells whether they are still the ones the search ranks once the round trip's
version stamps are in, and the work is done again in the rare case they moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from app.retrieval.cache.memory_scores import Scores
from app.retrieval.cache.user_memories import UserMemories
from app.retrieval.eligibility import Mask
from app.retrieval.fusion import Candidate
from app.retrieval.plan import SearchPlan
from app.retrieval.ranking import conversation_strength
from app.retrieval.signals import Signals

Conversations = list[tuple[str, float, list[tuple[int, float]]]]


@dataclass(frozen=True)
class FilteredMemories:
    """A search's filter over a user's cached memories, and the version they were read at."""

    memories: UserMemories
    version: int
    eligible: Mask

    @classmethod
    def of(cls, plan: SearchPlan, memories: UserMemories) -> FilteredMemories:
        """Which of `memories` pass `plan`'s filters."""
        version = memories.version  # read first: a refresh that lands meanwhile makes `still_fits` false
        return cls(memories, version, memories.eligible(plan.eligibility))


@dataclass(frozen=True)
class ScoredMemories:
    """A search's filter and cosines over a user's cached memories, and the version they were read at."""

    memories: UserMemories
    version: int
    query: npt.NDArray[np.float32]
    eligible: Mask
    scores: Scores

    @classmethod
    def of(
        cls,
        plan: SearchPlan,
        memories: UserMemories,
        query: npt.NDArray[np.float32],
        filtered: FilteredMemories | None = None,
    ) -> ScoredMemories:
        """Filter and score `memories` for `plan` (every eligible memory scores 0 in keyword search),
        reusing the filter `filtered` computed of the same memories earlier."""
        if filtered is None or filtered.memories is not memories:
            filtered = FilteredMemories.of(plan, memories)
        if plan.options.mode != "keyword":
            eligible, scores = memories.eligible_and_scores(
                query, plan.eligibility, filtered.eligible, plan.weights.message_share
            )
        else:
            eligible = filtered.eligible
            scores = Scores(np.where(eligible, np.float32(0.0), np.float32(-np.inf)))
        return cls(memories, filtered.version, query, eligible, scores)

    def still_fits(self, memories: UserMemories) -> bool:
        """Whether these are the memories the search ranks: not reloaded nor refreshed since."""
        return memories is self.memories and memories.version == self.version


@dataclass
class CachedSource:
    """A search's candidates from the cached memories. Built (`of`) from what the cache alone tells, while
    Neo4j answers the first round trip: the best by meaning, the best memories of the conversations
    closest in meaning, and the memories, conversations and entities the query's words find (by the
    user's own statistics); those hits, and the best memories of the conversations the words found, join
    the candidates after it (`candidates`)."""

    plan: SearchPlan
    scored: ScoredMemories
    per_conversation: int
    found: dict[str, Candidate]
    #: conversation id -> cosine of the query with the conversation as a whole
    conversations: dict[str, float]
    #: memory id -> BM25 of the query's words; conversation id -> the same over the conversation; memory
    #: id -> the best BM25 of an entity it mentions, over entities' names and aliases
    keyword: dict[str, float] = field(default_factory=dict)
    keyword_conversations: dict[str, float] = field(default_factory=dict)
    entity: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: SearchPlan, scored: ScoredMemories, per_conversation: int) -> CachedSource:
        """The candidates meaning gives and the words' hits, before Neo4j has answered."""
        source = cls(plan, scored, per_conversation, {}, {})
        memories = scored.memories
        if plan.terms:
            source.keyword, source.keyword_conversations, source.entity = memories.keyword_hits(
                plan.clauses, scored.eligible, plan.candidates, plan.conversations
            )
        if plan.options.mode != "keyword":
            for index, _ in memories.best(scored.scores, plan.candidates):
                source._add(index)
        if plan.conversations:
            source._add_conversations(
                memories.closest_conversations(scored.query, scored.scores, plan.conversations, per_conversation, [])
            )
        return source

    def keywords(self, signals: Signals) -> Signals:
        """The round trip's signals with the words' hits by the user's own statistics, not Lucene's."""
        return replace(signals, keyword=self.keyword, entity=self.entity, conversations=self.keyword_conversations)

    def candidates(self, plan: SearchPlan, signals: Signals) -> tuple[dict[str, Candidate], dict[str, float]]:
        """Adds the words' and the entities' hits, and the best memories of the conversations the words
        found."""
        memories, scored = self.scored.memories, self.scored
        strength: dict[str, float] = {}
        if plan.conversations:
            missing = [c for c in signals.conversations if c not in self.conversations]
            if missing:
                self._add_conversations(
                    memories.closest_conversations(scored.query, scored.scores, 0, self.per_conversation, missing)
                )
            strength = conversation_strength(self.conversations, signals.conversations, plan.weights)
        for index in self._admitted(memories.index(memory_id) for memory_id in signals.found(plan.options.mode)):
            self._add(index)
        return self.found, strength

    def neighbours(
        self, plan: SearchPlan, parents: dict[str, float], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """The cached timeline's neighbours of each parent."""
        memories = self.scored.memories
        for parent_id in parents:
            parent = memories.index(parent_id)
            for index in self._admitted(memories.neighbours(parent) if parent is not None else []):
                self._add(index)
                yield parent_id, memories.records[index]["id"]

    def successors(
        self, plan: SearchPlan, superseded: list[str], candidates: dict[str, Candidate]
    ) -> Iterator[tuple[str, str]]:
        """The cached successors of each superseded memory, down the chain while a successor was itself
        replaced since it was loaded."""
        memories = self.scored.memories
        for origin in superseded:
            seen, chain = {origin}, [origin]
            while chain:
                held = memories.index(chain.pop())
                for successor_id in memories.successors[held] if held is not None else ():
                    if successor_id in seen:
                        continue
                    seen.add(successor_id)
                    chain.append(successor_id)  # replaced in its turn since this memory was loaded?
                    for index in self._admitted([memories.index(successor_id)]):
                        self._add(index)
                        yield origin, successor_id

    def _add(self, index: int) -> None:
        """Make a cached memory a candidate (once)."""
        memories = self.scored.memories
        record = memories.records[index]
        if record["id"] not in self.found:
            self.found[record["id"]] = self.plan.candidate(
                record, float(self.scored.scores.values[index]), memories.facts[index]
            )

    def _add_conversations(self, conversations: Conversations) -> None:
        """Conversations (id, cosine, their best memories) and their best memories as candidates."""
        for conversation_id, cosine, picks in conversations:
            self.conversations[conversation_id] = cosine
            for index, _ in picks:
                self._add(index)

    def _admitted(self, indices: Iterable[int | None]) -> list[int]:
        """Those of `indices` the search may return, scored (a large user's are scored on demand).
        Memories another request's refresh appended after the scores are not part of this search."""
        eligible = self.scored.eligible
        kept = [i for i in indices if i is not None and i < len(eligible) and eligible[i]]
        self.scored.memories.fill(self.scored.scores, kept)
        return kept
