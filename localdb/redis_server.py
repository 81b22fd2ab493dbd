"""Start and stop a local Redis server for the shared type-ahead cache and its tests.

    python -m localdb.redis_server start    # start on LOCAL_REDIS_PORT, wait until it answers
    python -m localdb.redis_server stop
    python -m localdb.redis_server status

No Docker: `redis-server` is Debian's package (`make redis` installs it). The server keeps nothing on disk
(a cache: no snapshots, no append-only file) and listens on loopback only; its pid file and log are in
`var/redis/`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

from app.settings import Settings, get_settings


class LocalRedisError(RuntimeError):
    """The local Redis could not be started or stopped."""


def _pid_file(settings: Settings) -> Path:
    return settings.local_redis_dir / "redis.pid"


def _answers(settings: Settings) -> bool:
    try:
        return bool(redis.Redis(port=settings.local_redis_port, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def start(settings: Settings) -> str:
    """Start the server unless it answers already."""
    if _answers(settings):
        return f"Local Redis is up: {settings.local_redis_url}"
    binary = shutil.which("redis-server")
    if binary is None:
        raise LocalRedisError("redis-server not found: `make redis` installs Debian's package")
    settings.local_redis_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            binary,
            "--port",
            str(settings.local_redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            str(settings.local_redis_dir),
            "--pidfile",
            str(_pid_file(settings)),
            "--logfile",
            str(settings.local_redis_dir / "redis.log"),
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _answers(settings):
            return f"Local Redis is up: {settings.local_redis_url}"
        time.sleep(0.1)
    raise LocalRedisError(f"Redis did not answer within 10 s; see {settings.local_redis_dir / 'redis.log'}")


def stop(settings: Settings) -> str:
    """Stop the server if this project started it."""
    pid_file = _pid_file(settings)
    if not pid_file.exists():
        return "The local Redis is not running."
    with contextlib.suppress(ValueError, ProcessLookupError):  # stale pid file: nothing to stop
        os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
    pid_file.unlink(missing_ok=True)
    return "Local Redis stopped."


def status(settings: Settings) -> str:
    """Say whether the local server answers."""
    return f"Local Redis is up: {settings.local_redis_url}" if _answers(settings) else "The local Redis is not running."


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    commands = {"start": start, "stop": stop, "status": status}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m localdb.redis_server {start|stop|status}", file=sys.stderr)
        return 2
    try:
        print(commands[argv[0]](get_settings()))
    except (LocalRedisError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
