"""The value of a fact as a person would write it: the thing itself, from the parse, never a clause.

A noun's value is the noun with the words that name it with it (compounds, adjectives, numbers, proper
names: "hilton hotel", "marine biology", "two brothers", "portland maine"), no determiner or possessive;
an institution keeps its "of" ("university of michigan"). A verb's value (a liking: "I love to bake
cakes", "I enjoy hiking") is the verb as an activity with its object ("bake cakes", "hiking"), light verbs
skipped ("go fishing" is "fishing").
"""

from __future__ import annotations

from typing import Any

Token = Any

_NAMING = frozenset({"compound", "amod", "nummod", "nmod", "quantmod", "npadvmod", "poss"})
_AFTER = frozenset({"compound", "flat", "appos"})
#: Nouns that keep an "of" phrase as part of their name ("university of michigan").
_OF_NAMES = frozenset({"university", "college", "school", "institute", "academy", "bank", "department", "museum"})
#: Verbs that carry no activity of their own ("go fishing", "do yoga").
LIGHT_VERBS = frozenset(
    {"go", "goes", "going", "went", "do", "does", "doing", "get", "getting", "be", "being", "try", "trying"}
)
#: Words that refer back to something said before rather than name it.
_REFERRING = frozenset({"it", "that", "this", "these", "those", "them", "him", "her", "you", "one", "all", "what"})
#: Nouns too general to be a value ("the only thing I hate").
_GENERAL = frozenset(
    {"thing", "things", "stuff", "something", "anything", "everything", "lot", "kind", "way", "more", "idea", "ideas"}
    | {"much", "both", "lesson", "lessons", "one", "ones", "tips", "tricks", "technique", "techniques", "skill"}
    | {"skills", "ton", "tons", "bunch", "bit", "others"}
)
#: Verbs that are no pastime of their own ("I like to stay connected", "I love hearing about...").
_NOT_ACTIVITIES = frozenset(
    {"stay", "keep", "have", "has", "make", "take", "know", "see", "hear", "think", "feel", "find", "learn", "use"}
    | {"look", "help", "say", "tell", "ask", "need", "want", "come", "hearing", "seeing", "knowing", "having"}
    | {"getting", "making", "taking", "using", "finding", "thinking", "feeling", "learning", "looking"}
    | {"listen", "listening", "talk", "talking", "reflect", "reflecting", "spend", "spending", "staying"}
    | {"work", "working", "keeping"}
)
#: Words that say whose, how many or which of them, not what ("my other sister", "a few online courses").
NOT_IN_A_VALUE = frozenset(
    {"my", "our", "your", "his", "her", "their", "its", "own", "favorite", "favourite"}
    | {"few", "several", "many", "more", "other", "various", "multiple"}
)
MAX_WORDS = 5


def _words(token: Token) -> list[Token]:
    """The noun and the words that name it with it, in text order."""
    words = [token]
    for child in token.children:
        if child.dep_ in _NAMING and child.i < token.i and child.lower_ not in NOT_IN_A_VALUE:
            words += [w for w in _words(child) if w.lower_ not in NOT_IN_A_VALUE]
        elif child.dep_ in _AFTER and child.i > token.i:
            words += _words(child)
        elif child.dep_ == "case" and token.tag_ in {"NNP", "NNPS"}:  # "St. Mary's", "McDonald's"
            words.append(child)
        elif child.dep_ == "prep" and child.lower_ == "of" and token.lower_ in _OF_NAMES:
            words += [child, *(w for g in child.children if g.dep_ == "pobj" for w in _words(g))]
    return words


def noun_value(token: Token) -> str | None:
    """The value a noun names, or None when it only refers to something said before."""
    if token.lower_ in _REFERRING | _GENERAL or token.tag_ in {"PRP", "PRP$", "WP", "WDT"}:
        return None
    if any(c.dep_ == "det" and c.lower_ in _REFERRING for c in token.children):
        return None
    words = sorted({w.i: w for w in _words(token)}.values(), key=lambda w: w.i)
    kept = [w for w in words[-MAX_WORDS:] if not w.is_punct or w.dep_ == "case"]
    # Words as typed, one space between; a possessive stays on its word ("St. Mary's").
    text = "".join((w.text if w.dep_ == "case" or i == 0 else f" {w.text}") for i, w in enumerate(kept))
    return text.strip(" .,!?;:'\"") or None


def activity_value(verb: Token) -> str | None:
    """The value of a verb as an activity ("bake cakes", "hiking"), or None."""
    objects = [c for c in verb.children if c.dep_ in {"dobj", "xcomp"}]
    if verb.lower_ in LIGHT_VERBS:
        nested = next((c for c in objects if c.tag_.startswith("VB")), None)
        return activity_value(nested) if nested is not None else None
    thing = next((c for c in objects if c.dep_ == "dobj"), None)
    if thing is None:
        if verb.lower_ in _NOT_ACTIVITIES or any(c.dep_ == "ccomp" for c in verb.children):
            return None  # nor "imagining what life was like": its object is a clause
        # "experimenting with spices": an activity is named by what it is done with, where it says so
        about = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"), None)
        pobj = next((g for g in about.children if g.dep_ == "pobj"), None) if about is not None else None
        value = noun_value(pobj) if pobj is not None else None
        return f"{verb.lower_} {about.lower_} {value}" if about is not None and value else str(verb.lower_)
    if verb.lower_ in _NOT_ACTIVITIES:
        return None
    value = noun_value(thing)
    return f"{verb.lower_} {value}" if value else verb.lower_
