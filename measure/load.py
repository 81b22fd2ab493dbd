"""A bounded load test: concurrent companion users against a real API process on loopback.

    python -m measure.load [--clients 50] [--seconds 300] [--think 8,20] [--idle-turns 300]

Each client is one user of a companion in conversation: it asks for the context of what it is about to
say (`POST /context`), says it (`POST /v1/messages`), and every third turn searches (`POST /search`), then
pauses for `--think` seconds (uniform; by default 8-20 s: reading the reply and typing the next message).
Each user starts with 30 memories. Before the load one client alone makes the same calls, `--idle-turns`
of them after 30 not counted (the idle figures: a p95 of a few dozen calls is their slowest one or two,
and the server's first calls after the seeding are slower). Written to reports/load.json: per call the
idle and loaded p50/p95, their ratio (target: loaded p95 at most twice idle), and every error (target 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from app.container import build_container
from app.keys.secrets import Scope
from app.settings import get_settings
from app.tenancy import DEFAULT_TENANT
from measure.bench import _percentile, short_messages
from measure.served import ApiProcess

CALLS = ("context", "write", "search")
SEEDED = 30
IDLE_WARM_UP = 30


class Driver:
    """The clients, their texts and what they measured."""

    def __init__(self, url: str, key: str, texts: list[str], run: str) -> None:
        self.url, self.key, self.texts, self.run = url, key, texts, run
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def user(self, n: int) -> str:
        return f"load-{self.run}-{n}"

    async def seed(self, http: httpx.AsyncClient, n: int) -> None:
        messages = [
            self._message(n, f"seed-{i}", self.texts[(n * SEEDED + i) % len(self.texts)]) for i in range(SEEDED)
        ]
        (await http.post("/v1/messages/batch", json={"messages": messages}, timeout=300)).raise_for_status()

    def _message(self, n: int, message_id: str, text: str) -> dict[str, Any]:
        return {
            "user_id": self.user(n),
            "companion_id": "lucy",
            "conversation_id": "c1",
            "message_id": message_id,
            "role": "user",
            "text": text,
        }

    async def _call(self, http: httpx.AsyncClient, name: str, path: str, body: dict[str, Any]) -> None:
        started = time.perf_counter()
        try:
            response = await http.post(path, json=body, timeout=60)
        except httpx.HTTPError as error:
            self.errors.append(f"{name}: {type(error).__name__}")
            return
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            self.errors.append(f"{name}: {response.status_code} {response.text[:200]}")
            return
        self.timings[name].append(elapsed)

    async def turn(self, http: httpx.AsyncClient, n: int, turn: int, rng: random.Random) -> None:
        text = rng.choice(self.texts)
        user = self.user(n)
        await self._call(http, "context", f"/v1/users/{user}/context", {"query": text, "companion_id": "lucy"})
        await self._call(http, "write", "/v1/messages", self._message(n, f"t{turn}-{uuid.uuid4().hex[:8]}", text))
        if turn % 3 == 0:
            await self._call(http, "search", f"/v1/users/{user}/search", {"query": text, "k": 10})

    async def client(self, n: int, until: float, think: tuple[float, float]) -> None:
        rng = random.Random(n)
        headers = {"Authorization": f"Bearer {self.key}"}
        async with httpx.AsyncClient(base_url=self.url, headers=headers) as http:
            turn = 0
            await asyncio.sleep(rng.uniform(0, think[1]))  # the users do not all start at once
            while time.monotonic() < until:
                await self.turn(http, n, turn, rng)
                turn += 1
                await asyncio.sleep(rng.uniform(*think))


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50": round(_percentile(values, 0.5), 1), "p95": round(_percentile(values, 0.95), 1)}


async def measure(
    url: str, key: str, clients: int, seconds: float, texts: list[str], think: tuple[float, float], idle_turns: int
) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    seeder = Driver(url, key, texts, run)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
        for n in range(clients):
            await seeder.seed(http, n)
        warming, idle = Driver(url, key, texts, run), Driver(url, key, texts, run)
        rng = random.Random(-1)
        for turn in range(IDLE_WARM_UP + idle_turns):  # one client alone, no think time: as fast as it goes
            await (warming if turn < IDLE_WARM_UP else idle).turn(http, turn % clients, turn, rng)
    loaded = Driver(url, key, texts, run)
    until = time.monotonic() + seconds
    await asyncio.gather(*(loaded.client(n, until, think) for n in range(clients)))
    result: dict[str, Any] = {"clients": clients, "seconds": seconds, "think_s": list(think)}
    errors = warming.errors + idle.errors + loaded.errors
    result["errors"] = len(errors)
    result["error_samples"] = errors[:20]
    for name in CALLS:
        quiet, busy = _percentiles(idle.timings[name]), _percentiles(loaded.timings[name])
        result[name] = {"idle": quiet, "loaded": busy}
        if "p95" in quiet and "p95" in busy:
            result[name]["p95_ratio"] = round(busy["p95"] / quiet["p95"], 2)
    result["users"] = [seeder.user(n) for n in range(clients)]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument(
        "--think", default="8,20", help="seconds a user pauses between turns, uniform between the two (min,max)"
    )
    parser.add_argument("--idle-turns", type=int, default=300, help="turns of the one client alone that count")
    args = parser.parse_args(argv)
    settings = get_settings()
    container = build_container(settings)
    created = container.keys.create(DEFAULT_TENANT, [Scope.READ, Scope.WRITE], name="load")
    api = ApiProcess()
    result: dict[str, Any] = {}
    try:
        api.start()
        texts = short_messages(3000)
        low, high = (float(part) for part in args.think.split(","))
        result = asyncio.run(
            measure(api.url, created.key, args.clients, args.seconds, texts, (low, high), args.idle_turns)
        )
    finally:
        api.stop()
        for user in result.get("users", []):
            container.users.store.delete(user)
        container.keys.revoke(created.api_key.id)
        container.close()
    result.pop("users", None)
    print(json.dumps(result, indent=2))
    out = Path("reports/load.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
