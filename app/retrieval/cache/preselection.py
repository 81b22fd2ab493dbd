"""Which of a large user's vectors a search scores exactly up front, chosen by their sign bits.

Up to `Preselection.exact_below` rows (sentences), all of them. Above, the `share` of the eligible rows
nearest the query by Hamming distance between their sign bits and the query's (48 bytes a MiniLM vector:
32 times fewer bytes to read than the rows, which the product is bound by); the other
eligible memories stay pending until a step asks for them (`UserMemories.fill`: conversation members,
keyword hits, neighbours). Binary quantisation with exact rescoring, as vector databases do it; the share
of the exact top 50 it keeps is measured by `make bench` (docs/performance.md).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from app.retrieval.eligibility import Mask

Floats = npt.NDArray[np.floating[Any]]


@dataclass(frozen=True)
class Preselection:
    """How many rows a search scores up front."""

    exact_below: int = sys.maxsize
    share: float = 1.0

    def rows_to_score(self, rows: int) -> int | None:
        """How many of `rows` to score up front, None for all of them."""
        return None if rows <= self.exact_below else math.ceil(self.share * rows)


EXACT = Preselection()


class SignBits:
    """Each row's sign bits as 64-bit words, one array per word (column-major), so that the distance runs
    over contiguous arrays rather than over rows of a few words. Rows are appended, never moved."""

    def __init__(self, dimension: int) -> None:
        self._words = np.zeros((-(-dimension // 64), 0), dtype=np.uint64)

    @property
    def nbytes(self) -> int:
        """Memory taken."""
        return int(self._words.nbytes)

    def reserve(self, rows: int, capacity: int) -> None:
        """Room for `capacity` rows, keeping the first `rows`."""
        if capacity > self._words.shape[1]:
            grown = np.zeros((len(self._words), capacity), dtype=np.uint64)
            grown[:, :rows] = self._words[:, :rows]
            self._words = grown

    def put(self, start: int, vectors: Floats) -> None:
        """The sign bits of `vectors` as rows `start`, `start + 1`, ..."""
        self._words[:, start : start + len(vectors)] = self.of(vectors).T

    def of(self, vectors: Floats) -> npt.NDArray[np.uint64]:
        """Each vector's sign bits as 64-bit words (zero-padded)."""
        packed = np.packbits(np.asarray(vectors) > 0, axis=1)
        width = 8 * len(self._words)
        if packed.shape[1] < width:
            packed = np.pad(packed, ((0, 0), (0, width - packed.shape[1])))
        return packed.view(np.uint64)

    def nearest(self, query: Floats, rows: int, row_eligible: Mask, wanted: int) -> npt.NDArray[np.intp]:
        """The eligible rows (of the first `rows`) nearest `query` by the Hamming distance of their sign bits:
        at least `wanted` of them (all those tied at the cut-off distance) unless fewer are eligible."""
        bits = 64 * len(self._words)
        distance = np.zeros(rows, dtype=np.int16)
        differing, count = np.empty(rows, dtype=np.uint64), np.empty(rows, dtype=np.uint8)
        for word, query_word in zip(self._words[:, :rows], self.of(query[None, :])[0], strict=True):
            np.bitwise_xor(word, query_word, out=differing)
            np.bitwise_count(differing, out=count)
            distance += count
        distance[~row_eligible] = bits + 1
        # The cut-off from a histogram of the distances: cheaper than a top-k selection over every row.
        within = np.cumsum(np.bincount(distance, minlength=bits + 2)[: bits + 1])
        cutoff = min(int(np.searchsorted(within, wanted)), bits)
        return np.flatnonzero(distance <= cutoff)
