"""Cues: surface patterns of attacks and of make-believe, read as features of the learned guard.

None of them decides anything on its own: "forget the previous instructions" is an attack to the assistant
and an anecdote about a boss. The classifier learns from labelled data how much each cue counts beside the
message's meaning (its embedding), so a cue's weight is measured, not guessed (docs/guard.md).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt

_YOU = r"(?:you|ya|u|the (?:assistant|ai|model|bot|companion))"
_INSTRUCTIONS = r"(?:instructions?|prompts?|rules|guidelines|directives|programming|messages|context)"

#: (name, pattern): the name is the feature's, and the reason an ephemeral verdict gives.
CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ignore_instructions",
        re.compile(
            rf"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|of|everything)\s+)*"
            rf"(?:(?:the|your|these|those)\s+)?(?:(?:previous|prior|above|earlier|preceding|system|original|"
            rf"initial)\s+{_INSTRUCTIONS}|(?:your|all)\s+{_INSTRUCTIONS})",
            re.I,
        ),
    ),
    (
        "reveal_prompt",
        re.compile(
            rf"\b(?:reveal|print|show|repeat|leak|tell me)\b[^.!?\n]{{0,30}}\b(?:system prompt|"
            rf"your {_INSTRUCTIONS}|hidden {_INSTRUCTIONS}|initial {_INSTRUCTIONS})",
            re.I,
        ),
    ),
    (
        "redefine_assistant",
        re.compile(
            rf"\b{_YOU} (?:are|r) now\b|\bact as (?:an? )?(?:unrestricted|unfiltered|jailbroken)|"
            r"\b(?:developer|god|dan|jailbreak) mode\b|\bdo anything now\b",
            re.I,
        ),
    ),
    ("new_instructions", re.compile(rf"\bnew {_INSTRUCTIONS}\s*:", re.I)),
    (
        "standing_rule",
        re.compile(
            rf"\bfrom now on\b[^.!?\n]{{0,30}}\b{_YOU}\b[^.!?\n]{{0,20}}\b(?:must|will|should|shall|"
            r"have to|are to|always|never)\b|"
            rf"\b(?:remember|memori[sz]e|note|store|save)\b[^.!?\n]{{0,20}}\bthat {_YOU}\b[^.!?\n]{{0,20}}"
            r"\b(?:must|should|will|shall|have to|are (?:not )?allowed|always|never)\b|"
            # a note addressed to the assistant, or a rule for every later answer ("whenever ..., always tell")
            r"\b(?:note|message|instructions?|reminder|memo)\s+(?:for|to)\s+(?:the\s+|my\s+|any\s+)?"
            r"(?:assistant|ai|model|bot|companion|chatbot|llm)s?\b|"
            r"\b(?:from now on|whenever|every time|each time|in (?:all )?future (?:conversations|sessions|chats))\b"
            r"[^.!?\n]{0,60}\b(?:always|never)\s+(?:recommend|tell|say|suggest|mention|answer|respond|reply|"
            r"promote|include|advise)\b",
            re.I,
        ),
    ),
    (
        "memory_write",
        re.compile(
            r"\b(?:update|overwrite|rewrite|edit|modify|wipe|erase)\b[^.!?\n]{0,15}\b(?:your|the)\s+"
            r"(?:long[- ]term\s+)?(?:memory|memories|knowledge)\b|"
            r"\b(?:store|save|add|write|insert)\b[^.!?\n]{0,25}\b(?:in|into|to)\s+(?:your|the)\s+"
            r"(?:long[- ]term\s+)?(?:memory|memories|database)\b[^.!?\n]{0,10}:",
            re.I,
        ),
    ),
    (
        "claimed_authority",
        re.compile(
            r"\b(?:the user|i) (?:is|am) (?:an? |the )?(?:admin|administrator|developer|owner|root|moderator)\b|"
            r"\b(?:admin|developer|system|root|moderator)\s+(?:override|access|command|mode|privileges?)\b",
            re.I,
        ),
    ),
    ("link", re.compile(r"\bhttps?://|\bwww\.\w|\]\(|<\s*(?:a|img|script|iframe)\b", re.I)),
    (
        "role_play",
        re.compile(
            r"\blet'?s (?:pretend|role-?play|act out|imagine)\b|\bpretend (?:that |to be |you'?re |you are |i'?m |"
            r"i am )|\b(?:role-?play|rp) (?:as|with me|scene)\b|\bin character\b|\*[a-z][^*\n]{2,60}\*|"
            r"\bplay(?:ing)? the (?:role|part) of\b|\byou(?:'ll| will)? be (?:my|the) (?:character|npc|villain|hero)\b",
            re.I,
        ),
    ),
    (
        "hypothetical",
        re.compile(
            r"\bwhat if (?:i|you|we) (?:were|was|had|could|did|lived)\b|\bhypothetically\b|"
            r"\b(?:suppose|imagine|say) (?:that )?(?:i|you|we) (?:were|was|had|could|lived|won)\b|"
            r"\bif i (?:were|was) (?:a|an|the|rich|famous|you)\b|\bin an? (?:alternate|parallel) (?:universe|world)\b|"
            r"\bthought experiment\b|\bjust (?:a|for) (?:hypothetical|the sake of argument)\b",
            re.I,
        ),
    ),
    (
        "game",
        re.compile(
            r"\blet'?s play (?:a )?(?:game|20 questions|truth or dare|would you rather|trivia|riddles?)\b|"
            r"\bwould you rather\b|\btwenty questions\b|\b20 questions\b|\bi spy\b|\btruth or dare\b",
            re.I,
        ),
    ),
)

#: The cues an ephemeral verdict may name as its reason, in order of preference.
FRAMING_CUES = ("game", "role_play", "hypothetical")
_SIGNS = re.compile(r"[{}<>\[\]|\\/=#$%^~`]")
_UPPER = re.compile(r"[A-Z]")
_YOUS = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_WORDS = re.compile(r"\w+")

NAMES = (*tuple(name for name, _ in CUES), "log_length", "signs", "capitals", "second_person", "lines")


def vector(text: str) -> npt.NDArray[np.float32]:
    """The cues as numbers, in the order of `NAMES`: each pattern 0 or 1, then the shape of the text
    (log length, shares of code-like signs and capitals, of second-person words, and lines)."""
    length = max(len(text), 1)
    words = max(len(_WORDS.findall(text)), 1)
    shape = [
        np.log1p(length) / 8.0,
        len(_SIGNS.findall(text)) / length * 10.0,
        len(_UPPER.findall(text)) / length * 5.0,
        len(_YOUS.findall(text)) / words * 5.0,
        np.log1p(text.count("\n")) / 4.0,
    ]
    return np.array([float(pattern.search(text) is not None) for _, pattern in CUES] + shape, dtype=np.float32)


#: Cues of an attack (every cue but make-believe's), with their place in `CUES`.
_ATTACK = tuple((i, pattern) for i, (name, pattern) in enumerate(CUES) if name not in FRAMING_CUES)
PARSE_NAMES = (
    "imperative",
    "you_subject",
    "i_subject",
    "past",
    "attack_cue_addressed",
    "attack_cue_reported",
)
_SUBJECTS = {"nsubj", "nsubjpass", "expl"}


def parse_vector(doc: Any, cued: list[re.Pattern[str]] | None = None) -> npt.NDArray[np.float32]:
    """Signals of the parse, in the order of `PARSE_NAMES`: the shares of sentences that are commands (a
    base-form root verb without a subject), whose subject is "you", or "I"/"we", whose root is in the past;
    and whether an attack cue sits in a command or a sentence to "you" (addressed to the assistant) or in
    one told in the past or of oneself ("my boss told me to forget the previous instructions")."""
    sents = [s for s in doc.sents if s.text.strip()]
    if not sents:
        return np.zeros(len(PARSE_NAMES), dtype=np.float32)
    # The attack cues the whole text shows (most show none: then no sentence needs reading for one).
    if cued is None:
        cued = [pattern for _, pattern in _ATTACK if pattern.search(doc.text)]
    imperative = you = me = past = addressed = reported = 0
    for sent in sents:
        root = sent.root
        subjects = [t.lower_ for t in sent if t.dep_ in _SUBJECTS]
        command = root.tag_ == "VB" and not any(c.dep_ in _SUBJECTS for c in root.children)
        to_you = any(s in {"you", "u", "ya"} for s in subjects)
        of_me = any(s in {"i", "we"} for s in subjects)
        told = root.tag_ in {"VBD", "VBN"}
        imperative += command
        you += to_you
        me += of_me
        past += told
        if cued and any(pattern.search(sent.text) for pattern in cued):
            addressed |= command or to_you
            reported |= (told or of_me) and not command
    n = len(sents)
    return np.array([imperative / n, you / n, me / n, past / n, addressed, reported], dtype=np.float32)


#: Every signal of a message, in the order `signals` gives them.
SIGNAL_NAMES = (*NAMES, *PARSE_NAMES)


def signals(text: str, doc: Any) -> npt.NDArray[np.float32]:
    """The cues and the parse's signals of one message (`doc` its parse), each pattern searched once:
    `vector(text)` and `parse_vector(doc)` side by side."""
    surface = vector(text)
    cued = [pattern for i, pattern in _ATTACK if surface[i]]
    return np.concatenate([surface, parse_vector(doc, cued)])


def framing_reason(row: npt.NDArray[np.float32]) -> str | None:
    """The make-believe cue that `signals` found, by `FRAMING_CUES` preference, if any."""
    shown = {name for (name, _), value in zip(CUES, row, strict=False) if value}
    return next((name for name in FRAMING_CUES if name in shown), None)
