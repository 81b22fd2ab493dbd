"""Lucene query text for the full-text indexes: escaped terms, scoped to one tenant."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from app.vocabulary.queries import ASKING_WORDS

_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9']*")
_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


def escape(term: str) -> str:
    """Backslash-escape Lucene's special characters in one term."""
    return _SPECIAL.sub(r"\\\1", term)


def query_terms(text: str, limit: int = 32) -> list[str]:
    """Lower-cased content words of a query, stop words and duplicates removed, in order."""
    seen: dict[str, None] = {}
    for raw in _TERM.findall(text.lower()):
        word = raw.removesuffix("'s").strip("'")
        if len(word) > 1 and word not in STOP_WORDS and word not in ASKING_WORDS:
            seen.setdefault(word, None)
    return list(seen)[:limit]


def scoped_query(tenant: str, fields: list[str], terms: list[str], related: Sequence[str], related_boost: float) -> str:
    """`+tenant:T +(f1:a f2:a f1:b ... f1:r^0.7 ...)`: any term in any field, only the tenant's documents;
    `related` words (a kind's members) count with `related_boost` of a query word's weight (the setting
    `kind_member_boost`)."""
    alternatives = [f"{field}:{escape(term)}" for term in terms for field in fields]
    alternatives += [f"{field}:{escape(term)}^{related_boost:g}" for term in related for field in fields]
    return f"+tenant:{escape(tenant)} +({' '.join(alternatives)})"
