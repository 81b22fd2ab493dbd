"""The repository's held read sessions, against the real server: one a live thread, none kept after a failure."""

from __future__ import annotations

import threading

import pytest
from neo4j.exceptions import ClientError

from app.container import Container
from app.graph.read_sessions import ReadSessions
from app.settings import Settings

pytestmark = pytest.mark.integration


def _one(sessions: ReadSessions) -> int:
    return int(sessions.get().run("RETURN 1 AS n").single(strict=True)["n"])


def _in_a_thread(sessions: ReadSessions) -> None:
    thread = threading.Thread(target=_one, args=(sessions,))
    thread.start()
    thread.join()


def test_a_thread_reuses_its_session_and_another_thread_gets_its_own(settings: Settings, container: Container) -> None:
    sessions = ReadSessions(container.driver, settings.neo4j_database)
    try:
        first = sessions.get()
        assert _one(sessions) == 1
        assert sessions.get() is first
        seen: list[object] = []

        def read_in_another_thread() -> None:
            seen.append(sessions.get())
            _one(sessions)

        thread = threading.Thread(target=read_in_another_thread)
        thread.start()
        thread.join()
        assert len(seen) == 1
        assert seen[0] is not first
    finally:
        sessions.close()
    assert len(sessions) == 0


def test_a_failed_read_is_not_run_on_the_same_session_again(settings: Settings, container: Container) -> None:
    sessions = ReadSessions(container.driver, settings.neo4j_database)
    try:
        failed = sessions.get()
        with pytest.raises(ClientError):
            failed.run("RETURN $missing AS n").consume()
        sessions.discard()
        assert sessions.get() is not failed
        assert _one(sessions) == 1
    finally:
        sessions.close()


def test_the_sessions_of_ended_threads_are_closed_when_the_next_one_opens(
    settings: Settings, container: Container
) -> None:
    sessions = ReadSessions(container.driver, settings.neo4j_database)
    try:
        for _ in range(5):
            _in_a_thread(sessions)
        assert len(sessions) == 1  # the last thread's; it ended too, and goes when the next opens
        assert _one(sessions) == 1
        assert len(sessions) == 1
    finally:
        sessions.close()


def test_close_closes_every_session_and_a_later_read_opens_a_new_one(settings: Settings, container: Container) -> None:
    sessions = ReadSessions(container.driver, settings.neo4j_database)
    before = sessions.get()
    sessions.close()
    assert len(sessions) == 0
    try:
        assert sessions.get() is not before
        assert _one(sessions) == 1
    finally:
        sessions.close()
