"""Lucene query text for the full-text indexes: escaped terms, scoped to one tenant."""

from __future__ import annotations

import re

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


def scoped_query(tenant: str, fields: list[str], clauses: list[tuple[str, float]]) -> str:
    """`+tenant:T^0 +(f1:a f2:a f1:b ... f1:r^0.7 ...)`: any word in any field, each with its weight
    (`SearchPlan.clauses`), only the tenant's documents. The tenant clause weighs nothing: scored, it
    would add to every hit a constant that shrinks as other tenants' documents grow in number."""
    weighed = [(escape(word), f"^{boost:g}" if boost != 1.0 else "") for word, boost in clauses]
    alternatives = [f"{field}:{word}{weight}" for word, weight in weighed for field in fields]
    return f"+tenant:{escape(tenant)}^0 +({' '.join(alternatives)})"
