"""Significance and memory type: deterministic rules, no model.

Significance is additive and capped at 1.0 (the seeds' scheme): each rule that fires adds its weight.
The table `RULES` is the documentation (docs/design.md prints it); filler such as "ok" or "hmm" scores 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.memory_types import MemoryType
from app.nlp.extraction import Extraction
from app.vocabulary.chat import (
    ABOUT_US,
    EMOTIONS,
    EXPERIENCE_VERBS,
    FILLER,
    LIFE_EVENTS,
    PAST_EVENTS,
    PERSONAL_STATEMENTS,
    PROMISES,
    TIME_WORDS,
)
from app.vocabulary.patterns import any_of
from app.vocabulary.people import FAMILY, PETS

_EMOTION = any_of(EMOTIONS)
_PROMISE = any_of(PROMISES)
_PERSONAL = any_of(PERSONAL_STATEMENTS, whole_word_end=False)
_TIME_WORDS = any_of(TIME_WORDS)
_PAST_EVENT = any_of(PAST_EVENTS)
_RELATION_WORDS = any_of([rf"(?:{re.escape(word)})s?" for word in sorted({*FAMILY, *PETS}, key=len, reverse=True)])
_ABOUT_US = any_of(ABOUT_US)
_LIFE_EVENT = any_of(LIFE_EVENTS)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
#: The most a message that only asks the companion something scores, whatever else it fires.
QUESTION_CAP = 0.2
_EXPERIENCE = any_of([rf"(?:I|we)(?:'ve| have)?\s+(?:just\s+|finally\s+|also\s+)?(?:{'|'.join(EXPERIENCE_VERBS)})"])
_WORD = re.compile(r"[A-Za-z']+")


@dataclass(frozen=True)
class Rule:
    """One additive significance rule."""

    name: str
    weight: float
    description: str


RULES: tuple[Rule, ...] = (
    Rule("content", 0.10, "at least four words that are not filler"),
    Rule("commitment", 0.15, "a commitment: I'll, I will, I'm going to, I plan to..."),
    Rule("promise", 0.15, "an explicit promise or vow"),
    Rule("experience", 0.20, "something the user did or lived through (I went, we met, I started...)"),
    Rule("emotion", 0.20, "an emotion word (love, sad, anxious, proud, miss...)"),
    Rule("personal_fact", 0.25, "a statement about the user (my name, I live, I work, I'm a...)"),
    Rule("extracted_fact", 0.10, "at least one fact extracted"),
    Rule("name", 0.15, "a person's or pet's name"),
    Rule("dated_plan", 0.15, "a date or time together with a commitment"),
    Rule("date", 0.05, "a date or time"),
    Rule("relationship", 0.15, "family, partners, friends, pets, or the bond with the companion"),
    Rule("life_event", 0.50, "a turn in life: a move, a new job, a birth, a death, a break-up, a diagnosis"),
    Rule("question", 0.0, f"nothing but questions to the companion: the score is at most {QUESTION_CAP}"),
)
_WEIGHTS = {rule.name: rule.weight for rule in RULES}


def is_filler(text: str) -> bool:
    """True when every word is conversational filler ("ok", "hmm", "lol", "thanks")."""
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    return not words or all(w in FILLER for w in words)


def fired_rules(text: str, extraction: Extraction) -> list[str]:
    """Names of the rules that fire for a message."""
    if is_filler(text):
        return []
    words = [w for w in _WORD.findall(text) if w.lower() not in FILLER]
    dated = extraction.has_date or bool(_TIME_WORDS.search(text))
    named = extraction.has_person or any(e.type in {"PERSON", "PET"} for e in extraction.entities)
    checks = {
        "content": len(words) >= 4,
        "commitment": extraction.has_commitment,
        "promise": bool(_PROMISE.search(text)),
        "experience": bool(_EXPERIENCE.search(text)),
        "emotion": bool(_EMOTION.search(text)),
        "personal_fact": bool(_PERSONAL.search(text)),
        "extracted_fact": bool(extraction.facts),
        "name": named,
        "dated_plan": dated and extraction.has_commitment,
        "date": dated,
        "relationship": bool(_RELATION_WORDS.search(text) or _ABOUT_US.search(text)),
        "life_event": bool(_LIFE_EVENT.search(text)),
        "question": _only_questions(text),
    }
    return [rule.name for rule in RULES if checks[rule.name]]


def _only_questions(text: str) -> bool:
    """Every sentence of the message asks something."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    return bool(sentences) and all(s.endswith("?") for s in sentences)


def score_of(rules: list[str]) -> float:
    """Additive score of fired rules, capped at 1.0 (at `QUESTION_CAP` for questions), rounded for stable
    output."""
    cap = QUESTION_CAP if "question" in rules else 1.0
    return round(min(cap, sum(_WEIGHTS[name] for name in rules)), 3)


def significance(text: str, extraction: Extraction) -> float:
    """The significance of a message: the score of the rules it fires."""
    return score_of(fired_rules(text, extraction))


def memory_type(text: str, extraction: Extraction) -> MemoryType:
    """Relationship > event > observation > conversation, by what the message is about."""
    if any(f.predicate in set(FAMILY.values()) | {"has_pet"} for f in extraction.facts) or _ABOUT_US.search(text):
        return MemoryType.RELATIONSHIP
    if (extraction.has_date or _TIME_WORDS.search(text)) and (
        extraction.has_commitment or _PAST_EVENT.search(text) or any(f.predicate == "plan" for f in extraction.facts)
    ):
        return MemoryType.EVENT
    if extraction.facts or _PERSONAL.search(text):
        return MemoryType.OBSERVATION
    if _RELATION_WORDS.search(text):
        return MemoryType.RELATIONSHIP
    return MemoryType.CONVERSATION
