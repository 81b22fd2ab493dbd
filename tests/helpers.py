"""Small helpers shared by the integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import httpx

from app.settings import PROJECT_ROOT
from measure.served import free_port


def closed_port() -> int:
    """A loopback port nothing listens on: a stand-in for a Neo4j that is down."""
    return free_port()


def message(user_id: str, message_id: str, text: str, **extra: Any) -> dict[str, Any]:
    """A user's message to Lucy in conversation c1, as the API takes it."""
    return {
        "user_id": user_id,
        "companion_id": "lucy",
        "conversation_id": "c1",
        "message_id": message_id,
        "role": "user",
        "text": text,
        **extra,
    }


class Api:
    """`python -m app.main` on a free loopback port, started and killed at will; its log (stderr) goes to
    `log` when given, at `log_level`."""

    def __init__(self, log: Path | None = None, log_level: str = "WARNING") -> None:
        self.port = closed_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log, self.log_level = log, log_level
        self._log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = os.environ | {"API_PORT": str(self.port), "LOG_LEVEL": self.log_level, "DECAY_INTERVAL_S": "0"}
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
