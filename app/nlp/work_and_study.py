"""The facts of work, study, marriage and having, each read from the thing a rule found: where a role is
held, what is studied, what "I have" says. Shared by the rules of what the speaker does and what is theirs
(`app.nlp.fact_rules`)."""

from __future__ import annotations

from typing import Any

from app.nlp.found import Found
from app.nlp.phrases import noun_value
from app.nlp.relations import name_of, relation_of, relation_value
from app.nlp.statements import Reading
from app.nlp.tokens import is_workplace, modifiers, names_any, particular, preps, subtree_text
from app.vocabulary.facts import ROLE_NOUNS, STUDY_NOUNS
from app.vocabulary.people import LINES_OF_WORK, NAMED_ONLY, SCHOOLS, STATUSES

Token = Any


def working(at: dict[str, Token], hedged: bool) -> list[Found]:
    """What working says: as what ("as a nurse") and where ("at a hospital", "in marketing")."""
    found = []
    if (role := at.get("as")) is not None and (value := noun_value(role)):
        found.append(Found("job", value, hedged))
        found += where(role, "works_at", Reading(hedged), {"at", "for", "in"})
    for prep in ("at", "for", "in"):
        if (place := at.get(prep)) is None or (value := noun_value(place)) is None:
            continue
        if prep == "in" and names_any(value, LINES_OF_WORK):
            return [*found, Found("job", value, hedged)]
        if is_workplace(place):
            return [*found, Found("works_at", value, hedged)]
    return found


def studying(lemma: str, objects: list[Token], at: dict[str, Token], hedged: bool) -> list[Found]:
    """What studying, majoring, attending or taking classes says the speaker studies."""
    schools = [p for w in ("at", "to", "in") if (p := at.get(w)) is not None and names_any(subtree_text(p), SCHOOLS)]
    if lemma == "major":
        things = [at["in"]] if "in" in at else []
    elif lemma in {"go", "attend"}:
        things = schools[:1] + [o for o in objects if names_any(subtree_text(o), SCHOOLS)]
    elif lemma == "take":  # "taking Japanese classes", "courses in data analysis", "classes at my school"
        courses = [o for o in objects if o.lower_ in STUDY_NOUNS]
        fields = [f for c in courses if (f := preps(c).get("in") or preps(c).get("on")) is not None]
        named = [c for c in courses if any(d.dep_ in {"compound", "amod"} for d in c.children)]
        things = schools[:1] or fields or named
    else:  # "I study chemistry", "learning Korean": a field, not "the ropes" or "some new tips"
        things = [o for o in objects if not particular(o) and not modifiers(o, {"new", "some"})] or schools[:1]
    return [Found("studies", v, hedged) for t in things if (v := noun_value(t)) is not None]


def union(lemma: str, objects: list[Token], hedged: bool) -> list[Found]:
    """What marrying, divorcing or getting engaged says of the speaker's relationship status."""
    if lemma == "marry":
        return [Found("relationship_status", "married", hedged)]
    state = next((o.lower_ for o in objects if o.lower_ in STATUSES), None)
    state = state or {"divorce": "divorced"}.get(lemma)
    return [Found("relationship_status", STATUSES[state], hedged)] if state else []


def my_work(job: Token, other: Token | None, hedged: bool) -> list[Found]:
    """ "my job is at a bookstore", "it agent is my job", "my job at a smoothie shop"."""
    places = [preps(job).get(w) for w in ("at", "in", "for")]
    places += [preps(job.head).get(w) for w in ("at", "in") if job.dep_ == "nsubj"]
    place = next((p for p in places if p is not None), None)
    if place is not None and (value := noun_value(place)):
        if names_any(value, LINES_OF_WORK):  # "my job in marketing"
            return [Found("job", value, hedged)]
        return [Found("works_at", value, hedged)] if is_workplace(place) else []
    if other is not None and (value := noun_value(other)):
        return [Found("job", value, hedged)]
    return []


def having(thing: Token, hedged: bool) -> list[Found]:
    """What "I have" something says: a relative, a pet, or where one works ("a job at a diner")."""
    if any(c.dep_ == "det" and c.lower_ in {"no", "any"} for c in thing.children) or thing.dep_ == "compound":
        return []
    if thing.lower_ in ROLE_NOUNS:
        return my_work(thing, None, hedged)
    relation = relation_of(thing)
    if relation is None or relation[0] in NAMED_ONLY:
        return []
    predicate, word = relation
    name = name_of(thing)
    value = f"{word} {name}" if name else relation_value(thing)
    return [Found(predicate, value, hedged, name, word if name else None)]


def where(noun: Token, predicate: str, said: Reading, preps: set[str]) -> list[Found]:
    """Where a role is held: "a teacher at a local school", "a student at Princeton" (not "for ten years")."""
    places = [p for c in noun.children if c.dep_ == "prep" and c.lower_ in preps for p in c.children]
    places = [p for p in places if p.dep_ == "pobj" and (predicate != "works_at" or is_workplace(p))]
    return [Found(predicate, v, said.hedged) for p in places if (v := noun_value(p))]
