"""Nothing acknowledged is lost or doubled when the API process dies: several clients write one user's
messages to a real API process (uvicorn, its own driver and models), which is killed with SIGKILL
mid-load and started again; every client sends again whatever was not acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from app.container import Container
from app.keys.secrets import Scope
from app.settings import PROJECT_ROOT
from tests.helpers import closed_port, message

pytestmark = pytest.mark.integration

CLIENTS = 4
PER_CLIENT = 40
KILL_AFTER = 50


class Api:
    """`python -m app.main` on a free loopback port, started and killed at will."""

    def __init__(self) -> None:
        self.port = closed_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = os.environ | {"API_PORT": str(self.port), "LOG_LEVEL": "WARNING", "DECAY_INTERVAL_S": "0"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.main"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the API did not come up")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.process.terminate()
        server.process.wait(timeout=30)


def test_api_killed_mid_load_loses_and_doubles_nothing(api: Api, container: Container, user_id: str) -> None:
    created = container.keys.create("default", [Scope.WRITE], name="faults")
    headers = {"Authorization": f"Bearer {created.key}"}
    acknowledged: list[str] = []
    lock = threading.Lock()
    answers: dict[int, int] = {}

    def client(number: int) -> None:
        with httpx.Client(base_url=api.url, headers=headers, timeout=30) as http:
            for i in range(PER_CLIENT):
                message_id = f"c{number}-{i}"
                body = message(user_id, message_id, f"Client {number} says my sister Anna went hiking on trail {i}")
                while True:  # what a companion backend does: send again until acknowledged
                    try:
                        response = http.post("/v1/messages", json=body)
                    except httpx.TransportError:
                        time.sleep(0.5)
                        continue
                    with lock:
                        answers[response.status_code] = answers.get(response.status_code, 0) + 1
                    if response.status_code == 200:
                        with lock:
                            acknowledged.append(message_id)
                        break
                    time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < KILL_AFTER:
        time.sleep(0.05)
    api.kill()
    killed_at = len(acknowledged)
    api.start()
    for thread in threads:
        thread.join(timeout=300)
    container.keys.revoke(created.api_key.id)

    assert killed_at < CLIENTS * PER_CLIENT, "the kill came after the load"
    assert sorted(acknowledged) == sorted({f"c{n}-{i}" for n in range(CLIENTS) for i in range(PER_CLIENT)})
    stored = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) RETURN m.external_id AS id",
        u=user_id,
        database_=container.settings.neo4j_database,
    ).records
    ids = [r["id"] for r in stored]
    assert len(ids) == len(set(ids)) == CLIENTS * PER_CLIENT
    assert set(ids) == set(acknowledged)
    assert set(answers) == {200}, answers  # no 5xx: the kill shows as refused connections, not errors
