"""Moments a query names, resolved against the time it is asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.retrieval.lucene import query_terms
from app.retrieval.timeframe import time_frame, without_relative_time

AS_OF = datetime(2023, 4, 22, 8, 0, tzinfo=UTC)  # a Saturday


@pytest.mark.parametrize(
    ("query", "target", "tolerance"),
    [
        ("What kitchen appliance did I buy 10 days ago?", datetime(2023, 4, 12, 8, 0), 2.5),
        ("Who did I go with to the music event last Saturday?", datetime(2023, 4, 15), 1.5),
        ("I mentioned a sports event two weeks ago", datetime(2023, 4, 8, 8, 0), 3.5),
        ("what did I say yesterday", datetime(2023, 4, 21, 8, 0), 1.5),
        ("a few weeks ago I went hiking", datetime(2023, 4, 1, 8, 0), 5.25),
        ("How many hours did I run last week?", datetime(2023, 4, 15, 8, 0), 3.5),
        ("Which bike did I fix in February?", datetime(2023, 2, 15), 12.0),
    ],
)
def test_resolves_the_moment_a_query_names(query: str, target: datetime, tolerance: float) -> None:
    frame = time_frame(query, AS_OF)
    assert frame is not None
    assert abs(frame.target - target.replace(tzinfo=UTC)) < timedelta(hours=12)
    assert frame.tolerance_days == pytest.approx(tolerance, abs=0.5)


@pytest.mark.parametrize(
    "query",
    ["when did I last visit a museum?", "I may go there later", "How many days did I spend in Yosemite?", "daily"],
)
def test_no_moment_no_frame(query: str) -> None:
    assert time_frame(query, AS_OF) is None


def test_closeness_halves_one_tolerance_away() -> None:
    frame = time_frame("10 days ago", AS_OF)
    assert frame is not None
    assert frame.closeness(frame.target) == 1.0
    assert frame.closeness(frame.target + timedelta(days=frame.tolerance_days)) == pytest.approx(0.5)
    assert frame.closeness(frame.target - timedelta(days=30)) < 0.01


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("What charity event did I participate in a month ago?", ["charity", "event", "participate"]),
        ("What kitchen appliance did I buy 10 days ago?", ["kitchen", "appliance", "buy"]),
        ("What did I cook yesterday?", ["cook"]),
        ("How many miles did I run last week?", ["miles", "run"]),
        # Named days and months are words a memory may hold too.
        ("What time did I reach the clinic on Monday?", ["time", "reach", "clinic", "monday"]),
        ("Who came to the concert last Saturday?", ["came", "concert", "saturday"]),
        ("Which bike did I fix in February?", ["bike", "fix", "february"]),
        ("How many days did I spend in Yosemite?", ["days", "spend", "yosemite"]),
    ],
)
def test_relative_time_is_no_keyword(query: str, terms: list[str]) -> None:
    assert query_terms(without_relative_time(query)) == terms
