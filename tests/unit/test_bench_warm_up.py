"""When `make bench` counts the server as warm: its JIT compiler's share of a round, else the rates."""

from __future__ import annotations

import pytest

from measure.bench import SETTLED_COMPILE_SHARE, _settled


@pytest.mark.parametrize(
    ("rates", "share", "settled"),
    [
        ([150.0, 150.0], 0.30, False),  # flat rounds, but the compiler still took 30 % of the last one
        ([120.0, 160.0], SETTLED_COMPILE_SHARE, True),  # still getting faster, the compiler idle
        ([120.0, 160.0], None, False),  # a server that does not say: 33 % faster than the best before
        ([160.0, 164.0], None, True),  # under 3 % faster
    ],
)
def test_a_server_is_warm_once_its_compiler_settled(rates: list[float], share: float | None, settled: bool) -> None:
    assert _settled(rates, share) is settled
