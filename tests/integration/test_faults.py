"""Nothing acknowledged is lost or doubled when the API process dies: several clients write one user's
messages to a real API process (uvicorn, its own driver and models), which is killed with SIGKILL
mid-load and started again, or whose Neo4j is stopped and started again under it; every client sends
again whatever was not acknowledged. And nothing the process started outlives it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from app.container import Container
from app.keys.secrets import Scope
from app.settings import PROJECT_ROOT, get_settings
from measure.served import ApiProcess
from tests.helpers import message, messages

pytestmark = pytest.mark.integration

CLIENTS = 4
PER_CLIENT = 40
KILL_AFTER = 50


@pytest.fixture
def api() -> Iterator[ApiProcess]:
    server = ApiProcess()
    server.start()
    yield server
    server.stop()


class Load:
    """CLIENTS threads writing PER_CLIENT messages each for one user, each sending a message again until it
    is acknowledged, as a companion backend does; what was answered is counted."""

    def __init__(self, url: str, key: str, user_id: str) -> None:
        self.url, self.headers, self.user_id = url, {"Authorization": f"Bearer {key}"}, user_id
        self.acknowledged: list[str] = []
        self.answers: dict[int, int] = {}
        self.retry_after: set[str] = set()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]

    def start(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def wait_for(self, count: int) -> int:
        while len(self.acknowledged) < count:
            time.sleep(0.05)
        return len(self.acknowledged)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=300)

    @property
    def expected(self) -> set[str]:
        return {f"c{n}-{i}" for n in range(CLIENTS) for i in range(PER_CLIENT)}

    def _client(self, number: int) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as http:
            for i in range(PER_CLIENT):
                message_id = f"c{number}-{i}"
                text = f"Client {number} says my sister Anna went hiking on trail {i}"
                while True:
                    try:
                        response = http.post("/v1/messages", json=message(self.user_id, message_id, text))
                    except httpx.TransportError:
                        time.sleep(0.5)
                        continue
                    with self.lock:
                        self.answers[response.status_code] = self.answers.get(response.status_code, 0) + 1
                        if response.status_code == 503:
                            self.retry_after.add(response.headers.get("retry-after", ""))
                    if response.status_code == 200:
                        with self.lock:
                            self.acknowledged.append(message_id)
                        break
                    time.sleep(0.5)


def _stored(container: Container, user_id: str) -> list[str]:
    records = container.driver.execute_query(
        "MATCH (m:Memory {user_id: $u}) RETURN m.external_id AS id",
        u=user_id,
        database_=container.settings.neo4j_database,
    ).records
    return [r["id"] for r in records]


def test_api_killed_mid_load_loses_and_doubles_nothing(api: ApiProcess, container: Container, user_id: str) -> None:
    created = container.keys.create("default", [Scope.WRITE], name="faults")
    load = Load(api.url, created.key, user_id).start()
    killed_at = load.wait_for(KILL_AFTER)
    api.kill()
    api.start()
    load.join()
    container.keys.revoke(created.api_key.id)

    assert killed_at < CLIENTS * PER_CLIENT, "the kill came after the load"
    assert sorted(load.acknowledged) == sorted(load.expected)
    ids = _stored(container, user_id)
    assert len(ids) == len(set(ids)) == CLIENTS * PER_CLIENT
    assert set(ids) == set(load.acknowledged)
    assert set(load.answers) == {200}, load.answers  # no 5xx: the kill shows as refused connections


def _local_neo4j(command: str) -> None:
    """What `make neo4j` / `make neo4j-stop` run (in a process of its own, which keeps the server's)."""
    subprocess.run([sys.executable, "-m", "localdb.server", command], cwd=PROJECT_ROOT, check=True)


@pytest.mark.skipif(not get_settings().uses_local_neo4j, reason="stops the local Neo4j, which `make test` runs")
def test_neo4j_stopped_and_restarted_mid_load_loses_nothing_and_answers_503(
    api: ApiProcess, container: Container, user_id: str
) -> None:
    created = container.keys.create("default", [Scope.WRITE], name="faults")
    load = Load(api.url, created.key, user_id).start()
    stopped_at = load.wait_for(KILL_AFTER)
    try:
        _local_neo4j("stop")
        time.sleep(3)  # the clients keep sending meanwhile
    finally:
        _local_neo4j("start")
    load.join()  # the API recovers on its own: it is not restarted
    container.keys.revoke(created.api_key.id)

    assert stopped_at < CLIENTS * PER_CLIENT, "the stop came after the load"
    assert sorted(load.acknowledged) == sorted(load.expected)
    ids = _stored(container, user_id)
    assert len(ids) == len(set(ids)) == CLIENTS * PER_CLIENT
    assert set(load.answers) <= {200, 503}, load.answers  # unreachable is a 503, never a 500
    assert load.answers.get(503, 0) > 0, "no write saw Neo4j down"
    assert load.retry_after, "a 503 without Retry-After"
    assert all(seconds.isdigit() and int(seconds) > 0 for seconds in load.retry_after), load.retry_after


def _children() -> dict[int, list[int]]:
    """Every live process's children, by parent (from /proc: zombies count as gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _descendants(pid: int) -> set[int]:
    tree, found, pending = _children(), set(), [pid]
    while pending:
        for child in tree.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    living = {child for children in _children().values() for child in children}
    return pids & living


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc")
def test_api_killed_during_a_batch_leaves_no_process_behind(
    api: ApiProcess, container: Container, user_id: str
) -> None:
    created = container.keys.create("default", [Scope.WRITE], name="faults")
    headers = {"Authorization": f"Bearer {created.key}"}
    assert api.process is not None
    batch = {"messages": messages(user_id, 300, "My cousin Ben told me about the lake trip")}
    answers: list[int] = []

    def send() -> None:
        try:
            answers.append(
                httpx.post(f"{api.url}/v1/messages/batch", json=batch, headers=headers, timeout=120).status_code
            )
        except httpx.TransportError:
            answers.append(0)

    first = threading.Thread(target=send)
    first.start()
    first.join()  # the first batch starts the embedding child; it serves the next once loaded
    deadline = time.monotonic() + 120
    while not _descendants(api.process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    started = _descendants(api.process.pid)
    during = threading.Thread(target=send)
    during.start()
    time.sleep(1.0)
    api.kill()
    during.join()
    deadline = time.monotonic() + 30
    while _alive(started) and time.monotonic() < deadline:
        time.sleep(0.2)
    container.keys.revoke(created.api_key.id)

    assert answers[0] == 200
    assert started, "the batch started no child process"
    assert not _alive(started), f"left running after the API's SIGKILL: {sorted(_alive(started))}"
