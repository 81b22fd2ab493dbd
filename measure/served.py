"""The API served for a client that needs a real socket (a browser, a fuzzer, a benchmark's HTTP client):
uvicorn in a thread of this process (`served`), or `python -m app.main` as a process of its own
(`ApiProcess`: killed and started at will, under load), on a free loopback port. The test suite and the
benchmarks share them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import uvicorn
from fastapi import FastAPI

from app.settings import PROJECT_ROOT


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: FastAPI, port: int | None = None, start_timeout_s: float = 60.0) -> Iterator[str]:
    """`app` listening on `port` (a free one by default) until the block ends; its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port or free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class ApiProcess:
    """`python -m app.main` on a free loopback port, started and killed at will; its log (stderr) goes to
    `log` when given, at `log_level`; `env`: settings of its own, beside the environment's."""

    def __init__(self, log: Path | None = None, log_level: str = "WARNING", env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.log, self.log_level = log, log_level
        self._log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = os.environ | {"API_PORT": str(self.port), "LOG_LEVEL": self.log_level, "DECAY_INTERVAL_S": "0"} | self.env
        if self.log is not None and self._log_file is None:
            self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.main"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._log_file,
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

    def stop(self) -> None:
        """End it as a deployment does (SIGTERM), and close its log."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
