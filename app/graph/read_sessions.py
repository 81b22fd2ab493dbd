"""Read sessions held open, one a thread, for the repository's auto-commit reads.

Opening a session for every read costs a fair share of a light read's time (the user's version stamps in
front of every search and type-ahead send: docs/performance.md). A session holds no connection between
reads (the driver takes one from its pool for each and gives it back once the result is read), so one a
thread holds nothing but a small object. A session whose read failed is closed and not reused, and the
sessions of threads that have ended (worker pools retire idle threads) are closed when the next one opens,
so that they are as many as the live threads.
"""

from __future__ import annotations

import threading

from neo4j import READ_ACCESS, Driver, Session


class ReadSessions:
    """The calling thread's read session, opened on its first read; `close` closes every one."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver = driver
        self.database = database
        self._lock = threading.Lock()
        self._open: dict[threading.Thread, Session] = {}

    def get(self) -> Session:
        """This thread's session."""
        thread = threading.current_thread()
        with self._lock:
            session = self._open.get(thread)
        if session is not None:
            return session
        session = self.driver.session(database=self.database, default_access_mode=READ_ACCESS)
        with self._lock:
            ended = [other for other in self._open if not other.is_alive()]
            retired = [self._open.pop(other) for other in ended]
            self._open[thread] = session
        for old in retired:
            old.close()
        return session

    def discard(self) -> None:
        """Close this thread's session (after a failure); the next read opens another."""
        with self._lock:
            session = self._open.pop(threading.current_thread(), None)
        if session is not None:
            session.close()

    def close(self) -> None:
        """Close every thread's session, before the driver closes."""
        with self._lock:
            sessions, self._open = list(self._open.values()), {}
        for session in sessions:
            session.close()

    def __len__(self) -> int:
        with self._lock:
            return len(self._open)
