"""A user's conversations as the memory cache holds them: each one's id and number, its memories in
timeline order, and the sum of its memories' vectors, whose direction a search compares with the query
(the conversation part of the fusion). Not thread-safe: `UserMemories` calls it under its lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from app.retrieval.cache.group_sums import grown
from app.retrieval.cache.memory_scores import top_indices
from app.retrieval.cache.preselection import Floats


class Conversations:
    """Conversation numbers (their place in `ids`), timelines and vector sums."""

    def __init__(self, dimension: int) -> None:
        self.ids: list[str] = []
        self._number_of: dict[str, int] = {}
        self._sums = np.zeros((0, dimension), dtype=np.float32)
        self._directions: Floats | None = None  # the sums at unit length, computed when first needed
        self._timelines: list[list[int]] = []
        self._sorted: list[bool] = []

    @property
    def nbytes(self) -> int:
        """The sums and their directions."""
        return 2 * self._sums.nbytes

    def number(self, conversation_id: str) -> int:
        """A conversation's number, a new one for a conversation not held yet."""
        number = self._number_of.get(conversation_id)
        if number is None:
            number = len(self.ids)
            self.ids.append(conversation_id)
            self._number_of[conversation_id] = number
            self._timelines.append([])
            self._sorted.append(True)
            self._directions = None
            if number >= len(self._sums):
                self._sums = grown(self._sums, max(16, 2 * len(self._sums)))
        return number

    def join(self, number: int, memory: int) -> None:
        """A memory joins a conversation's timeline (sorted when next asked for)."""
        self._timelines[number].append(memory)
        self._sorted[number] = False

    def add(self, numbers: npt.NDArray[np.integer[Any]], vectors: Floats) -> None:
        """Vectors added to those conversations' sums (one row each, numbers distinct)."""
        self._sums[numbers] += vectors
        self._directions = None

    def remove(self, number: int, vector: Floats) -> None:
        """A memory's vector taken out of its conversation's sum (before it is replaced)."""
        self._sums[number] -= vector
        self._directions = None

    def closest(self, query: Floats, n: int, also: Iterable[str]) -> list[tuple[int, float]]:
        """The `n` conversations closest to `query` and those of `also` held, each with its cosine."""
        if self._directions is None:
            sums = self._sums[: len(self.ids)]
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            self._directions = sums / np.where(norms > 0, norms, 1.0)
        # Every conversation's cosine only to find the `n` closest: a call for `also` alone (the
        # conversations Lucene named, after the round trip) scores just those.
        top = top_indices(self._directions @ query, n) if n > 0 else []
        top += [self._number_of[c] for c in also if c in self._number_of]
        numbers = list(dict.fromkeys(top))
        return list(zip(numbers, (float(c) for c in self._directions[numbers] @ query), strict=True))

    def members(self, number: int) -> list[int]:
        """A conversation's memories, in the order they joined."""
        return self._timelines[number]

    def neighbours(self, number: int, memory: int, order: Callable[[int], Any]) -> list[int]:
        """The memories just before and after `memory` in its conversation's timeline, by `order`."""
        timeline = self._timelines[number]
        if not self._sorted[number]:
            timeline.sort(key=order)
            self._sorted[number] = True
        place = timeline.index(memory)
        return timeline[max(0, place - 1) : place] + timeline[place + 1 : place + 2]
