"""Per-key locks for the writes of one process: a fixed number of stripes, so memory stays bounded
whatever the number of users, taken in stripe order so that two holders never wait on each other."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager


class StripedLocks:
    """`holding(keys)` holds the lock of every key's stripe until the block ends."""

    def __init__(self, stripes: int = 256) -> None:
        self._locks = [threading.Lock() for _ in range(stripes)]

    @contextmanager
    def holding(self, keys: Iterable[str]) -> Iterator[None]:
        """Hold the locks of `keys` (none for no keys)."""
        stripes = sorted({zlib.crc32(key.encode()) % len(self._locks) for key in keys})
        with ExitStack() as stack:
            for stripe in stripes:
                stack.enter_context(self._locks[stripe])
            yield
