"""A key's rate limit holds behind replicas: two API processes counting in one Redis (`make redis` runs
it) refuse a key at the same request as one process does, where each counting alone would allow it twice
over."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis

from app.container import Container
from app.keys.secrets import Scope
from app.settings import Settings
from measure.served import ApiProcess

pytestmark = pytest.mark.integration

RATE = 12


@pytest.fixture(scope="module")
def replicas(settings: Settings) -> Iterator[tuple[ApiProcess, ApiProcess]]:
    redis.Redis.from_url(settings.local_redis_url).ping()  # the real server, or the test fails here
    env = {"REDIS_URL": settings.local_redis_url, "RATE_LIMIT_PER_KEY": f"{RATE}/minute"}
    pair = (ApiProcess(env=env), ApiProcess(env=env))
    starting = [threading.Thread(target=replica.start) for replica in pair]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    yield pair
    for replica in pair:
        replica.stop()


def _allowed(urls: list[str], key: str) -> int:
    """Requests answered before the first 429, sent in turn to each URL."""
    headers = {"Authorization": f"Bearer {key}"}
    for sent in range(3 * RATE):
        answer = httpx.get(f"{urls[sent % len(urls)]}/v1/users/u-{uuid.uuid4()}", headers=headers, timeout=30)
        if answer.status_code == 429:
            assert int(answer.headers["retry-after"]) > 0
            return sent
        assert answer.status_code == 404, answer.text
    return 3 * RATE


def test_two_replicas_on_one_redis_refuse_a_key_where_one_process_does(
    replicas: tuple[ApiProcess, ApiProcess], container: Container
) -> None:
    keys = [container.keys.create("default", [Scope.READ], name="rate") for _ in range(2)]
    try:
        alone = _allowed([replicas[0].url], keys[0].key)
        together = _allowed([replica.url for replica in replicas], keys[1].key)
    finally:
        for created in keys:
            container.keys.revoke(created.api_key.id)
    assert alone == together == RATE
