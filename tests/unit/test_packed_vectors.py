"""Sentence vectors packed for the graph, and moments read back from their parts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.graph.values import moment_of
from app.nlp.packed_vectors import pack, unit_mean, unpack


def test_rows_come_back_at_half_precision() -> None:
    rng = np.random.default_rng(7)
    rows = rng.normal(size=(3, 384)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    data = pack(rows)
    assert len(data) == 3 * 384 * 2
    back = unpack(data, 384)
    assert back.shape == (3, 384)
    np.testing.assert_allclose(back, rows, atol=1e-3)


def test_the_message_vector_is_the_unit_mean_of_its_sentences() -> None:
    rows = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    np.testing.assert_allclose(unit_mean(rows), [2**-0.5, 2**-0.5], atol=1e-6)
    np.testing.assert_array_equal(unit_mean(np.zeros((1, 2))), [0.0, 0.0])


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    st.integers(min_value=-18 * 60, max_value=18 * 60),
)
def test_a_moment_comes_back_from_its_parts(naive: datetime, offset_minutes: int) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    moment = naive.replace(tzinfo=zone)
    parts = [int(moment.timestamp() // 1), moment.microsecond, offset_minutes * 60]
    back = moment_of(parts)
    assert back == moment
    assert back.utcoffset() == moment.utcoffset()
    assert back.replace(tzinfo=None) == naive
    if offset_minutes == 0:
        assert back.tzinfo is UTC
