"""The one way a word list becomes a regular expression: any of its phrases, as whole words, case-blind."""

from __future__ import annotations

import re
from collections.abc import Iterable


def any_of(phrases: Iterable[str], *, whole_word_end: bool = True) -> re.Pattern[str]:
    """A pattern matching any of `phrases` (regular-expression fragments) from a word boundary, and to
    one unless `whole_word_end` is false (for phrases that end on a space, as "I'm a ")."""
    end = r"\b" if whole_word_end else ""
    return re.compile(r"\b(?:" + "|".join(phrases) + r")" + end, re.I)
