"""The shared write stages: chunks of different callers flow through one set of threads; a failure stops
only the chunks queued after it by the same caller."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, cast

import pytest

from app.write.batch import IncomingMessage, IngestOutcome
from app.write.ingest import IngestService
from app.write.staged import IN_FLIGHT, Stages


class _Service:
    """The three calls the stages make (two of its analysis, one of its own), recording what was
    committed, in order. A chunk whose first message is "boom" fails in analysis; `gate` holds every commit
    until it is set."""

    def __init__(self) -> None:
        self.analysis = self
        self.committed: list[list[str]] = []
        self.gate = threading.Event()
        self.gate.set()

    def analyse_batch(self, messages: list[str]) -> list[str]:
        if messages and messages[0] == "boom":
            raise ValueError("analysis failed")
        return messages

    def embed(self, batch: list[str], encoder: Any = None) -> list[str]:
        return batch

    def commit(self, batch: list[str]) -> list[str]:
        self.gate.wait(5)
        self.committed.append(batch)
        return [f"ok:{m}" for m in batch]


def _stages(service: _Service) -> Stages:
    return Stages(cast(IngestService, service))


def _messages(*texts: str) -> list[IncomingMessage]:
    return cast(list[IncomingMessage], list(texts))


def _outcomes(values: list[IngestOutcome]) -> list[str]:
    return cast(list[str], values)


def test_two_callers_chunks_are_each_written_once_and_in_their_order() -> None:
    service = _Service()
    stages = _stages(service)
    try:
        service.gate.clear()  # both callers queue everything before anything is written
        first = stages.submit_all(_messages("a1", "a2", "a3", "a4", "a5"), 2)
        second = stages.submit_all(_messages("b1", "b2", "b3"), 2)
        service.gate.set()
        assert [_outcomes(c.written.result(5)) for c in first] == [["ok:a1", "ok:a2"], ["ok:a3", "ok:a4"], ["ok:a5"]]
        assert [_outcomes(c.written.result(5)) for c in second] == [["ok:b1", "ok:b2"], ["ok:b3"]]
    finally:
        stages.close()
    assert service.committed == [["a1", "a2"], ["a3", "a4"], ["a5"], ["b1", "b2"], ["b3"]]


def test_a_failed_chunk_stops_its_callers_later_chunks_and_no_one_elses() -> None:
    service = _Service()
    stages = _stages(service)
    try:
        service.gate.clear()
        failing = stages.submit_all(_messages("a1", "boom", "a3"), 1)
        other = stages.submit_all(_messages("b1", "b2"), 1)
        service.gate.set()
        assert _outcomes(failing[0].written.result(5)) == ["ok:a1"]
        for chunk in failing[1:]:
            with pytest.raises(ValueError, match="analysis failed"):
                chunk.written.result(5)
        assert [_outcomes(c.written.result(5)) for c in other] == [["ok:b1"], ["ok:b2"]]
    finally:
        stages.close()
    assert service.committed == [["a1"], ["b1"], ["b2"]]


def test_a_stream_reads_ahead_only_its_chunks_in_flight_and_an_abandoned_one_writes_no_more() -> None:
    service = _Service()
    stages = _stages(service)
    read: list[int] = []

    def chunks() -> Iterator[list[IncomingMessage]]:
        for n in range(10):
            read.append(n)
            yield _messages(f"m{n}")

    try:
        stream = stages.stream(chunks())
        assert _outcomes(next(stream)) == ["ok:m0"]
        assert _outcomes(next(stream)) == ["ok:m1"]
        assert read == list(range(2 + IN_FLIGHT))
        stream.close()
    finally:
        stages.close()
    assert [c[0] for c in service.committed] == [f"m{n}" for n in range(2 + IN_FLIGHT)][: len(service.committed)]
    assert len(service.committed) <= 2 + IN_FLIGHT
