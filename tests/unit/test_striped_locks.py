"""Writes of one user in one process run one at a time; writes of others are not held up by them."""

from __future__ import annotations

import threading
import time

from app.graph.locks import StripedLocks


def test_holders_of_one_key_never_overlap_and_another_key_is_free() -> None:
    locks = StripedLocks(stripes=1024)
    inside, overlaps = [0], [0]

    def hold() -> None:
        for _ in range(50):
            with locks.holding(["alice"]):
                inside[0] += 1
                if inside[0] > 1:
                    overlaps[0] += 1
                time.sleep(0.0002)
                inside[0] -= 1

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    with locks.holding(["alice"]):
        other = threading.Thread(target=lambda: locks.holding(["bob", "carol"]).__enter__())
        other.start()
        other.join(timeout=2)
        assert not other.is_alive(), "another user's write waited for alice's"
    for thread in threads:
        thread.join()
    assert overlaps[0] == 0


def test_no_keys_hold_nothing() -> None:
    locks = StripedLocks(stripes=1)
    with locks.holding(["alice"]), locks.holding([]):
        pass
