"""Significance and memory type: deterministic rules, no model.

Significance is additive and capped at 1.0 (the seeds' scheme): each rule that fires adds its weight.
The table `RULES` is the documentation (the README prints it); filler such as "ok" or "hmm" scores 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.nlp.extraction import FAMILY, PETS, Extraction


class MemoryType(StrEnum):
    """The seeds' four kinds of memory."""

    CONVERSATION = "conversation"
    OBSERVATION = "observation"
    EVENT = "event"
    RELATIONSHIP = "relationship"


_FILLER = {
    "ok",
    "okay",
    "k",
    "kk",
    "hmm",
    "hm",
    "mm",
    "mhm",
    "uh",
    "um",
    "lol",
    "lmao",
    "haha",
    "hah",
    "yeah",
    "yes",
    "yep",
    "yup",
    "no",
    "nope",
    "nah",
    "sure",
    "cool",
    "nice",
    "thanks",
    "thank",
    "thx",
    "ty",
    "you",
    "alright",
    "right",
    "oh",
    "ah",
    "wow",
    "great",
    "good",
    "fine",
    "idk",
    "hi",
    "hello",
    "hey",
    "bye",
    "night",
    "gn",
    "so",
    "well",
    "got",
    "it",
    "i",
    "see",
    "true",
    "agreed",
    "same",
    "totally",
    "really",
    "omg",
    "yay",
    "oops",
}
_EMOTION = re.compile(
    r"\b(?:love[ds]?|loving|hate[ds]?|sad|happy|happier|anxious|anxiety|scared|afraid|terrified|excited|"
    r"miss(?:ed|ing)?|worried|worry|angry|mad|upset|proud|lonely|alone|grateful|thankful|stressed|"
    r"depressed|heartbroken|devastated|thrilled|overwhelmed|nervous|hurt|cried|crying|furious|jealous|"
    r"ashamed|embarrassed|hopeful|relieved|joy|grief|grieving|frustrated|exhausted|disappointed)\b",
    re.I,
)
_COMMITMENT = re.compile(
    r"\b(?:I'll|I will|I'm going to|I am going to|I plan to|I'm planning to|we'll|"
    r"I'm gonna|I have to|I need to|I intend to)\b",
    re.I,
)
_PROMISE = re.compile(r"\b(?:promise[ds]?|swear|vow(?:ed)?|commit(?:ted)?)\b", re.I)
_PERSONAL = re.compile(
    r"\b(?:my (?:name|job|work|birthday|age|home|family|health|diagnosis|doctor|therapist)|I(?:'m| am) "
    r"(?:a |an |from )|I live|I work|I was born|I grew up|I moved|I study|I've been diagnosed|I have (?:a|an|two|"
    r"three) )",
    re.I,
)
_TIME_WORDS = re.compile(
    r"\b(?:tomorrow|tonight|today|yesterday|next (?:week|month|year|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this (?:weekend|"
    r"evening|morning)|last (?:week|month|year|night)|ago)\b",
    re.I,
)
_PAST_EVENT = re.compile(
    r"\b(?:yesterday|last (?:week|month|year|night)|ago|went|happened|visited|"
    r"got (?:married|engaged|promoted|fired|hired)|graduated|passed away|died|"
    r"was born|broke up|moved)\b",
    re.I,
)
_RELATION_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, {*FAMILY, *PETS}), key=len, reverse=True)) + r")s?\b", re.I
)
_ABOUT_US = re.compile(
    r"\b(?:talking to you|you mean|i trust you|our (?:chats?|talks?|friendship)|"
    r"you(?:'re| are) (?:my|the best)|i (?:love|like|missed) you)\b",
    re.I,
)
_EXPERIENCE = re.compile(
    r"\b(?:I|we)(?:'ve| have)?\s+(?:just\s+|finally\s+|also\s+)?(?:went|visited|saw|met|bought|started|finished|"
    r"tried|made|got|took|watched|read|played|ran|cooked|baked|learned|learnt|adopted|joined|quit|lost|won|"
    r"travell?ed|hiked|climbed|wrote|painted|built|signed up|graduated|celebrated|spent|began|completed)\b",
    re.I,
)
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
)
_WEIGHTS = {rule.name: rule.weight for rule in RULES}


def is_filler(text: str) -> bool:
    """True when every word is conversational filler ("ok", "hmm", "lol", "thanks")."""
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    return not words or all(w in _FILLER for w in words)


def fired_rules(text: str, extraction: Extraction) -> list[str]:
    """Names of the rules that fire for a message."""
    if is_filler(text):
        return []
    words = [w for w in _WORD.findall(text) if w.lower() not in _FILLER]
    dated = extraction.has_date or bool(_TIME_WORDS.search(text))
    named = extraction.has_person or any(e.type in {"PERSON", "PET"} for e in extraction.entities)
    checks = {
        "content": len(words) >= 4,
        "commitment": bool(_COMMITMENT.search(text)),
        "promise": bool(_PROMISE.search(text)),
        "experience": bool(_EXPERIENCE.search(text)),
        "emotion": bool(_EMOTION.search(text)),
        "personal_fact": bool(_PERSONAL.search(text)),
        "extracted_fact": bool(extraction.facts),
        "name": named,
        "dated_plan": dated and bool(_COMMITMENT.search(text)),
        "date": dated,
        "relationship": bool(_RELATION_WORDS.search(text) or _ABOUT_US.search(text)),
    }
    return [rule.name for rule in RULES if checks[rule.name]]


def significance(text: str, extraction: Extraction) -> float:
    """Additive score of the fired rules, capped at 1.0, rounded for stable output."""
    return round(min(1.0, sum(_WEIGHTS[name] for name in fired_rules(text, extraction))), 3)


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
