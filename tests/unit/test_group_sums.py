"""Sums of vectors by group equal the plain loop's, whatever the group sizes and their order."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.retrieval.cache.group_sums import group_sums, segment_sums


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=40), st.integers(0, 2**32 - 1))
def test_segment_sums_add_each_segments_rows(counts: list[int], seed: int) -> None:
    rows = np.random.default_rng(seed).standard_normal((sum(counts), 5)).astype(np.float32)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    expected = np.stack([rows[s : s + c].sum(axis=0) for s, c in zip(starts, counts, strict=True)])
    assert np.allclose(segment_sums(rows, starts, np.asarray(counts)), expected, atol=1e-5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), max_size=60), st.integers(0, 2**32 - 1))
def test_group_sums_add_each_groups_rows_in_any_order(groups: list[int], seed: int) -> None:
    rows = np.random.default_rng(seed).standard_normal((len(groups), 4)).astype(np.float32)
    keys, sums = group_sums(rows, np.asarray(groups, dtype=np.int32))
    assert keys.tolist() == sorted(set(groups))
    for key, total in zip(keys.tolist(), sums, strict=True):
        assert np.allclose(total, rows[np.asarray(groups) == key].sum(axis=0), atol=1e-5)
