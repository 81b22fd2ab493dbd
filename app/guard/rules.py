"""The guard's rules: the first, cheap layer of the write path.

They read the text folded (`app.nlp.text`: NFKC, invisible and control characters out), cap its length,
and refuse what is an attack by its form alone, whatever it says: text addressed as the system or the
assistant (chat-template markers), encoded payloads, and noise that carries nothing. What a message means
is the learned layer's to judge (`app.guard.classifier`). Secrets are redacted before anything else sees
the text, a refusal's quarantine included. Every refusal has a reason code.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import StrEnum

from app.guard.secrets import redact
from app.nlp.text import folded, written


class RefusalReason(StrEnum):
    """Why a message was refused (returned to the caller and counted)."""

    EMPTY = "empty"
    NOISE = "noise"
    ROLE_IMPERSONATION = "role_impersonation"
    ENCODED_PAYLOAD = "encoded_payload"


@dataclass(frozen=True)
class GuardResult:
    """The folded text that the write path reads, the refusal if there is one, and the written text that
    it keeps."""

    text: str
    refusal: RefusalReason | None = None
    detail: str | None = None
    truncated: bool = False
    #: the kinds of the secrets replaced in `text` (`app.guard.secrets`)
    redacted: tuple[str, ...] = ()
    #: the text as written (`app.nlp.text.written`), capped and redacted as `text` is; None: `text`
    written: str | None = None

    @property
    def kept(self) -> str:
        """The text to keep (memory, quarantine, ephemeral store) and give back."""
        return self.written if self.written is not None else self.text

    @property
    def accepted(self) -> bool:
        """True when the message may go on to the next stage."""
        return self.refusal is None


_ROLE_MARKERS = re.compile(
    r"(?:^|\n)\s*(?:system|assistant|developer)\s*:|<\|(?:im_start|im_end|system|endoftext)\|>|"
    r"\[/?(?:INST|SYS)\]|<</?SYS>>|^\s*#{2,}\s*(?:system|instruction)",
    re.I,
)

_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{32,}={0,2}")
_HEX_RUN = re.compile(r"\b(?:[0-9a-fA-F]{2}[\s:]?){24,}\b")
_ESCAPES = re.compile(r"(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|%[0-9a-fA-F]{2}){6,}")

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# Six consonants in a row: no English word has them ("strengths", "twelfths" have five), a keyboard mash
# does. Latin letters only, so that a script without these letters is never read as a mash.
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{6}", re.I)


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
    if len(words) > 1 or len(words[0]) < 6:
        return False
    # Keyboard mash: one "word" with a run of consonants, or one letter held down ("hahaha" is laughter).
    word = words[0]
    return _CONSONANT_RUN.search(word) is not None or len(set(word.lower())) == 1


def check(text: str, max_chars: int) -> GuardResult:
    """Run the rules on one message: its folded text (capped, secrets redacted), the refusal if there is
    one, and the written text, capped and redacted alike. Pure and deterministic."""
    as_written = written(text)
    clean = folded(as_written)
    if not clean:
        return GuardResult(text="", refusal=RefusalReason.EMPTY, detail="nothing left after normalisation")
    clean, truncated = _cap(clean, max_chars)
    redaction = redact(clean)
    clean, found = redaction.text, redaction.found
    kept = redact(_cap(as_written, max_chars)[0])
    # The written form is kept only where its redaction found the same secrets as the folded one's: a
    # secret that only folding reveals (full-width digits, a zero-width space inside) is redacted there.
    kept_text = kept.text if kept.found == found else clean

    def refused(reason: RefusalReason, detail: str) -> GuardResult:
        return GuardResult(clean, reason, detail, truncated, found, kept_text)

    if _ROLE_MARKERS.search(clean):
        return refused(RefusalReason.ROLE_IMPERSONATION, "text addressed as the system or assistant")
    encoded = any(_decodes_to_text(run) for run in _BASE64_RUN.findall(clean))
    if encoded or _HEX_RUN.search(clean) or _ESCAPES.search(clean):
        return refused(RefusalReason.ENCODED_PAYLOAD, "carries an encoded payload")
    if _is_noise(clean):
        return refused(RefusalReason.NOISE, "carries no words")
    return GuardResult(clean, truncated=truncated, redacted=found, written=kept_text)


def released(text: str) -> GuardResult:
    """A message an admin let out of quarantine: kept as it was held, read folded, not judged again."""
    return GuardResult(folded(text), written=text)
