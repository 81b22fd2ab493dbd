"""The two forms of a message's text.

- `written`: what the user wrote, as the service keeps it, shows it and gives it to a model: every letter,
  emoji and joiner as typed (a family emoji is one family, a Persian word keeps its non-joiner), with only
  what no reader should get taken out: control characters, the bidirectional overrides that make a text
  read differently on screen than in memory, and the invisible tag characters that can spell out
  instructions a person never sees (save where they spell a flag).
- `folded`: the copy that the guard, the parse and the search read: compatibility forms made plain
  (full-width letters, ligatures) and every invisible character out, so that what a word says cannot hide
  behind how it is written.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters no reader of the written form should get: C0 and C1 controls (not the spaces and line ends
#: that tidying reads), bidi embeddings, overrides and isolates, lone surrogates (no store can encode
#: them), the byte-order mark, and tag characters outside a flag's sequence.
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x9f"
_BIDI_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
_FLAG = "\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,7}\U000e007f"
_UNWRITTEN = re.compile(f"({_FLAG})|[{_CONTROLS}{_BIDI_OVERRIDES}\ud800-\udfff\ufeff\U000e0000-\U000e007f]")
#: Zero-width and bidi control characters hide instructions from people but not from models.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """Runs of spaces and of blank lines collapsed, lines trimmed."""
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def written(text: str) -> str:
    """The text as the user wrote it, less what no reader should get (above), its spacing tidied."""
    return _tidy(_UNWRITTEN.sub(lambda match: match.group(1) or "", text))


def folded(text: str) -> str:
    """NFKC, invisible and other non-printing characters removed, spacing tidied."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return _tidy(text)
