"""How soon a desktop client's stdio MCP server answers: `python -m app.mcp` started fresh each time and
driven by the official MCP client, timed from the process's start to `initialize` answered, and to the
first tool call answered (the models load meanwhile).

- mcp_initialize_s: p50 over the starts (target: at most 2 s); mcp_initialize_max_s: the slowest;
- mcp_first_call_s: p50 from the start to a `facts` call answered.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

from app.container import Container
from app.keys.secrets import Scope
from app.settings import PROJECT_ROOT

STARTS = 5


async def _one_start(key: str) -> tuple[float, float]:
    command = StdioServerParameters(
        command=sys.executable,
        args=["-m", "app.mcp"],
        cwd=str(PROJECT_ROOT),
        env={**os.environ, "MCP_API_KEY": key, "MCP_USER_ID": "bench-mcp", "LOG_LEVEL": "WARNING"},
    )
    started = time.perf_counter()
    async with Client(command, read_timeout_seconds=120) as client:
        initialized = time.perf_counter() - started
        await client.call_tool("facts", {})
        answered = time.perf_counter() - started
    return initialized, answered


def measure(container: Container, starts: int = STARTS) -> dict[str, Any]:
    """The figures above, with a key of the default tenant made for them and revoked after."""
    created = container.keys.create("default", [Scope.READ], name="bench-mcp")
    try:
        runs = [anyio.run(_one_start, created.key) for _ in range(starts)]
    finally:
        container.keys.revoke(created.api_key.id)
    initialized, answered = [r[0] for r in runs], [r[1] for r in runs]
    return {
        "mcp_initialize_s": round(statistics.median(initialized), 3),
        "mcp_initialize_max_s": round(max(initialized), 3),
        "mcp_first_call_s": round(statistics.median(answered), 3),
    }
