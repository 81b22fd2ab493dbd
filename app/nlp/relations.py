"""Relatives and pets a speaker calls theirs: which word of a relation a noun is ("sister", "dogs",
"sister-in-law"), the name it is given ("my sister Emma", "a son named Owen"), and what "my <relation>"
says: that they exist, by name where the message gives it, whatever the clause says of them."""

from __future__ import annotations

from typing import Any

from app.nlp.found import Found
from app.nlp.phrases import NOT_IN_A_VALUE
from app.nlp.tokens import beside, modifiers, other_side
from app.vocabulary.people import FAMILY, NAMED_ONLY, PETS

Token = Any

#: Words that make a relation word none of the speaker's now ("my future wife", "my ex-husband"), or the
#: speaker themselves ("I'm my own boss").
_NOT_NOW = frozenset({"future", "ex", "late", "former", "dream", "imaginary", "old", "dead", "deceased", "own"})


def relative_of_mine(owned: Token) -> list[Found]:
    """A relative or pet the speaker calls theirs, by name where the message gives it ("my sister Emma",
    "my dog Biscuit", "my cats name is leela"); a parent or grandparent only by name (everyone has one)."""
    relation_word, name = owned, name_of(owned)
    if owned.head.lower_ == "name" and owned.dep_ in {"compound", "poss"}:  # "my cats name is leela"
        other = other_side(owned.head)
        name = other.text if other is not None and other.is_alpha else None
    compound = next((c for c in owned.children if c.dep_ == "compound" and relation_of(c)), None)
    if compound is not None:  # "my dog Biscuit" parsed as Biscuit with the compound "dog"
        if (not a_name(owned) or compound.is_title) and owned.lower_ != "name":  # not "my Snake Plant"
            return []  # "my dog food", "my snake plant": the relation word only describes a thing
        relation_word, name = compound, owned.text if a_name(owned) else None
        if owned.lower_ == "name":
            other = other_side(owned)
            name = other.text if other is not None and other.is_alpha else None
    relation = relation_of(relation_word)
    if relation is None or modifiers(relation_word, _NOT_NOW) or modifiers(owned, _NOT_NOW):
        return []
    if relation_word.dep_ == "compound" and not a_name(relation_word.head) and relation_word.head.lower_ != "name":
        return []
    predicate, word = relation
    if predicate in NAMED_ONLY and name is None:
        return []
    if name is None:
        return [Found(predicate, relation_value(relation_word))]
    singular = word[:-1] if word.endswith("s") and word[:-1] in FAMILY.keys() | PETS else word
    return [Found(predicate, f"{singular} {name}", name=name, relation=singular)]


def relation_value(word: Token) -> str:
    """An unnamed relative or pet as said: the word with what counts or describes it ("two older brothers")."""
    words = [
        c
        for c in word.children
        if c.dep_ in {"nummod", "amod", "compound"} and c.i < word.i and c.lower_ not in NOT_IN_A_VALUE
    ]
    said = " ".join(t.text for t in sorted([*words, word], key=lambda t: t.i))
    return f"{said}-in-law" if in_law(word) else said


def relation_of(noun: Token) -> tuple[str, str] | None:
    """(predicate, the relation's word) of a noun naming family or a pet ("sister", "dogs", "pet cow"); a
    partner of something ("my tennis partner", "a language exchange partner") is none."""
    lower = noun.lower_
    singular = {"children": "child", "kids": "kid", "puppies": "puppy", "grandchildren": "grandchild"}.get(lower)
    singular = singular or (lower[:-1] if lower.endswith("s") and lower[:-1] in FAMILY.keys() | PETS else lower)
    if singular in FAMILY:
        if FAMILY[singular] == "partner" and any(c.dep_ == "compound" for c in noun.children):
            return None
        if in_law(noun):
            return "relative", f"{lower}-in-law"
        return FAMILY[singular], lower
    if singular in PETS or singular in {"pet", "pets"}:
        return "has_pet", lower
    return None


def in_law(noun: Token) -> bool:
    """ "sister-in-law": the relation word is only the start of another."""
    following = [beside(noun, i) for i in (1, 2, 3)]
    return [t.lower_ if t is not None else "" for t in following] == ["-", "in", "-"]


def name_of(noun: Token) -> str | None:
    """The name a relation word is given: "my sister Emma", "a son named Owen", "my dog, Biscuit"."""
    for child in noun.children:
        if child.dep_ in {"appos", "npadvmod"} and child.i > noun.i and a_name(child):
            return str(child.text)
        if child.dep_ == "acl" and child.lower_ in {"named", "called"}:
            name = next((g for g in child.children if g.dep_ in {"oprd", "dobj", "attr", "xcomp"}), None)
            if name is not None and name.is_alpha:
                return str(name.text)
    follower = beside(noun, 1)
    if follower is not None and a_name(follower) and follower.head.i == noun.i:
        return str(follower.text)
    return None


def a_name(token: Token) -> bool:
    """A token that can be a person's or pet's name: a capitalised proper noun, not part of a title, an
    organisation or a product (the podcast "My Brother, My Brother and Me", the book "The Power of Now")."""
    return bool(
        token.is_alpha
        and token.is_title
        and token.tag_ in {"NNP", "NNPS"}
        and token.ent_type_ not in {"WORK_OF_ART", "ORG", "PRODUCT", "EVENT", "FAC", "GPE", "LOC", "NORP"}
    )
