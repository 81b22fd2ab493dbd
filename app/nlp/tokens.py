"""What the fact rules ask of the parse: a word's prepositional objects, its modifiers, its neighbours; and
whether a noun names a place, a workplace or a job, or one particular thing of the conversation."""

from __future__ import annotations

from typing import Any

from app.nlp.phrases import LIGHT_VERBS, noun_value
from app.vocabulary.facts import PART_WORDS, WORKPLACES
from app.vocabulary.people import JOBS

Token = Any

#: Determiners that make a thing one particular thing of the conversation ("I like the idea", "I love your
#: insights"): liking it is no standing preference. A name is particular anyway ("I like the Beatles").
_PARTICULAR = frozenset({"the", "this", "that", "these", "those", "your", "his", "her", "their", "its"})


def past_light(verb: Token) -> Token:
    """The activity a light verb carries ("go hiking" is hiking), so that what is joined to it is found."""
    nested = [c for c in verb.children if c.dep_ == "xcomp" and c.tag_.startswith("VB")]
    return nested[0] if verb.lower_ in LIGHT_VERBS and nested else verb


def particular(noun: Token) -> bool:
    """A thing of this conversation rather than a kind ("the idea", "your insights"), unless named."""
    if noun.tag_ in {"NNP", "NNPS"}:
        return False
    return any(c.dep_ in {"det", "poss"} and c.lower_ in _PARTICULAR for c in noun.children)


def is_workplace(noun: Token) -> bool:
    """A noun that can be where one works: a name, or an establishment ("a grocery store", "the hospital")."""
    named = noun.tag_ in {"NNP", "NNPS"} or noun.ent_type_ in {"ORG", "FAC", "GPE"}
    return named or names_any(noun_value(noun) or "", WORKPLACES)


def other_side(noun: Token) -> Token | None:
    """The other side of the copula a noun stands on ("my name is Omar", "Omar is my name")."""
    verb = noun.head
    if not verb.tag_.startswith("VB") or noun.dep_ not in {"nsubj", "attr"}:
        return None
    return next((c for c in verb.children if c.dep_ in {"attr", "acomp", "nsubj"} and c.i != noun.i), None)


def is_job(noun: Token) -> bool:
    before = beside(noun, -1)
    return noun.lower_ in JOBS or (before is not None and f"{before.lower_} {noun.lower_}" in JOBS)


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def is_place(noun: Token) -> bool:
    """A noun that names a place: a proper noun or a place the recogniser found, itself or what names it
    with it ("a tiny town in Iowa"), not any name deeper in its phrase ("the process of sorting my Japan
    photos")."""
    if _names_place(noun):
        return True
    named = [c for c in noun.children if c.dep_ in {"compound", "flat", "appos"}]
    named += [p for c in noun.children if c.dep_ == "prep" and c.lower_ in {"in", "of"} for p in c.children]
    # Beside a common noun, only a name the recogniser knows as a place ("the Seattle area", not "my
    # Facebook group "Book Lovers Unite"").
    return any(t.ent_type_ in _PLACE_LABELS for t in named)


def _names_place(token: Token) -> bool:
    return token.tag_ in {"NNP", "NNPS"} or token.ent_type_ in _PLACE_LABELS


def place_value(place: Token) -> str | None:
    """The named place: "a tiny town in Iowa" is Iowa."""
    if place.tag_ in {"NNP", "NNPS"} or place.ent_type_:
        return noun_value(place)
    named = [t for t in place.subtree if _names_place(t)]
    return noun_value(named[-1]) if named else None


def relative_object(verb: Token) -> list[Token]:
    """The noun a relative clause's verb is about: "cheese, which I hate", "the 5 cats I have" (not "a
    model that I like" or "any fragrances I like": one of them, not the kind)."""
    head = verb.head
    if verb.dep_ != "relcl" or not head.tag_.startswith("NN"):
        return []
    unspecific = any(c.dep_ == "det" and c.lower_ in {"a", "an", "any", "some", "no", "every"} for c in head.children)
    return [] if unspecific else [head]


def preps(token: Token) -> dict[str, Token]:
    """A word's prepositional objects by preposition, also those hung on its particle ("moved back to")."""
    heads = [token, *(c for c in token.children if c.dep_ in {"advmod", "prt"})]
    return {c.lower_: p for h in heads for c in h.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"}


def parts(noun: Token) -> list[Token]:
    """A noun and the nouns joined to it ("dogs and cats"); "a bit of Japanese" is Japanese."""
    if noun.lower_ in PART_WORDS and (of := preps(noun).get("of")) is not None:
        noun = of
    return [noun, *(c for c in noun.children if c.dep_ == "conj")]


def modifiers(noun: Token, words: frozenset[str] | dict[str, str] | set[str]) -> list[Token]:
    return [c for c in noun.children if c.dep_ in {"amod", "compound"} and c.lower_ in words]


def subtree_text(token: Token) -> str:
    return " ".join(t.text for t in token.subtree if not t.is_punct)


def beside(token: Token, offset: int) -> Token | None:
    """The token `offset` places away in its doc, or None past either end."""
    index = token.i + offset
    return token.doc[index] if 0 <= index < len(token.doc) else None


def names_any(value: str, words: frozenset[str]) -> bool:
    padded = f" {value.lower()} "
    return any(f" {word} " in padded for word in words)
