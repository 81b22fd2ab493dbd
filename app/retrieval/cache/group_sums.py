"""Sums of vectors by group, in numpy: a memory's sentence rows into its vector, memories' vectors into
their conversation's. Pure.

numpy's own `add.reduceat` and `add.at` loop row by row over two-dimensional arrays (seconds for a user
of 100,000 memories); adding the k-th member of every group at once takes as many vectorised steps as the
largest group has members.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.floating[Any]]
Indexes = npt.NDArray[np.integer[Any]]


def segment_sums(values: Floats, starts: Indexes, counts: Indexes) -> Floats:
    """The sum of each segment of `values`' rows: segment i is the `counts[i]` (at least one) rows from
    `starts[i]`."""
    sums: Floats = values[starts].astype(np.float32)
    for k in range(1, int(counts.max(initial=1))):
        longer = np.flatnonzero(counts > k)
        sums[longer] += values[starts[longer] + k]
    return sums


def group_sums(values: Floats, groups: Indexes) -> tuple[Indexes, Floats]:
    """The distinct groups (ascending) and the sum of the rows of `values` in each (`groups[i]` holds row
    i)."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, np.intp)
    counts = np.diff(np.r_[firsts, len(ordered)])
    return ordered[firsts], segment_sums(values[order], firsts, counts)


def grown(array: Any, capacity: int) -> Any:
    """`array` in a new one of `capacity` rows, zeros after its own: the cache's arrays grow by doubling,
    so that appending one memory a message stays amortised O(1)."""
    bigger = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger
