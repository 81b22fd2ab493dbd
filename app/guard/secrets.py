"""Secrets a user tells are never kept as memory text: they are replaced by a placeholder before storage.

Service keys and tokens are found by the patterns of detect-secrets' keyed plugins (AWS, GitHub, GitLab,
Slack, Stripe, OpenAI, JWT, private keys...), the maintained list of what such keys look like; its entropy
and keyword plugins are left out, being made for source code, where they flag every other word of prose.
Card numbers are digit runs that pass the Luhn check, account numbers IBANs that pass theirs, both by
python-stdnum. No maintained detector reads a password or PIN said in a sentence ("my password is ..."),
so that one rule is ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.plugins.base import RegexBasedDetector
from stdnum import iban, luhn

#: detect-secrets plugins made for code: they flag ordinary words and addresses in prose.
_CODE_ONLY = {"Base64 High Entropy String", "Hex High Entropy String", "Secret Keyword", "Public IP (ipv4)"}

_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_SAID = re.compile(
    r"\b(?P<what>password|passcode|passphrase|pin(?: code| number)?|security code|cvv|cvc)"
    r"(?:\s+(?:for|to|of|on)\s+[\w' ]{1,30}?)?\s*(?:is|was|=|:|-)\s*['\"]?(?P<value>[^\s'\",;]{2,63}[^\s'\",;.!?])",
    re.I,
)


@dataclass(frozen=True)
class Redaction:
    """The text with its secrets replaced, and what was found (one kind per secret)."""

    text: str
    found: tuple[str, ...] = ()


#: Every key those plugins know is one long run of such characters; prose without one is not scanned.
_LONG_TOKEN = re.compile(r"[\w+/=.:@-]{16,}|PRIVATE KEY|PuTTY")
#: A key runs on to the end of its token even where a plugin's pattern stops at a fixed length.
_TOKEN_TAIL = re.compile(r"[\w-]*")
_CLAUSE_END = re.compile(r"\s*(?:$|[.,;:!?)\n]|(?:and|but|so|lol)\b)", re.I)
_MANY_DIGITS = re.compile(r"\d[\d -]{11,}\d")
#: What `redact` puts in a secret's place: never itself a secret, so that a text redacted twice reads the
#: same as once.
PLACEHOLDER = re.compile(r"\s*\[redacted [a-z ]+\]")
#: Where one sentence ends and the next begins: near enough to tell the sentences that state a secret.
_SENTENCE_BREAK = re.compile(r"((?<=[.!?])\s+|\n+)")


@cache
def _keys() -> tuple[re.Pattern[str], ...]:
    plugins: dict[str, type] = get_mapping_from_secret_type_to_class()
    return tuple(
        pattern
        for secret_type, plugin in sorted(plugins.items())
        if secret_type not in _CODE_ONLY and issubclass(plugin, RegexBasedDetector)
        for pattern in plugin().denylist
    )


def _key_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for pattern in _keys():
        for match in pattern.finditer(text):
            tail = _TOKEN_TAIL.match(text, match.end())
            spans.append((match.start(), tail.end() if tail else match.end(), "api_key"))
    return spans


def _number_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if luhn.is_valid(digits) and len(set(digits)) > 1:
            spans.append((match.start(), match.end(), "card_number"))
    return spans + [(m.start(), m.end(), "account_number") for m in _IBAN.finditer(text) if iban.is_valid(m.group())]


def _said(text: str) -> list[tuple[int, int, str]]:
    """A password or PIN told in a sentence: a value with a digit or a sign, or a word that ends the clause
    ("my password is sunshine", not "my PIN is the same as ...")."""
    return [
        (m.start("value"), m.end("value"), m.group("what").lower().split()[0])
        for m in _SAID.finditer(text)
        if not m.group("value").isalpha() or _CLAUSE_END.match(text, m.end())
    ]


def _spans(text: str) -> list[tuple[int, int, str]]:
    spans = _said(text)
    if _LONG_TOKEN.search(text):
        spans += _key_spans(text)
    if _MANY_DIGITS.search(text):
        spans += _number_spans(text)
    held = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    return [span for span in spans if not any(start <= span[0] < end for start, end in held)]


def without_secrets(text: str) -> str:
    """`text` less the sentences that state a redacted secret ("My PIN is [redacted pin]. Call me soon!" →
    "Call me soon!"; "" when every sentence does): what the guard's classifier judges, so that a secret
    told in passing, and how it was told, is never itself a reason to refuse."""
    parts = _SENTENCE_BREAK.split(text)  # sentence, break, sentence, ...: the breaks kept as they were
    kept = (
        sentence + brk
        for sentence, brk in zip(parts[::2], [*parts[1::2], ""], strict=True)
        if not PLACEHOLDER.search(sentence)
    )
    return "".join(kept).strip()


def redact(text: str) -> Redaction:
    """`text` with every secret found replaced by `[redacted <kind>]`. Pure."""
    spans = sorted(_spans(text))
    if not spans:
        return Redaction(text)
    parts, found, end = [], [], 0
    for start, stop, kind in spans:
        if start < end:  # overlaps the one before (two patterns saw one key)
            continue
        parts += [text[end:start], f"[redacted {kind.replace('_', ' ')}]"]
        found.append(kind)
        end = stop
    parts.append(text[end:])
    return Redaction("".join(parts), tuple(found))
