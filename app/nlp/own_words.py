"""Which words of a message are not its speaker's own statements: words in quotation marks ("Translate this
into emoji: "I love driving fast cars"", a title like "My Brother, My Brother and Me"), and material handed
over after a colon to be worked on ("Summarise this speech: My fellow ...", "Here is the text: ...").
What they say is someone else's, or no one's, and tells nothing about the speaker. Pure, over a parse.
"""

from __future__ import annotations

from typing import Any

from app.vocabulary.facts import TEXT_REQUESTS, WRITTEN_MATERIAL

_STRAIGHT = '"'
_OPENING = frozenset({"“", "«"})
_CLOSING = frozenset({"”", "»"})
#: Words that point at the material a noun of WRITTEN_MATERIAL names ("this speech", "the following").
_POINTERS = frozenset({"this", "these", "the", "following", "below", "my", "our"})


def others_words(doc: Any) -> set[int]:
    """Indexes of the tokens of `doc` that are quoted or handed-over material."""
    found: set[int] = set()
    inside = False
    for token in doc:
        text = token.text
        if text == _STRAIGHT or text in _OPENING or text in _CLOSING:
            inside = text in _OPENING or (text == _STRAIGHT and not inside)
            continue
        if inside:  # an opening quote never closed runs to the end: a pasted text
            found.add(token.i)
    for colon in (t for t in doc if t.text == ":"):
        if _introduces_material(doc[colon.sent.start : colon.i]):
            found.update(range(colon.i + 1, len(doc)))
            break
    return found


def _introduces_material(before: Any) -> bool:
    """The words before a colon hand over what follows: they name written material they point at ("this
    speech", "my response", "the following text") or ask for a text to be worked on ("Translate:")."""
    for token in before:
        pointed = any(c.lower_ in _POINTERS for c in token.children)
        if token.lower_ in WRITTEN_MATERIAL and token.tag_.startswith("NN") and pointed:
            return True
        # An imperative: the base form (its own lemma) heading the sentence, with no subject.
        if token.dep_ == "ROOT" and token.tag_ == "VB" and token.lower_ in TEXT_REQUESTS:
            return not any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
    return False
