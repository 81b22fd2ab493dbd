"""A fact as the rules read it from a message, before it is the speaker's or anyone's, and which of them
are kept: readable as words, each said once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """A fact read from a message: predicate, value, and how it was said; `name`, a person's or pet's
    name it gives (for the entity), with `relation` the word that relates it ("sister", "dog")."""

    predicate: str
    value: str
    hedged: bool = False
    name: str | None = None
    relation: str | None = None


def readable(fact: Found) -> bool:
    """A value a person can read as the thing itself: words, not a code or a cell of a pasted table."""
    if fact.predicate == "age":
        return True
    letters = sum(ch.isalpha() for ch in fact.value)
    return letters >= 2 and letters >= 0.6 * len(fact.value.replace(" ", ""))


def distinct(found: list[Found]) -> list[Found]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for fact in found:
        key = (fact.predicate, fact.value.lower())
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return kept
