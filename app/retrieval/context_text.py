"""What a context shows of a search, and the text a language model reads.

Of the search's hits it keeps those that matter now: what is relevant enough (a share of the best hit's
score, and some closeness of meaning or a word in common), one copy of what was said twice, and, unless the
query reaches back, nothing whose every fact has been replaced since. What is past is shown as past: a
memory that told something since replaced says what replaced it ("since then: lives in: Tokyo"), and one
that a later memory of the context speaks of the same thing as ("I've used my Fitbit for 6 months", then
"... for 9 months") says it is the earlier. Each fact is shown under whom it is about and each memory with
who said it, in time order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from app.facts.store import IdentityFact
from app.retrieval.cache.keywords import content_terms
from app.retrieval.options import SearchHit
from app.users.store import Companion

_WORD = re.compile(r"[^\W_]+")
#: Word sets at least this alike are one memory said twice ("I adopted a cat" and "i adopted a cat!").
SAME_TEXT = 0.9
#: Two memories of a context speak of the same thing when they share this many of the query's content
#: words (all of them, for a query of fewer).
SAME_THING_TERMS = 2
_ROLES = {"user": "the user", "companion": "you", "system": "system"}
#: The order facts are shown in: who someone is, where, what they do, who is around them, their ways.
_ORDER = (
    *("name", "age", "birthday", "lives_in", "from", "job", "works_at", "studies", "relationship_status"),
    *("partner", "child", "sibling", "parent", "grandparent", "relative", "friend", "has_pet", "diet", "speaks"),
    *("likes", "dislikes"),
)
_RANK = {predicate: i for i, predicate in enumerate(_ORDER)}


@dataclass(frozen=True)
class Relevance:
    """What a hit needs to be shown: a share of the best hit's score, and a cosine of meaning unless the
    query's words weigh in it (its keyword part, the best candidate's being 1)."""

    min_share: float
    min_semantic: float
    min_keyword: float = 0.0

    def admits(self, hit: SearchHit, best: float) -> bool:
        if hit.score < self.min_share * best:
            return False
        keyword = hit.parts.get("keyword", 0.0)
        return hit.parts.get("semantic", 0.0) >= self.min_semantic or (keyword > 0 and keyword >= self.min_keyword)


def approx_tokens(text: str) -> int:
    """A cheap token estimate (about 4 characters a token for English), no tokenizer needed."""
    return max(1, (len(text) + 3) // 4)


def chosen(hits: list[SearchHit], relevance: Relevance, reaches_back: bool) -> list[SearchHit]:
    """The hits a context shows, best first."""
    best = hits[0].score if hits else 0.0
    kept: list[SearchHit] = []
    seen: list[frozenset[str]] = []
    for hit in hits:
        if not relevance.admits(hit, best):
            continue
        if not reaches_back and hit.parts.get("confidence", 1.0) < 1.0:
            continue  # every fact it told, as far as the query asks, was replaced since
        words = frozenset(_WORD.findall(hit.content.lower()))
        if any(_alike(words, other) for other in seen):
            continue
        seen.append(words)
        kept.append(hit)
    return kept


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SAME_TEXT


def _facts_line(subject: str, facts: list[IdentityFact]) -> str:
    shown = "; ".join(f"{f.predicate.replace('_', ' ')}: {f.value}" for f in facts)
    return f"About {subject}: {shown}."


def _said_by(hit: SearchHit) -> str:
    return hit.speaker or _ROLES.get(hit.role or "user", hit.role or "the user")


def _line(memory: SearchHit, note: str) -> str:
    """'- 2023-05-08, the user: ...' (no name before a text that starts by naming who said it)."""
    said_by = _said_by(memory)
    who = "" if memory.speaker and memory.content.startswith(memory.speaker) else f" {said_by}:"
    return f"- {memory.occurred_at:%Y-%m-%d},{who} {memory.content}{note}"


def _since(hit: SearchHit, current: dict[str, list[str]]) -> str:
    """What replaced what a memory told ("since then: lives in: Tokyo")."""
    notes = [
        f"{predicate.replace('_', ' ')}: {', '.join(current[predicate])}"
        for predicate in hit.superseded
        if current.get(predicate)
    ]
    if not hit.superseded:
        return ""
    return f" (since then: {'; '.join(notes)})" if notes else " (since replaced)"


def earlier(memories: list[SearchHit], query: str) -> dict[str, datetime]:
    """The memories a later one of them speaks of the same thing as (sharing the query's content words,
    less the names of who speaks: two people named in every line of their log say nothing of what a line
    is about), each with the date of the latest such."""
    speakers = frozenset().union(*(content_terms(m.speaker) for m in memories if m.speaker))
    asked = content_terms(query) - speakers
    about = {m.memory_id: content_terms(m.content) & asked for m in memories}
    need = min(SAME_THING_TERMS, len(asked))
    later: dict[str, datetime] = {}
    for old in memories:
        for new in memories:
            same = about[old.memory_id] & about[new.memory_id]
            if need and new.occurred_at > old.occurred_at and len(same) >= need:
                later[old.memory_id] = max(later.get(old.memory_id, new.occurred_at), new.occurred_at)
    return later


def render(
    identity: list[IdentityFact], companion: Companion | None, memories: list[SearchHit], budget: int, query: str
) -> tuple[str, list[SearchHit]]:
    """Context text: persona, facts by whom they are about, then the memories that fit the budget (the
    best first), in time order; and those memories."""
    lines: list[str] = []
    if companion is not None and companion.persona:
        lines.append(f"You are {companion.name}. {companion.persona}".strip())
    by_subject: dict[str, list[IdentityFact]] = defaultdict(list)
    for fact in sorted(identity, key=lambda f: _RANK.get(f.predicate, len(_RANK))):
        by_subject["the user" if fact.subject == "self" else fact.subject_name].append(fact)
    lines += [_facts_line(subject, facts) for subject, facts in by_subject.items()]
    current: dict[str, list[str]] = defaultdict(list)
    for fact in identity:
        if fact.subject == "self":
            current[fact.predicate].append(fact.value)
    text = "\n".join(lines)
    shown: list[SearchHit] = []
    for memory in memories:
        trial = [*shown, memory]
        candidate = "\n".join([text, *_memory_lines(trial, current, query)]).strip()
        if approx_tokens(candidate) > budget:
            break
        shown = trial
    return "\n".join([text, *_memory_lines(shown, current, query)]).strip(), shown


def _memory_lines(memories: list[SearchHit], current: dict[str, list[str]], query: str) -> list[str]:
    if not memories:
        return []
    later = earlier(memories, query)
    lines = ["What you remember that matters now:"]
    for memory in sorted(memories, key=lambda m: m.occurred_at):
        note = _since(memory, current)
        if not note and memory.memory_id in later:
            note = f" (earlier; see {later[memory.memory_id]:%Y-%m-%d})"
        lines.append(_line(memory, note))
    return lines
