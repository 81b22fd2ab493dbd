"""The guard: the first stage of the write path.

It normalises the text, caps its length, and refuses what must never become a memory: prompt injection
(text that instructs the assistant or impersonates the system), memory poisoning ("from now on remember
that you must..."), encoded payloads, and noise that carries nothing. Every refusal has a reason code.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class RefusalReason(StrEnum):
    """Why a message was refused (returned to the caller and counted)."""

    EMPTY = "empty"
    NOISE = "noise"
    PROMPT_INJECTION = "prompt_injection"
    ROLE_IMPERSONATION = "role_impersonation"
    MEMORY_POISONING = "memory_poisoning"
    ENCODED_PAYLOAD = "encoded_payload"


@dataclass(frozen=True)
class GuardResult:
    """The normalised text, and the refusal if there is one."""

    text: str
    refusal: RefusalReason | None = None
    detail: str | None = None
    truncated: bool = False

    @property
    def accepted(self) -> bool:
        """True when the message may go on to the next stage."""
        return self.refusal is None


# Zero-width and bidi control characters hide instructions from people but not from models.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")

_YOU = r"(?:you|ya|u|the (?:assistant|ai|model|bot|companion))"
_INSTRUCTIONS = r"(?:instructions?|prompts?|rules|guidelines|directives|programming|messages|context)"

_INJECTION = [
    (
        re.compile(
            rf"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|of|everything)\s+)*"
            rf"(?:(?:the|your|these|those)\s+)?(?:(?:previous|prior|above|earlier|preceding|system|original|"
            rf"initial)\s+{_INSTRUCTIONS}|(?:your|all)\s+{_INSTRUCTIONS})",
            re.I,
        ),
        "asks to ignore earlier instructions",
    ),
    (
        re.compile(
            rf"\b(?:reveal|print|show|repeat|leak|tell me)\b[^.!?\n]{{0,30}}\b(?:system prompt|"
            rf"your {_INSTRUCTIONS}|hidden {_INSTRUCTIONS}|initial {_INSTRUCTIONS})",
            re.I,
        ),
        "asks for the system prompt",
    ),
    (
        re.compile(
            rf"\b{_YOU} (?:are|r) now\b|\bact as (?:an? )?(?:unrestricted|unfiltered|jailbroken)|"
            r"\b(?:developer|god|dan|jailbreak) mode\b|\bdo anything now\b",
            re.I,
        ),
        "tries to redefine the assistant",
    ),
    (re.compile(rf"\bnew {_INSTRUCTIONS}\s*:", re.I), "injects new instructions"),
]

_ROLE_MARKERS = re.compile(
    r"(?:^|\n)\s*(?:system|assistant|developer)\s*:|<\|(?:im_start|im_end|system|endoftext)\|>|"
    r"\[/?(?:INST|SYS)\]|<</?SYS>>|^\s*#{2,}\s*(?:system|instruction)",
    re.I,
)

_POISONING = [
    (
        re.compile(
            rf"\bfrom now on\b[^.!?\n]{{0,30}}\b{_YOU}\b[^.!?\n]{{0,20}}\b(?:must|will|should|shall|"
            r"have to|are to|always|never)\b",
            re.I,
        ),
        "tries to change the assistant's future behaviour",
    ),
    (
        re.compile(
            rf"\b(?:remember|memori[sz]e|note|store|save)\b[^.!?\n]{{0,20}}\bthat {_YOU}\b[^.!?\n]{{0,20}}"
            r"\b(?:must|should|will|shall|have to|are (?:not )?allowed|always|never)\b",
            re.I,
        ),
        "tries to store a rule for the assistant",
    ),
    (
        re.compile(
            r"\b(?:update|overwrite|rewrite|edit|modify|wipe|erase)\b[^.!?\n]{0,15}\b(?:your|the)\s+"
            r"(?:long[- ]term\s+)?(?:memory|memories|knowledge)\b",
            re.I,
        ),
        "tries to rewrite the memory directly",
    ),
    (
        re.compile(
            r"\b(?:store|save|add|write|insert)\b[^.!?\n]{0,25}\b(?:in|into|to)\s+(?:your|the)\s+"
            r"(?:long[- ]term\s+)?(?:memory|memories|database)\b[^.!?\n]{0,10}:",
            re.I,
        ),
        "dictates a memory to store",
    ),
    (
        re.compile(
            r"\b(?:the user|i) (?:is|am) (?:an? |the )?(?:admin|administrator|developer|owner|root)\b"
            rf"[^.!?\n]{{0,40}}\b(?:so|therefore|and)\b[^.!?\n]{{0,20}}\b{_YOU}\b",
            re.I,
        ),
        "claims privileges to instruct the assistant",
    ),
]

_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{32,}={0,2}")
_HEX_RUN = re.compile(r"\b(?:[0-9a-fA-F]{2}[\s:]?){24,}\b")
_ESCAPES = re.compile(r"(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|%[0-9a-fA-F]{2}){6,}")

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_VOWEL = re.compile(r"[aeiouy]", re.I)


def normalise(text: str) -> str:
    """NFKC, invisible characters removed, runs of spaces and blank lines collapsed, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def _cap(text: str, max_chars: int) -> tuple[str, bool]:
    if len(text) <= max_chars:
        return text, False
    cut = text[:max_chars]
    space = cut.rfind(" ")
    return (cut[:space] if space > max_chars * 0.8 else cut).rstrip(), True


def _decodes_to_text(run: str) -> bool:
    try:
        raw = base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    printable = sum(32 <= b < 127 for b in raw)
    return len(raw) >= 16 and printable / len(raw) > 0.9


def _is_noise(text: str) -> bool:
    words = _WORD.findall(text)
    if not words:
        return True  # punctuation, digits alone, emoji
    letters = "".join(words)
    # Keyboard mash: one long "word" that is almost all consonants, or one or two letters repeated.
    mash = len(_VOWEL.findall(letters)) / len(letters) < 0.2 or len(set(letters.lower())) <= 2
    return len(words) == 1 and len(letters) >= 6 and mash


def check(text: str, max_chars: int) -> GuardResult:
    """Run the guard on one message. Pure and deterministic."""
    clean = normalise(text)
    if not clean:
        return GuardResult(text="", refusal=RefusalReason.EMPTY, detail="nothing left after normalisation")
    clean, truncated = _cap(clean, max_chars)
    if _ROLE_MARKERS.search(clean):
        return GuardResult(clean, RefusalReason.ROLE_IMPERSONATION, "text addressed as the system or assistant")
    for pattern, detail in _INJECTION:
        if pattern.search(clean):
            return GuardResult(clean, RefusalReason.PROMPT_INJECTION, detail)
    for pattern, detail in _POISONING:
        if pattern.search(clean):
            return GuardResult(clean, RefusalReason.MEMORY_POISONING, detail)
    encoded = any(_decodes_to_text(run) for run in _BASE64_RUN.findall(clean))
    if encoded or _HEX_RUN.search(clean) or _ESCAPES.search(clean):
        return GuardResult(clean, RefusalReason.ENCODED_PAYLOAD, "carries an encoded payload")
    if _is_noise(clean):
        return GuardResult(clean, RefusalReason.NOISE, "carries no words")
    return GuardResult(clean, truncated=truncated)
