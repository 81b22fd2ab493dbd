"""How people ask a memory for something, rather than what they ask about.

Word lists as data: each names what the words mean, and the code that reads them says what it does
with them (docs/vocabulary.md says why each list is what it is)."""

from __future__ import annotations

#: Phrases (regular-expression fragments) by which a query reaches back in time, so that the everyday
#: filters (recent, significant) are lifted for it.
ASKS_FOR_PAST: tuple[str, ...] = (
    "remember when",
    "do you remember",
    "back when",
    "used to",
    "years? ago",
    "months? ago",
    "last (?:year|summer|winter|spring|autumn|fall|month|christmas)",
    "when i was",
    "a long time ago",
    "in the past",
    "previously",
    "back then",
    "the first time",
    "originally",
    "history",
)

#: Words of asking rather than of content, left out of the keyword search besides spaCy's stop words:
#: as keywords they match any memory that counts, tells or remembers anything.
ASKING_WORDS: frozenset[str] = frozenset(
    {
        "total",
        "number",
        "remember",
        "recall",
        "tell",
        "told",
        "mentioned",
        "mention",
        "said",
        "know",
        "like",
        "did",
        "does",
    }
)
