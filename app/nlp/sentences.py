"""A message's sentences, for sentence-level embeddings.

A long message often carries its fact in a side remark ("..., by the way, I just got a smoker"); one
vector for the whole message is dominated by its main topic. Each sentence gets its own vector, and a
memory matches a query as well as its best sentence does. Fragments ("Thanks!", "Oh.") are joined to the
sentence before them so that they never stand alone as a vector.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from spacy.language import Language

MIN_WORDS = 3


def sentences(doc: Any) -> list[str]:
    """The sentences of a parsed spaCy `Doc`, fragments of fewer than three words joined to a neighbour."""
    chunks: list[str] = []
    pending = ""
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        words = sum(1 for token in sent if not (token.is_punct or token.is_space))
        if words < MIN_WORDS:
            if chunks:
                chunks[-1] = f"{chunks[-1]} {text}"
            else:
                pending = f"{pending} {text}".strip()
            continue
        chunks.append(f"{pending} {text}".strip() if pending else text)
        pending = ""
    if pending:
        chunks.append(pending)
    return chunks or [doc.text.strip()]


@cache
def _sentencizer() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def presplit(text: str) -> list[str]:
    """`sentences` from punctuation alone, without a parse (spaCy's rule-based sentencizer, a small
    fraction of the parser's cost). It agrees with the parse for almost every chat message, so the write
    path embeds these while the parser runs and checks them against the parse (docs/performance.md)."""
    return sentences(_sentencizer()(text))


def warm_up() -> None:
    """Build the sentencizer at start-up, not on the first message."""
    _sentencizer()
