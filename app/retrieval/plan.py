"""A search as decided before any round trip: when it is asked, which memories qualify, which words it
looks for, and how its parts are weighed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.clock import aware
from app.retrieval.cache.keywords import analyze
from app.retrieval.eligibility import Eligibility
from app.retrieval.fusion import Candidate, Weights
from app.retrieval.kinds import expand_kinds
from app.retrieval.lucene import query_terms
from app.retrieval.options import SearchOptions
from app.retrieval.rows import MemoryRow
from app.retrieval.timeframe import TimeFrame, names_a_moment, time_frame, without_relative_time
from app.settings import Settings
from app.vocabulary.facts import ASKED_BY
from app.vocabulary.patterns import any_of
from app.vocabulary.queries import ASKS_FOR_PAST

_ASKS_FOR_PAST = any_of(ASKS_FOR_PAST)
_ASKED_STEMS = {predicate: frozenset(analyze(" ".join(words))) for predicate, words in ASKED_BY.items()}


def asks_about_past(text: str) -> bool:
    """True when the query reaches back ("remember when", "last year", "used to")."""
    return bool(_ASKS_FOR_PAST.search(text))


def reaches_back(text: str) -> bool:
    """True when a query is not everyday: it asks about the past or names a moment ("10 days ago")."""
    return asks_about_past(text) or names_a_moment(text)


@dataclass(frozen=True)
class Moment:
    """When a search is asked (`as_of`) and the moment its query names, if any."""

    as_of: datetime
    frame: TimeFrame | None

    def candidate(
        self, memory: MemoryRow, semantic: float, superseded_only: bool, superseded: tuple[str, ...] = ()
    ) -> Candidate:
        """A fusion candidate with its age and its closeness to the named moment."""
        occurred_at = memory["occurred_at"]
        age: timedelta = self.as_of - occurred_at
        when = self.frame.closeness(occurred_at) if self.frame else 0.0
        return Candidate(
            memory,
            semantic,
            age_days=age.total_seconds() / 86400,
            when=when,
            superseded_only=superseded_only,
            superseded=superseded,
        )


def asked_predicates(text: str) -> frozenset[str]:
    """The kinds of fact a query names (`lives_in` for "where do I live now?"), by stems."""
    words = set(analyze(text))
    return frozenset(predicate for predicate, stems in _ASKED_STEMS.items() if words & stems)


#: The statuses of a fact that a memory no longer tells as so: replaced since, or taken back by the user.
NO_LONGER_SO = frozenset({"superseded", "retracted"})


def outdated(facts: list[tuple[str, str]], asked: frozenset[str]) -> bool:
    """Whether what a memory asserts was superseded, as far as the query asks: its facts of the kinds the
    query names, or all of them when it names none of theirs."""
    statuses = [status for predicate, status in facts if predicate in asked] or [status for _, status in facts]
    return bool(statuses) and all(status in NO_LONGER_SO for status in statuses)


@dataclass(frozen=True)
class SearchPlan:
    """One search, as decided before any round trip."""

    user_id: str
    options: SearchOptions
    moment: Moment
    eligibility: Eligibility
    terms: list[str]
    #: words the query's kind words stand for (`expand_kinds`), searched with a lower weight
    related: list[str]
    weights: Weights
    #: memories wanted from each of the vector and Lucene sides
    candidates: int
    #: conversations, as whole documents, whose best memories join the candidates (0: none)
    conversations: int
    #: the kinds of fact the query names (`asked_predicates`)
    asked: frozenset[str] = frozenset()

    def candidate(self, memory: MemoryRow, semantic: float, facts: list[tuple[str, str]]) -> Candidate:
        """A memory as a fusion candidate; one whose facts the query asks about were superseded ranks lower
        (unless the search asks for history)."""
        superseded = not self.options.include_history and outdated(facts, self.asked)
        replaced = tuple(sorted({predicate for predicate, status in facts if status in NO_LONGER_SO}))
        return self.moment.candidate(memory, semantic, superseded, replaced)

    @property
    def clauses(self) -> list[tuple[str, float]]:
        """The words a keyword search looks for, each with its weight: a kind's members count
        `kind_members` of a query word."""
        return [(term, 1.0) for term in self.terms] + [(word, self.weights.kind_members) for word in self.related]


def plan_search(settings: Settings, weights: Weights, user_id: str, text: str, options: SearchOptions) -> SearchPlan:
    """Decide the filters, words and weights of one search."""
    as_of = aware(options.as_of)
    moment = Moment(as_of, time_frame(text, as_of))
    everyday = options.everyday_filters
    if everyday is None:
        everyday = not (reaches_back(text) or options.include_history)
    terms = query_terms(without_relative_time(text)) if options.mode != "semantic" else []
    related: list[str] = []
    if weights.kind_members > 0:
        terms, related = expand_kinds(terms)
    return SearchPlan(
        user_id=user_id,
        options=options,
        moment=moment,
        eligibility=Eligibility(
            as_of=as_of,
            since=options.since,
            min_significance=options.min_significance,
            # An everyday search finds cold memories too, at a discount (`Weights.cold_factor`).
            tiers=frozenset({"hot", "cold"}),
            memory_types=frozenset(str(t) for t in options.memory_types) if options.memory_types else None,
        ),
        terms=terms,
        related=related,
        weights=_weights(weights, options, everyday),
        candidates=max(settings.fulltext_candidates, options.k * 5),
        conversations=settings.conversation_candidates if options.mode == "hybrid" else 0,
        asked=asked_predicates(text),
    )


def _weights(weights: Weights, options: SearchOptions, everyday: bool) -> Weights:
    """The weights of one search: reaching back unless everyday, cold counted in full when asked, the one
    part its mode names alone."""
    chosen = weights if everyday else weights.reaching_back()
    chosen = chosen.cold_in_full() if options.include_cold else chosen
    return chosen if options.mode == "hybrid" else chosen.alone(options.mode)
