"""Facts that change without forgetting: confidence rules, supersession and verification. Pure logic.

The write path reads the user's current facts for the predicates a message touches, `plan_facts` decides
in memory what happens to each new assertion, and the repository writes the plan in the same transaction.

Rules (documented in docs/design.md):
- Initial confidence by source: the user's direct statement 0.90, the user hedging 0.55, the
  companion's inference 0.40. Only a direct statement makes a fact current: a hedge or an inference is
  kept as a `candidate` (history, never what the service states).
- Functional predicates (one current value per subject) supersede; multi-valued ones accumulate, save
  that a value naming what a current one only mentioned replaces it ("sister Emma" after "sister"), and a
  value a current one already names adds nothing ("sister" after "sister Emma").
- Repeated evidence for the current value raises its confidence: c + (1 - c) * 0.5 * new, capped at 0.99.
- A conflicting assertion wins unless it is weaker evidence (lower initial confidence than the current
  fact's); the old fact's confidence is halved, its validity closed, status `superseded`, and the new
  fact points at it with SUPERSEDES. Weaker evidence is kept as a `candidate`, never current.
- A diet retires current likes it rules out (vegan: sushi, steak, cheese...), as a supersession too.
- High-stakes predicates (the user's name...): a conflict with a current fact of confidence >= 0.8
  does not update it; the new fact is `pending` and the answer carries a clarification question.
- A person's correction outranks anything said: the wrong fact is `retracted` (never so, unlike
  `superseded`: once so), and the value they give, if any, is current at the highest confidence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

from app.nlp.extraction import ExtractedFact, entity_key
from app.vocabulary.food import ANIMAL_PRODUCTS, FISH, MEAT

#: `refined`: a mention a later fact names ("sister", then "sister Emma"): not outdated, and not shown twice.
#: `retracted`: the user said it was never so; kept as history, never stated again.
FactStatus = Literal["current", "superseded", "refined", "candidate", "pending", "rejected", "retracted"]
#: What a person may take back ("that's wrong"); a pending fact is answered instead, the rest are past.
RETRACTABLE: frozenset[FactStatus] = frozenset({"current", "superseded", "refined", "candidate"})

INITIAL_CONFIDENCE = {"direct": 0.90, "hedged": 0.55, "inferred": 0.40}
MAX_CONFIDENCE = 0.99
SUPERSEDED_FACTOR = 0.5
VERIFY_ABOVE = 0.8

FUNCTIONAL_PREDICATES = frozenset(
    {"name", "lives_in", "from", "works_at", "job", "diet", "relationship_status", "age", "birthday"}
)
HIGH_STAKES_PREDICATES = frozenset({"name", "birthday"})

#: A new current value of (predicate, value) retires current `likes` whose value names one of these words.
INCOMPATIBLE_LIKES: dict[tuple[str, str], frozenset[str]] = {
    ("diet", "vegan"): MEAT | FISH | ANIMAL_PRODUCTS,
    ("diet", "vegetarian"): MEAT | FISH,
    ("diet", "pescatarian"): MEAT,
}


@dataclass
class StoredFact:
    """A fact as it stands in the graph (or as planned earlier in the same batch)."""

    id: str
    subject_key: str
    predicate: str
    value: str
    confidence: float
    status: FactStatus

    @property
    def value_key(self) -> str:
        """The value, normalised for comparison."""
        return entity_key(self.value)


@dataclass
class Supersession:
    """`new` SUPERSEDES `old`, with the old fact's confidence before and after."""

    new_id: str
    old_id: str
    reason: str
    old_confidence_before: float
    old_confidence_after: float


@dataclass
class Clarification:
    """A question for the companion to ask before a high-stakes fact changes."""

    pending_fact_id: str
    current_fact_id: str
    predicate: str
    current_value: str
    new_value: str
    question: str


@dataclass
class FactPlan:
    """What one message does to the user's facts."""

    created: list[tuple[StoredFact, ExtractedFact]] = field(default_factory=list)
    updated: list[StoredFact] = field(default_factory=list)
    asserted_ids: list[str] = field(default_factory=list)
    supersessions: list[Supersession] = field(default_factory=list)
    clarifications: list[Clarification] = field(default_factory=list)


def predicates_to_read(asserted: set[str]) -> list[str]:
    """The predicates whose standing facts a set of new assertions can affect (a diet touches `likes`)."""
    affected = set(asserted)
    if asserted & {predicate for predicate, _ in INCOMPATIBLE_LIKES}:
        affected.add("likes")
    return sorted(affected)


def _supersede(
    plan: FactPlan, new_id: str, old: StoredFact, reason: str, status: FactStatus = "superseded"
) -> StoredFact:
    """Retire `old` in favour of `new_id`: confidence lowered, status superseded (or `refined`), the edge
    planned."""
    before = old.confidence
    old.confidence = round(before * SUPERSEDED_FACTOR, 4)
    old.status = status
    plan.supersessions.append(Supersession(new_id, old.id, reason, before, old.confidence))
    return old


def _words(value_key: str) -> frozenset[str]:
    return frozenset(value_key.split())


def _names_any(value: str, words: frozenset[str]) -> bool:
    padded = f" {value} "
    return any(f" {word} " in padded for word in words)


def _question(predicate: str, current: str, new: str) -> str:
    if predicate == "name":
        return f"You told me your name is {current}; should I call you {new} now?"
    return f"You told me your {predicate.replace('_', ' ')} is {current}; has it changed to {new}?"


def plan_facts(
    existing: list[StoredFact],
    assertions: list[ExtractedFact],
    functional: frozenset[str] = FUNCTIONAL_PREDICATES,
    high_stakes: frozenset[str] = HIGH_STAKES_PREDICATES,
) -> FactPlan:
    """Decide, in order, what each assertion does given the facts that stand. `existing` is updated in place
    so that a batch's later messages see its earlier ones."""
    plan = FactPlan()
    touched: dict[str, StoredFact] = {}
    for assertion in assertions:
        strength = INITIAL_CONFIDENCE[assertion.modality]
        value_key = entity_key(assertion.value)
        same_slot = [
            f for f in existing if f.subject_key == assertion.subject_key and f.predicate == assertion.predicate
        ]
        current = [f for f in same_slot if f.status == "current"]
        match = None
        if assertion.predicate not in functional:  # of several values, one that names as much or more
            match = next((f for f in current if _words(value_key) <= _words(f.value_key)), None)
        if match is None:
            match = next(
                (
                    f
                    for f in same_slot
                    if f.value_key == value_key and f.status in {"current", "superseded", "candidate"}
                ),
                None,
            )

        if match is not None and match.status == "current":
            match.confidence = round(min(MAX_CONFIDENCE, match.confidence + (1 - match.confidence) * 0.5 * strength), 4)
            touched[match.id] = match
            plan.asserted_ids.append(match.id)
            continue

        if assertion.predicate in functional:
            conflicting = [f for f in current if f.value_key != value_key]
        else:  # a value that names what a current one only mentioned replaces it
            conflicting = [f for f in current if _words(f.value_key) < _words(value_key)]
        strongest = max((f.confidence for f in conflicting), default=0.0)
        if assertion.modality != "direct":
            status: FactStatus = "candidate"
        elif conflicting and assertion.predicate in high_stakes and strongest >= VERIFY_ABOVE:
            status = "pending"
        else:
            status = "current"

        # Evidence for an old (superseded) value makes a new current fact: history stays intact.
        fact = StoredFact(
            str(uuid.uuid4()), assertion.subject_key, assertion.predicate, assertion.value, strength, status
        )
        existing.append(fact)
        plan.created.append((fact, assertion))
        plan.asserted_ids.append(fact.id)
        if status == "pending":
            old = max(conflicting, key=lambda f: f.confidence)
            plan.clarifications.append(
                Clarification(
                    fact.id,
                    old.id,
                    assertion.predicate,
                    old.value,
                    assertion.value,
                    _question(assertion.predicate, old.value, assertion.value),
                )
            )
        elif status == "current":
            reason = "restated earlier value" if match is not None else "newer statement"
            retired: FactStatus = "superseded"
            if assertion.predicate not in functional:
                reason, retired = "named what it mentioned", "refined"
            ruled_out = INCOMPATIBLE_LIKES.get((assertion.predicate, value_key), frozenset())
            incompatible = [
                f
                for f in existing
                if f.status == "current" and f.predicate == "likes" and _names_any(f.value_key, ruled_out)
            ]
            for old in conflicting:
                touched[old.id] = _supersede(plan, fact.id, old, reason, retired)
            for old in incompatible:
                touched[old.id] = _supersede(
                    plan, fact.id, old, f"incompatible with {assertion.predicate}: {assertion.value}"
                )
    plan.updated = [f for f in touched.values() if all(f is not c for c, _ in plan.created)]
    return plan


def resolve_pending(pending: StoredFact, current: list[StoredFact], confirm: bool) -> FactPlan:
    """The user's answer to a clarification: confirm supersedes the current value, reject discards."""
    plan = FactPlan()
    if not confirm:
        pending.status = "rejected"
        plan.updated.append(pending)
        return plan
    pending.status = "current"
    pending.confidence = INITIAL_CONFIDENCE["direct"]
    plan.updated.append(pending)
    plan.updated += [_supersede(plan, pending.id, old, "confirmed by the user") for old in current]
    return plan


def plan_correction(fact: StoredFact, current: list[StoredFact], value: str | None) -> FactPlan:
    """The user's correction of `fact` ("that's wrong: I live in Bremen"), given the slot's `current`
    facts: `fact` is retracted and `value`, when given, becomes current, superseding it. A value the fact
    already has is the user standing behind it; one another current fact has, that fact's."""
    plan = FactPlan()
    value_key = entity_key(value) if value is not None else None
    if value_key == fact.value_key:
        fact.confidence = MAX_CONFIDENCE
        plan.updated.append(fact)
        return plan
    before = fact.confidence
    fact.status, fact.confidence = "retracted", 0.0
    plan.updated.append(fact)
    if value is None:
        return plan
    held = next((f for f in current if f.value_key == value_key and f.id != fact.id), None)
    if held is not None:
        held.confidence = MAX_CONFIDENCE
        plan.updated.append(held)
    else:
        held = StoredFact(str(uuid.uuid4()), fact.subject_key, fact.predicate, value, MAX_CONFIDENCE, "current")
        plan.created.append((held, ExtractedFact(fact.predicate, value, "direct", fact.subject_key)))
    plan.supersessions.append(Supersession(held.id, fact.id, "corrected by the user", before, 0.0))
    return plan
