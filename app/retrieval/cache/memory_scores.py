"""A memory's cosine with a query, from its sentences' cosines. Pure.

A memory with several sentences scores `share` × the cosine with its whole vector (the normalised mean of
its sentences') plus the rest × its best sentence's cosine. The best sentence finds a fact told in a side
remark; the whole vector keeps what the message is about, which a sentence often leaves to its neighbours
(who is speaking, what "it" is). Neither alone is as good on every kind of conversation
(docs/evaluation.md). The cosine with the mean needs no vector of its own: it is the sum of the sentences'
cosines divided by the norm of their sum.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]


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
