"""A memory's cosine with a query, from its sentences' cosines. Pure.

A memory with several sentences scores `share` × the cosine with its whole vector (the normalised mean of
its sentences') plus the rest × its best sentence's cosine. The best sentence finds a fact told in a side
remark; the whole vector keeps what the message is about, which a sentence often leaves to its neighbours
(who is speaking, what "it" is). Neither alone is as good on every kind of conversation
(docs/research/fusion.md). The cosine with the mean needs no vector of its own: it is the sum of the sentences'
cosines divided by the norm of their sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from app.retrieval.eligibility import Mask

Floats = npt.NDArray[np.float32]


@dataclass
class Scores:
    """A query's cosine with each of a user's memories (`memory_scores`: its whole vector's and its best
    sentence's, blended by `share`), -inf for a memory the search may not return or, while `pending`, one
    not scored yet. Filled in place by `UserMemories.fill`."""

    values: Floats
    pending: Mask | None = None  # eligible memories not scored yet; None when all are
    query: Floats | None = None  # needed while memories are pending
    share: float = 0.0


def memory_scores(
    row_scores: Floats, owners: npt.NDArray[np.integer], inverse_norms: Floats, share: float, size: int
) -> Floats:
    """Each of `size` memories' score from its rows' cosines (`owners[i]` owns row `i`); `inverse_norms`
    holds 1 / |sum of a memory's rows|. A memory without rows scores -inf."""
    best = np.full(size, -np.inf, dtype=np.float32)
    np.maximum.at(best, owners, row_scores)
    if share <= 0.0:
        return best
    mean = np.bincount(owners, weights=row_scores, minlength=size).astype(np.float32) * inverse_norms[:size]
    return np.where(np.isfinite(best), share * mean + (1.0 - share) * best, best).astype(np.float32)


def some_memory_scores(
    row_scores: Floats, owners: npt.NDArray[np.integer], inverse_norms: Floats, share: float
) -> tuple[npt.NDArray[np.intp], Floats]:
    """`memory_scores` for the memories that `owners` names (every row of each given), without work in
    proportion to all the user's memories: (memory indexes, their scores)."""
    memories, local = np.unique(owners, return_inverse=True)
    return memories, memory_scores(row_scores, local, inverse_norms[memories], share, len(memories))


def cosines(rows: Floats, query: Floats) -> Floats:
    # einsum's loop sums each row alone, so a row scores the same in a full pass and in a subset scored
    # later (BLAS's sum order depends on a row's place in the block), at about the speed of BLAS's product.
    cosines: Floats = np.einsum("ij,j->i", rows, query)
    return cosines


def top_indices(scores: npt.NDArray[np.floating[Any]], n: int) -> list[int]:
    n = min(n, len(scores))
    if n <= 0:
        return []
    values = np.asarray(scores, dtype=np.float32)
    top = np.argpartition(-values, n - 1)[:n]
    return [int(i) for i in top[np.argsort(-values[top], kind="stable")]]
