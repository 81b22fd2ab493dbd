"""The batch pipeline killed half-way and run again: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.container import Container
from app.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

COUNT = 120


def _write_log(path: Path, user_id: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(COUNT):
            handle.write(
                json.dumps(
                    {
                        "user_id": user_id,
                        "companion_id": "lucy",
                        "conversation_id": f"c{i // 20}",
                        "message_id": f"m{i}",
                        "role": "user",
                        "text": f"On day {i} I walked my dog along the river and talked about book number {i}",
                        "occurred_at": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z",
                    }
                )
                + "\n"
            )
        handle.write("this line is not json\n")


def _run(path: Path, capture: bool) -> subprocess.Popen[str]:
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.ingest", str(path), "--batch-size", "8"],
        cwd=PROJECT_ROOT,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_kill_and_resume_loses_and_doubles_nothing(container: Container, user_id: str, tmp_path: Path) -> None:
    log = tmp_path / "chat.jsonl"
    _write_log(log, user_id)
    checkpoint = tmp_path / "chat.jsonl.checkpoint"
    first = _run(log, capture=False)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and first.poll() is None:
        if checkpoint.exists() and json.loads(checkpoint.read_text())["lines_done"] >= 24:
            first.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    first.wait()
    assert first.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    done_at_kill = json.loads(checkpoint.read_text())["lines_done"]
    assert 24 <= done_at_kill < COUNT

    second = _run(log, capture=True)
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output
    assert f"resuming after line {done_at_kill}" in output
    assert "line 121: invalid message" in output
    # Where the next decay pass leaves what was imported: all of it, and none forgotten (each line tells
    # something of its writer).
    placed = re.search(r"over these 1 users: hot (\d+), cold (\d+), forgotten (\d+)", output)
    assert placed is not None, output
    assert (sum(map(int, placed.groups())), placed.group(3)) == (COUNT, "0")

    user = container.users.store.user(user_id)
    assert user is not None
    assert user.memory_count == COUNT
    rows = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) RETURN count(m) AS n, count(DISTINCT m.external_id) AS ids",
        u=user_id,
        database_=container.settings.neo4j_database,
    ).records
    assert (rows[0]["n"], rows[0]["ids"]) == (COUNT, COUNT)
