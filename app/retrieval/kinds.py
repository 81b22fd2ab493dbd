"""Words that name a kind of person or thing, and the words people use for its members.

A question names the kind ("how many siblings do I have?", "which doctors did I see?", "the sports
event"); the memories that answer it name the members ("I come from a family with 3 sisters", "my
dermatologist, Dr. Lee", "the charity soccer tournament").
Neither the embedding of a long message nor BM25 links the two, so a query's kind words are expanded
with their members' words for the keyword search. The family and pet words are the extraction's own
vocabulary, so what it reads as a relation the search finds by its kind.
"""

from __future__ import annotations

from collections import defaultdict

from app.vocabulary.kinds import EVENT_KINDS, KIN, OTHER_KINDS, SAME_EVENT_KIND, SAME_KIND
from app.vocabulary.people import FAMILY, PETS


def _family_kinds() -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for word, relation in FAMILY.items():
        if " " not in word:  # one Lucene term each
            members[relation].add(word)
    members["family"] = {word for relation in KIN for word in members[relation]}
    return dict(members)


#: kind word (singular) -> the words for its members
KINDS: dict[str, frozenset[str]] = {
    kind: frozenset(words)
    for kind, words in {
        **_family_kinds(),
        "pet": {pet for pet in PETS if " " not in pet},
        **OTHER_KINDS,
    }.items()
}


def _singular(word: str) -> str:
    if word in SAME_KIND or word in KINDS:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word.removesuffix("s")


def _event_kind(terms: list[str], index: int) -> frozenset[str] | None:
    """The members of the event kind whose "event" is `terms[index]`, if it is one."""
    if index == 0 or terms[index] not in {"event", "events"}:
        return None
    word = terms[index - 1]
    return EVENT_KINDS.get(SAME_EVENT_KIND.get(word, word))


def kind_members(terms: list[str]) -> list[str]:
    """The member words of every kind the query terms name, minus the terms themselves, sorted."""
    present = set(terms)
    expansion: set[str] = set()
    for index, term in enumerate(terms):
        word = _singular(term)
        members = KINDS.get(SAME_KIND.get(word, word)) or _event_kind(terms, index)
        if members:
            expansion |= members
            present.add(word)
    return sorted(expansion - present)


def expand_kinds(terms: list[str]) -> tuple[list[str], list[str]]:
    """The query terms to search, and the member words of the kinds they name (`kind_members`). An
    event kind's "event" is left out of the terms: its members stand in for it ("sports event" keeps
    `sports` and adds `tournament`, `race`...)."""
    kept = [term for index, term in enumerate(terms) if _event_kind(terms, index) is None]
    return kept, kind_members(terms)
