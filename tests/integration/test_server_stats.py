"""The server's JVM counters that the benchmarks wait on, read from the real server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.container import Container
from app.graph.repository import GraphRepository
from measure import server_stats

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "figure",
    [
        server_stats.compile_seconds,  # the write benchmark's warm-up waits on it
        server_stats.cpu_seconds,  # the search benchmark waits, after seeding, until it stops growing
    ],
)
def test_the_server_says_how_long_it_worked(
    container: Container, figure: Callable[[GraphRepository], float | None]
) -> None:
    # On the local server both figures must be there, and they only grow.
    first = figure(container.repository)
    container.repository.server_info()
    second = figure(container.repository)
    assert first is not None
    assert second is not None
    assert 0 < first <= second
